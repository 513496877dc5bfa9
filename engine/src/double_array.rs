//! Our own construction of the standard (overlapping) charwise automaton, written straight in
//! daachorse 5's serialised form, which daachorse's `deserialize` then loads and matches with.
//!
//! Why not daachorse's builder: for the 100k-term benchmark list, its double-array placement
//! (`BuildHelper`, first-fit over every vacant element of the last 16 blocks for every sibling
//! group) was 1.58 G instructions per automaton, 73 % of a compile. This module places the
//! sibling groups largest first, each at the first BASE that fits (testing 64 candidate BASE
//! values at once with word operations on a bitset of used elements, skipping blocks with too
//! few vacant elements); each group size starts its search in the block where the last group
//! of that size went, and every [`RESTART_EVERY`] groups from the first block with room again;
//! single-child groups, placed last, take the lowest vacant element. On the benchmark list the
//! array comes out 99.7 % full (daachorse's: ~41 %), which also makes packs smaller and faster
//! to load. Everything else is the
//! textbook construction, with daachorse's conventions, so that matching gives the same results
//! (unit test against daachorse's own builder on random dictionaries):
//! - characters are mapped to codes by descending frequency in the patterns (ties: smaller
//!   character first), the array is made of aligned blocks of the alphabet size rounded up to a
//!   power of two, and a child sits at `BASE(parent) ^ code` with `CHECK = parent`;
//! - element 0 is the root, element 1 the dead state; unused elements have no BASE, CHECK and
//!   FAIL 1 (dead) and no output;
//! - FAIL links are computed breadth-first from the double array itself;
//! - outputs are written breadth-first; a state's own outputs (the last spelling added first)
//!   chain to the outputs of its FAIL (`parent` = 1 + index of the next output, 0 = none); the
//!   length of an output is the spelling's length in bytes;
//! - no prefilter (the overlapping stepper the engine uses never consults one).
//!
//! The layout is ours, so the bytes differ from daachorse's builder; the pack encoding
//! ([`crate::pack`]) only relies on the conventions above.

/// Index of the root element.
const ROOT: u32 = 0;
/// Index of the dead element; also the CHECK and FAIL of unused elements.
const DEAD: u32 = 1;
/// At most this many 64-element chunks of candidate BASE values are examined for one sibling
/// group before it opens a new block (a new block is always free). Only bounds pathological
/// cases.
const MAX_CHUNKS: u32 = 16_384;
/// Sizes of sibling groups with their own search start; larger groups share the last one.
const START_HINTS: usize = 64;
/// Every this many sibling groups of two or more children, the search starts again at the
/// first block with a vacant element (see [`place`]). Measured on the 100k-term benchmark list:
/// 4–6 keep the array as dense as an exhaustive first fit (99.7 % of the elements used), 8 or
/// more leave holes (2–4 % more elements), 1 is the exhaustive first fit (the two automata
/// cost 2.6 G instructions to build instead of 1.7 G with 6).
const RESTART_EVERY: usize = 6;

/// The patterns could not be built into an automaton.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum BuildError {
    /// More elements, outputs or characters than daachorse's `u32` indices can hold.
    TooLarge,
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BuildError::TooLarge => f.write_str("automaton too large"),
        }
    }
}

