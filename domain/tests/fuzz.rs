//! Property tests over hostile input: every validator and decoder the worker runs on what a client
//! sends must answer (accept or refuse with a code) and never panic, and what it accepts must meet
//! the documented bounds. Inputs mix arbitrary Unicode, control characters, markup, SQL and the
//! near-misses of valid values (codes with one typo, phones with one digit too many).
//!
//! The number of cases per property is `FUZZ_CASES` (default 2,000; scripts/test.sh uses the
//! default). The counts per kind are printed in BENCHMARKS.md.

use proptest::prelude::*;
use qinglang_domain::api::{CaseActionRequest, NewReport, ReopenRequest, SignIn};
use qinglang_domain::report::{
    DESCRIPTION_MAX_CHARS, DESCRIPTION_MIN_CHARS, LINK_MAX_BYTES, MAX_LINKS, SHORT_FIELD_MAX_CHARS, normalise_link,
    normalise_phone, validate_channel_code, validate_description,
};
use qinglang_domain::{Contact, ReceiptCode, ReceiptSecret, Report, Taxonomy};

fn cases() -> u32 {
    std::env::var("FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(2_000)
}

fn config() -> ProptestConfig {
    ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() }
}

/// Pieces attackers and clumsy clients send.
const PAYLOADS: &[&str] = &[
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "'; DROP TABLE reports; --",
    "' OR '1'='1",
    "\u{0}",
    "\u{1b}[31m",
    "\r\n",
    "\u{202e}",
    "\u{feff}",
    "\u{200b}",
    "%00",
    "../../etc/passwd",
    "{{7*7}}",
    "${jndi:ldap://x}",
    "https://weibo.com/123",
    "http://t.cn/A6x",
    "weibo.com/u/1",
    "【标题】 https://v.douyin.com/abc/ 复制此链接",
    "13800138000",
    "+86 138 0013 8000",
    "０１０－１２３４５６７８",
    "刷单返利",
    "網絡賭博",
    "K7M-X3P-QAR",
    "-",
    " ",
    "\u{3000}",
    "𠀀",
    "é",
];

/// Strings that are sometimes plain random Unicode, sometimes built from the payloads above.
fn hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "\\PC{0,40}",
        proptest::collection::vec(proptest::sample::select(PAYLOADS), 0..8).prop_map(|parts| parts.concat()),
        (proptest::sample::select(PAYLOADS), any::<String>()).prop_map(|(p, s)| format!("{s}{p}{s}")),
    ]
}

fn maybe(s: impl Strategy<Value = String>) -> impl Strategy<Value = Option<String>> {
    proptest::option::of(s)
}

fn new_report() -> impl Strategy<Value = NewReport> {
    let category = prop_oneof![
        proptest::sample::select(vec!["fraud", "rumor", "porn", "spitting", "political", "other_online"])
            .prop_map(str::to_owned),
        hostile(),
    ];
    (
        prop_oneof![Just("0123456789abcdef0123456789abcdef".to_owned()), hostile()],
        category,
        hostile(),
        proptest::collection::vec(hostile(), 0..8),
        (maybe(hostile()), maybe(hostile()), maybe(hostile())),
        (maybe(prop_oneof![Just("nanshan".to_owned()), hostile()]), maybe(hostile())),
        proptest::option::of((maybe(hostile()), maybe(hostile()))),
    )
        .prop_map(
            |(
                idempotency_key,
                category,
                description,
                links,
                (platform, account, location),
                (district, channel),
                contact,
            )| {
                NewReport {
                    idempotency_key,
                    category,
                    description,
                    links,
                    platform,
                    account,
                    location,
                    district,
                    channel,
                    contact: contact.map(|(name, phone)| Contact { name, phone }),
                    evidence: Vec::new(),
                    // Range checks of the device position are a table test in report.rs.
                    position: None,
                    // The office is the worker's to check against the tree (office::landing).
                    office: None,
                }
            },
        )
}

/// Bytes that are sometimes arbitrary, sometimes JSON with hostile values in the right places.
fn json_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..300),
        new_report().prop_map(|r| serde_json::to_vec(&r).unwrap_or_default()),
        (new_report(), any::<usize>(), any::<u8>()).prop_map(|(r, at, byte)| {
            // One corrupted byte in otherwise valid JSON.
            let mut bytes = serde_json::to_vec(&r).unwrap_or_default();
            if !bytes.is_empty() {
                let i = at % bytes.len();
                bytes[i] = byte;
            }
            bytes
        }),
        hostile().prop_map(String::into_bytes),
    ]
}

