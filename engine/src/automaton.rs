//! The screen's automaton at run time: the standard (overlapping) charwise double-array
//! Aho-Corasick automaton that [`crate::double_array`] builds in daachorse 5's serialised form,
//! loaded into our own arrays and stepped by our own code.
//!
//! Why not daachorse's stepper: the screen feeds the automaton one *folded* character at a
//! time, so it goes through daachorse's `FindOverlappingStepper`, which maps every character
//! through its own table and is called across the folder's callback. Stepping our own copy of
//! the same arrays lets the folder's table hand over codes and the whole per-character path
//! inline into one loop; loading it is also cheaper than daachorse's validating `deserialize`.
//! daachorse stays the reference: unit tests compare every overlapping match with daachorse's
//! on the same serialised bytes, and the benchmarks compare throughput with its own search.
//!
//! *Invariant:* no input can make stepping panic or loop forever. Loading gives each element
//! its depth from its chain of CHECK (parent) links ([`depths`]), makes every element not
//! reached from the root unreachable (its CHECK becomes [`NOT_A_STATE`]), and refuses
//! a pack in which a reached state's FAIL is not a reached, shallower state, or in which an
//! output chain does not end. Stepping therefore stays on reached states and each FAIL step is
//! shallower; array reads are checked `get`s with a harmless fallback.

use crate::pack::PackError;

/// Index of the root state.
pub(crate) const ROOT: u32 = 0;
/// CHECK of an element that is not a reached state: never equal to a state index.
const NOT_A_STATE: u32 = u32::MAX;
/// Walks of the automaton run side by side by [`Automaton::overlapping`].
const WALKS: usize = 2;
/// A character the automaton has no code for.
pub(crate) const NO_CODE: u32 = u32::MAX;

/// One element of the double array, with daachorse 5's four words in their serialised order.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct State {
    /// `BASE` (once loaded: [`LEAF_BASE`] = no children); a child with code `c` sits at
    /// `base ^ c`.
    pub(crate) base: u32,
    /// The parent's index.
    pub(crate) check: u32,
    pub(crate) fail: u32,
    /// 1 + index of the state's first output, 0 = none.
    pub(crate) out: u32,
}

/// BASE of a state without children: every `LEAF_BASE ^ code` is past the end of any array
/// (at most 2³¹ elements), so the child lookup misses without a separate test for "no BASE".
const LEAF_BASE: u32 = 1 << 31;
/// An element no array read can miss: an unreachable leaf without output.
const OUTSIDE: State = State { base: LEAF_BASE, check: NOT_A_STATE, fail: ROOT, out: 0 };

/// Sentinel of daachorse's double array: the dead state, and the CHECK of unused elements.
pub(crate) const DEAD: u32 = 1;
/// Depth of an element not reached from the root by CHECK links ([`depths`]).
pub(crate) const UNREACHED: u8 = u8::MAX;
/// Depth not known yet, while [`depths`] runs.
const UNKNOWN: u8 = u8::MAX - 1;
/// No state is deeper than the longest spelling.
const MAX_DEPTH: usize = crate::rules::MAX_TERM_CHARS;
const _: () = assert!(MAX_DEPTH < UNKNOWN as usize);

#[derive(Clone, Copy, Debug)]
pub(crate) struct Output {
    pub(crate) value: u32,
    /// 1 + index of the next output of the same chain, 0 = end.
    pub(crate) next: u32,
    /// The output's rule ([`crate::pack::Rule::to_word`]), so that a hit needs no lookup in
    /// the rule table (a cache miss per hit on a 100k-rule list).
    pub(crate) rule: u32,
}

/// A loaded automaton (see the module documentation).
#[derive(Clone, Debug)]
pub(crate) struct Automaton {
    states: Vec<State>,
    /// Code of each character (indexed by scalar value), [`NO_CODE`] when it has none.
    codes: Vec<u32>,
    outputs: Vec<Output>,
}

/// An automaton without states: every character leads back to the root and nothing matches
/// (an engine without terms).
pub(crate) static EMPTY: Automaton = Automaton { states: Vec::new(), codes: Vec::new(), outputs: Vec::new() };