/// Builds the standard automaton of `patterns` (spelling, value) and returns daachorse 5's
/// serialisation of it. `patterns` must not be empty and no spelling may be empty.
pub(crate) fn build_serialized(patterns: &[(String, u32)]) -> Result<Vec<u8>, BuildError> {
    let too_large = |_| BuildError::TooLarge;
    // Characters → codes, most frequent first.
    let mut freqs: Vec<u32> = Vec::new();
    let mut chars_of: Vec<Vec<char>> = Vec::with_capacity(patterns.len());
    for (pattern, _) in patterns {
        let chars: Vec<char> = pattern.chars().collect();
        for &c in &chars {
            let c = c as usize;
            if freqs.len() <= c {
                freqs.resize(c + 1, 0);
            }
            freqs[c] += 1;
        }
        chars_of.push(chars);
    }
    let mut by_freq: Vec<(u32, u32)> = (0u32..).zip(&freqs).filter(|&(_, &f)| f != 0).map(|(c, &f)| (c, f)).collect();
    by_freq.sort_unstable_by(|(c1, f1), (c2, f2)| f2.cmp(f1).then(c1.cmp(c2)));
    let mut code_table = vec![u32::MAX; freqs.len()];
    for (code, &(c, _)) in (0u32..).zip(&by_freq) {
        code_table[c as usize] = code;
    }
    let alphabet = u32::try_from(by_freq.len()).map_err(too_large)?;
    let block_len = alphabet.checked_next_power_of_two().ok_or(BuildError::TooLarge)?.max(2);
    let codes_of: Vec<Vec<u32>> =
        chars_of.iter().map(|chars| chars.iter().map(|&c| code_table[c as usize]).collect()).collect();

    let trie = Trie::new(patterns, &codes_of);
    let placement = place(&trie, block_len)?;
    let n_elements = placement.n_elements();

    // BASE and CHECK from the placement.
    let mut base = vec![0u32; n_elements];
    let mut check = vec![DEAD; n_elements];
    for node in 0..trie.n_nodes() {
        let idx = placement.index_of[node] as usize;
        base[idx] = placement.base_of[node];
        for &child in trie.children(node) {
            check[placement.index_of[child as usize] as usize] = idx as u32;
        }
    }
    check[ROOT as usize] = DEAD;

    // FAILs and outputs, breadth-first over the trie (each node's children in character order).
    let mut fail = vec![DEAD; n_elements];
    fail[ROOT as usize] = ROOT;
    let mut output_pos = vec![0u32; n_elements];
    let mut outputs: Vec<[u32; 3]> = Vec::with_capacity(patterns.len());
    let goto = |state: u32, code: u32| -> Option<u32> {
        let b = base[state as usize];
        let child = b ^ code;
        (b != 0 && check.get(child as usize) == Some(&state)).then_some(child)
    };
    let mut queue: Vec<u32> = Vec::with_capacity(trie.n_nodes());
    queue.push(0);
    let mut head = 0;
    while let Some(&node) = queue.get(head) {
        head += 1;
        let idx = placement.index_of[node as usize];
        if node != 0 {
            // Own outputs, the spelling added last first, chained to the FAIL's outputs.
            let mut last = output_pos[fail[idx as usize] as usize];
            for &pattern in trie.outputs(node as usize).iter().rev() {
                let (spelling, value) = &patterns[pattern as usize];
                outputs.push([*value, u32::try_from(spelling.len()).map_err(too_large)?, last]);
                last = u32::try_from(outputs.len()).map_err(too_large)?;
            }
            output_pos[idx as usize] = last;
        }
        for &child in trie.children(node as usize) {
            let code = trie.label[child as usize];
            let child_idx = placement.index_of[child as usize];
            fail[child_idx as usize] = if node == 0 {
                ROOT
            } else {
                let mut f = fail[idx as usize];
                loop {
                    if let Some(next) = goto(f, code) {
                        break next;
                    }
                    if f == ROOT {
                        break ROOT;
                    }
                    f = fail[f as usize];
                }
            };
            queue.push(child);
        }
    }

    // daachorse 5's serialisation: states, mapper, outputs, match kind, number of states,
    // prefilter.
    let mut out = Vec::with_capacity(16 * n_elements + 4 * code_table.len() + 12 * outputs.len() + 32);
    let word = |out: &mut Vec<u8>, w: u32| out.extend_from_slice(&w.to_le_bytes());
    word(&mut out, u32::try_from(n_elements).map_err(too_large)?);
    for i in 0..n_elements {
        for w in [base[i], check[i], fail[i], output_pos[i]] {
            word(&mut out, w);
        }
    }
    word(&mut out, u32::try_from(code_table.len()).map_err(too_large)?);
    for &code in &code_table {
        word(&mut out, code);
    }
    word(&mut out, alphabet);
    word(&mut out, u32::try_from(outputs.len()).map_err(too_large)?);
    for output in &outputs {
        for &w in output {
            word(&mut out, w);
        }
    }
    out.push(0); // MatchKind::Standard
    // daachorse counts its NFA's states but the dead one: the trie's nodes.
    word(&mut out, u32::try_from(trie.n_nodes()).map_err(too_large)?);
    out.push(0); // no prefilter
    Ok(out)
}

