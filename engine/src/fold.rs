//! Folding: turn report text into the canonical form the term dictionary is matched against,
//! while remembering where every folded character came from in the original text.
//!
//! One pass over the text does all of it: traditional → simplified (OpenCC single characters),
//! full-width → half-width, case folding, compatibility forms and look-alikes (Kangxi radicals,
//! circled digits, math letters, Cyrillic/Greek homoglyphs), financial numerals, and dropping
//! separators inserted between the characters of a word. The per-character mapping is a
//! generated table (`fold_table.rs`); see `data/gen_fold_table.py`.
//!
//! *Architecture invariant:* terms are folded with the same [`fold_into`] as report text, so a
//! term matches exactly when its folded form occurs in the folded text.
//!
//! What counts as a separator (dropped) and what as a boundary (kept, so that no term can match
//! across it) is decided by [`class_of`]:
//! - word characters (letters, digits, ideographs) are kept;
//! - sentence and clause punctuation (`。！？；，、…` and their ASCII forms, line breaks) are
//!   boundaries: 法。轮到你了 must not produce 法轮;
//! - whitespace is dropped between ideographs (法 轮 → 法轮) but kept as one space between two
//!   ASCII letters or digits, because Latin words are space-delimited ("is exactly" must not
//!   become "isexactly", which contains "sex");
//! - everything else (symbols, emoji, `@#*-_./`, zero-width and other format characters) is a
//!   separator and dropped (傻@逼, 赌\u{200b}博 → 傻逼, 赌博). The ASCII full stop is a separator
//!   on purpose: Chinese ends sentences with 。, while `.` between hanzi is a common filler.

use crate::fingerprint::{Fingerprint, SimHasher};
use crate::fold_table::{BMP_MAPPED, FOLD_ASTRAL, FOLD_BMP, FOLD_MULTI};

/// What a folded character is for matching purposes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Class {
    /// A letter, digit or ideograph: kept.
    Word,
    /// Sentence or clause punctuation: kept, and no term contains one.
    Boundary,
    /// Whitespace: kept as one space between ASCII alphanumerics, otherwise dropped.
    Space,
    /// Anything else: dropped.
    Separator,
}

/// The folding of one character.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mapped {
    One(char),
    Many(&'static str),
}

/// Folds one character (without looking at its neighbours).
#[inline]
pub(crate) fn fold_char(c: char) -> Mapped {
    let cp = c as u32;
    if cp < 0x80 {
        return Mapped::One(c.to_ascii_lowercase());
    }
    if cp <= 0xFFFF {
        // Most characters of real text have no entry; the bitmap answers that in one load.
        if (BMP_MAPPED[(cp >> 6) as usize] >> (cp & 63)) & 1 == 0 {
            return Mapped::One(c);
        }
        if let Ok(idx) = FOLD_BMP.binary_search_by_key(&(cp as u16), |entry| entry.0) {
            return Mapped::One(char::from_u32(u32::from(FOLD_BMP[idx].1)).unwrap_or(c));
        }
    }
    if let Ok(idx) = FOLD_ASTRAL.binary_search_by_key(&cp, |entry| entry.0) {
        return Mapped::One(char::from_u32(FOLD_ASTRAL[idx].1).unwrap_or(c));
    }
    if let Ok(idx) = FOLD_MULTI.binary_search_by_key(&cp, |entry| entry.0) {
        return Mapped::Many(FOLD_MULTI[idx].1);
    }
    Mapped::One(c)
}

/// Classes of the ASCII characters, indexed by byte (after lower-casing).
const ASCII_CLASS: [Class; 128] = {
    let mut table = [Class::Separator; 128];
    let mut byte = 0;
    while byte < 128 {
        let c = byte as u8;
        table[byte] = if c.is_ascii_alphanumeric() {
            Class::Word
        } else if matches!(c, b'\n' | b'\r' | b'!' | b'?' | b';' | b',' | 0x0b | 0x0c) {
            Class::Boundary
        } else if matches!(c, b' ' | b'\t') {
            Class::Space
        } else {
            Class::Separator
        };
        byte += 1;
    }
    table
};

