//! Table-driven tests of `Engine::screen` on the demo term list: evasion classes, the
//! allow-list rule, sentence boundaries, offsets, priorities, packs and near-duplicates.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use qinglang_engine::{
    CompileOptions, Engine, FingerprintIndex, JunkReason, PackError, PackKind, PiiKind, Priority, ProtectedInBrowser,
    Screening, TermList, compile, fingerprint, mask_pii,
};

const DEMO: &str = include_str!("../data/demo-terms.tsv");

fn engine() -> Engine {
    Engine::from_tsv(DEMO, "demo").expect("demo list is valid")
}

/// (term, category, start, end) of every match.
fn hits(screening: &Screening) -> Vec<(String, String, u32, u32)> {
    screening.matches.iter().map(|m| (m.term.to_string(), m.category.to_string(), m.start, m.end)).collect()
}

fn check(engine: &Engine, text: &str, expected: &[(&str, &str, u32, u32)]) {
    let expected: Vec<(String, String, u32, u32)> =
        expected.iter().map(|&(t, c, s, e)| (t.to_string(), c.to_string(), s, e)).collect();
    assert_eq!(hits(&engine.screen(text)), expected, "text {text:?}");
}

#[test]
fn each_evasion_class_is_matched_with_original_offsets() {
    let engine = engine();
    type Row<'a> = (&'a str, &'a [(&'a str, &'a str, u32, u32)]);
    let table: &[Row<'_>] = &[
        ("网络赌博", &[("网络赌博", "gambling", 0, 4)]),
        // traditional → simplified
        ("網絡賭博", &[("网络赌博", "gambling", 0, 4)]),
        // full-width and case
        ("加ＶＸ详聊", &[("加vx", "fraud", 0, 3)]),
        ("AV女优", &[("av女优", "porn", 0, 4)]),
        // Kangxi radicals / radical supplement look-alikes (⼀ is U+2F00)
        ("⼀夜情", &[("一夜情", "porn", 0, 3)]),
        // digit variants, where the term asks for it
        ("买6合彩", &[("6合彩", "gambling", 1, 4)]),
        ("买⑥合彩", &[("6合彩", "gambling", 1, 4)]),
        ("买陸合彩", &[]), // 陸 → 陆, which is deliberately not a numeral
        // separators and zero-width characters
        ("傻@逼", &[("傻逼", "vulgar", 0, 3)]),
        ("赌 博", &[("赌博", "gambling", 0, 3)]),
        ("赌\u{200b}博", &[("赌博", "gambling", 0, 3)]),
        ("刷*单*返*利", &[("刷单返利", "fraud", 0, 7)]),
        ("草🌿泥🐴马", &[("草泥马", "vulgar", 0, 5)]),
        // homoglyphs
        ("加ⅴх", &[("加vx", "fraud", 0, 3)]),
        // a combination, inside a sentence
        ("他说：網 絡 賭 博，快來", &[("网络赌博", "gambling", 3, 10)]),
    ];
    for &(text, expected) in table {
        check(&engine, text, expected);
    }
}

#[test]
fn separators_do_not_join_across_sentence_boundaries() {
    let engine = engine();
    for text in [
        "今天打赌。博物馆开门了",
        "打赌，博物馆",
        "打赌！博物馆",
        "打赌？博物馆",
        "打赌；博物馆",
        "打赌、博物馆",
        "打赌…博物馆",
        "打赌\n博物馆",
        "打赌\r\n博物馆",
        "打赌,博物馆",
    ] {
        check(&engine, text, &[]);
    }
    // …while the same characters with a filler in between do match.
    check(&engine, "打赌-博物馆", &[("赌博", "gambling", 1, 4)]);
}

#[test]
fn allow_list_wins_over_the_shorter_term_inside() {
    let engine = engine();
    check(&engine, "三黄片是中成药", &[]);
    check(&engine, "有人卖黄片", &[("黄片", "porn", 3, 5)]);
    check(&engine, "路口交通拥堵", &[]);
    check(&engine, "出口交易额", &[]);
    check(&engine, "口交", &[("口交", "porn", 0, 2)]);
    // The allow-list entry also folds: 三 黃 片 is still the medicine.
    check(&engine, "三 黃 片", &[]);
}

#[test]
fn offsets_count_unicode_scalar_values_of_the_original() {
    let engine = engine();
    // 😀 is one scalar value (two UTF-16 units, four UTF-8 bytes).
    let screening = engine.screen("😀😀赌\u{200b}\u{200b}博😀");
    assert_eq!(hits(&screening), vec![("赌博".into(), "gambling".into(), 2, 6)]);
    let text: Vec<char> = "😀😀赌\u{200b}\u{200b}博😀".chars().collect();
    let span: String = text[2..6].iter().collect();
    assert_eq!(span, "赌\u{200b}\u{200b}博");
}

