//! Partner push: partner sites register a webhook and receive each publish, update and unpublish as
//! a signed JSON payload, retried with backoff.
//!
//! The signature is `sha256=` + hex of HMAC-SHA256(secret, `"{timestamp}.{body}"`), sent in
//! [`SIGNATURE_HEADER`] with the Unix time in seconds in [`TIMESTAMP_HEADER`]; a receiver recomputes
//! it, compares in constant time and refuses timestamps far from its clock (replays).
//!
//! A partner's secret is never stored: it is HMAC(server key, the partner's random nonce), derived
//! again whenever a delivery is signed, so a copy of the database cannot forge pushes.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::error::ErrorCode;
use crate::receipt::hex;
use crate::report::{FieldError, normalise_link};

/// Header with the Unix time in seconds that the signature covers.
pub const TIMESTAMP_HEADER: &str = "x-qinglang-timestamp";
/// Header with `sha256=<hex>`.
pub const SIGNATURE_HEADER: &str = "x-qinglang-signature";
/// Header naming the event (`refutation.published` …).
pub const EVENT_HEADER: &str = "x-qinglang-event";
/// Header with the delivery id (the same on every retry, so receivers can drop duplicates).
pub const DELIVERY_HEADER: &str = "x-qinglang-delivery";

/// Longest partner name, in characters.
pub const NAME_MAX_CHARS: usize = 100;

/// Attempts before a delivery is given up.
pub const MAX_ATTEMPTS: u32 = 6;

/// Wait before the retry that follows attempt `attempt` (1-based): 1 min, 5 min, 30 min, 2 h, 12 h;
/// `None` once [`MAX_ATTEMPTS`] are used up.
pub fn retry_delay_ms(attempt: u32) -> Option<i64> {
    const MINUTE: i64 = 60_000;
    let delays = [MINUTE, 5 * MINUTE, 30 * MINUTE, 120 * MINUTE, 720 * MINUTE];
    if attempt >= MAX_ATTEMPTS {
        return None;
    }
    delays.get(attempt.saturating_sub(1) as usize).copied()
}

type HmacSha256 = Hmac<Sha256>;

fn mac(key: &[u8]) -> HmacSha256 {
    <HmacSha256 as Mac>::new_from_slice(key).expect("HMAC accepts keys of any length")
}

/// The partner's signing secret: 64 hex digits derived from the server key and the partner's nonce.
pub fn partner_secret(server_key: &[u8], nonce: &str) -> String {
    let mut mac = mac(server_key);
    mac.update(b"qinglang partner secret\0");
    mac.update(nonce.as_bytes());
    hex(&mac.finalize().into_bytes())
}

/// The [`SIGNATURE_HEADER`] value for `body` sent at `timestamp` (Unix seconds).
pub fn signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac = mac(secret.as_bytes());
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("sha256={}", hex(&mac.finalize().into_bytes()))
}

/// A partner's name and webhook address, checked: the name is 1–100 characters; the address is
/// `https://`, or `http://` to a loopback host (local development and tests).
pub fn validate_partner(name: &str, url: &str) -> Result<(String, String), FieldError> {
    let name = crate::text::written(name);
    if name.is_empty() {
        return Err(FieldError { field: "name".to_owned(), code: ErrorCode::FieldRequired });
    }
    if name.chars().count() > NAME_MAX_CHARS {
        return Err(FieldError { field: "name".to_owned(), code: ErrorCode::FieldTooLong });
    }
    let url_error = |code| FieldError { field: "url".to_owned(), code };
    if url.trim().is_empty() {
        return Err(url_error(ErrorCode::FieldRequired));
    }
    let url = normalise_link(url).map_err(url_error)?;
    let lower = url.to_ascii_lowercase();
    let loopback = ["http://127.0.0.1:", "http://127.0.0.1/", "http://localhost:", "http://localhost/"]
        .iter()
        .any(|p| lower.starts_with(p));
    if !lower.starts_with("https://") && !loopback {
        return Err(url_error(ErrorCode::LinkScheme));
    }
    Ok((name, url))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_matches_an_independent_hmac() {
        // `printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac secret`
        assert_eq!(
            signature("secret", 1_700_000_000, br#"{"a":1}"#),
            "sha256=49f24e537407743fa4a0242bb63b94b9a47ee99cbbe071ccd8a22550ae411686"
        );
    }

    #[test]
    fn retries_back_off_then_stop() {
        let delays: Vec<Option<i64>> = (1..=MAX_ATTEMPTS).map(retry_delay_ms).collect();
        assert_eq!(delays[0], Some(60_000));
        assert!(delays.windows(2).all(|w| match (w[0], w[1]) {
            (Some(a), Some(b)) => b > a,
            (_, None) => true,
            (None, Some(_)) => false,
        }));
        assert_eq!(retry_delay_ms(MAX_ATTEMPTS), None);
    }

    #[test]
    fn partner_addresses() {
        assert!(validate_partner("新华网", "https://partner.example.cn/hook").is_ok());
        assert!(validate_partner("dev", "http://127.0.0.1:8080/hook").is_ok());
        assert_eq!(
            validate_partner("p", "http://partner.example.cn/hook").map_err(|e| e.code),
            Err(ErrorCode::LinkScheme)
        );
        assert_eq!(validate_partner(" ", "https://a.cn").map_err(|e| e.field), Err("name".to_owned()));
        assert_eq!(validate_partner("p", "").map_err(|e| e.code), Err(ErrorCode::FieldRequired));
    }

    #[test]
    fn secrets_depend_on_key_and_nonce() {
        let a = partner_secret(b"key-one", "nonce");
        assert_eq!(a.len(), 64);
        assert_ne!(a, partner_secret(b"key-two", "nonce"));
        assert_ne!(a, partner_secret(b"key-one", "other"));
    }
}