/// The trie's shape, from the CHECK links alone: each element's depth ([`UNREACHED`] for an
/// element whose chain of parents does not reach the root — unused elements, the dead state
/// and anything a malformed pack links to them) and the reached states below the root ordered
/// by depth, then index (parents before children, and every state after all shallower ones).
///
/// One pass over the elements: each follows its parents only until one of known depth (so
/// each CHECK is read about once, and the depths, one byte each, stay in the cache), and a
/// counting sort by depth. A chain of parents longer than any spelling — a malformed pack,
/// perhaps a cycle — is refused.
pub(crate) fn depths(states: &[State]) -> Result<(Vec<u8>, Vec<u32>), PackError> {
    let n = states.len();
    let mut depth = vec![UNKNOWN; n];
    let Some(root) = depth.get_mut(ROOT as usize) else { return Ok((depth, Vec::new())) };
    *root = 0;
    let too_deep = || PackError::Malformed("automaton is deeper than any spelling");
    let depth_of = |depth: &[u8], parent: u32| {
        if parent == DEAD { UNREACHED } else { depth.get(parent as usize).copied().unwrap_or(UNREACHED) }
    };
    // The depth of a child of an element of depth `d` (UNREACHED stays UNREACHED); nothing goes
    // below MAX_DEPTH, so depths stay below UNKNOWN.
    let below = |d: u8| match d {
        UNREACHED => Ok(UNREACHED),
        d if usize::from(d) >= MAX_DEPTH => Err(too_deep()),
        d => Ok(d + 1),
    };
    let mut way_up = [0u32; MAX_DEPTH];
    for i in 0..n {
        if depth[i] != UNKNOWN {
            continue;
        }
        // Up the parents until one of known depth, remembering the way, then back down.
        let mut parent = states[i].check;
        let mut d = depth_of(&depth, parent);
        let mut len = 0;
        while d == UNKNOWN {
            *way_up.get_mut(len).ok_or_else(too_deep)? = parent;
            len += 1;
            parent = states[parent as usize].check;
            d = depth_of(&depth, parent);
        }
        for &e in way_up[..len].iter().rev() {
            d = below(d)?;
            depth[e as usize] = d;
        }
        depth[i] = below(d)?;
    }
    // Counting sort by depth: `at_depth[d]` counts, then becomes where depth d starts.
    let mut at_depth = [0u32; MAX_DEPTH + 1];
    for &d in &depth {
        if d != UNREACHED && d != 0 {
            at_depth[usize::from(d)] += 1;
        }
    }
    let mut start = 0;
    for count in &mut at_depth {
        start += std::mem::replace(count, start);
    }
    let mut order = vec![0u32; start as usize];
    for (i, &d) in (0u32..).zip(&depth) {
        if d != UNREACHED && d != 0 {
            let slot = &mut at_depth[usize::from(d)];
            order[*slot as usize] = i;
            *slot += 1;
        }
    }
    Ok((depth, order))
}

impl Automaton {
    /// Makes the automaton from its elements (FAILs decoded) and [`depths`], validating what
    /// stepping relies on: every element not reached becomes unreachable; a reached state's
    /// FAIL must be a reached, shallower state and its output index in range, and every output
    /// chain must end.
    pub(crate) fn new(
        mut states: Vec<State>,
        depth: &[u8],
        codes: Vec<u32>,
        outputs: Vec<Output>,
    ) -> Result<Automaton, PackError> {
        if states.is_empty() || depth.len() != states.len() {
            return Err(PackError::Malformed("automaton has no root"));
        }
        if states.len() >= LEAF_BASE as usize {
            return Err(PackError::Malformed("automaton too large"));
        }
        let n_outputs = outputs.len();
        let output_ok = |pos: u32| pos == 0 || (pos as usize) <= n_outputs;
        for (i, (state, &d)) in states.iter_mut().zip(depth).enumerate() {
            if d == UNREACHED {
                *state = OUTSIDE;
                continue;
            }
            if i == ROOT as usize {
                state.check = NOT_A_STATE;
            } else {
                let fail_depth = depth.get(state.fail as usize).copied().unwrap_or(UNREACHED);
                if fail_depth == UNREACHED || fail_depth >= d {
                    return Err(PackError::Malformed("automaton FAIL link does not lead to a shallower state"));
                }
            }
            if !output_ok(state.out) {
                return Err(PackError::Malformed("automaton output index out of range"));
            }
            if state.base == 0 {
                state.base = LEAF_BASE;
            }
        }
        // Every output chain must end: walk each once, marking the outputs on the way.
        let mut mark = vec![0u8; n_outputs]; // 0 unvisited, 1 on the current walk, 2 ends
        for start in 0..n_outputs {
            let mut k = start;
            while mark[k] == 0 {
                mark[k] = 1;
                let next = outputs[k].next;
                if !output_ok(next) {
                    return Err(PackError::Malformed("automaton output index out of range"));
                }
                if next == 0 {
                    break;
                }
                k = next as usize - 1;
            }
            if mark[k] == 1 && outputs[k].next != 0 {
                return Err(PackError::Malformed("automaton output chain does not end"));
            }
            // Everything marked on this walk ends (it reached the end or a chain known to end).
            let mut k = start;
            while mark[k] == 1 {
                mark[k] = 2;
                match outputs[k].next {
                    0 => break,
                    next => k = next as usize - 1,
                }
            }
        }
        Ok(Automaton { states, codes, outputs })
    }