/// The trie of the patterns: node 0 is the root; children grouped by parent in character order.
struct Trie {
    /// Edge label (code) of each node; 0 for the root.
    label: Vec<u32>,
    /// `children_list[first_child[n]..first_child[n + 1]]` are node `n`'s children.
    first_child: Vec<u32>,
    children_list: Vec<u32>,
    /// `output_list[first_output[n]..first_output[n + 1]]`: indices of the patterns ending at
    /// node `n`, in the order they were given.
    first_output: Vec<u32>,
    output_list: Vec<u32>,
}

impl Trie {
    fn new(patterns: &[(String, u32)], codes_of: &[Vec<u32>]) -> Trie {
        // Patterns in character order (stable: equal spellings keep their order), so a node's
        // children are created in character order and a pattern shares its prefix with the
        // previous one. (Byte order of UTF-8 is character order.)
        let mut order: Vec<u32> = (0..patterns.len() as u32).collect();
        order.sort_by(|&a, &b| patterns[a as usize].0.cmp(&patterns[b as usize].0));
        let mut label = vec![0u32];
        let mut parent = vec![0u32];
        let mut ends: Vec<(u32, u32)> = Vec::with_capacity(patterns.len());
        let mut path: Vec<u32> = vec![0];
        let mut previous: &[u32] = &[];
        for &pattern in &order {
            let codes = codes_of[pattern as usize].as_slice();
            let shared = codes.iter().zip(previous).take_while(|(a, b)| a == b).count();
            path.truncate(shared + 1);
            for &code in &codes[shared..] {
                let node = label.len() as u32;
                label.push(code);
                parent.push(*path.last().unwrap_or(&0));
                path.push(node);
            }
            ends.push((*path.last().unwrap_or(&0), pattern));
            previous = codes;
        }
        let n = label.len();
        let mut first_child = vec![0u32; n + 1];
        for &p in &parent[1..] {
            first_child[p as usize + 1] += 1;
        }
        for i in 0..n {
            first_child[i + 1] += first_child[i];
        }
        let mut fill = first_child.clone();
        let mut children_list = vec![0u32; n - 1];
        for (node, &p) in (1u32..).zip(&parent[1..]) {
            children_list[fill[p as usize] as usize] = node;
            fill[p as usize] += 1;
        }
        // Equal spellings are adjacent in `order`, so each node's outputs are contiguous; the
        // nodes that end patterns appear in increasing order too (a new node per new spelling).
        let mut first_output = vec![0u32; n + 1];
        for &(node, _) in &ends {
            first_output[node as usize + 1] += 1;
        }
        for i in 0..n {
            first_output[i + 1] += first_output[i];
        }
        let mut fill = first_output.clone();
        let mut output_list = vec![0u32; ends.len()];
        for &(node, pattern) in &ends {
            output_list[fill[node as usize] as usize] = pattern;
            fill[node as usize] += 1;
        }
        // Within a node, the patterns were given in `order`'s (stable) order: restore input order.
        for node in 0..n {
            output_list[first_output[node] as usize..first_output[node + 1] as usize].sort_unstable();
        }
        Trie { label, first_child, children_list, first_output, output_list }
    }

    fn n_nodes(&self) -> usize {
        self.label.len()
    }

    fn children(&self, node: usize) -> &[u32] {
        &self.children_list[self.first_child[node] as usize..self.first_child[node + 1] as usize]
    }

    fn outputs(&self, node: usize) -> &[u32] {
        &self.output_list[self.first_output[node] as usize..self.first_output[node + 1] as usize]
    }
}

/// Where each trie node went in the double array, and its BASE.
struct Placement {
    index_of: Vec<u32>,
    base_of: Vec<u32>,
    n_blocks: usize,
    block_len: usize,
}

impl Placement {
    fn n_elements(&self) -> usize {
        self.n_blocks * self.block_len
    }
}

/// The vacancy of the double array while groups are placed: a bitset of used elements and the
/// number of vacant elements per block.
struct Vacancy {
    /// Bit `i` set: element `i` is used.
    used: Vec<u64>,
    /// Vacant elements per block.
    vacant: Vec<u32>,
    block_len: u32,
}

impl Vacancy {
    fn add_block(&mut self) -> Result<usize, BuildError> {
        let block = self.vacant.len();
        let end = (block + 1).checked_mul(self.block_len as usize).ok_or(BuildError::TooLarge)?;
        u32::try_from(end).map_err(|_| BuildError::TooLarge)?;
        self.vacant.push(self.block_len);
        self.used.resize(end.div_ceil(64), 0);
        Ok(block)
    }

