//! Personal information: mainland mobile numbers, resident ID numbers, bank cards, e-mail.
//!
//! Scans the ASCII runs of the original text (full-width digits already narrowed by the
//! folding pass), so 13８ 1234-5678 is found as well as 13812345678. Digits may be grouped by
//! single spaces or dashes; groups are tried as a whole and, failing that, as shorter
//! consecutive stretches, so a number next to an unrelated one is still found.
//!
//! Checks are strict on purpose: an ID number needs a real calendar date and the GB 11643
//! check digit, a bank card the Luhn check. A warning about someone's data that fires on
//! every order number would be ignored.

use crate::fold::AsciiRun;
use crate::screening::{PiiFinding, PiiKind};

/// A group of digits between joiners, as byte offsets into the run.
#[derive(Clone, Copy)]
struct Group {
    start: usize,
    end: usize,
}

/// Appends the PII found in the runs to `out`.
pub(crate) fn scan(runs: &[AsciiRun], out: &mut Vec<PiiFinding>) {
    for run in runs {
        let bytes = run.bytes.as_slice();
        if !bytes.iter().any(|b| b.is_ascii_digit() || *b == b'@') {
            continue;
        }
        let first_new = out.len();
        let emails = scan_emails(run, out);
        scan_numbers(run, &emails, out);
        out[first_new..].sort_by_key(|f| f.start);
    }
}

fn is_email_local(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-')
}

fn is_domain_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-')
}

/// Finds e-mail addresses; returns their byte spans so numbers inside them are skipped.
fn scan_emails(run: &AsciiRun, out: &mut Vec<PiiFinding>) -> Vec<(usize, usize)> {
    let bytes = run.bytes.as_slice();
    let mut spans = Vec::new();
    let mut search_from = 0;
    while let Some(at) = bytes[search_from..].iter().position(|&b| b == b'@').map(|p| p + search_from) {
        search_from = at + 1;
        let mut start = at;
        while start > 0 && is_email_local(bytes[start - 1]) {
            start -= 1;
        }
        while start < at && matches!(bytes[start], b'.' | b'-' | b'+') {
            start += 1;
        }
        let mut end = at + 1;
        while end < bytes.len() && is_domain_byte(bytes[end]) {
            end += 1;
        }
        while end > at + 1 && matches!(bytes[end - 1], b'.' | b'-') {
            end -= 1;
        }
        if start == at || spans.last().is_some_and(|&(_, last_end)| start < last_end) {
            continue;
        }
        let domain = &bytes[at + 1..end];
        if !valid_domain(domain) {
            continue;
        }
        let local = &bytes[start..at];
        let mut masked = String::with_capacity(end - start + 3);
        masked.push(char::from(local[0]));
        masked.push_str("***@");
        masked.extend(domain.iter().map(|&b| char::from(b.to_ascii_lowercase())));
        out.push(PiiFinding {
            kind: PiiKind::Email,
            start: run.start + start as u32,
            end: run.start + end as u32,
            masked,
        });
        spans.push((start, end));
        search_from = end;
    }
    spans
}

/// A domain with at least two labels, no empty label, and an alphabetic top-level label.
pub(crate) fn valid_domain(domain: &[u8]) -> bool {
    let mut labels = domain.split(|&b| b == b'.');
    let mut n_labels = 0;
    let mut last: &[u8] = &[];
    for label in labels.by_ref() {
        if label.is_empty() || label.first() == Some(&b'-') || label.last() == Some(&b'-') {
            return false;
        }
        n_labels += 1;
        last = label;
    }
    n_labels >= 2 && last.len() >= 2 && last.iter().all(u8::is_ascii_alphabetic)
}

