//! The source term list: parsing and validating the TSV that people edit.
//!
//! Format: UTF-8, tab-separated, a header line `term category severity flags` (tab-separated; the `flags`
//! column may be omitted), then one term per line. Blank lines and lines starting with `#` are
//! skipped. `severity` is 1–5. `flags` is a comma-separated subset of:
//! - `protected`: sensitive term; never shipped in plain text to browsers;
//! - `urgent`: a threat of violence or self-harm cue; the report goes first;
//! - `digits`: also match with the term's digits written as ASCII or as Chinese numerals
//!   (六四 also matches 64, 6四, 六4); at most [`MAX_DIGIT_POSITIONS`] digits per term;
//! - `allow`: allow-list entry; a longer harmless word that wins over a listed term inside it
//!   (三黄片 against 黄片, 路口 against 口交). Its category may be `-`.
//!
//! Every bad line is reported with its line number and a typed reason; parsing collects all
//! of them (up to [`MAX_REPORTED_ERRORS`]) so a list can be fixed in one go.

use std::collections::BTreeMap;

use thiserror::Error;

use crate::fold::{Class, class_of, fold_term};

/// Longest term, in characters after folding.
pub const MAX_TERM_CHARS: usize = 64;
/// Most digits a `digits` term may contain (each doubles the number of spellings matched).
pub const MAX_DIGIT_POSITIONS: usize = 6;
/// Most distinct categories in one list (a category is stored as one byte in the pack).
pub const MAX_CATEGORIES: usize = 254;
/// Parsing stops collecting errors after this many bad lines.
pub const MAX_REPORTED_ERRORS: usize = 100;

/// Flags of a term.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct TermFlags {
    /// Sensitive: kept out of browser packs in plain text.
    pub protected: bool,
    /// Threat of violence or self-harm cue: priority goes to urgent.
    pub urgent: bool,
    /// Match digits written either as ASCII or as Chinese numerals.
    pub digits: bool,
    /// Allow-list entry: suppresses listed terms inside it and is never reported.
    pub allow: bool,
}

impl TermFlags {
    #[inline]
    pub(crate) fn to_byte(self) -> u8 {
        u8::from(self.protected) | u8::from(self.urgent) << 1 | u8::from(self.digits) << 2 | u8::from(self.allow) << 3
    }

    #[inline]
    pub(crate) fn from_byte(byte: u8) -> TermFlags {
        TermFlags { protected: byte & 1 != 0, urgent: byte & 2 != 0, digits: byte & 4 != 0, allow: byte & 8 != 0 }
    }
}

/// One validated line of the term list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TermEntry {
    /// 1-based line number in the source.
    pub line: u32,
    /// The term as written.
    pub term: String,
    /// The term folded as report text is folded.
    pub folded: String,
    /// Category code (`None` only for allow-list entries).
    pub category: Option<String>,
    /// 1 (mild) to 5 (most severe).
    pub severity: u8,
    /// Flags.
    pub flags: TermFlags,
}

impl TermEntry {
    /// All folded spellings this entry matches (more than one only with the `digits` flag).
    pub(crate) fn spellings(&self) -> Vec<String> {
        if !self.flags.digits {
            return vec![self.folded.clone()];
        }
        let mut spellings = vec![String::new()];
        for c in self.folded.chars() {
            let alternative = if self.flags.digits { digit_alternative(c) } else { None };
            match alternative {
                Some(other) => {
                    let mut doubled = Vec::with_capacity(spellings.len() * 2);
                    for s in spellings {
                        let mut with_other = s.clone();
                        with_other.push(other);
                        let mut with_c = s;
                        with_c.push(c);
                        doubled.push(with_c);
                        doubled.push(with_other);
                    }
                    spellings = doubled;
                }
                None => spellings.iter_mut().for_each(|s| s.push(c)),
            }
        }
        spellings
    }
}

const CHINESE_DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/// The other way of writing a digit: ASCII ↔ Chinese numeral (after folding, so 壹 is 一).
fn digit_alternative(c: char) -> Option<char> {
    if let Some(d) = c.to_digit(10).filter(|_| c.is_ascii_digit()) {
        return CHINESE_DIGITS.get(d as usize).copied();
    }
    CHINESE_DIGITS.iter().position(|&cn| cn == c).and_then(|d| char::from_digit(d as u32, 10))
}