/// Classifies a folded character.
#[inline]
pub(crate) fn class_of(c: char) -> Class {
    let cp = c as u32;
    if cp < 0x80 {
        return ASCII_CLASS[cp as usize];
    }
    // The CJK unified block is most of the text: answer it before the general tables.
    if (0x4E00..=0x9FFF).contains(&cp) {
        return Class::Word;
    }
    match c {
        '。' | '、' | '…' | '‥' | '\u{85}' | '\u{2028}' | '\u{2029}' => Class::Boundary,
        _ if c.is_alphanumeric() => Class::Word,
        _ if c.is_whitespace() => Class::Space,
        _ => Class::Separator,
    }
}

/// A maximal stretch of the original text that is ASCII once full-width forms are narrowed:
/// where e-mail addresses, phone numbers and links live.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct AsciiRun {
    /// Index (in Unicode scalar values) of the run's first character in the original text.
    pub start: u32,
    /// The run's narrowed bytes; byte `i` is original character `start + i`.
    pub bytes: Vec<u8>,
}

/// The folded text and its fingerprint (tests).
#[cfg(test)]
#[derive(Clone, Debug, Default)]
pub(crate) struct Folded {
    /// The folded text that the dictionary is matched against.
    pub text: String,
    /// SimHash of the word characters of `text`, computed on the way.
    pub fingerprint: Fingerprint,
}

/// Narrows a character to ASCII if it is ASCII or a full-width form of it.
#[inline]
fn narrow(c: char) -> Option<u8> {
    let cp = c as u32;
    if cp < 0x80 {
        Some(cp as u8)
    } else if (0xFF01..=0xFF5E).contains(&cp) {
        Some((cp - 0xFEE0) as u8)
    } else if cp == 0x3000 {
        Some(b' ')
    } else {
        None
    }
}

/// What the folding pass learns about a text besides the folded characters themselves.
#[derive(Clone, Debug, Default)]
pub(crate) struct FoldSummary {
    /// Number of word characters (counted on the original text).
    pub n_word_chars: u32,
    /// ASCII stretches of the original text, for PII and links.
    pub ascii_runs: Vec<AsciiRun>,
    /// SimHash of the word characters of the folded text, computed on the way.
    pub fingerprint: Fingerprint,
    /// Whether the first word characters are mostly repetition (see [`Repetition`]).
    pub repetitive: bool,
}

/// Where the folder hands the folded characters, with the original index of each.
pub(crate) trait FoldSink {
    /// A folded character.
    fn push(&mut self, c: char, orig: u32);
    /// A folded character from the folder's fast path (a CJK ideograph that folds to itself:
    /// most of a Chinese text). The same as [`FoldSink::push`]; a sink whose work per
    /// character is small enough implements it `#[inline(always)]` so that the fast path is
    /// one loop with no call in it.
    #[inline(always)]
    fn push_ideograph(&mut self, c: char, orig: u32) {
        self.push(c, orig);
    }
}

impl<F: FnMut(char, u32)> FoldSink for F {
    #[inline(always)]
    fn push(&mut self, c: char, orig: u32) {
        self(c, orig);
    }
}

/// Folds `text` (see the module documentation for the rules) in one pass, handing every folded
/// character to `sink` as `(folded char, original char index)` in order, without building the
/// folded text: the engine matches the dictionary on the characters as they come.
/// Without `FINGERPRINT` the SimHash is not computed (folding dictionary terms).
#[inline]
pub(crate) fn fold_into<S: FoldSink>(text: &str, sink: S) -> FoldSummary {
    fold_into_with::<true, S>(text, sink)
}

