//! Qinglang's transparency log, the pure part (issue 21): the canonical bytes of a leaf, the Merkle
//! tree hashes of RFC 6962 / RFC 9162 §2.1, inclusion and consistency proofs and their verification,
//! and the bytes a tree head's signature covers. The worker, the app and the command-line verifier
//! use this one crate, so a proof the worker makes is checked by the same code everywhere.
//!
//! Architecture invariant: no I/O, no clock, no randomness (like the domain crate). Proofs are made
//! here from a list of leaf hashes; a store that keeps the hashes of complete subtrees can answer
//! the same [`TreeReader`] questions without holding every leaf.

use sha2::{Digest, Sha256};

/// A SHA-256 hash.
pub type Hash = [u8; 32];

/// Why a proof or a request for one was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProofError {
    /// The index or sizes do not fit the tree (`index < size`, `first <= second <= size`).
    #[error("index or size out of range")]
    OutOfRange,
    /// The proof has the wrong number of hashes for the sizes.
    #[error("the proof has the wrong length")]
    WrongLength,
    /// The recomputed root is not the one given.
    #[error("the proof does not lead to the given root")]
    Mismatch,
}

/// The hash of an empty tree: SHA-256 of nothing.
pub fn empty_root() -> Hash {
    Sha256::digest([]).into()
}

/// A leaf's hash: SHA-256(0x00 ‖ its bytes).
pub fn leaf_hash(bytes: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0x00]);
    h.update(bytes);
    h.finalize().into()
}

