//! Personal data shown to staff masked: the engine's findings give each piece of personal data as a
//! span of the original text (Unicode scalar values, end exclusive) and its masked rendering
//! (138****5678); [`mask_spans`] writes the text with every span replaced. Used by the worker for
//! queue excerpts and by the console for the case page, so both show the same text.

/// Replaces each `(start, end, masked)` span of `text` (character offsets, end exclusive) by
/// `masked`. Spans outside the text, empty or overlapping an earlier span are skipped.
pub fn mask_spans<'a>(text: &str, spans: impl IntoIterator<Item = (usize, usize, &'a str)>) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut spans: Vec<(usize, usize, &str)> =
        spans.into_iter().filter(|&(start, end, _)| start < end && end <= chars.len()).collect();
    spans.sort_by_key(|&(start, _, _)| start);
    let mut out = String::with_capacity(text.len());
    let mut at = 0usize;
    for (start, end, masked) in spans {
        if start < at {
            continue;
        }
        out.extend(&chars[at..start]);
        out.push_str(masked);
        at = end;
    }
    out.extend(&chars[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::mask_spans;

    #[test]
    fn replaces_spans_by_character_offsets() {
        let text = "电话13912345678，邮箱a@b.cn";
        assert_eq!(mask_spans(text, [(2, 13, "139****5678")]), "电话139****5678，邮箱a@b.cn");
        assert_eq!(mask_spans(text, [(16, 22, "a***"), (2, 13, "139****5678")]), "电话139****5678，邮箱a***");
    }

    #[test]
    fn skips_bad_spans() {
        let text = "一二三四五";
        assert_eq!(mask_spans(text, [(3, 3, "x"), (4, 9, "x"), (6, 7, "x")]), text);
        assert_eq!(mask_spans(text, [(0, 3, "A"), (1, 4, "B")]), "A四五");
    }
}