/// [`fold_into`], with the fingerprint computed only when `FINGERPRINT` is true.
#[inline]
pub(crate) fn fold_into_with<const FINGERPRINT: bool, S: FoldSink>(text: &str, mut sink: S) -> FoldSummary {
    let mut summary = FoldSummary::default();
    let mut run: Option<AsciiRun> = None;
    let mut pending_space: Option<u32> = None;
    let mut last_was_ascii_word = false;
    let mut simhash = SimHasher::default();
    let mut repetition = Repetition::default();

    let bytes = text.as_bytes();
    let mut at = 0;
    let mut next_orig = 0u32;
    while at < bytes.len() {
        let orig_idx = next_orig;
        next_orig += 1;
        // Fast path for most of a Chinese text: a CJK ideograph (U+4E00–U+9FFF: three bytes
        // with a lead byte E4–E9) that folds to itself is a word character with nothing else
        // to do (the same steps as the general path below). Decoded here, not by `chars()`,
        // because it is most of the work per character.
        if let Some(&[lead @ 0xE4..=0xE9, b1, b2]) = bytes.get(at..at + 3) {
            let cp = u32::from(lead & 0x0F) << 12 | u32::from(b1 & 0x3F) << 6 | u32::from(b2 & 0x3F);
            if cp >= 0x4E00 && (BMP_MAPPED[(cp >> 6) as usize] >> (cp & 63)) & 1 == 0 {
                // Never a surrogate (those are U+D800–U+DFFF).
                let c = char::from_u32(cp).unwrap_or(char::REPLACEMENT_CHARACTER);
                at += 3;
                if run.is_some() {
                    close_run(&mut run, &mut summary.ascii_runs);
                }
                pending_space = None;
                sink.push_ideograph(c, orig_idx);
                if FINGERPRINT {
                    simhash.push(c);
                }
                repetition.push(c);
                summary.n_word_chars += 1;
                last_was_ascii_word = false;
                continue;
            }
        }
        // `at` is always at the start of a character.
        let c = text.get(at..).and_then(|rest| rest.chars().next()).unwrap_or(char::REPLACEMENT_CHARACTER);
        at += c.len_utf8();
        // ASCII runs are tracked on the original characters, independent of folding.
        match narrow(c) {
            Some(byte) if byte > b' ' || (byte == b' ' && run.is_some()) => {
                run.get_or_insert_with(|| AsciiRun { start: orig_idx, bytes: Vec::with_capacity(32) }).bytes.push(byte);
            }
            _ => {
                if run.is_some() {
                    close_run(&mut run, &mut summary.ascii_runs);
                }
            }
        }

        let mapped = fold_char(c);
        let first = match mapped {
            Mapped::One(f) => f,
            Mapped::Many(s) => s.chars().next().unwrap_or(c),
        };
        match class_of(first) {
            Class::Word => {
                let ascii_word = first.is_ascii();
                if let Some(space_idx) = pending_space.take()
                    && ascii_word
                {
                    sink.push(' ', space_idx);
                }
                match mapped {
                    Mapped::One(f) => {
                        sink.push(f, orig_idx);
                        if FINGERPRINT {
                            simhash.push(f);
                        }
                        repetition.push(f);
                    }
                    Mapped::Many(s) => s.chars().for_each(|f| {
                        sink.push(f, orig_idx);
                        if FINGERPRINT {
                            simhash.push(f);
                        }
                        if class_of(f) == Class::Word {
                            repetition.push(f);
                        }
                    }),
                }
                summary.n_word_chars += 1;
                last_was_ascii_word = ascii_word;
            }
            Class::Boundary => {
                pending_space = None;
                sink.push(first, orig_idx);
                last_was_ascii_word = false;
            }
            Class::Space => {
                if last_was_ascii_word && pending_space.is_none() {
                    pending_space = Some(orig_idx);
                }
            }
            Class::Separator => {}
        }
    }
    close_run(&mut run, &mut summary.ascii_runs);
    if FINGERPRINT {
        summary.fingerprint = simhash.finish();
    }
    summary.repetitive = repetition.is_repetitive();
    summary
}

/// Repetition among the first 256 word characters of the folded text: at most two distinct
/// characters, or one character making up 60 % or more. A long text that starts with real
/// content is not junk, and looking at the start only keeps the check constant-time.
#[derive(Clone, Debug)]
pub(crate) struct Repetition {
    seen: [(char, u32); 9],
    n_seen: usize,
    n: u32,
    /// More than eight distinct characters: not repetition, stop counting.
    varied: bool,
    /// Still counting: neither varied nor past the window (one test per character).
    open: bool,
}

impl Default for Repetition {
    fn default() -> Repetition {
        Repetition { seen: [('\0', 0); 9], n_seen: 0, n: 0, varied: false, open: true }
    }
}

impl Repetition {
    const WINDOW: u32 = 256;

    #[inline(always)]
    fn push(&mut self, c: char) {
        if self.open {
            self.count(c);
        }
    }