/// A parsed, validated term list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TermList {
    /// The entries in source order.
    pub entries: Vec<TermEntry>,
}

/// Why a line of the term list was refused.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum LineErrorReason {
    /// The list has no header line before the first term.
    #[error("missing header `term<TAB>category<TAB>severity<TAB>flags`")]
    MissingHeader,
    /// The header does not name the expected columns.
    #[error("bad header {found:?}: expected `term<TAB>category<TAB>severity<TAB>flags`")]
    BadHeader {
        /// The header line as found.
        found: String,
    },
    /// A line has the wrong number of tab-separated columns.
    #[error("expected 3 or 4 tab-separated columns, found {found}")]
    WrongColumnCount {
        /// Number of columns found.
        found: usize,
    },
    /// The term column is empty.
    #[error("empty term")]
    EmptyTerm,
    /// Nothing is left of the term after folding (it was only separators).
    #[error("term {term:?} is only separators and folds to nothing")]
    FoldsToNothing {
        /// The term as written.
        term: String,
    },
    /// The term is longer than [`MAX_TERM_CHARS`] after folding.
    #[error("term is {chars} characters long; at most {MAX_TERM_CHARS} allowed")]
    TermTooLong {
        /// Length after folding.
        chars: usize,
    },
    /// The term contains sentence punctuation or a line break, which text never matches across.
    #[error("term {term:?} contains sentence punctuation, which never matches")]
    ContainsBoundary {
        /// The term as written.
        term: String,
    },
    /// The category code is not a lowercase identifier.
    #[error("bad category {found:?}: use a code such as `fraud` (a-z, 0-9, _; at most 32)")]
    BadCategory {
        /// The category as found.
        found: String,
    },
    /// More than [`MAX_CATEGORIES`] distinct categories.
    #[error("more than {MAX_CATEGORIES} distinct categories")]
    TooManyCategories,
    /// The severity is not an integer from 1 to 5.
    #[error("bad severity {found:?}: expected an integer from 1 to 5")]
    BadSeverity {
        /// The severity as found.
        found: String,
    },
    /// An unknown flag.
    #[error("unknown flag {found:?}: expected protected, urgent, digits or allow")]
    UnknownFlag {
        /// The flag as found.
        found: String,
    },
    /// A `digits` term with too many digits.
    #[error("`digits` term has {count} digits; at most {MAX_DIGIT_POSITIONS} allowed")]
    TooManyDigits {
        /// Number of digits.
        count: usize,
    },
    /// The term, after folding, is the same as an earlier one.
    #[error("same as the term on line {first_line} after folding")]
    Duplicate {
        /// Line of the first occurrence.
        first_line: u32,
    },
}

/// One refused line.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
#[error("line {line}: {reason}")]
pub struct LineError {
    /// 1-based line number.
    pub line: u32,
    /// Why it was refused.
    pub reason: LineErrorReason,
}

/// A term list with bad lines; nothing is compiled from it.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
#[error("{} bad line(s) in the term list, first: {}", .lines.len(), first_line_message(.lines))]
pub struct RuleListError {
    /// The bad lines, in order (at most [`MAX_REPORTED_ERRORS`]).
    pub lines: Vec<LineError>,
}

fn first_line_message(lines: &[LineError]) -> String {
    lines.first().map(ToString::to_string).unwrap_or_default()
}