    fn n_elements(&self) -> usize {
        self.vacant.len() * self.block_len as usize
    }

    fn is_used(&self, idx: u32) -> bool {
        self.used[idx as usize >> 6] >> (idx & 63) & 1 == 1
    }

    fn use_index(&mut self, idx: u32) {
        self.used[idx as usize >> 6] |= 1 << (idx & 63);
        self.vacant[(idx / self.block_len) as usize] -= 1;
    }

    /// The lowest BASE in `block` at which every label lands on a vacant element, examining at
    /// most `*budget` chunks of 64 candidate BASE values. A chunk is tested with word
    /// operations: for BASE values `B..B + 64` (`B` a multiple of 64), label `l` lands on word
    /// `(B ^ (l & !63)) / 64` with its bits permuted by `l & 63`, so OR-ing those permuted words
    /// over the labels gives every candidate of the chunk that collides.
    fn find_in_block(&self, block: usize, labels: &[u32], budget: &mut u32) -> Option<u32> {
        let start = block as u32 * self.block_len;
        let end = start + self.block_len;
        let mut chunk = start & !63;
        while chunk < end && *budget > 0 {
            *budget -= 1;
            // Candidates outside the block (only when blocks are shorter than 64) are taken.
            let lo = start.max(chunk) - chunk;
            let hi = end.min(chunk + 64) - chunk;
            let mut taken = !(u64::MAX >> (64 - (hi - lo)) << lo);
            if chunk == 0 {
                taken |= 1; // BASE 0 means "no BASE"
            }
            if self.used[((chunk ^ (labels[0] & !63)) >> 6) as usize] == u64::MAX {
                chunk += 64;
                continue;
            }
            for &label in labels {
                let word = self.used[((chunk ^ (label & !63)) >> 6) as usize];
                taken |= xor_permute(word, label & 63);
                if taken == u64::MAX {
                    break;
                }
            }
            if taken != u64::MAX {
                return Some(chunk + (!taken).trailing_zeros());
            }
            chunk += 64;
        }
        None
    }
}

/// The word whose bit `i` is bit `i ^ c` of `w` (`c < 64`): one swap of neighbouring groups of
/// `2^j` bits for every bit `j` of `c`.
fn xor_permute(mut w: u64, c: u32) -> u64 {
    const HALVES: [u64; 6] = [
        0x5555_5555_5555_5555,
        0x3333_3333_3333_3333,
        0x0f0f_0f0f_0f0f_0f0f,
        0x00ff_00ff_00ff_00ff,
        0x0000_ffff_0000_ffff,
        0x0000_0000_ffff_ffff,
    ];
    for (j, mask) in HALVES.iter().enumerate() {
        if c >> j & 1 == 1 {
            let shift = 1 << j;
            w = (w & mask) << shift | (w >> shift) & mask;
        }
    }
    w
}