    #[inline(never)]
    fn count(&mut self, c: char) {
        self.n += 1;
        let capacity = self.seen.len();
        let seen = &mut self.seen[..self.n_seen];
        match seen.iter_mut().find(|(s, _)| *s == c) {
            Some((_, count)) => *count += 1,
            None if self.n_seen == capacity => self.varied = true,
            None => {
                self.seen[self.n_seen] = (c, 1);
                self.n_seen += 1;
            }
        }
        self.open = !self.varied && self.n < Self::WINDOW;
    }

    fn is_repetitive(&self) -> bool {
        if self.varied {
            return false;
        }
        let top = self.seen[..self.n_seen].iter().map(|&(_, count)| count).max().unwrap_or(0);
        self.n_seen <= 2 || top * 10 >= self.n * 6
    }
}

/// Builds the folded text of `text` (see the module documentation).
#[cfg(test)]
pub(crate) fn fold_text(text: &str) -> Folded {
    let mut out = String::with_capacity(text.len());
    let summary = fold_into(text, |c, _| out.push(c));
    Folded { text: out, fingerprint: summary.fingerprint }
}

fn close_run(run: &mut Option<AsciiRun>, runs: &mut Vec<AsciiRun>) {
    if let Some(mut finished) = run.take() {
        while finished.bytes.last() == Some(&b' ') {
            finished.bytes.pop();
        }
        if !finished.bytes.is_empty() {
            runs.push(finished);
        }
    }
}

/// Folds a dictionary term exactly as report text is folded. Boundary characters are kept so
/// that the caller can reject a term that contains one.
pub(crate) fn fold_term(term: &str) -> String {
    fold_plain(term)
}

/// The folded text alone (no fingerprint): [`crate::fold`] and dictionary terms.
pub(crate) fn fold_plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into_with::<false, _>(text, |c, _| out.push(c));
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &str) {
        assert_eq!(fold_text(input).text, expected, "folding {input:?}");
    }

    #[test]
    fn evasion_classes_fold_to_the_plain_form() {
        let table = [
            // traditional → simplified
            ("賭博網站", "赌博网站"),
            ("臺灣", "台湾"),
            // full-width and case
            ("ＡＢＣ１２３", "abc123"),
            ("SeX", "sex"),
            // Kangxi radicals and radical supplement look-alikes
            ("⼀⻄⽅", "一西方"),
            // digit variants
            ("①⑴９", "119"),
            ("⑩", "10"),
            ("壹贰叁", "一二三"),
            // separators and zero-width characters between characters
            ("傻@逼", "傻逼"),
            ("法 轮", "法轮"),
            ("赌\u{200b}博", "赌博"),
            ("赌🎲博", "赌博"),
            ("法.轮.功", "法轮功"),
            ("傻丶逼", "傻逼"),
            // homoglyphs
            ("ѕех", "sex"),
            ("ロ交", "口交"),
        ];
        for (input, expected) in table {
            check(input, expected);
        }
    }

    #[test]
    fn boundaries_are_kept() {
        check("法。轮", "法。轮");
        check("法，轮", "法,轮");
        check("法！轮", "法!轮");
        check("法\n轮", "法\n轮");
        check("法、轮", "法、轮");
    }

    #[test]
    fn spaces_between_latin_words_are_kept_once() {
        check("is  exactly", "is exactly");
        check("hello - world", "hello world");
        check("赌 app", "赌app");
        check("app 赌", "app赌");
    }

    #[test]
    fn offsets_map_back() {
        let mut pairs = Vec::new();
        fold_into("傻 @ 逼⑩x", |c, orig| pairs.push((c, orig)));
        assert_eq!(pairs, vec![('傻', 0), ('逼', 4), ('1', 5), ('0', 5), ('x', 6)]);
        let mut pairs = Vec::new();
        fold_into("ab  cd", |c, orig| pairs.push((c, orig)));
        assert_eq!(pairs, vec![('a', 0), ('b', 1), (' ', 2), ('c', 4), ('d', 5)]);
    }

    #[test]
    fn ascii_runs_are_collected_on_the_original() {
        let summary = fold_into("电话：１３８ 1234 5678。邮箱a@b.cn", |_, _| {});
        let runs: Vec<(u32, String)> =
            summary.ascii_runs.iter().map(|r| (r.start, String::from_utf8(r.bytes.clone()).unwrap())).collect();
        assert_eq!(runs, vec![(2, ":138 1234 5678".to_string()), (19, "a@b.cn".to_string())]);
    }
}
