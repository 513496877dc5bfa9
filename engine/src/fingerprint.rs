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
#[derive(Clone, Debug)]
pub(crate) struct SimHasher {
    /// Bit counters kept eight to a u64 (one per byte lane) so one shingle costs eight adds
    /// instead of sixty-four; lanes are flushed into `counts` before they can overflow.
    lanes: [u64; 8],
    counts: [u32; 64],
    in_lanes: u32,
    n_shingles: u32,
    previous: Option<char>,
}

impl Default for SimHasher {
    fn default() -> SimHasher {
        SimHasher { lanes: [0; 8], counts: [0; 64], in_lanes: 0, n_shingles: 0, previous: None }
    }
}

impl SimHasher {
    const LANE_ONES: u64 = 0x0101_0101_0101_0101;

    /// Adds the next word character.
    #[inline]
    pub(crate) fn push(&mut self, c: char) {
        if let Some(p) = self.previous {
            let h = mix(p, c);
            for (shift, lane) in self.lanes.iter_mut().enumerate() {
                *lane += (h >> shift) & Self::LANE_ONES;
            }
            self.n_shingles += 1;
            self.in_lanes += 1;
            if self.in_lanes == 255 {
                self.flush();
            }
        }
        self.previous = Some(c);
    }

    fn flush(&mut self) {
        for (shift, lane) in self.lanes.iter_mut().enumerate() {
            for byte in 0..8 {
                self.counts[byte * 8 + shift] += ((*lane >> (byte * 8)) & 0xff) as u32;
            }
            *lane = 0;
        }
        self.in_lanes = 0;
    }

    /// The fingerprint of everything pushed.
    pub(crate) fn finish(mut self) -> Fingerprint {
        if self.n_shingles == 0 {
            // A single word character still deserves a stable, non-zero fingerprint.
            return Fingerprint(self.previous.map_or(0, |c| mix(c, c)));
        }
        self.flush();
        let mut bits = 0u64;
        for (bit, &count) in self.counts.iter().enumerate() {
            if 2 * count > self.n_shingles {
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
    fn folding_pass_and_separate_pass_agree() {
        for text in ["網傳本市明天起全面封城！", "a b c d", "", "赌", "①②③ abc 一二三", "傻@逼 sex"]
        {
            let folded = crate::fold::fold_text(text);
            assert_eq!(folded.fingerprint, simhash_folded(&folded.text), "text {text:?}");
        }
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