    /// The code of `c`, [`NO_CODE`] when no spelling contains it.
    #[inline(always)]
    pub(crate) fn code(&self, c: char) -> u32 {
        self.codes.get(c as usize).copied().unwrap_or(NO_CODE)
    }

    #[inline(always)]
    fn state(&self, idx: u32) -> State {
        self.states.get(idx as usize).copied().unwrap_or(OUTSIDE)
    }

    /// The state after reading a character with code `code` in state `state` (root for
    /// [`NO_CODE`]).
    #[inline(always)]
    pub(crate) fn next(&self, mut state: u32, code: u32) -> u32 {
        if code == NO_CODE {
            return ROOT;
        }
        loop {
            // Only the words needed, each read once (no whole-state copies with fallbacks).
            let Some(s) = self.states.get(state as usize) else { return ROOT };
            let child = s.base ^ code;
            if self.states.get(child as usize).is_some_and(|c| c.check == state) {
                return child;
            }
            if state == ROOT {
                return ROOT;
            }
            state = s.fail;
        }
    }

    /// Every overlapping match in a text given as codes, as `(end, first output)` in order of
    /// end (`end` in characters, exclusive; the output's chain lists the other matches ending
    /// there). `longest` is the longest spelling, in characters.
    ///
    /// [`WALKS`] walks run side by side, each over its own stretch of the text (each but the
    /// first starts `longest - 1` characters early, so that it sees every match ending in its
    /// stretch from its start, and reports only those): each step of a walk waits for one
    /// element of the array (a cache miss on a large list), and independent walks let the
    /// processor wait for several at once. Short texts take one walk.
    pub(crate) fn overlapping(&self, codes: &[u32], longest: usize, found: &mut Vec<(u32, u32)>) {
        let n = codes.len();
        let longest = longest.max(1);
        let stretch = n / WALKS;
        if stretch < 4 * longest || stretch < 64 {
            self.walk(codes, found);
            return;
        }
        // Walk w reports the ends in (w * stretch, (w + 1) * stretch] (the last: up to n) and
        // starts `longest - 1` characters before its stretch.
        let from: [usize; WALKS] = std::array::from_fn(|w| if w == 0 { 0 } else { w * stretch + 1 - longest });
        let until: [usize; WALKS] = std::array::from_fn(|w| if w + 1 == WALKS { n } else { (w + 1) * stretch });
        let mut states = [ROOT; WALKS];
        let mut ends: [Vec<(u32, u32)>; WALKS] = std::array::from_fn(|_| Vec::with_capacity(stretch / 8 + 8));
        // Side by side for as long as the shortest walk (the first: it has no run-up).
        for k in 0..stretch {
            for w in 0..WALKS {
                let at = from[w] + k;
                states[w] = self.next(states[w], codes.get(at).copied().unwrap_or(NO_CODE));
                let o = self.first_output(states[w]);
                if o != 0 {
                    ends[w].push((at as u32 + 1, o));
                }
            }
        }
        for w in 0..WALKS {
            let mut state = states[w];
            for at in from[w] + stretch..until[w] {
                state = self.next(state, codes.get(at).copied().unwrap_or(NO_CODE));
                let o = self.first_output(state);
                if o != 0 {
                    ends[w].push((at as u32 + 1, o));
                }
            }
            let reported_from = (w * stretch) as u32;
            found.extend(ends[w].iter().filter(|&&(end, _)| end > reported_from));
        }
    }

