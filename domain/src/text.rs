//! What counts as visible text, and how free text is cleaned before anyone sees it.
//!
//! Every free-text field (a report's description, platform, account, place and contact name; staff
//! notes, replies and reasons; refutation text; ratings' comments; display names …) goes through
//! [`clean`] and is measured with [`visible_len`], in the app for the inline error and in the worker
//! as the authority.
//!
//! - **Invisible** ([`is_invisible`]): white space, control characters, Unicode's default-ignorable
//!   code points (zero-width space and joiners, soft hyphen, word joiner, byte-order mark, the
//!   Hangul and Mongolian fillers, variation selectors, tag characters …), the bidirectional
//!   controls, the Braille blank, the interlinear-annotation controls, noncharacters, and the
//!   general-purpose combining-mark blocks (U+0300–036F, 1AB0–1AFF, 1DC0–1DFF, 20D0–20FF, FE20–FE2F,
//!   which can be stacked on nothing). A text needs enough characters outside this set to count
//!   as written; invisible characters inside a visible text are kept (a zero-width joiner inside
//!   an emoji sequence, a variation selector after a symbol).
//! - **Bidirectional controls are stripped** ([`strip_bidi`], part of [`clean`]): U+202A–202E
//!   (embeddings and overrides), U+2066–2069 (isolates), U+200E/200F/061C (marks). A stray
//!   right-to-left override can reorder what staff read ("Trojan Source"); Chinese, English and the
//!   other texts this product takes need none of them, so nothing that is stored contains one.
//!
//! Pure and table-driven; the table is small because it is part of the phone's first load.

use std::borrow::Cow;

/// Ranges of code points (inclusive) that show nothing by themselves, besides white space and
/// control characters, which `char` already knows.
const INVISIBLE: &[(u32, u32)] = &[
    (0x00AD, 0x00AD),   // soft hyphen
    (0x0300, 0x036F),   // combining diacritical marks (incl. U+034F grapheme joiner)
    (0x061C, 0x061C),   // Arabic letter mark
    (0x115F, 0x1160),   // Hangul choseong and jungseong fillers
    (0x17B4, 0x17B5),   // Khmer inherent vowels
    (0x180B, 0x180F),   // Mongolian free variation selectors, vowel separator
    (0x1AB0, 0x1AFF),   // combining diacritical marks extended
    (0x1DC0, 0x1DFF),   // combining diacritical marks supplement
    (0x200B, 0x200F),   // zero-width space, non-joiner, joiner; left-to-right and right-to-left marks
    (0x202A, 0x202E),   // bidirectional embeddings and overrides
    (0x2060, 0x206F),   // word joiner, invisible operators, bidirectional isolates, deprecated formats
    (0x20D0, 0x20FF),   // combining marks for symbols
    (0x2800, 0x2800),   // Braille pattern blank
    (0x3164, 0x3164),   // Hangul filler
    (0xFDD0, 0xFDEF),   // noncharacters
    (0xFE00, 0xFE0F),   // variation selectors
    (0xFE20, 0xFE2F),   // combining half marks
    (0xFEFF, 0xFEFF),   // byte-order mark, zero-width no-break space
    (0xFFA0, 0xFFA0),   // half-width Hangul filler
    (0xFFF0, 0xFFFB),   // unassigned specials, interlinear annotation controls
    (0x1BCA0, 0x1BCA3), // shorthand format controls
    (0x1D173, 0x1D17A), // musical symbol format controls
    (0xE0000, 0xE0FFF), // tags, variation selectors supplement
];

/// Whether `c` shows nothing by itself (see the module documentation for the set).
pub fn is_invisible(c: char) -> bool {
    let n = c as u32;
    c.is_whitespace()
        || c.is_control()
        || n & 0xFFFE == 0xFFFE
        || INVISIBLE
            .binary_search_by(|&(lo, hi)| {
                if hi < n {
                    std::cmp::Ordering::Less
                } else if lo > n {
                    std::cmp::Ordering::Greater
                } else {
                    std::cmp::Ordering::Equal
                }
            })
            .is_ok()
}