proptest! {
    #![proptest_config(config())]

    /// `Report::validate` on hostile reports: a result, never a panic; what passes meets the bounds.
    #[test]
    fn report_validate_never_panics_and_bounds_hold(input in new_report()) {
        let taxonomy = Taxonomy::default_set();
        if let Ok(report) = Report::validate(&input, &taxonomy) {
            let n = report.description.chars().count();
            prop_assert!((DESCRIPTION_MIN_CHARS..=DESCRIPTION_MAX_CHARS).contains(&n));
            prop_assert!(report.links.len() <= MAX_LINKS);
            for link in &report.links {
                prop_assert!(link.starts_with("https://") || link.starts_with("http://"), "{link}");
                prop_assert!(link.len() <= LINK_MAX_BYTES + "https://".len());
            }
            for field in [&report.platform, &report.account, &report.location].into_iter().flatten() {
                prop_assert!(field.chars().count() <= SHORT_FIELD_MAX_CHARS);
            }
            prop_assert!(taxonomy.category(&report.category).is_some());
            if let Some(phone) = report.contact.as_ref().and_then(|c| c.phone.as_ref()) {
                prop_assert!(phone.bytes().all(|b| b.is_ascii_digit()), "{phone}");
            }
        }
    }

    /// The JSON bodies the worker decodes, from arbitrary and corrupted bytes: no panic; a decoded
    /// report re-encodes to the same value.
    #[test]
    fn request_bodies_decode_without_panicking(bytes in json_bytes()) {
        if let Ok(report) = serde_json::from_slice::<NewReport>(&bytes) {
            let again: NewReport = serde_json::from_slice(&serde_json::to_vec(&report).unwrap_or_default())
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(again, report);
        }
        let _ = serde_json::from_slice::<CaseActionRequest>(&bytes);
        let _ = serde_json::from_slice::<ReopenRequest>(&bytes);
        let _ = serde_json::from_slice::<SignIn>(&bytes);
    }

    /// Receipt codes as typed: any string gives a code or a refusal; an accepted code is nine
    /// characters that read back to itself.
    #[test]
    fn receipt_code_parse_never_panics(typed in hostile()) {
        if let Ok(code) = ReceiptCode::parse(&typed) {
            prop_assert_eq!(code.as_str().chars().count(), 9);
            prop_assert_eq!(ReceiptCode::parse(&code.grouped()), Ok(code.clone()));
        }
    }

    /// Every code from random bytes parses back, and every single-character typo of it is refused.
    #[test]
    fn receipt_code_typos_are_caught(random in any::<[u8; 8]>(), at in 0usize..9, replacement in "[A-Z2-9]") {
        let code = ReceiptCode::from_random(random);
        prop_assert_eq!(ReceiptCode::parse(&code.grouped()), Ok(code.clone()));
        let mut chars: Vec<char> = code.as_str().chars().collect();
        let typo = replacement.chars().next().unwrap_or('A');
        if chars[at] != typo {
            chars[at] = typo;
            let typed: String = chars.into_iter().collect();
            prop_assert!(ReceiptCode::parse(&typed).is_err(), "{typed} passed as a typo of {}", code.as_str());
        }
    }

    /// Secrets as typed: no panic; the derived secret reads back from its grouped form.
    #[test]
    fn receipt_secret_parse_never_panics(typed in hostile(), key in hostile()) {
        if let Some(secret) = ReceiptSecret::parse(&typed) {
            prop_assert_eq!(secret.as_str().len(), 12);
        }
        let derived = ReceiptSecret::derive(b"a server key of at least thirty-two bytes", &key);
        prop_assert_eq!(ReceiptSecret::parse(&derived.grouped()), Some(derived));
    }

    /// The field validators the app runs while the reporter types.
    #[test]
    fn field_validators_never_panic(text in hostile()) {
        if let Ok(d) = validate_description(&text) {
            prop_assert!((DESCRIPTION_MIN_CHARS..=DESCRIPTION_MAX_CHARS).contains(&d.chars().count()));
        }
        if let Ok(link) = normalise_link(&text) {
            prop_assert!(link.starts_with("https://") || link.starts_with("http://"));
            prop_assert!(!link.chars().any(char::is_whitespace), "{link:?}");
        }
        if let Ok(phone) = normalise_phone(&text) {
            prop_assert!(phone.len() >= 10 && phone.bytes().all(|b| b.is_ascii_digit()));
        }
        if let Ok(code) = validate_channel_code(&text) {
            prop_assert!(code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
        }
    }
}