    /// One walk over `codes` from the root.
    fn walk(&self, codes: &[u32], found: &mut Vec<(u32, u32)>) {
        let mut state = ROOT;
        for (k, &c) in (1..).zip(codes) {
            state = self.next(state, c);
            let o = self.first_output(state);
            if o != 0 {
                found.push((k, o));
            }
        }
    }

    /// 1 + index of the first output of `state`, 0 when it has none.
    #[inline(always)]
    pub(crate) fn first_output(&self, state: u32) -> u32 {
        self.state(state).out
    }

    /// The value of output `pos` (1 + index) and the position of the next one in its chain.
    #[inline(always)]
    pub(crate) fn output(&self, pos: u32) -> (u32, u32) {
        self.outputs.get(pos.wrapping_sub(1) as usize).map_or((0, 0), |o| (o.value, o.next))
    }

    /// The rule word of output `pos` (1 + index).
    #[inline(always)]
    pub(crate) fn output_rule(&self, pos: u32) -> u32 {
        self.outputs.get(pos.wrapping_sub(1) as usize).map_or(0, |o| o.rule)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use daachorse::CharwiseDoubleArrayAhoCorasick;

    use super::*;
    use crate::double_array::build_serialized;
    use crate::pack::{Rule, automaton_of};

    /// The test patterns' values are below 2¹⁷, so their rule numbers (value >> 7) below this.
    const N_RULES: usize = 1 << 10;

    fn load(bytes: &[u8]) -> Result<Automaton, PackError> {
        automaton_of(bytes, &vec![Rule::default(); N_RULES])
    }

    fn xorshift(seed: &mut u64) -> u64 {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        *seed
    }

    /// Every overlapping match as (end in bytes, value), stepping our automaton.
    fn ours(automaton: &Automaton, haystack: &str) -> Vec<(usize, u32)> {
        let mut state = ROOT;
        let mut found = Vec::new();
        for (at, c) in haystack.char_indices() {
            state = automaton.next(state, automaton.code(c));
            let mut pos = automaton.first_output(state);
            while pos != 0 {
                let (value, next) = automaton.output(pos);
                found.push((at + c.len_utf8(), value));
                pos = next;
            }
        }
        found
    }

    fn random_patterns(alphabet: &[char], n: u32, max_len: u64, seed: &mut u64) -> Vec<(String, u32)> {
        (0..n)
            .map(|value| {
                let len = 1 + (xorshift(seed) % max_len) as usize;
                ((0..len).map(|_| alphabet[(xorshift(seed) % alphabet.len() as u64) as usize]).collect(), value)
            })
            .collect()
    }

    /// Stepping our copy gives exactly daachorse's overlapping matches on the same serialised
    /// bytes (same order, same values), on dense random dictionaries with duplicate spellings,
    /// characters outside the alphabet and astral characters.
    #[test]
    fn steps_like_daachorse() {
        for (alphabet, n_patterns, max_len) in
            [("赌博网站刷单返利黄片三口交路通", 300, 4), ("ab", 40, 6), ("天安门法轮功a1😀", 2000, 7), ("x", 3, 3)]
        {
            let alphabet: Vec<char> = alphabet.chars().collect();
            let mut seed = 0xa11ce_u64 ^ u64::from(n_patterns);
            let patterns = random_patterns(&alphabet, n_patterns, max_len, &mut seed);
            let bytes = build_serialized(&patterns).unwrap();
            let (reference, _) = CharwiseDoubleArrayAhoCorasick::<u32>::deserialize(&bytes).unwrap();
            let automaton = load(&bytes).unwrap();
            for _ in 0..50 {
                let len = (xorshift(&mut seed) % 300) as usize;
                let haystack: String = (0..len)
                    .map(|_| {
                        let r = xorshift(&mut seed);
                        if r.is_multiple_of(11) { '·' } else { alphabet[(r % alphabet.len() as u64) as usize] }
                    })
                    .collect();
                let expected: Vec<(usize, u32)> =
                    reference.find_overlapping_iter(&haystack).map(|m| (m.end(), m.value())).collect();
                assert_eq!(ours(&automaton, &haystack), expected, "haystack {haystack:?}");
            }
        }
    }

    /// A FAIL link that does not lead to a shallower state (here: a state failing to itself,
    /// which would loop forever) and an output chain that runs in a circle are refused.
    #[test]
    fn cycles_are_refused() {
        let patterns = vec![("ab".to_string(), 0), ("b".to_string(), 1), ("abb".to_string(), 2)];
        let bytes = build_serialized(&patterns).unwrap();
        let good = load(&bytes).unwrap();
        assert_eq!(ours(&good, "abb").len(), 4); // b, ab, b, abb
        let n_states = u32::from_le_bytes(bytes[..4].try_into().unwrap()) as usize;
        // A state with a parent other than the root fails to itself.
        let deep = (2..n_states)
            .find(|&i| {
                let check = u32::from_le_bytes(bytes[4 + 16 * i + 4..4 + 16 * i + 8].try_into().unwrap());
                check != 0 && check != 1 && (check as usize) < n_states
            })
            .unwrap();
        let mut looped = bytes.clone();
        looped[4 + 16 * deep + 8..4 + 16 * deep + 12].copy_from_slice(&(deep as u32).to_le_bytes());
        assert!(matches!(load(&looped), Err(PackError::Malformed(_))));
        // The first output's chain points back at itself.
        let mut circular = bytes.clone();
        let outputs_at = bytes.len() - 6 - 12 * patterns.len();
        circular[outputs_at + 8..outputs_at + 12].copy_from_slice(&1u32.to_le_bytes());
        assert!(matches!(load(&circular), Err(PackError::Malformed(_))));
    }

    /// Depths follow the CHECK links: a chain of parents that runs in a circle (it never ends
    /// at the root) is refused rather than followed, and unused elements are unreached.
    #[test]
    fn depths_follow_parents_and_refuse_circles() {
        let patterns = vec![("abc".to_string(), 0), ("bd".to_string(), 1)];
        let bytes = build_serialized(&patterns).unwrap();
        let n = u32::from_le_bytes(bytes[..4].try_into().unwrap()) as usize;
        let word = |bytes: &[u8], i: usize, k: usize| {
            u32::from_le_bytes(bytes[4 + 16 * i + 4 * k..4 + 16 * i + 4 * k + 4].try_into().unwrap())
        };
        let states: Vec<State> =
            (0..n).map(|i| State { base: word(&bytes, i, 0), check: word(&bytes, i, 1), fail: 0, out: 0 }).collect();
        let (depth, order) = depths(&states).unwrap();
        // a, ab, abc, b, bd: two states at depth 1, two at 2, one at 3, in that order.
        let reached: Vec<u8> = order.iter().map(|&s| depth[s as usize]).collect();
        assert_eq!(reached, [1, 1, 2, 2, 3]);
        assert_eq!(depth[ROOT as usize], 0);
        assert_eq!(depth[DEAD as usize], UNREACHED);
        assert_eq!(depth.iter().filter(|&&d| d == UNREACHED).count(), n - 6);
        // "abc" (the one state at depth 3) made the parent of its own parent "ab".
        let abc = order[4];
        let ab = word(&bytes, abc as usize, 1);
        let mut circle = bytes.clone();
        circle[4 + 16 * ab as usize + 4..4 + 16 * ab as usize + 8].copy_from_slice(&abc.to_le_bytes());
        assert!(matches!(load(&circle), Err(PackError::Malformed(_))));
    }

    /// Whatever single byte of a serialised automaton is changed, loading either refuses it or
    /// gives an automaton that steps through any text without panicking or hanging.
    #[test]
    fn every_corruption_is_refused_or_safe() {
        // ASCII letters keep the character mapper (indexed by scalar value) short.
        let patterns = random_patterns(&"abcdef".chars().collect::<Vec<_>>(), 30, 4, &mut 7u64);
        let bytes = build_serialized(&patterns).unwrap();
        let text = "abcdefabcabdfeacbdabcx·fedcbaabcdef";
        for at in 0..bytes.len() {
            for flip in [0x01u8, 0x80, 0xff] {
                let mut bad = bytes.clone();
                bad[at] ^= flip;
                if let Ok(automaton) = load(&bad) {
                    let _ = ours(&automaton, text);
                }
            }
        }
    }
}
