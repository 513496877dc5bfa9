//! Near-duplicate fingerprints: a 64-bit SimHash over character bigrams of the folded text,
//! and lookup of the closest fingerprint in a set.
//!
//! Bigrams of the folded word characters (punctuation, spaces and separators skipped) make the
//! fingerprint blind to the evasions the folder undoes, to traditional/simplified spelling and
//! to punctuation changes, which is what copies of a rumour differ by. Similarity is
//! `1 - hamming / 64`; unrelated texts sit near 0.5, copies with small edits above 0.85.
//!
//! The fingerprint serialises as 16 lower-case hex digits, because JSON numbers above 2^53
//! lose precision in JavaScript.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[cfg(test)]
use crate::fold::{Class, class_of};

/// Default similarity above which two texts count as near-duplicates (≤ 9 differing bits).
pub const DEFAULT_MIN_SIMILARITY: f32 = 0.85;

/// A 64-bit SimHash. `Fingerprint(0)` is the fingerprint of a text without word characters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Fingerprint(pub u64);

impl Fingerprint {
    /// Number of differing bits.
    pub fn distance(self, other: Fingerprint) -> u32 {
        (self.0 ^ other.0).count_ones()
    }

    /// `1 - distance / 64`, from 0.0 to 1.0.
    pub fn similarity(self, other: Fingerprint) -> f32 {
        1.0 - self.distance(other) as f32 / 64.0
    }

    /// The largest distance still at least `min_similarity` similar: `floor((1 - min) * 64)`, so that
    /// `distance <= max_distance(min)` is the same test as `similarity >= min` without floating point
    /// at the comparison.
    pub fn max_distance(min_similarity: f32) -> u32 {
        ((1.0 - min_similarity.clamp(0.0, 1.0)) * 64.0).floor() as u32
    }

    /// A distance as a whole similarity percentage, rounded down (0 to 100).
    pub fn similarity_percent(distance: u32) -> u8 {
        (100 * (64 - distance.min(64)) / 64) as u8
    }

    /// 16 lower-case hex digits.
    pub fn to_hex(self) -> String {
        format!("{:016x}", self.0)
    }

    /// Parses 16 hex digits.
    pub fn from_hex(hex: &str) -> Option<Fingerprint> {
        if hex.len() != 16 {
            return None;
        }
        u64::from_str_radix(hex, 16).ok().map(Fingerprint)
    }
}