#[test]
fn priority_category_and_junk() {
    let engine = engine();
    let table: &[(&str, Priority, Option<&str>, Option<JunkReason>)] = &[
        ("我真的不想活了", Priority::Urgent, Some("other_online"), None),
        ("不想活了", Priority::Urgent, Some("other_online"), None),
        ("再吵就炸死你们全家", Priority::Urgent, Some("terror"), None),
        ("朋友圈有人在做刷单返利的兼职", Priority::High, Some("fraud"), None),
        ("小区门口每天有人闯红灯", Priority::Normal, Some("red_light"), None),
        ("这个链接weibo.com/123有问题", Priority::Normal, None, None),
        ("今天天气很好我们去公园玩", Priority::Low, None, None),
        ("啊啊啊啊啊啊啊啊", Priority::Low, None, Some(JunkReason::Repeated)),
        ("哈哈哈哈嘿哈哈哈哈", Priority::Low, None, Some(JunkReason::Repeated)),
        ("举报", Priority::Low, None, Some(JunkReason::TooShort)),
        ("？？？！！！😀😀", Priority::Low, None, Some(JunkReason::NoContent)),
        ("", Priority::Low, None, Some(JunkReason::NoContent)),
    ];
    for &(text, priority, category, junk) in table {
        let screening = engine.screen(text);
        assert_eq!(
            (screening.priority, screening.category.as_deref(), screening.junk_reason),
            (priority, category, junk),
            "text {text:?}"
        );
        assert_eq!(screening.junk, junk.is_some());
    }
}

#[test]
fn the_category_with_the_most_severity_is_suggested() {
    let engine = engine();
    // gambling 3 + 4 against fraud 3
    let screening = engine.screen("网赌和赌博，还有刷单");
    assert_eq!(screening.category.as_deref(), Some("gambling"));
}

#[test]
fn pii_is_found_and_masked() {
    let engine = engine();
    let text = "他的电话是138 1234 5678，身份证11010519491231002X，邮箱zs@qq.com";
    let screening = engine.screen(text);
    let kinds: Vec<PiiKind> = screening.pii.iter().map(|p| p.kind).collect();
    assert_eq!(kinds, vec![PiiKind::Mobile, PiiKind::IdNumber, PiiKind::Email]);
    assert_eq!(mask_pii(text, &screening.pii), "他的电话是138****5678，身份证110***********002X，邮箱z***@qq.com");
}

#[test]
fn screening_never_fails_on_odd_text() {
    let engine = engine();
    let long = "赌".repeat(100_000);
    for text in
        ["", "\u{0}", "\u{feff}", "\u{10ffff}", "\r\n\r\n", "@@@@", "1-2-3-4-5-6-7-8-9-0-1-2-3-4", long.as_str()]
    {
        let screening = engine.screen(text);
        assert_eq!(screening.rule_pack_version, engine.rule_pack_version());
    }
}

#[test]
fn screening_round_trips_through_serde() {
    let engine = engine();
    let text = "網絡賭博看https://t.cn/abc 电话13812345678";
    let screening = engine.screen_with_fingerprint(text);
    let json = serde_json::to_string(&screening).unwrap();
    assert!(json.contains("\"fingerprint\":\""), "fingerprint is a hex string: {json}");
    let back: Screening = serde_json::from_str(&json).unwrap();
    assert_eq!(back, screening);
    // Without the fingerprint the field is absent from the JSON and reads back as None.
    let plain = engine.screen(text);
    let json = serde_json::to_string(&plain).unwrap();
    assert!(!json.contains("fingerprint"), "{json}");
    assert_eq!(serde_json::from_str::<Screening>(&json).unwrap(), plain);
}

/// `screen` is `screen_with_fingerprint` minus the fingerprint, and the fingerprint is the
/// stand-alone `fingerprint` of the text (the browser's "already refuted" hint and the worker's
/// stored value agree), for both packs and a range of texts.
#[test]
fn fingerprint_is_separate_and_identical() {
    let list = TermList::parse_tsv(DEMO).unwrap();
    let packs = compile(&list, &CompileOptions { label: "demo".into(), ..Default::default() }).unwrap();
    for pack in [&packs.server, &packs.browser] {
        let engine = Engine::from_pack(pack).unwrap();
        for text in [
            "",
            "網絡賭博看https://t.cn/abc 电话13812345678",
            "法 轮 功，赌\u{200b}博。ＡＢＣ",
            "哈哈哈哈哈哈",
            "路口交通三黄片",
        ] {
            let with = engine.screen_with_fingerprint(text);
            assert_eq!(with.fingerprint, Some(fingerprint(text)), "{text}");
            let mut without = engine.screen(text);
            assert_eq!(without.fingerprint, None);
            without.fingerprint = with.fingerprint;
            assert_eq!(without, with, "{text}");
        }
    }
}

