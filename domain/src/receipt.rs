//! Receipt codes and tracking secrets.
//!
//! A receipt code is what a reporter reads out on the phone or copies from a photo, so it uses
//! an alphabet without look-alikes (no 0/O, 1/I/L) and ends with a check character: a weighted
//! sum modulo the prime 31 catches every single wrong character and every swap of two
//! neighbours before any lookup is made. The secret is derived from the device's idempotency key
//! with a server key, so a retried submission gets the same secret back without the server ever
//! storing it in the clear (only its SHA-256 digest is kept).

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The 31 characters used in codes and secrets.
pub const ALPHABET: &[u8; 31] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// Characters in a receipt code, including the check character.
pub const CODE_LEN: usize = 9;
/// Characters in a tracking secret (12 × log2(31) ≈ 59 bits).
pub const SECRET_LEN: usize = 12;

/// Why a typed receipt code was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ReceiptError {
    /// The code does not have nine characters once spaces and dashes are removed.
    #[error("a receipt code has {CODE_LEN} characters")]
    Length,
    /// The code has a character that codes never contain.
    #[error("receipt codes never contain {0:?}")]
    Character(char),
    /// The check character does not match: there is a typo.
    #[error("the check character does not match")]
    Checksum,
}

fn value_of(byte: u8) -> Option<u32> {
    ALPHABET.iter().position(|&a| a == byte).and_then(|p| u32::try_from(p).ok())
}

fn char_of(value: u32) -> u8 {
    // `value` is always reduced modulo 31 by the callers.
    ALPHABET[(value % 31) as usize]
}

/// Weighted sum of the first `CODE_LEN - 1` characters' values, weights 1, 2, 3 …
fn weighted_sum(values: impl Iterator<Item = u32>) -> u32 {
    values.zip(1u32..).map(|(v, w)| v * w).sum::<u32>() % 31
}

/// A report's public receipt code, e.g. `K7M-X3P-QAR`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ReceiptCode(String);

impl ReceiptCode {
    /// Makes a code from 8 random bytes drawn by the caller.
    pub fn from_random(random: [u8; 8]) -> ReceiptCode {
        let mut n = u64::from_le_bytes(random);
        let mut chars = Vec::with_capacity(CODE_LEN);
        let mut values = Vec::with_capacity(CODE_LEN);
        for _ in 0..CODE_LEN - 1 {
            // 2^64 is so much larger than 31^8 that the modulo bias is below 1e-7.
            let v = u32::try_from(n % 31).unwrap_or(0);
            n /= 31;
            values.push(v);
            chars.push(char_of(v));
        }
        // Choose the check value c so that sum + 9·c ≡ 0 (mod 31); 7 is 9's inverse mod 31.
        let sum = weighted_sum(values.into_iter());
        chars.push(char_of(((31 - sum) % 31) * 7));
        ReceiptCode(chars.into_iter().map(char::from).collect())
    }

    /// Reads a code as a person typed it: case, spaces and dashes do not matter.
    pub fn parse(typed: &str) -> Result<ReceiptCode, ReceiptError> {
        let cleaned: String = typed
            .chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '－' | '—' | '_'))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let mut values = Vec::with_capacity(CODE_LEN);
        for c in cleaned.chars() {
            let v = u8::try_from(c).ok().and_then(value_of).ok_or(ReceiptError::Character(c))?;
            values.push(v);
        }
        if values.len() != CODE_LEN {
            return Err(ReceiptError::Length);
        }
        if weighted_sum(values.into_iter()) != 0 {
            return Err(ReceiptError::Checksum);
        }
        Ok(ReceiptCode(cleaned))
    }

    /// The nine characters without separators, as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The code in groups of three for reading aloud, e.g. `K7M-X3P-QAR`.
    pub fn grouped(&self) -> String {
        group(&self.0, 3)
    }
}

impl TryFrom<String> for ReceiptCode {
    type Error = ReceiptError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        ReceiptCode::parse(&s)
    }
}

impl From<ReceiptCode> for String {
    fn from(code: ReceiptCode) -> String {
        code.0
    }
}

impl std::fmt::Display for ReceiptCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.grouped())
    }
}

fn group(s: &str, size: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    chars.chunks(size).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-")
}

/// The secret that, with the receipt code, opens a report's status page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ReceiptSecret(String);

impl ReceiptSecret {
    /// Derives the secret for a submission from the server's key and the device's idempotency
    /// key, so a retry of the same submission gets the same secret back.
    pub fn derive(server_key: &[u8], idempotency_key: &str) -> ReceiptSecret {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(server_key).expect("HMAC accepts keys of any length");
        mac.update(b"qinglang receipt secret\0");
        mac.update(idempotency_key.as_bytes());
        let bytes = mac.finalize().into_bytes();
        let secret = bytes
            .chunks_exact(2)
            .take(SECRET_LEN)
            .map(|pair| char::from(char_of(u32::from(u16::from_le_bytes([pair[0], pair[1]])))))
            .collect();
        ReceiptSecret(secret)
    }