fn scan_numbers(run: &AsciiRun, emails: &[(usize, usize)], out: &mut Vec<PiiFinding>) {
    let bytes = run.bytes.as_slice();
    let mut idx = 0;
    while idx < bytes.len() {
        if !bytes[idx].is_ascii_digit() {
            idx += 1;
            continue;
        }
        // Collect one chain of digit groups joined by single spaces or dashes. An `X` ends a
        // group (the ID check digit).
        let mut groups: Vec<Group> = Vec::new();
        let mut pos = idx;
        loop {
            let start = pos;
            while pos < bytes.len() && bytes[pos].is_ascii_digit() {
                pos += 1;
            }
            if pos < bytes.len() && matches!(bytes[pos], b'X' | b'x') {
                pos += 1;
                groups.push(Group { start, end: pos });
                break;
            }
            groups.push(Group { start, end: pos });
            let joined = pos + 1 < bytes.len()
                && matches!(bytes[pos], b' ' | b'-')
                && bytes[pos + 1].is_ascii_digit()
                && groups.len() < 12;
            if !joined {
                break;
            }
            pos += 1;
        }
        // A number glued to letters (order ids, hashes, URLs) is not one of ours.
        let glued_before = idx > 0 && bytes[idx - 1].is_ascii_alphabetic();
        let last_end = groups.last().map_or(pos, |g| g.end);
        let glued_after = last_end < bytes.len() && bytes[last_end].is_ascii_alphabetic();
        if !glued_before && !glued_after {
            find_in_chain(run, &groups, emails, out);
        }
        idx = pos.max(idx + 1);
    }
}

fn find_in_chain(run: &AsciiRun, groups: &[Group], emails: &[(usize, usize)], out: &mut Vec<PiiFinding>) {
    let bytes = run.bytes.as_slice();
    let mut first = 0;
    while first < groups.len() {
        let mut found = false;
        for last in (first..groups.len()).rev() {
            let digits: Vec<u8> =
                groups[first..=last].iter().flat_map(|g| bytes[g.start..g.end].iter().copied()).collect();
            if digits.len() > 19 || digits.len() < 11 {
                continue;
            }
            let Some(kind) = classify(&digits) else { continue };
            let (start, end) = (groups[first].start, groups[last].end);
            if emails.iter().any(|&(s, e)| start < e && s < end) {
                continue;
            }
            out.push(PiiFinding {
                kind,
                start: run.start + start as u32,
                end: run.start + end as u32,
                masked: mask(kind, &digits),
            });
            first = last + 1;
            found = true;
            break;
        }
        if !found {
            first += 1;
        }
    }
}

/// What a run of digits is, if it is personal information.
fn classify(digits: &[u8]) -> Option<PiiKind> {
    let numeric = digits.iter().all(u8::is_ascii_digit);
    match digits.len() {
        11 if numeric && is_mobile(digits) => Some(PiiKind::Mobile),
        13 if numeric && digits.starts_with(b"86") && is_mobile(&digits[2..]) => Some(PiiKind::Mobile),
        18 if is_id_number(digits) => Some(PiiKind::IdNumber),
        16..=19 if numeric && digits[0] != b'0' && luhn(digits) => Some(PiiKind::BankCard),
        _ => None,
    }
}

fn is_mobile(digits: &[u8]) -> bool {
    digits.len() == 11 && digits[0] == b'1' && (b'3'..=b'9').contains(&digits[1])
}

/// GB 11643-1999: 6-digit region, YYYYMMDD, 3-digit sequence, check digit (0-9 or X).
pub(crate) fn is_id_number(digits: &[u8]) -> bool {
    if digits.len() != 18 || !digits[..17].iter().all(u8::is_ascii_digit) {
        return false;
    }
    if !(b'1'..=b'8').contains(&digits[0]) {
        return false;
    }
    let number =
        |range: std::ops::Range<usize>| digits[range].iter().fold(0u32, |acc, &d| acc * 10 + u32::from(d - b'0'));
    let (year, month, day) = (number(6..10), number(10..12), number(12..14));
    if !(1900..=2099).contains(&year) || !(1..=12).contains(&month) {
        return false;
    }
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days_in_month = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if day == 0 || day > days_in_month {
        return false;
    }
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let sum: u32 = digits[..17].iter().zip(WEIGHTS).map(|(&d, w)| u32::from(d - b'0') * w).sum();
    CHECK[(sum % 11) as usize] == digits[17].to_ascii_uppercase()
}