/// An interior node's hash: SHA-256(0x01 ‖ left ‖ right).
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([0x01]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// The largest power of two smaller than `n` (n ≥ 2): where RFC 6962 splits a tree of `n` leaves.
fn split(n: u64) -> u64 {
    debug_assert!(n >= 2);
    1 << (63 - (n - 1).leading_zeros())
}

/// What proofs are made from: the tree's leaf hashes, or a store that can answer for a range.
pub trait TreeReader {
    /// The Merkle tree hash of leaves `[start, end)` (`start < end`).
    fn subtree(&self, start: u64, end: u64) -> Hash;
}

impl TreeReader for [Hash] {
    fn subtree(&self, start: u64, end: u64) -> Hash {
        let n = end - start;
        if n == 1 {
            return self[start as usize];
        }
        let k = split(n);
        node_hash(&self.subtree(start, start + k), &self.subtree(start + k, end))
    }
}

/// The root of the first `size` leaves.
pub fn root<R: TreeReader + ?Sized>(tree: &R, size: u64) -> Hash {
    if size == 0 { empty_root() } else { tree.subtree(0, size) }
}

/// The audit path of leaf `index` in the tree of the first `size` leaves (RFC 9162 §2.1.3.1).
pub fn inclusion_proof<R: TreeReader + ?Sized>(tree: &R, index: u64, size: u64) -> Result<Vec<Hash>, ProofError> {
    if index >= size {
        return Err(ProofError::OutOfRange);
    }
    let mut path = Vec::new();
    path_into(tree, index, 0, size, &mut path);
    Ok(path)
}

/// PATH(m, D[start:end]), innermost sibling first.
fn path_into<R: TreeReader + ?Sized>(tree: &R, m: u64, start: u64, end: u64, out: &mut Vec<Hash>) {
    let n = end - start;
    if n <= 1 {
        return;
    }
    let k = split(n);
    if m < k {
        path_into(tree, m, start, start + k, out);
        out.push(tree.subtree(start + k, end));
    } else {
        path_into(tree, m - k, start + k, end, out);
        out.push(tree.subtree(start, start + k));
    }
}

/// The proof that the tree of `first` leaves is a prefix of the tree of `second` leaves (RFC 9162
/// §2.1.4.1). Empty when `first` is 0 or equals `second`.
pub fn consistency_proof<R: TreeReader + ?Sized>(tree: &R, first: u64, second: u64) -> Result<Vec<Hash>, ProofError> {
    if first > second {
        return Err(ProofError::OutOfRange);
    }
    let mut proof = Vec::new();
    if first > 0 && first < second {
        subproof_into(tree, first, 0, second, true, &mut proof);
    }
    Ok(proof)
}

/// SUBPROOF(m, D[start:end], b).
fn subproof_into<R: TreeReader + ?Sized>(tree: &R, m: u64, start: u64, end: u64, whole: bool, out: &mut Vec<Hash>) {
    let n = end - start;
    if m == n {
        if !whole {
            out.push(tree.subtree(start, end));
        }
        return;
    }
    let k = split(n);
    if m <= k {
        subproof_into(tree, m, start, start + k, whole, out);
        out.push(tree.subtree(start + k, end));
    } else {
        subproof_into(tree, m - k, start + k, end, false, out);
        out.push(tree.subtree(start, start + k));
    }
}

/// Checks that `leaf` (its leaf hash) is leaf `index` of the tree of `size` leaves whose root is
/// `root`, by its audit path (RFC 9162 §2.1.3.2).
pub fn verify_inclusion(index: u64, size: u64, leaf: &Hash, proof: &[Hash], root: &Hash) -> Result<(), ProofError> {
    if index >= size {
        return Err(ProofError::OutOfRange);
    }
    let (mut f, mut s) = (index, size - 1);
    let mut r = *leaf;
    for p in proof {
        if s == 0 {
            return Err(ProofError::WrongLength);
        }
        if f & 1 == 1 || f == s {
            r = node_hash(p, &r);
            if f & 1 == 0 {
                while f & 1 == 0 && f != 0 {
                    f >>= 1;
                    s >>= 1;
                }
            }
        } else {
            r = node_hash(&r, p);
        }
        f >>= 1;
        s >>= 1;
    }
    if s != 0 {
        return Err(ProofError::WrongLength);
    }
    if r == *root { Ok(()) } else { Err(ProofError::Mismatch) }
}

/// Checks that the tree of `first` leaves with root `first_root` is a prefix of the tree of `second`
/// leaves with root `second_root` (RFC 9162 §2.1.4.2).
pub fn verify_consistency(
    first: u64,
    second: u64,
    first_root: &Hash,
    second_root: &Hash,
    proof: &[Hash],
) -> Result<(), ProofError> {
    if first > second {
        return Err(ProofError::OutOfRange);
    }
    if first == second {
        if !proof.is_empty() {
            return Err(ProofError::WrongLength);
        }
        return if first_root == second_root { Ok(()) } else { Err(ProofError::Mismatch) };
    }
    if first == 0 {
        // Every tree extends the empty one.
        return if proof.is_empty() { Ok(()) } else { Err(ProofError::WrongLength) };
    }
    let mut path: Vec<Hash> = Vec::with_capacity(proof.len() + 1);
    if first.is_power_of_two() {
        path.push(*first_root);
    }
    path.extend_from_slice(proof);
    let Some((head, rest)) = path.split_first() else { return Err(ProofError::WrongLength) };
    let (mut f, mut s) = (first - 1, second - 1);
    while f & 1 == 1 {
        f >>= 1;
        s >>= 1;
    }
    let (mut fr, mut sr) = (*head, *head);
    for c in rest {
        if s == 0 {
            return Err(ProofError::WrongLength);
        }
        if f & 1 == 1 || f == s {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            if f & 1 == 0 {
                while f & 1 == 0 && f != 0 {
                    f >>= 1;
                    s >>= 1;
                }
            }
        } else {
            sr = node_hash(&sr, c);
        }
        f >>= 1;
        s >>= 1;
    }
    if s != 0 {
        return Err(ProofError::WrongLength);
    }
    if fr == *first_root && sr == *second_root { Ok(()) } else { Err(ProofError::Mismatch) }
}

/// A JSON value's canonical bytes — what a leaf hash covers: UTF-8, object keys sorted by their
/// bytes (a leaf's keys are ASCII), no spaces, strings escaped as serde_json escapes them.
pub fn canonical_json(value: &serde_json::Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &serde_json::Value, out: &mut String) {
    match value {
        serde_json::Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&serde_json::Value::String(key.clone()).to_string());
                out.push(':');
                write_canonical(&map[key.as_str()], out);
            }
            out.push('}');
        }
        serde_json::Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// The bytes a signed tree head's Ed25519 signature covers.
pub fn head_message(size: u64, root_hash: &Hash, timestamp: i64) -> String {
    format!("qinglang-tree-head\n{size}\n{}\n{timestamp}", hex(root_hash))
}

/// Lowercase hex.
pub fn hex(hash: &Hash) -> String {
    hash.iter().map(|b| format!("{b:02x}")).collect()
}

/// A hash from 64 hex digits (either case).
pub fn from_hex(text: &str) -> Option<Hash> {
    let bytes = text.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, pair) in bytes.chunks(2).enumerate() {
        let digit = |c: u8| (c as char).to_digit(16);
        out[i] = u8::try_from(digit(pair[0])? * 16 + digit(pair[1])?).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests;
