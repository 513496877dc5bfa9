//! The match index in its compact binary form (`GET /api/refutations/index`,
//! `application/vnd.qinglang.match-index`): every published refutation's id and 64-bit claim
//! fingerprint, 9 bytes an entry where the ids are dense (100,000 refutations ≈ 0.9 MB, where the
//! JSON list with titles was 7.9 MB).
//!
//! Layout, all integers little-endian:
//!
//! | bytes | field |
//! |---|---|
//! | 4 | magic `QLRI` |
//! | 1 | format, `1` |
//! | 1 | the similarity (percent) from which a text counts as the refuted claim |
//! | 4 | entry count `n` |
//! | … | `n` entries in ascending id order: id minus the previous id (the first: minus 0) as an
//! |   | unsigned LEB128 varint (≥ 1, so ids are strictly ascending), then the fingerprint (8 bytes) |
//!
//! Decoding checks every byte it reads: a cut or altered index is an error, never a panic.

/// The first bytes of every index.
pub const MAGIC: &[u8; 4] = b"QLRI";
/// The format this module writes and reads.
pub const FORMAT: u8 = 1;
/// The media type it is served with.
pub const MEDIA_TYPE: &str = "application/vnd.qinglang.match-index";

/// A decoded index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchIndexBin {
    /// Similarity threshold, percent.
    pub min_similarity_percent: u8,
    /// `(refutation id, fingerprint)`, ids strictly ascending.
    pub entries: Vec<(i64, u64)>,
}

/// Why bytes are not an index.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IndexError {
    /// Not starting with `QLRI` and format 1.
    #[error("not a format-1 match index")]
    NotAnIndex,
    /// Ends before the entries it announces.
    #[error("the index is cut short")]
    Truncated,
    /// An id delta of 0, or one that overflows.
    #[error("entry {0} has a bad id")]
    BadId(usize),
    /// Bytes after the last entry.
    #[error("bytes after the last entry")]
    TrailingBytes,
}

/// Writes `entries` (any order; ids must be positive and distinct) as an index.
pub fn encode(min_similarity_percent: u8, entries: &[(i64, u64)]) -> Vec<u8> {
    let mut sorted: Vec<(i64, u64)> = entries.iter().copied().filter(|(id, _)| *id > 0).collect();
    sorted.sort_unstable_by_key(|(id, _)| *id);
    sorted.dedup_by_key(|(id, _)| *id);
    let mut out = Vec::with_capacity(10 + sorted.len() * 9);
    out.extend_from_slice(MAGIC);
    out.push(FORMAT);
    out.push(min_similarity_percent);
    out.extend_from_slice(&(sorted.len() as u32).to_le_bytes());
    let mut previous = 0i64;
    for (id, fingerprint) in sorted {
        let mut delta = (id - previous) as u64;
        previous = id;
        loop {
            let low = (delta & 0x7f) as u8;
            delta >>= 7;
            if delta == 0 {
                out.push(low);
                break;
            }
            out.push(low | 0x80);
        }
        out.extend_from_slice(&fingerprint.to_le_bytes());
    }
    out
}

/// Reads an index written by [`encode`].
pub fn decode(bytes: &[u8]) -> Result<MatchIndexBin, IndexError> {
    if bytes.len() < 10 || &bytes[..4] != MAGIC || bytes[4] != FORMAT {
        return Err(IndexError::NotAnIndex);
    }
    let min_similarity_percent = bytes[5];
    let count = u32::from_le_bytes([bytes[6], bytes[7], bytes[8], bytes[9]]) as usize;
    // Each entry takes at least 9 bytes: refuse a count the bytes cannot hold before allocating.
    let mut rest = &bytes[10..];
    if count > rest.len() / 9 {
        return Err(IndexError::Truncated);
    }
    let mut entries = Vec::with_capacity(count);
    let mut id = 0i64;
    for n in 0..count {
        let mut delta = 0u64;
        let mut shift = 0u32;
        loop {
            let (&byte, tail) = rest.split_first().ok_or(IndexError::Truncated)?;
            rest = tail;
            if shift > 56 {
                return Err(IndexError::BadId(n));
            }
            delta |= u64::from(byte & 0x7f) << shift;
            shift += 7;
            if byte & 0x80 == 0 {
                break;
            }
        }
        if delta == 0 {
            return Err(IndexError::BadId(n));
        }
        id = i64::try_from(delta).ok().and_then(|d| id.checked_add(d)).ok_or(IndexError::BadId(n))?;
        let (fingerprint, tail) = rest.split_first_chunk::<8>().ok_or(IndexError::Truncated)?;
        rest = tail;
        entries.push((id, u64::from_le_bytes(*fingerprint)));
    }
    if !rest.is_empty() {
        return Err(IndexError::TrailingBytes);
    }
    Ok(MatchIndexBin { min_similarity_percent, entries })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_sorted_and_deduplicated() {
        let entries = [(300, u64::MAX), (1, 0), (2, 0x0123_4567_89ab_cdef), (300, 7), (1_000_000_000_000, 42)];
        let bytes = encode(85, &entries);
        let index = decode(&bytes).expect("an index");
        assert_eq!(index.min_similarity_percent, 85);
        assert_eq!(index.entries, vec![(1, 0), (2, 0x0123_4567_89ab_cdef), (300, u64::MAX), (1_000_000_000_000, 42)]);
    }

    #[test]
    fn dense_ids_take_nine_bytes_each() {
        let entries: Vec<(i64, u64)> = (1..=100_000).map(|id| (id, id as u64 * 0x9e37_79b9)).collect();
        let bytes = encode(85, &entries);
        assert_eq!(bytes.len(), 10 + 100_000 * 9);
        assert_eq!(decode(&bytes).expect("an index").entries, entries);
    }

    #[test]
    fn empty_index() {
        let bytes = encode(85, &[]);
        assert_eq!(bytes.len(), 10);
        assert_eq!(decode(&bytes).expect("an index").entries, vec![]);
    }

    #[test]
    fn refuses_what_is_not_an_index() {
        let good = encode(85, &[(5, 1), (9, 2)]);
        assert_eq!(decode(b"QLRX\x01\x55\0\0\0\0"), Err(IndexError::NotAnIndex));
        assert_eq!(decode(&good[..3]), Err(IndexError::NotAnIndex));
        for cut in 10..good.len() {
            assert_eq!(decode(&good[..cut]), Err(IndexError::Truncated), "cut at {cut}");
        }
        let mut longer = good.clone();
        longer.push(0);
        assert_eq!(decode(&longer), Err(IndexError::TrailingBytes));
        let mut zero_delta = good.clone();
        zero_delta[10 + 9] = 0;
        assert_eq!(decode(&zero_delta), Err(IndexError::BadId(1)));
        let mut huge_count = good;
        huge_count[6..10].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(decode(&huge_count), Err(IndexError::Truncated));
        let mut endless_varint = encode(85, &[]);
        endless_varint[6] = 1;
        endless_varint.extend_from_slice(&[0xff; 12]);
        assert_eq!(decode(&endless_varint), Err(IndexError::BadId(0)));
    }
}
