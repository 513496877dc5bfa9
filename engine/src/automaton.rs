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
//! *Invariant:* no input can make stepping panic or loop forever. Loading walks the trie from
//! the root (a child of `s` is an element whose CHECK is `s`), gives each state its depth,
//! makes every element not reached unreachable (its CHECK becomes [`NOT_A_STATE`]), and refuses
//! a pack in which a reached state's FAIL is not a reached, shallower state, or in which an
//! output chain does not end. Stepping therefore stays on reached states and each FAIL step is
//! shallower; array reads are checked `get`s with a harmless fallback.

use crate::pack::PackError;

/// Index of the root state.
const ROOT: u32 = 0;
/// CHECK of an element that is not a reached state: never equal to a state index.
const NOT_A_STATE: u32 = u32::MAX;
/// Walks of the automaton run side by side by [`Automaton::overlapping`].
const WALKS: usize = 2;
/// A character the automaton has no code for.
pub(crate) const NO_CODE: u32 = u32::MAX;

#[derive(Clone, Copy, Debug, Default)]
struct State {
    /// `BASE` ([`LEAF_BASE`] = no children); a child with code `c` sits at `base ^ c`.
    base: u32,
    check: u32,
    fail: u32,
    /// 1 + index of the state's first output, 0 = none.
    out: u32,
}

/// BASE of a state without children: every `LEAF_BASE ^ code` is past the end of any array
/// (at most 2³¹ elements), so the child lookup misses without a separate test for "no BASE".
const LEAF_BASE: u32 = 1 << 31;
/// An element no array read can miss: an unreachable leaf without output.
const OUTSIDE: State = State { base: LEAF_BASE, check: NOT_A_STATE, fail: ROOT, out: 0 };

#[derive(Clone, Copy, Debug)]
struct Output {
    value: u32,
    /// 1 + index of the next output of the same chain, 0 = end.
    next: u32,
    /// The output's rule ([`crate::pack::Rule::to_word`]), so that a hit needs no lookup in
    /// the rule table (a cache miss per hit on a 100k-rule list).
    rule: u32,
}

/// A loaded automaton (see the module documentation).
#[derive(Clone, Debug)]
pub(crate) struct Automaton {
    states: Vec<State>,
    /// Code of each character (indexed by scalar value), [`NO_CODE`] when it has none.
    codes: Vec<u32>,
    outputs: Vec<Output>,
}

/// The words of daachorse 5's serialised automaton that matching needs.
pub(crate) struct Columns<'a> {
    pub base: &'a [u32],
    pub check: &'a [u32],
    pub fail: &'a [u32],
    pub output_pos: &'a [u32],
    /// The character mapper's table.
    pub codes: Vec<u32>,
    /// Per output: value, parent (1 + index of the next output, 0 = none) and rule word.
    pub outputs: Vec<(u32, u32, u32)>,
}

/// An automaton without states: every character leads back to the root and nothing matches
/// (an engine without terms).
pub(crate) static EMPTY: Automaton = Automaton { states: Vec::new(), codes: Vec::new(), outputs: Vec::new() };

impl Automaton {
    /// Builds the automaton from its columns, validating what stepping relies on. `order` lists
    /// the states below the root breadth-first (each element whose CHECK is a listed state or
    /// the root, but the dead element's children: [`crate::pack`]'s FAIL prediction walks them
    /// so anyway); every element not listed is made unreachable.
    pub(crate) fn new(columns: Columns<'_>, order: &[u32]) -> Result<Automaton, PackError> {
        let Columns { base, check, fail, output_pos, codes, outputs } = columns;
        let n = base.len().min(check.len()).min(fail.len()).min(output_pos.len());
        if n == 0 {
            return Err(PackError::Malformed("automaton has no root"));
        }
        if n >= LEAF_BASE as usize {
            return Err(PackError::Malformed("automaton too large"));
        }
        // Depths along the breadth-first order (parents come before their children).
        const UNREACHED: u32 = u32::MAX;
        let mut depth = vec![UNREACHED; n];
        depth[ROOT as usize] = 0;
        for &s in order {
            let i = s as usize;
            let parent_depth = check.get(i).and_then(|&p| depth.get(p as usize)).copied().unwrap_or(UNREACHED);
            if i == ROOT as usize || i >= n || parent_depth == UNREACHED || depth[i] != UNREACHED {
                return Err(PackError::Malformed("automaton walk order is not breadth-first"));
            }
            depth[i] = parent_depth + 1;
        }
        let order = std::iter::once(&ROOT).chain(order);

        let n_outputs = outputs.len();
        let output_ok = |pos: u32| pos == 0 || (pos as usize) <= n_outputs;
        let mut states = vec![OUTSIDE; n];
        for &s in order {
            let i = s as usize;
            let (f, d) = (fail[i], depth[i]);
            if s != ROOT {
                let fail_depth = depth.get(f as usize).copied().unwrap_or(UNREACHED);
                if fail_depth == UNREACHED || fail_depth >= d {
                    return Err(PackError::Malformed("automaton FAIL link does not lead to a shallower state"));
                }
            }
            if !output_ok(output_pos[i]) {
                return Err(PackError::Malformed("automaton output index out of range"));
            }
            states[i] = State {
                base: if base[i] == 0 { LEAF_BASE } else { base[i] },
                check: if s == ROOT { NOT_A_STATE } else { check[i] },
                fail: f,
                out: output_pos[i],
            };
        }
        // Every output chain must end: walk each once, marking the outputs on the way.
        let mut mark = vec![0u8; n_outputs]; // 0 unvisited, 1 on the current walk, 2 ends
        for start in 0..n_outputs {
            let mut k = start;
            while mark[k] == 0 {
                mark[k] = 1;
                let next = outputs[k].1;
                if !output_ok(next) {
                    return Err(PackError::Malformed("automaton output index out of range"));
                }
                if next == 0 {
                    break;
                }
                k = next as usize - 1;
            }
            if mark[k] == 1 && outputs[k].1 != 0 {
                return Err(PackError::Malformed("automaton output chain does not end"));
            }
            // Everything marked on this walk ends (it reached the end or a chain known to end).
            let mut k = start;
            while mark[k] == 1 {
                mark[k] = 2;
                match outputs[k].1 {
                    0 => break,
                    next => k = next as usize - 1,
                }
            }
        }
        let outputs = outputs.into_iter().map(|(value, next, rule)| Output { value, next, rule }).collect();
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