#[test]
fn browser_pack_hides_protected_terms_but_still_finds_them() {
    let list = TermList::parse_tsv(DEMO).unwrap();
    let packs = compile(&list, &CompileOptions { label: "demo".into(), ..Default::default() }).unwrap();
    let server = Engine::from_pack(&packs.server).unwrap();
    let browser = Engine::from_pack(&packs.browser).unwrap();
    assert_eq!(server.pack_kind(), PackKind::Server);
    assert_eq!(browser.pack_kind(), PackKind::Browser);
    assert_eq!(server.rule_pack_version(), browser.rule_pack_version());
    for protected in list.entries.iter().filter(|e| e.flags.protected) {
        for needle in [protected.term.as_str(), protected.folded.as_str()] {
            assert!(
                !packs.browser.windows(needle.len()).any(|w| w == needle.as_bytes()),
                "{needle} is readable in the browser pack"
            );
        }
    }
    // Same findings from both packs, protected terms included.
    for text in ["有人在宣传法 輪 功，还说六4", "示例敏感词和网络赌博", "三黄片，路口交通，儿童色情", "今天天气不错"]
    {
        assert_eq!(browser.screen(text), server.screen(text), "text {text:?}");
    }
    let screening = browser.screen("有人在宣传法 輪 功");
    assert!(screening.matches[0].protected);
    assert_eq!(screening.priority, Priority::High);

    // With protected terms omitted the browser does not find them; the worker will.
    let omitted =
        compile(&list, &CompileOptions { protected_in_browser: ProtectedInBrowser::Omitted, ..Default::default() })
            .unwrap();
    let browser = Engine::from_pack(&omitted.browser).unwrap();
    assert!(browser.screen("有人在宣传法輪功").matches.is_empty());
    assert!(omitted.browser.len() < packs.browser.len());
}

#[test]
fn packs_are_deterministic_and_damage_is_detected() {
    let list = TermList::parse_tsv(DEMO).unwrap();
    let options = CompileOptions::default();
    let first = compile(&list, &options).unwrap();
    assert_eq!(first, compile(&list, &options).unwrap());

    let mut flipped = first.server.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 1;
    let table: Vec<(Vec<u8>, PackError)> = vec![
        (b"NOPE".to_vec(), PackError::BadMagic),
        (first.server[..10].to_vec(), PackError::Truncated { section: "header" }),
        (first.server[..first.server.len() - 5].to_vec(), PackError::Checksum),
        (flipped, PackError::Checksum),
        (
            {
                let mut v = first.server.clone();
                v[4] = 9;
                v
            },
            PackError::UnsupportedFormat { found: 9 },
        ),
    ];
    for (bytes, expected) in table {
        assert_eq!(Engine::from_pack(&bytes).unwrap_err(), expected);
    }
}

#[test]
fn near_duplicates_of_a_refutation_are_found() {
    let mut index = FingerprintIndex::new();
    index.insert("r1", fingerprint("网传本市明天起全面封城，所有超市关门，请大家抓紧囤货"));
    index.insert("r2", fingerprint("网传某小区拆迁补偿每平方米五万元，经核实为谣言"));
    index.insert("r3", fingerprint("喝板蓝根可以预防新冠病毒感染的说法没有科学依据"));
    let report = "網傳本市明天起全面封城！所有超市關門，請大家抓緊囤貨！！";
    let found = index.closest(fingerprint(report), qinglang_engine::DEFAULT_MIN_SIMILARITY).unwrap();
    assert_eq!(found.id, "r1");
    assert!(found.similarity > 0.9, "{found:?}");
    let unrelated = fingerprint("我家楼下的路灯坏了好几天了一直没有人修");
    assert_eq!(index.closest(unrelated, qinglang_engine::DEFAULT_MIN_SIMILARITY), None);
    // The index serialises compactly and comes back equal.
    let json = serde_json::to_string(&index).unwrap();
    assert_eq!(serde_json::from_str::<FingerprintIndex>(&json).unwrap(), index);
}

#[test]
fn an_engine_can_be_shared_between_threads_and_requests() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Engine>();
    assert_send_sync::<FingerprintIndex>();
}

/// Regression: `term` is cached per rule, and a `digits` rule has several spellings; each hit
/// must still report the spelling it matched, not the first one seen.
#[test]
fn digits_rule_reports_each_spelling_it_matched() {
    let engine = Engine::from_tsv("term\tcategory\tseverity\tflags\n六四\tpolitical\t5\tdigits\n", "t").unwrap();
    check(
        &engine,
        "六四。64。6四。六四",
        &[
            ("六四", "political", 0, 2),
            ("64", "political", 3, 5),
            ("6四", "political", 6, 8),
            ("六四", "political", 9, 11),
        ],
    );
}