/// Whether `c` is a bidirectional control (embedding, override, isolate or mark).
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// How many characters of `text` can be seen.
pub fn visible_len(text: &str) -> usize {
    text.chars().filter(|&c| !is_invisible(c)).count()
}

/// `text` without bidirectional controls (borrowed when it had none).
pub fn strip_bidi(text: &str) -> Cow<'_, str> {
    if text.chars().any(is_bidi_control) {
        Cow::Owned(text.chars().filter(|&c| !is_bidi_control(c)).collect())
    } else {
        Cow::Borrowed(text)
    }
}

/// The text as it is stored and shown: bidirectional controls removed, and white space, control
/// characters and zero-width spaces trimmed from both ends (joiners and variation selectors stay:
/// they belong to the character before them).
pub fn clean(text: &str) -> String {
    let edge = |c: char| c.is_whitespace() || c.is_control() || matches!(c, '\u{200B}' | '\u{2060}' | '\u{FEFF}');
    strip_bidi(text).trim_matches(edge).to_owned()
}

/// [`clean`], and empty when nothing of it can be seen: for fields where invisible-only text is
/// the same as no text (a staff note, a reason, a name), so the field's own "required" refusal
/// answers it.
pub fn written(text: &str) -> String {
    let cleaned = clean(text);
    if visible_len(&cleaned) == 0 { String::new() } else { cleaned }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_invisible_table_is_sorted_and_disjoint() {
        for pair in INVISIBLE.windows(2) {
            assert!(pair[0].0 <= pair[0].1 && pair[0].1 < pair[1].0, "{pair:?}");
        }
    }

    #[test]
    fn visible_length_ignores_what_shows_nothing() {
        let check = |text: &str, expected: usize| assert_eq!(visible_len(text), expected, "{text:?}");
        check("", 0);
        check("\u{200b}\u{200b}\u{200b}\u{200b}\u{200b}", 0);
        check("\u{feff}\u{feff}\u{feff}\u{feff}", 0);
        check("\u{202e}\u{202e}\u{202e}\u{202e}", 0);
        check("\u{2066}\u{2069}\u{200e}\u{200f}", 0);
        check("\u{3164}\u{3164}\u{115f}\u{ffa0}", 0);
        check("\u{2800}\u{2800}\u{2800}\u{2800}", 0);
        check("\u{fe0f}\u{fe0e}\u{e0041}\u{e0100}", 0);
        check("\u{0301}\u{0301}\u{0301}\u{0301}\u{20dd}", 0);
        check("\u{00a0}\u{3000}\u{2028}\t\n", 0);
        check("\u{00ad}\u{034f}\u{180e}\u{2060}", 0);
        check("\u{fffe}\u{ffff}\u{1fffe}\u{fdd0}", 0);
        check("刷单返利", 4);
        check("刷\u{200b}单\u{200b}返\u{200b}利", 4);
        check("e\u{0301}", 1);
        check("👨\u{200d}👩\u{200d}👧", 3);
        check("❤\u{fe0f}", 1);
        check("ส้้้้้", 6); // Thai marks outside the generic blocks count; they come with a base
    }

    #[test]
    fn clean_strips_bidi_controls_and_trims_invisible_edges() {
        let check = |text: &str, expected: &str| assert_eq!(clean(text), expected, "{text:?}");
        check("  冒充客服  ", "冒充客服");
        check("\u{200b}\u{feff}冒充客服\u{200b}\u{3000}", "冒充客服");
        check("abc\u{202e}fed\u{202c}", "abcfed");
        check("\u{2067}מילה\u{2069} 号", "מילה 号");
        check("❤\u{fe0f}", "❤\u{fe0f}");
        check("a\u{200d}b", "a\u{200d}b");
        assert!(matches!(strip_bidi("无控制符"), Cow::Borrowed(_)));
        assert_eq!(written("\u{200b}\u{202e}\u{3164}"), "");
        assert_eq!(written(" 说明\u{202e} "), "说明");
    }
}