/// Places every node with children's children: groups largest first, first fit from the first
/// block with room, at most [`MAX_CHUNKS`] chunks of candidates before a new block.
fn place(trie: &Trie, block_len: u32) -> Result<Placement, BuildError> {
    let n = trie.n_nodes();
    let mut vacancy = Vacancy { used: Vec::new(), vacant: Vec::new(), block_len };
    vacancy.add_block()?;
    vacancy.use_index(ROOT);
    vacancy.use_index(DEAD);
    let mut index_of = vec![0u32; n];
    let mut base_of = vec![0u32; n];
    let mut groups: Vec<u32> = (0..n as u32).filter(|&node| !trie.children(node as usize).is_empty()).collect();
    groups.sort_by_key(|&node| std::cmp::Reverse(trie.children(node as usize).len()));
    let mut labels: Vec<u32> = Vec::new();
    // Blocks before this one are full.
    let mut first_open = 0usize;
    // Single-child groups come last and take the lowest vacant element: nothing below it is
    // vacant (elements are never freed), so this only moves up.
    let mut lowest_vacant = 0u32;
    // Groups of the same size tend to fail in the same (dense) blocks: each size starts where
    // the last group of its size went.
    let mut start_hint = [0usize; START_HINTS];
    let mut placed_multi = 0usize;
    for &node in &groups {
        labels.clear();
        labels.extend(trie.children(node as usize).iter().map(|&child| trie.label[child as usize]));
        let need = labels.len() as u32;
        let base = if need == 1 {
            loop {
                if lowest_vacant as usize >= vacancy.n_elements() {
                    vacancy.add_block()?;
                }
                let slot = lowest_vacant;
                lowest_vacant += 1;
                if !vacancy.is_used(slot) && slot != labels[0] {
                    break slot ^ labels[0];
                }
            }
        } else {
            while first_open < vacancy.vacant.len() && vacancy.vacant[first_open] == 0 {
                first_open += 1;
            }
            let mut budget = MAX_CHUNKS;
            let mut found = None;
            let hint = &mut start_hint[(need as usize).min(START_HINTS - 1)];
            placed_multi += 1;
            if placed_multi.is_multiple_of(RESTART_EVERY) {
                *hint = 0;
            }
            for block in first_open.max(*hint)..vacancy.vacant.len() {
                if budget == 0 {
                    break;
                }
                if vacancy.vacant[block] >= need {
                    found = vacancy.find_in_block(block, &labels, &mut budget);
                    if found.is_some() {
                        break;
                    }
                }
            }
            if let Some(base) = found {
                *hint = (base / block_len) as usize;
            }
            match found {
                Some(base) => base,
                None => {
                    let block = vacancy.add_block()?;
                    let mut unlimited = u32::MAX;
                    vacancy.find_in_block(block, &labels, &mut unlimited).ok_or(BuildError::TooLarge)?
                }
            }
        };
        base_of[node as usize] = base;
        for &child in trie.children(node as usize) {
            let idx = base ^ trie.label[child as usize];
            vacancy.use_index(idx);
            index_of[child as usize] = idx;
        }
    }
    Ok(Placement { index_of, base_of, n_blocks: vacancy.vacant.len(), block_len: block_len as usize })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use daachorse::{CharwiseDoubleArrayAhoCorasick, CharwiseDoubleArrayAhoCorasickBuilder, MatchKind};

    fn xorshift(seed: &mut u64) -> u64 {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        *seed
    }

    /// Our automaton matches exactly like daachorse's own build of the same patterns: every
    /// overlapping match, in the same order, with the same value, on dense random dictionaries
    /// (duplicate spellings and one-character terms included) and random haystacks.
    #[test]
    fn matches_like_daachorse_builder() {
        for (alphabet, n_patterns, max_len) in
            [("赌博网站刷单返利黄片三口交路通", 300, 4), ("ab", 40, 6), ("天安门法轮功a1😀", 2000, 7), ("x", 3, 3)]
        {
            let alphabet: Vec<char> = alphabet.chars().collect();
            let mut seed = 0x5eed_u64 ^ n_patterns as u64;
            let mut patterns: Vec<(String, u32)> = Vec::new();
            for value in 0..n_patterns {
                let len = 1 + (xorshift(&mut seed) % max_len) as usize;
                let term: String =
                    (0..len).map(|_| alphabet[(xorshift(&mut seed) % alphabet.len() as u64) as usize]).collect();
                patterns.push((term, value));
            }
            let reference: CharwiseDoubleArrayAhoCorasick<u32> = CharwiseDoubleArrayAhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .build_with_values(patterns.iter().map(|(p, v)| (p.as_str(), *v)))
                .unwrap();
            let ours = build_serialized(&patterns).unwrap();
            let (ours, rest) = CharwiseDoubleArrayAhoCorasick::<u32>::deserialize(&ours).unwrap();
            assert!(rest.is_empty());
            assert_eq!(ours.match_kind(), MatchKind::Standard);
            assert_eq!(ours.num_states(), reference.num_states());
            for _ in 0..50 {
                let len = (xorshift(&mut seed) % 200) as usize;
                let haystack: String = (0..len)
                    .map(|_| {
                        let r = xorshift(&mut seed);
                        if r.is_multiple_of(13) { '·' } else { alphabet[(r % alphabet.len() as u64) as usize] }
                    })
                    .collect();
                let all = |a: &CharwiseDoubleArrayAhoCorasick<u32>| -> Vec<(usize, usize, u32)> {
                    a.find_overlapping_iter(&haystack).map(|m| (m.start(), m.end(), m.value())).collect()
                };
                assert_eq!(all(&ours), all(&reference), "haystack {haystack:?}");
            }
        }
    }
}