impl TermList {
    /// Parses and validates a TSV term list.
    pub fn parse_tsv(source: &str) -> Result<TermList, RuleListError> {
        let mut errors = Vec::new();
        let mut entries: Vec<TermEntry> = Vec::new();
        let mut header_seen = false;
        // A BTreeMap rather than a HashMap: no random hash seed in the library (wasm32 has none).
        let mut first_line_of: BTreeMap<String, u32> = BTreeMap::new();
        let mut categories: Vec<String> = Vec::new();

        for (line_no, raw) in (1u32..).zip(source.split('\n')) {
            if errors.len() >= MAX_REPORTED_ERRORS {
                break;
            }
            let line = raw.strip_suffix('\r').unwrap_or(raw);
            let line = if line_no == 1 { line.trim_start_matches('\u{feff}') } else { line };
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let columns: Vec<&str> = line.split('\t').map(str::trim).collect();
            if !header_seen {
                header_seen = true;
                let names: Vec<String> = columns.iter().map(|c| c.to_ascii_lowercase()).collect();
                let expected = ["term", "category", "severity", "flags"];
                let ok = (names.len() == 3 || names.len() == 4) && names.iter().zip(expected).all(|(n, e)| n == e);
                if !ok {
                    let reason = if columns.len() >= 3 && columns[2].parse::<u8>().is_ok() {
                        LineErrorReason::MissingHeader
                    } else {
                        LineErrorReason::BadHeader { found: line.to_string() }
                    };
                    errors.push(LineError { line: line_no, reason });
                    // Without a header we cannot trust the column order; stop here.
                    break;
                }
                continue;
            }
            match parse_line(&columns) {
                Ok(mut entry) => {
                    entry.line = line_no;
                    if let Some(category) = &entry.category
                        && !categories.contains(category)
                    {
                        if categories.len() >= MAX_CATEGORIES {
                            errors.push(LineError { line: line_no, reason: LineErrorReason::TooManyCategories });
                            continue;
                        }
                        categories.push(category.clone());
                    }
                    let mut duplicate = None;
                    let spellings = entry.spellings();
                    for spelling in &spellings {
                        if let Some(&first_line) = first_line_of.get(spelling) {
                            duplicate = Some(first_line);
                            break;
                        }
                    }
                    if let Some(first_line) = duplicate {
                        errors.push(LineError { line: line_no, reason: LineErrorReason::Duplicate { first_line } });
                        continue;
                    }
                    for spelling in spellings {
                        first_line_of.insert(spelling, line_no);
                    }
                    entries.push(entry);
                }
                Err(reason) => errors.push(LineError { line: line_no, reason }),
            }
        }
        if !header_seen && errors.is_empty() {
            errors.push(LineError { line: 1, reason: LineErrorReason::MissingHeader });
        }
        if errors.is_empty() { Ok(TermList { entries }) } else { Err(RuleListError { lines: errors }) }
    }

    /// Distinct category codes in order of first appearance.
    pub fn categories(&self) -> Vec<String> {
        let mut categories: Vec<String> = Vec::new();
        for entry in &self.entries {
            if let Some(category) = &entry.category
                && !categories.contains(category)
            {
                categories.push(category.clone());
            }
        }
        categories
    }
}

/// Parses the columns of one data line (the line number is filled in by the caller).
fn parse_line(columns: &[&str]) -> Result<TermEntry, LineErrorReason> {
    if columns.len() != 3 && columns.len() != 4 {
        return Err(LineErrorReason::WrongColumnCount { found: columns.len() });
    }
    let term = columns[0];
    if term.is_empty() {
        return Err(LineErrorReason::EmptyTerm);
    }
    let mut flags = TermFlags::default();
    if let Some(raw_flags) = columns.get(3) {
        for flag in raw_flags.split([',', '|', ' ']).map(str::trim).filter(|f| !f.is_empty()) {
            match flag.to_ascii_lowercase().as_str() {
                "protected" => flags.protected = true,
                "urgent" => flags.urgent = true,
                "digits" => flags.digits = true,
                "allow" => flags.allow = true,
                "-" => {}
                _ => return Err(LineErrorReason::UnknownFlag { found: flag.to_string() }),
            }
        }
    }
    let category = match columns[1] {
        "" | "-" if flags.allow => None,
        code if is_category_code(code) => Some(code.to_string()),
        other => return Err(LineErrorReason::BadCategory { found: other.to_string() }),
    };
    let severity = match columns[2].parse::<u8>() {
        Ok(s @ 1..=5) => s,
        _ if flags.allow && matches!(columns[2], "" | "-") => 1,
        _ => return Err(LineErrorReason::BadSeverity { found: columns[2].to_string() }),
    };
    let folded = fold_term(term);
    let n_chars = folded.chars().count();
    if n_chars == 0 {
        return Err(LineErrorReason::FoldsToNothing { term: term.to_string() });
    }
    if n_chars > MAX_TERM_CHARS {
        return Err(LineErrorReason::TermTooLong { chars: n_chars });
    }
    if folded.chars().any(|c| class_of(c) == Class::Boundary) {
        return Err(LineErrorReason::ContainsBoundary { term: term.to_string() });
    }
    if flags.digits {
        let count = folded.chars().filter(|&c| digit_alternative(c).is_some()).count();
        if count > MAX_DIGIT_POSITIONS {
            return Err(LineErrorReason::TooManyDigits { count });
        }
    }
    Ok(TermEntry { line: 0, term: term.to_string(), folded, category, severity, flags })
}