impl Serialize for Fingerprint {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for Fingerprint {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Fingerprint, D::Error> {
        let hex = String::deserialize(deserializer)?;
        Fingerprint::from_hex(&hex).ok_or_else(|| serde::de::Error::custom("fingerprint must be 16 hex digits"))
    }
}

/// Mixes a bigram into 64 well-spread bits (the splitmix64 finaliser).
#[inline]
fn mix(first: char, second: char) -> u64 {
    let mut z = (u64::from(first as u32) << 32 | u64::from(second as u32)).wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Incremental SimHash: the folding pass feeds it every word character it emits, so the
/// fingerprint costs no second pass over the text.
///
/// The per-bit counts are kept bit-sliced (Harley–Seal): shingle hashes are buffered sixteen at
/// a time and added with carry-save adders into running `ones`/`twos`/`fours`/`eights` words, so
/// that only one word in sixteen (the `sixteens` carry) reaches the byte-lane counters. That is
/// about six operations per shingle instead of the twenty-four of adding every hash to the lanes;
/// the counts, and so the fingerprint, are exactly the same.
#[derive(Clone, Debug)]
pub(crate) struct SimHasher {
    buffer: [u64; 16],
    in_buffer: usize,
    ones: u64,
    twos: u64,
    fours: u64,
    eights: u64,
    /// Counters of `sixteens` carries, eight to a u64 (one per byte lane); flushed into `counts`
    /// (in units of sixteen) before they can overflow.
    lanes: [u64; 8],
    counts: [u32; 64],
    in_lanes: u32,
    n_shingles: u32,
    previous: Option<char>,
}

impl Default for SimHasher {
    fn default() -> SimHasher {
        SimHasher {
            buffer: [0; 16],
            in_buffer: 0,
            ones: 0,
            twos: 0,
            fours: 0,
            eights: 0,
            lanes: [0; 8],
            counts: [0; 64],
            in_lanes: 0,
            n_shingles: 0,
            previous: None,
        }
    }
}

/// Carry-save adder: `(carry, sum)` of three words, bit by bit.
#[inline(always)]
fn csa(a: u64, b: u64, c: u64) -> (u64, u64) {
    let u = a ^ b;
    ((a & b) | (u & c), u ^ c)
}

impl SimHasher {
    const LANE_ONES: u64 = 0x0101_0101_0101_0101;

    /// Adds the next word character.
    #[inline(always)]
    pub(crate) fn push(&mut self, c: char) {
        if let Some(p) = self.previous {
            self.buffer[self.in_buffer & 15] = mix(p, c);
            self.in_buffer += 1;
            if self.in_buffer == 16 {
                self.add_block();
            }
        }
        self.previous = Some(c);
    }

    /// Adds the sixteen buffered hashes (Harley–Seal).
    #[inline(never)]
    fn add_block(&mut self) {
        let d = self.buffer;
        let (twos_a, ones) = csa(self.ones, d[0], d[1]);
        let (twos_b, ones) = csa(ones, d[2], d[3]);
        let (fours_a, twos) = csa(self.twos, twos_a, twos_b);
        let (twos_a, ones) = csa(ones, d[4], d[5]);
        let (twos_b, ones) = csa(ones, d[6], d[7]);
        let (fours_b, twos) = csa(twos, twos_a, twos_b);
        let (eights_a, fours) = csa(self.fours, fours_a, fours_b);
        let (twos_a, ones) = csa(ones, d[8], d[9]);
        let (twos_b, ones) = csa(ones, d[10], d[11]);
        let (fours_a, twos) = csa(twos, twos_a, twos_b);
        let (twos_a, ones) = csa(ones, d[12], d[13]);
        let (twos_b, ones) = csa(ones, d[14], d[15]);
        let (fours_b, twos) = csa(twos, twos_a, twos_b);
        let (eights_b, fours) = csa(fours, fours_a, fours_b);
        let (sixteens, eights) = csa(self.eights, eights_a, eights_b);
        (self.ones, self.twos, self.fours, self.eights) = (ones, twos, fours, eights);
        for (shift, lane) in self.lanes.iter_mut().enumerate() {
            *lane += (sixteens >> shift) & Self::LANE_ONES;
        }
        self.in_lanes += 1;
        if self.in_lanes == 255 {
            self.flush_lanes();
        }
        self.n_shingles += 16;
        self.in_buffer = 0;
    }

    fn flush_lanes(&mut self) {
        for (shift, lane) in self.lanes.iter_mut().enumerate() {
            for byte in 0..8 {
                self.counts[byte * 8 + shift] += 16 * ((*lane >> (byte * 8)) & 0xff) as u32;
            }
            *lane = 0;
        }
        self.in_lanes = 0;
    }

    /// The fingerprint of everything pushed.
    pub(crate) fn finish(mut self) -> Fingerprint {
        let n_shingles = self.n_shingles + self.in_buffer as u32;
        if n_shingles == 0 {
            // A single word character still deserves a stable, non-zero fingerprint.
            return Fingerprint(self.previous.map_or(0, |c| mix(c, c)));
        }
        self.flush_lanes();
        let mut bits = 0u64;
        for (bit, count) in self.counts.iter().enumerate() {
            let plane = |word: u64| (word >> bit & 1) as u32;
            let pending: u32 = self.buffer[..self.in_buffer].iter().map(|&h| plane(h)).sum();
            let total = count
                + 8 * plane(self.eights)
                + 4 * plane(self.fours)
                + 2 * plane(self.twos)
                + plane(self.ones)
                + pending;
            if 2 * total > n_shingles {
                bits |= 1 << bit;
            }
        }
        Fingerprint(bits)
    }
}

/// SimHash of already folded text (the folding pass computes the same value incrementally).
#[cfg(test)]
pub(crate) fn simhash_folded(folded: &str) -> Fingerprint {
    let mut hasher = SimHasher::default();
    folded.chars().filter(|&c| class_of(c) == Class::Word).for_each(|c| hasher.push(c));
    hasher.finish()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn distance_bound_agrees_with_similarity() {
        assert_eq!(Fingerprint::max_distance(DEFAULT_MIN_SIMILARITY), 9);
        assert_eq!(Fingerprint::max_distance(1.0), 0);
        assert_eq!(Fingerprint::max_distance(0.0), 64);
        assert_eq!(Fingerprint::max_distance(-3.0), 64);
        let a = Fingerprint(0);
        for min in [0.5_f32, 0.75, 0.85, 0.9, 0.99] {
            for bits in 0..=64u32 {
                let b = Fingerprint(if bits == 64 { u64::MAX } else { (1u64 << bits) - 1 });
                let within = a.distance(b) <= Fingerprint::max_distance(min);
                assert_eq!(within, a.similarity(b) >= min, "min {min}, {bits} bits");
            }
        }
        assert_eq!(Fingerprint::similarity_percent(0), 100);
        assert_eq!(Fingerprint::similarity_percent(9), 85);
        assert_eq!(Fingerprint::similarity_percent(64), 0);
        assert_eq!(Fingerprint::similarity_percent(99), 0);
    }

    #[test]
    fn folding_pass_and_separate_pass_agree() {
        for text in ["網傳本市明天起全面封城！", "a b c d", "", "赌", "①②③ abc 一二三", "傻@逼 sex"]
        {
            let folded = crate::fold::fold_text(text);
            assert_eq!(folded.fingerprint, simhash_folded(&folded.text), "text {text:?}");
        }
    }

    /// The bit-sliced counting gives exactly the plain 64-counter SimHash, across the block
    /// (16) and lane-flush (255 × 16) boundaries.
    #[test]
    fn bit_sliced_counts_equal_plain_counts() {
        fn plain(chars: &[char]) -> Fingerprint {
            if chars.len() < 2 {
                return Fingerprint(chars.first().map_or(0, |&c| mix(c, c)));
            }
            let mut counts = [0u32; 64];
            for pair in chars.windows(2) {
                let h = mix(pair[0], pair[1]);
                for (bit, count) in counts.iter_mut().enumerate() {
                    *count += (h >> bit & 1) as u32;
                }
            }
            let n = chars.len() as u32 - 1;
            Fingerprint((0..64).filter(|&bit| 2 * counts[bit] > n).fold(0, |acc, bit| acc | 1 << bit))
        }
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for len in (0..40).chain([255, 256, 257, 4080, 4081, 4097, 9000, 20000]) {
            let chars: Vec<char> = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    char::from_u32(0x4E00 + (seed % 64) as u32).unwrap()
                })
                .collect();
            let mut hasher = SimHasher::default();
            chars.iter().for_each(|&c| hasher.push(c));
            assert_eq!(hasher.finish(), plain(&chars), "length {len}");
        }
    }

