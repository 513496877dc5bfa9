//! Property tests over hostile input, through the engine's public API only: `Engine::screen` on
//! arbitrary text, the TSV rule-list parser on arbitrary and near-valid lists, and pack loading
//! from arbitrary and corrupted bytes. No panics; every offset the engine reports lies within the
//! text (offsets count characters, so a slice at them is always on a character boundary); screening
//! is deterministic, and the server pack screens exactly like the list it was compiled from.
//!
//! The number of cases per property is `FUZZ_CASES` (default 2,000).

use std::sync::OnceLock;

use proptest::prelude::*;
use qinglang_engine::{CompileOptions, Engine, Screening, TermList, compile};

const DEMO: &str = include_str!("../data/demo-terms.tsv");

fn cases() -> u32 {
    std::env::var("FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(2_000)
}

fn config() -> ProptestConfig {
    ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() }
}

struct Fixture {
    engine: Engine,
    from_pack: Engine,
    pack: Vec<u8>,
    browser_pack: Vec<u8>,
    terms: Vec<String>,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let list = TermList::parse_tsv(DEMO).unwrap_or_else(|e| panic!("demo list: {e}"));
        let packs = compile(&list, &CompileOptions { label: "demo".into(), ..Default::default() })
            .unwrap_or_else(|e| panic!("compile: {e}"));
        let terms = DEMO
            .lines()
            .skip_while(|l| l.starts_with('#'))
            .skip(1)
            .filter_map(|l| l.split('\t').next())
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect();
        Fixture {
            engine: Engine::from_tsv(DEMO, "demo").unwrap_or_else(|e| panic!("engine: {e}")),
            from_pack: Engine::from_pack(&packs.server).unwrap_or_else(|e| panic!("pack: {e}")),
            pack: packs.server,
            browser_pack: packs.browser,
            terms,
        }
    })
}

const NOISE: &[&str] = &[
    " ",
    "*",
    "·",
    "-",
    "_",
    "\u{200b}",
    "\u{3000}",
    "\u{0}",
    "\u{1b}",
    "\r\n",
    "<b>",
    "</b>",
    "<script>",
    "'; DROP TABLE x; --",
    "https://weibo.com/1",
    "http://t.cn/A",
    "13812345678",
    "１３８１２３４５６７８",
    "qq 123456789",
    "@",
    "。",
    "，",
    "𠀀",
    "e\u{301}",
    "\u{fe0f}",
    "ＶＸ",
    "⼀",
    "6",
    "九",
];

/// Text built from demo terms broken up by evasion noise, or plain random Unicode.
fn text() -> impl Strategy<Value = String> {
    let term = (0usize..1000).prop_map(|i| {
        let terms = &fixture().terms;
        terms.get(i % terms.len().max(1)).cloned().unwrap_or_default()
    });
    let piece = prop_oneof![
        3 => term.prop_flat_map(|t| {
            // The term with noise between some of its characters.
            let n = t.chars().count();
            (Just(t), proptest::collection::vec(proptest::sample::select(NOISE), n))
        }).prop_map(|(t, noise)| t.chars().zip(noise).map(|(c, n)| format!("{c}{n}")).collect::<String>()),
        2 => proptest::sample::select(NOISE).prop_map(str::to_owned),
        1 => "\\PC{0,12}",
        1 => any::<String>(),
    ];
    prop_oneof![
        4 => proptest::collection::vec(piece, 0..12).prop_map(|p| p.concat()),
        1 => any::<String>(),
    ]
}

fn check_offsets(text: &str, screening: &Screening) -> Result<(), TestCaseError> {
    let n = u32::try_from(text.chars().count()).unwrap_or(u32::MAX);
    for m in &screening.matches {
        prop_assert!(m.start < m.end && m.end <= n, "match {}..{} in {} chars", m.start, m.end, n);
        prop_assert!((1..=5).contains(&m.severity));
    }
    for p in &screening.pii {
        prop_assert!(p.start < p.end && p.end <= n, "pii {}..{} in {} chars", p.start, p.end, n);
    }
    for l in &screening.links {
        prop_assert!(l.start < l.end && l.end <= n, "link {}..{} in {} chars", l.start, l.end, n);
    }
    Ok(())
}

/// Near-valid TSV: the header, then lines of a term, a category, a severity and flags that are
/// sometimes right and sometimes not.
fn tsv() -> impl Strategy<Value = String> {
    let field = prop_oneof![
        Just(String::new()),
        Just("fraud".to_owned()),
        Just("-".to_owned()),
        "[1-6]",
        proptest::sample::select(vec!["protected", "urgent", "digits", "allow", "protected,urgent", "bogus"])
            .prop_map(str::to_owned),
        "\\PC{0,6}",
        any::<String>(),
    ];
    let line = proptest::collection::vec(field, 0..6).prop_map(|f| f.join("\t"));
    (any::<bool>(), proptest::collection::vec(line, 0..20), any::<bool>()).prop_map(|(header, lines, crlf)| {
        let mut out = if header { "term\tcategory\tseverity\tflags\n".to_owned() } else { String::new() };
        out.push_str(&lines.join(if crlf { "\r\n" } else { "\n" }));
        out
    })
}

proptest! {
    #![proptest_config(config())]

    /// `screen` on hostile text: offsets within the text, the same answer twice, and the compiled
    /// server pack agrees with the list.
    #[test]
    fn screen_never_panics_and_offsets_are_in_the_text(text in text()) {
        let f = fixture();
        let screening = f.engine.screen(&text);
        check_offsets(&text, &screening)?;
        prop_assert_eq!(&f.engine.screen(&text), &screening);
        let from_pack = f.from_pack.screen(&text);
        prop_assert_eq!(&from_pack.matches, &screening.matches);
        prop_assert_eq!(&from_pack.pii, &screening.pii);
        let _ = qinglang_engine::mask_pii(&text, &screening.pii);
        let _ = qinglang_engine::fold(&text);
    }

    /// The rule-list parser on arbitrary text and near-valid lists: a list or typed line errors;
    /// a list it accepts builds an engine (or a typed error) that screens without panicking.
    #[test]
    fn rule_list_parser_never_panics(source in prop_oneof![tsv(), any::<String>()], probe in text()) {
        if let Ok(list) = TermList::parse_tsv(&source) {
            if let Ok(engine) = Engine::from_term_list(&list, "fuzz") {
                check_offsets(&probe, &engine.screen(&probe))?;
            }
        } else if let Err(e) = TermList::parse_tsv(&source) {
            prop_assert!(!e.lines.is_empty());
        }
    }

    /// Packs from arbitrary bytes and from a real pack with bytes overwritten or cut: loaded or
    /// refused, never a panic (the phone loads packs over the network).
    #[test]
    fn pack_loading_never_panics(
        noise in proptest::collection::vec(any::<u8>(), 0..256),
        edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..4),
        cut in any::<usize>(),
        browser in any::<bool>(),
    ) {
        let _ = Engine::from_pack(&noise);
        let f = fixture();
        let mut bytes = if browser { f.browser_pack.clone() } else { f.pack.clone() };
        for (at, byte) in edits {
            let i = at % bytes.len().max(1);
            if let Some(b) = bytes.get_mut(i) {
                *b = byte;
            }
        }
        if let Ok(engine) = Engine::from_pack(&bytes) {
            let _ = engine.screen("刷单返利 加我13812345678 https://t.cn/x");
        }
        bytes.truncate(cut % (bytes.len() + 1));
        let _ = Engine::from_pack(&bytes);
    }
}
