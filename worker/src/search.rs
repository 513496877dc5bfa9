//! Chinese substring search over published refutations: what goes into the two FTS5 indexes of
//! migration 0006 and how a reader's query becomes their `MATCH` expressions.
//!
//! Index and query text are both folded by the moderation engine (traditional → simplified, widths,
//! case, separators dropped), so 謠言 finds 谣言 and "全面 封城" finds 全面封城. Query terms of three or
//! more characters go to the trigram index (title, claim, body, authority): any substring matches.
//! Trigrams cannot answer one or two characters, so those terms go to the gram index, which holds
//! every single character and every neighbouring pair of the title and the claim.

use qinglang_domain::ErrorCode;

use crate::error::ApiError;

/// Longest query, in characters (D1 also caps LIKE patterns at 50 bytes; we never use LIKE).
pub const MAX_QUERY_CHARS: usize = 50;
/// Most terms in one query.
pub const MAX_TERMS: usize = 5;

/// A reader's query split for the two indexes.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SearchQuery {
    /// `MATCH` expression for `refutation_search` (trigram), if any term is long enough.
    pub trigram: Option<String>,
    /// `MATCH` expression for `refutation_grams`, if any term has one or two characters.
    pub grams: Option<String>,
}

/// Folds text as the engine does and keeps only word characters: what both indexes hold.
pub fn fold(text: &str) -> String {
    qinglang_engine::fold(text).chars().filter(|c| c.is_alphanumeric()).collect()
}

/// The gram index's text: every character and every neighbouring pair of the folded `text`,
/// space-separated (the `unicode61` tokenizer then sees each as one token).
pub fn grams(text: &str) -> String {
    let chars: Vec<char> = fold(text).chars().collect();
    let mut out = String::with_capacity(chars.len() * 8);
    for (i, c) in chars.iter().enumerate() {
        out.push(*c);
        out.push(' ');
        if let Some(next) = chars.get(i + 1) {
            out.push(*c);
            out.push(*next);
            out.push(' ');
        }
    }
    out
}

/// An FTS5 string literal: the term in double quotes, inner quotes doubled.
fn phrase(term: &str) -> String {
    format!("\"{}\"", term.replace('"', "\"\""))
}

/// Splits `q` into terms on whitespace, folds each, and builds the two expressions (terms are ANDed).
/// `Ok(None)` when nothing searchable is left; `field_too_long` / `too_many_items` on `q` otherwise.
pub fn parse(q: &str) -> Result<Option<SearchQuery>, ApiError> {
    let q = q.trim();
    let refuse = |code| ApiError::Client { code, field: Some("q".to_owned()) };
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(refuse(ErrorCode::FieldTooLong));
    }
    let terms: Vec<String> = q.split_whitespace().map(fold).filter(|t| !t.is_empty()).collect();
    if terms.len() > MAX_TERMS {
        return Err(refuse(ErrorCode::TooManyItems));
    }
    let (long, short): (Vec<String>, Vec<String>) = terms.into_iter().partition(|t| t.chars().count() >= 3);
    let join = |terms: Vec<String>| {
        (!terms.is_empty()).then(|| terms.iter().map(|t| phrase(t)).collect::<Vec<_>>().join(" AND "))
    };
    let query = SearchQuery { trigram: join(long), grams: join(short) };
    Ok((query != SearchQuery::default()).then_some(query))
}