    /// Fingerprints are stored (refutation index, reports): the function must not change.
    #[test]
    fn fingerprints_are_stable() {
        assert_eq!(
            crate::fingerprint("网传本市明天起全面封城，所有超市关门，请大家抓紧囤货").to_hex(),
            "803207aecb5c61b6"
        );
        assert_eq!(
            crate::fingerprint(&"喝板蓝根可以预防新冠病毒感染的说法没有科学依据".repeat(300)).to_hex(),
            "c10786026590243c"
        );
    }

    #[test]
    fn hex_round_trip() {
        let fp = Fingerprint(0x0123_4567_89ab_cdef);
        assert_eq!(Fingerprint::from_hex(&fp.to_hex()), Some(fp));
        assert_eq!(Fingerprint::from_hex("xyz"), None);
    }
}

/// A near-duplicate found by [`closest`] or [`FingerprintIndex::closest`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NearDuplicate {
    /// Id of the matching item.
    pub id: String,
    /// Number of differing bits.
    pub distance: u32,
    /// `1 - distance / 64`.
    pub similarity: f32,
}

/// Finds the closest fingerprint with similarity ≥ `min_similarity`; ties go to the first.
pub fn closest<'a, I>(fingerprint: Fingerprint, candidates: I, min_similarity: f32) -> Option<NearDuplicate>
where
    I: IntoIterator<Item = (&'a str, Fingerprint)>,
{
    let mut best: Option<(&str, u32)> = None;
    for (id, candidate) in candidates {
        let distance = fingerprint.distance(candidate);
        if best.is_none_or(|(_, d)| distance < d) {
            best = Some((id, distance));
        }
    }
    best.map(|(id, distance)| NearDuplicate { id: id.to_string(), distance, similarity: 1.0 - distance as f32 / 64.0 })
        .filter(|found| found.similarity >= min_similarity)
}

/// A compact, serialisable set of `(id, fingerprint)`: e.g. the published refutations' claims,
/// rebuilt by the worker when one is published and shipped to the app with the feed.
///
/// Serialises as `{"ids": [...], "fingerprints": ["0123456789abcdef", ...]}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FingerprintIndex {
    ids: Vec<String>,
    fingerprints: Vec<Fingerprint>,
}

impl FingerprintIndex {
    /// An empty index.
    pub fn new() -> FingerprintIndex {
        FingerprintIndex::default()
    }

    /// Adds an item, replacing an earlier one with the same id.
    pub fn insert(&mut self, id: impl Into<String>, fingerprint: Fingerprint) {
        let id = id.into();
        match self.ids.iter().position(|existing| *existing == id) {
            Some(idx) => self.fingerprints[idx] = fingerprint,
            None => {
                self.ids.push(id);
                self.fingerprints.push(fingerprint);
            }
        }
    }

    /// Removes an item; returns whether it was there.
    pub fn remove(&mut self, id: &str) -> bool {
        match self.ids.iter().position(|existing| existing == id) {
            Some(idx) => {
                self.ids.remove(idx);
                self.fingerprints.remove(idx);
                true
            }
            None => false,
        }
    }

    /// Number of items.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether the index is empty.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The closest item with similarity ≥ `min_similarity`.
    pub fn closest(&self, fingerprint: Fingerprint, min_similarity: f32) -> Option<NearDuplicate> {
        closest(fingerprint, self.iter(), min_similarity)
    }

    /// Up to `limit` items with similarity ≥ `min_similarity`, closest first.
    pub fn near(&self, fingerprint: Fingerprint, min_similarity: f32, limit: usize) -> Vec<NearDuplicate> {
        let mut found: Vec<NearDuplicate> = self
            .iter()
            .map(|(id, candidate)| {
                let distance = fingerprint.distance(candidate);
                NearDuplicate { id: id.to_string(), distance, similarity: 1.0 - distance as f32 / 64.0 }
            })
            .filter(|n| n.similarity >= min_similarity)
            .collect();
        found.sort_by_key(|n| n.distance);
        found.truncate(limit);
        found
    }

    /// The items in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, Fingerprint)> + '_ {
        self.ids.iter().map(String::as_str).zip(self.fingerprints.iter().copied())
    }
}