fn is_category_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 32
        && code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    const HEADER: &str = "term\tcategory\tseverity\tflags\n";

    fn first_error(body: &str) -> LineError {
        let error = TermList::parse_tsv(&format!("{HEADER}{body}")).expect_err("should fail");
        error.lines[0].clone()
    }

    #[test]
    fn bad_rule_lists_name_the_line_and_the_reason() {
        use LineErrorReason as R;
        let table: Vec<(&str, u32, LineErrorReason)> = vec![
            ("赌博\tgambling\n", 2, R::WrongColumnCount { found: 2 }),
            ("\tgambling\t3\t\n", 2, R::EmptyTerm),
            ("赌博\tGambling\t3\t\n", 2, R::BadCategory { found: "Gambling".into() }),
            ("赌博\tgambling\t9\t\n", 2, R::BadSeverity { found: "9".into() }),
            ("赌博\tgambling\tx\t\n", 2, R::BadSeverity { found: "x".into() }),
            ("赌博\tgambling\t3\tsecret\n", 2, R::UnknownFlag { found: "secret".into() }),
            ("@@@\tgambling\t3\t\n", 2, R::FoldsToNothing { term: "@@@".into() }),
            ("赌。博\tgambling\t3\t\n", 2, R::ContainsBoundary { term: "赌。博".into() }),
            ("1234567\tfraud\t3\tdigits\n", 2, R::TooManyDigits { count: 7 }),
            ("# comment\n赌博\tgambling\t3\t\n\n賭博\tgambling\t4\t\n", 5, R::Duplicate { first_line: 3 }),
            ("六4\tpolitical\t3\t\n64\tpolitical\t3\tdigits\n", 3, R::Duplicate { first_line: 2 }),
        ];
        for (body, line, reason) in table {
            let error = first_error(body);
            assert_eq!((error.line, error.reason), (line, reason), "list {body:?}");
        }
        let long = "赌".repeat(65);
        assert_eq!(first_error(&format!("{long}\tgambling\t3\t\n")).reason, R::TermTooLong { chars: 65 });
    }

    #[test]
    fn header_is_required() {
        let error = TermList::parse_tsv("赌博\tgambling\t3\t\n").expect_err("no header");
        assert_eq!(error.lines[0].reason, LineErrorReason::MissingHeader);
        let error = TermList::parse_tsv("word\tcat\tsev\n").expect_err("bad header");
        assert!(matches!(error.lines[0].reason, LineErrorReason::BadHeader { .. }));
        let error = TermList::parse_tsv("").expect_err("empty");
        assert_eq!(error.lines[0].reason, LineErrorReason::MissingHeader);
    }

    #[test]
    fn all_bad_lines_are_reported() {
        let error = TermList::parse_tsv(&format!("{HEADER}a\tx\t9\n\nb\tx\t0\nc\tx\t1\n")).expect_err("two bad lines");
        let lines: Vec<u32> = error.lines.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![2, 4]);
    }

    #[test]
    fn digits_flag_expands_spellings() {
        let list = TermList::parse_tsv(&format!("{HEADER}六四\tpolitical\t5\tdigits,protected\n")).expect("valid");
        let mut spellings = list.entries[0].spellings();
        spellings.sort();
        assert_eq!(spellings, vec!["64", "6四", "六4", "六四"]);
        assert!(list.entries[0].flags.protected);
    }

    #[test]
    fn allow_entries_need_no_category() {
        let list = TermList::parse_tsv(&format!("{HEADER}三黄片\t-\t-\tallow\n")).expect("valid");
        assert_eq!(list.entries[0].category, None);
        assert!(list.entries[0].flags.allow);
    }
}