pub(crate) fn luhn(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let value = u32::from(d - b'0');
            if i % 2 == 1 {
                let doubled = value * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                value
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

fn mask(kind: PiiKind, digits: &[u8]) -> String {
    let digits = if kind == PiiKind::Mobile && digits.len() == 13 { &digits[2..] } else { digits };
    let (keep_front, keep_back) = match kind {
        PiiKind::Mobile => (3, 4),
        PiiKind::IdNumber => (3, 4),
        PiiKind::BankCard => (4, 4),
        PiiKind::Email => (1, 0),
    };
    digits
        .iter()
        .enumerate()
        .map(
            |(i, &d)| {
                if i < keep_front || i + keep_back >= digits.len() { char::from(d.to_ascii_uppercase()) } else { '*' }
            },
        )
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::fold::fold_into;

    fn check(text: &str, expected: &[(PiiKind, u32, u32, &str)]) {
        let mut found = Vec::new();
        scan(&fold_into(text, |_, _| {}).ascii_runs, &mut found);
        let got: Vec<(PiiKind, u32, u32, &str)> =
            found.iter().map(|f| (f.kind, f.start, f.end, f.masked.as_str())).collect();
        assert_eq!(got, expected, "text {text:?}");
    }

    #[test]
    fn mobile_numbers() {
        use PiiKind::Mobile;
        check("电话13812345678", &[(Mobile, 2, 13, "138****5678")]);
        check("138 1234 5678", &[(Mobile, 0, 13, "138****5678")]);
        check("138-1234-5678。", &[(Mobile, 0, 13, "138****5678")]);
        check("１３８１２３４５６７８", &[(Mobile, 0, 11, "138****5678")]);
        check("+86 13812345678", &[(Mobile, 1, 15, "138****5678")]);
        check("订单 2023 13812345678", &[(Mobile, 8, 19, "138****5678")]);
        // invalid: second digit, length, glued to letters
        check("12812345678", &[]);
        check("1381234567", &[]);
        check("138123456789", &[]);
        check("order13812345678", &[]);
    }

    #[test]
    fn id_numbers() {
        use PiiKind::IdNumber;
        check("身份证11010519491231002X", &[(IdNumber, 3, 21, "110***********002X")]);
        check("身份证11010519491231002x", &[(IdNumber, 3, 21, "110***********002X")]);
        check("110105 19491231 002X", &[(IdNumber, 0, 20, "110***********002X")]);
        // wrong check digit, impossible date (Feb 30), bad region digit
        check("110105194912310021", &[]);
        check("110105194902300023", &[]);
        check("010105194912310025", &[]);
    }

    #[test]
    fn bank_cards() {
        use PiiKind::BankCard;
        check("卡号6222021234567890128", &[(BankCard, 2, 21, "6222***********0128")]);
        check("卡号4111111111111111", &[(BankCard, 2, 18, "4111********1111")]);
        check("4111 1111 1111 1111", &[(BankCard, 0, 19, "4111********1111")]);
        check("6212262201023557228", &[(BankCard, 0, 19, "6212***********7228")]);
        // Luhn fails
        check("4111111111111112", &[]);
    }

    #[test]
    fn emails() {
        use PiiKind::Email;
        check("邮箱zhang.san@qq.com谢谢", &[(Email, 2, 18, "z***@qq.com")]);
        check("ｚｓ＠１６３．ｃｏｍ", &[(Email, 0, 10, "z***@163.com")]);
        check("13812345678@139.com", &[(Email, 0, 19, "1***@139.com")]);
        // invalid: no dot, numeric TLD, nothing before @
        check("a@localhost", &[]);
        check("a@1.23", &[]);
        check("@qq.com", &[]);
    }
}