    /// Reads a secret as a person typed it (case, spaces and dashes do not matter).
    /// Returns `None` when it cannot be a secret at all.
    pub fn parse(typed: &str) -> Option<ReceiptSecret> {
        let cleaned: String = typed
            .chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '－' | '—' | '_'))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let valid = cleaned.len() == SECRET_LEN && cleaned.bytes().all(|b| value_of(b).is_some());
        valid.then_some(ReceiptSecret(cleaned))
    }

    /// The secret without separators.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The secret in groups of four, e.g. `ABCD-EFGH-JKMN`.
    pub fn grouped(&self) -> String {
        group(&self.0, 4)
    }

    /// The digest stored in place of the secret: SHA-256 over the code and the secret, hex.
    pub fn digest(&self, code: &ReceiptCode) -> String {
        let mut hasher = Sha256::new();
        hasher.update(code.as_str().as_bytes());
        hasher.update(b":");
        hasher.update(self.0.as_bytes());
        hex(&hasher.finalize())
    }
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    out
}

/// Compares two digests in time that does not depend on where they differ.
pub fn digests_equal(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample_codes() -> Vec<ReceiptCode> {
        (0u64..500).map(|i| ReceiptCode::from_random(i.wrapping_mul(0x9E37_79B9_7F4A_7C15).to_le_bytes())).collect()
    }

    #[test]
    fn generated_codes_parse_back() {
        for code in sample_codes() {
            assert_eq!(code.as_str().len(), CODE_LEN);
            assert_eq!(ReceiptCode::parse(code.as_str()), Ok(code.clone()));
            assert_eq!(ReceiptCode::parse(&code.grouped().to_lowercase()), Ok(code.clone()));
            assert_eq!(ReceiptCode::parse(&format!(" {} ", code.grouped().replace('-', " "))), Ok(code));
        }
    }

    #[test]
    fn every_single_substitution_is_caught() {
        for code in sample_codes().into_iter().take(50) {
            let bytes = code.as_str().as_bytes().to_vec();
            for i in 0..CODE_LEN {
                for &other in ALPHABET.iter().filter(|&&a| a != bytes[i]) {
                    let mut typo = bytes.clone();
                    typo[i] = other;
                    let typo = String::from_utf8(typo).expect("ascii");
                    assert_eq!(ReceiptCode::parse(&typo), Err(ReceiptError::Checksum), "{typo}");
                }
            }
        }
    }

    #[test]
    fn every_adjacent_swap_is_caught() {
        for code in sample_codes() {
            let bytes = code.as_str().as_bytes().to_vec();
            for i in 0..CODE_LEN - 1 {
                if bytes[i] == bytes[i + 1] {
                    continue;
                }
                let mut typo = bytes.clone();
                typo.swap(i, i + 1);
                let typo = String::from_utf8(typo).expect("ascii");
                assert_eq!(ReceiptCode::parse(&typo), Err(ReceiptError::Checksum), "{typo}");
            }
        }
    }

    #[test]
    fn malformed_codes_are_refused() {
        let table = [
            ("", Err(ReceiptError::Length)),
            ("ABC", Err(ReceiptError::Length)),
            ("ABCDEFGHJK", Err(ReceiptError::Length)),
            ("0BCDEFGHJ", Err(ReceiptError::Character('0'))),
            ("OBCDEFGHJ", Err(ReceiptError::Character('O'))),
            ("1BCDEFGHJ", Err(ReceiptError::Character('1'))),
            ("IBCDEFGHJ", Err(ReceiptError::Character('I'))),
            ("举BCDEFGHJ", Err(ReceiptError::Character('举'))),
        ];
        for (typed, want) in table {
            assert_eq!(ReceiptCode::parse(typed), want, "{typed}");
        }
    }

    #[test]
    fn secrets_are_stable_per_key_and_differ_across_keys() {
        let a = ReceiptSecret::derive(b"server key", "device-key-0001-aaaaaaaaaaaa");
        let b = ReceiptSecret::derive(b"server key", "device-key-0001-aaaaaaaaaaaa");
        let c = ReceiptSecret::derive(b"server key", "device-key-0002-aaaaaaaaaaaa");
        let d = ReceiptSecret::derive(b"other key", "device-key-0001-aaaaaaaaaaaa");
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_ne!(a, d);
        assert_eq!(a.as_str().len(), SECRET_LEN);
        assert_eq!(ReceiptSecret::parse(&a.grouped().to_lowercase()), Some(a.clone()));
        assert_eq!(ReceiptSecret::parse("short"), None);
    }

    #[test]
    fn digest_binds_code_and_secret() {
        let code = sample_codes().remove(0);
        let other = sample_codes().remove(1);
        let secret = ReceiptSecret::derive(b"k", "device-key-0001-aaaaaaaaaaaa");
        let d = secret.digest(&code);
        assert_eq!(d.len(), 64);
        assert!(digests_equal(&d, &secret.digest(&code)));
        assert!(!digests_equal(&d, &secret.digest(&other)));
        assert!(!digests_equal(&d, &d[..63]));
    }
}
