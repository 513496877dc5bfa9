//! A generated evasion corpus: every demo term × every evasion transformation, embedded in a
//! sentence, with recall printed per class (`cargo test -p qinglang-engine evasion_corpus --
//! --nocapture`). The negative class splits terms with sentence punctuation, which must never
//! match. Lives inside the crate because it inverts the private folding table.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::fold_table::{FOLD_ASTRAL, FOLD_BMP};
use crate::{Engine, TermList};

const DEMO: &str = include_str!("../data/demo-terms.tsv");

/// A small deterministic generator (no randomness in tests either).
struct Lcg(u64);

impl Lcg {
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        &items[((self.0 >> 33) as usize) % items.len()]
    }
}

/// All characters that fold to `c` and whose code point lies in `range`.
fn sources_of(c: char, range: std::ops::RangeInclusive<u32>) -> Vec<char> {
    let bmp = FOLD_BMP.iter().map(|&(k, v)| (u32::from(k), u32::from(v)));
    let astral = FOLD_ASTRAL.iter().copied();
    bmp.chain(astral)
        .filter(|&(k, v)| v == c as u32 && range.contains(&k))
        .filter_map(|(k, _)| char::from_u32(k))
        .collect()
}

fn replace_chars(term: &str, mut f: impl FnMut(char) -> Option<char>) -> Option<String> {
    let out: String = term.chars().map(|c| f(c).unwrap_or(c)).collect();
    (out != term).then_some(out)
}

fn interleave(term: &str, rng: &mut Lcg, fillers: &[&str]) -> Option<String> {
    let chars: Vec<char> = term.chars().collect();
    if chars.len() < 2 {
        return None;
    }
    let mut out = String::new();
    for (i, c) in chars.iter().enumerate() {
        if i > 0 {
            let filler: &&str = rng.pick(fillers);
            out.push_str(filler);
        }
        out.push(*c);
    }
    Some(out)
}

type Transform = fn(&str, &mut Lcg) -> Option<String>;

fn traditional(term: &str, _: &mut Lcg) -> Option<String> {
    replace_chars(term, |c| sources_of(c, 0x3400..=0x9FFF).first().copied())
}
fn full_width(term: &str, _: &mut Lcg) -> Option<String> {
    replace_chars(term, |c| {
        c.is_ascii_graphic().then(|| char::from_u32(c.to_ascii_uppercase() as u32 + 0xFEE0)).flatten()
    })
}
fn upper_case(term: &str, _: &mut Lcg) -> Option<String> {
    replace_chars(term, |c| c.is_ascii_lowercase().then(|| c.to_ascii_uppercase()))
}
fn radicals(term: &str, _: &mut Lcg) -> Option<String> {
    replace_chars(term, |c| sources_of(c, 0x2E80..=0x2FDF).first().copied())
}
fn compat_ideographs(term: &str, _: &mut Lcg) -> Option<String> {
    replace_chars(term, |c| {
        let mut found = sources_of(c, 0xF900..=0xFAFF);
        found.extend(sources_of(c, 0x2F800..=0x2FA1F));
        found.first().copied()
    })
}
fn digit_variants(term: &str, rng: &mut Lcg) -> Option<String> {
    const CN: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    replace_chars(term, |c| {
        let d = CN.iter().position(|&x| x == c)?;
        let forms = [
            char::from_digit(d as u32, 10)?,
            char::from_u32(0xFF10 + d as u32)?,
            if d == 0 { '⓪' } else { char::from_u32(0x2460 + d as u32 - 1)? },
            if d == 0 { '零' } else { char::from_u32(0x2474 + d as u32 - 1)? },
        ];
        Some(*rng.pick(&forms))
    })
}
fn separators(term: &str, rng: &mut Lcg) -> Option<String> {
    interleave(term, rng, &[" ", "@", "*", ".", "·", "_", "丶", "~", "🎲", "-", "\u{3000}", "|", "/", "#", "  "])
}
fn zero_width(term: &str, rng: &mut Lcg) -> Option<String> {
    interleave(term, rng, &["\u{200b}", "\u{200c}", "\u{200d}", "\u{2060}", "\u{feff}", "\u{ad}"])
}
fn homoglyphs(term: &str, _: &mut Lcg) -> Option<String> {
    replace_chars(term, |c| match c {
        'a' => Some('а'),
        'o' => Some('о'),
        'e' => Some('е'),
        'x' => Some('х'),
        'v' => Some('ν'),
        '口' => Some('ロ'),
        '二' => Some('ニ'),
        '工' => Some('エ'),
        '力' => Some('カ'),
        '八' => Some('ハ'),
        '一' => Some('ー'),
        _ => None,
    })
}
fn traditional_and_separators(term: &str, rng: &mut Lcg) -> Option<String> {
    separators(&traditional(term, rng)?, rng)
}
fn boundary_split(term: &str, rng: &mut Lcg) -> Option<String> {
    interleave(term, rng, &["。", "，", "！", "？", "\n", "、", "；", "…", ",", "!", "?", ";"])
}

#[test]
fn evasion_corpus_recall_per_class() {
    let list = TermList::parse_tsv(DEMO).unwrap();
    let engine = Engine::from_term_list(&list, "demo").unwrap();
    let classes: [(&str, Transform, bool); 11] = [
        ("traditional", traditional, true),
        ("full_width", full_width, true),
        ("upper_case", upper_case, true),
        ("radicals", radicals, true),
        ("compat_ideographs", compat_ideographs, true),
        ("digit_variants", digit_variants, true),
        ("separators", separators, true),
        ("zero_width", zero_width, true),
        ("homoglyphs", homoglyphs, true),
        ("traditional+separators", traditional_and_separators, true),
        ("boundary_split (must not match)", boundary_split, false),
    ];
    let contexts = ["有人在群里发{}，请处理", "我看到{}", "朋友圈：{}！太过分了", "他说{}然后走了", "{}"];
    let mut rng = Lcg(2026);
    println!("{:<34} {:>6} {:>6} {:>8}", "class", "cases", "hits", "recall");
    for (name, transform, should_match) in classes {
        let (mut cases, mut found) = (0u32, 0u32);
        let mut misses = Vec::new();
        for entry in list.entries.iter().filter(|e| !e.flags.allow) {
            let applicable_term =
                if name == "digit_variants" && !entry.flags.digits { None } else { transform(&entry.term, &mut rng) };
            let Some(variant) = applicable_term else { continue };
            let context = rng.pick(&contexts);
            let context: &str = context;
            let prefix_len = context.find("{}").map_or(0, |i| context[..i].chars().count()) as u32;
            let text = context.replacen("{}", &variant, 1);
            let span = (prefix_len, prefix_len + variant.chars().count() as u32);
            let category = entry.category.clone().unwrap_or_default();
            let hit = engine.screen(&text).matches.iter().any(|m| {
                *m.category == *category
                    && m.start >= span.0
                    && m.end <= span.1
                    && m.term.chars().count() == entry.folded.chars().count()
            });
            cases += 1;
            if hit {
                found += 1;
            } else {
                misses.push(variant);
            }
        }
        let recall = if cases == 0 { 1.0 } else { f64::from(found) / f64::from(cases) };
        println!("{name:<34} {cases:>6} {found:>6} {recall:>8.3}");
        if should_match {
            assert!(cases > 0, "class {name} generated no case");
            assert_eq!(found, cases, "class {name} missed {misses:?}");
        } else {
            assert_eq!(found, 0, "class {name} joined across a boundary");
        }
    }
}
