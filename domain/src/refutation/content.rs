//! What an editor writes: the refutation's content, and the rules it must meet.
//!
//! Two levels of checking. [`RefutationContent::validate`] runs on every save: shapes, lengths,
//! addresses and codes, so nothing malformed is ever stored, but a draft may still be incomplete.
//! [`RefutationContent::check_publishable`] runs before publishing: a published refutation has a
//! title, the claim, a verdict, at least one paragraph of body text and the issuing authority.
//! Field names in errors follow the JSON: `body.2.url`, `sources.0.title`, `tags.1`.

use serde::{Deserialize, Serialize};

use crate::error::ErrorCode;
use crate::report::{FieldError, normalise_link};
use crate::taxonomy::Taxonomy;

use super::verdict::Verdict;

/// Longest title, in characters.
pub const TITLE_MAX_CHARS: usize = 100;
/// Longest claim, in characters.
pub const CLAIM_MAX_CHARS: usize = 1000;
/// Longest authority name, in characters.
pub const AUTHORITY_MAX_CHARS: usize = 100;
/// Most body blocks.
pub const MAX_BLOCKS: usize = 100;
/// Longest paragraph, link text or image description, in characters.
pub const BLOCK_MAX_CHARS: usize = 5000;
/// Longest body in total, in characters.
pub const BODY_MAX_CHARS: usize = 30_000;
/// Most sources.
pub const MAX_SOURCES: usize = 20;
/// Longest source title, in characters.
pub const SOURCE_TITLE_MAX_CHARS: usize = 200;
/// Most tags.
pub const MAX_TAGS: usize = 10;
/// Longest tag, in characters.
pub const TAG_MAX_CHARS: usize = 20;
/// Most linked cases.
pub const MAX_CASES: usize = 20;
/// Longest address, in bytes (as for report links).
pub const URL_MAX_BYTES: usize = 2048;

/// One block of the body, in reading order.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Block {
    /// A paragraph of plain text (no markup; line breaks inside are kept as text).
    Paragraph {
        /// The text.
        text: String,
    },
    /// A link on its own line.
    Link {
        /// What the reader sees; the address is shown when empty.
        #[serde(default)]
        text: String,
        /// An `http(s)://` address.
        url: String,
    },
    /// An image: an `https://` address or a path on this site (`/…`).
    Image {
        /// The address.
        url: String,
        /// What the image shows, for screen readers and no-image readers.
        #[serde(default)]
        alt: String,
    },
}

/// A source the refutation rests on.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// What the source is (e.g. 某区公安分局通报).
    pub title: String,
    /// Where to read it.
    pub url: String,
}

/// A refutation's content as the editor sends it (`POST /api/staff/refutations`) and as it is stored
/// once [`RefutationContent::validate`] has cleaned it. Every field may be empty in a draft.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RefutationContent {
    /// The headline.
    #[serde(default)]
    pub title: String,
    /// The claim as it circulated.
    #[serde(default)]
    pub claim: String,
    /// Where the claim was seen (a post, a video); `ClaimReview`'s appearance.
    #[serde(default)]
    pub claim_url: Option<String>,
    /// A [`Verdict`] code.
    #[serde(default)]
    pub verdict: Option<String>,
    /// The truth, block by block.
    #[serde(default)]
    pub body: Vec<Block>,
    /// What the refutation rests on.
    #[serde(default)]
    pub sources: Vec<Source>,
    /// Who issues it (e.g. 某区公安分局).
    #[serde(default)]
    pub authority: String,
    /// A district code of the deployment's taxonomy.
    #[serde(default)]
    pub region: Option<String>,
    /// Free tags (高考, 疫情, 拆迁 …), without `#`.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Ids of the cases that prompted it (staff-only; never in public output).
    #[serde(default)]
    pub case_ids: Vec<i64>,
}

fn err(field: impl Into<String>, code: ErrorCode) -> FieldError {
    FieldError { field: field.into(), code }
}

/// Cleans a text ([`crate::text::written`]: invisible-only is empty) and checks its length in characters.
fn text(value: &str, field: &str, max: usize) -> Result<String, FieldError> {
    let value = crate::text::written(value);
    if value.chars().count() > max {
        return Err(err(field, ErrorCode::FieldTooLong));
    }
    Ok(value)
}

/// An `http(s)://` address, as report links are checked.
fn link(value: &str, field: &str) -> Result<String, FieldError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(err(field, ErrorCode::FieldRequired));
    }
    if value.len() > URL_MAX_BYTES {
        return Err(err(field, ErrorCode::LinkInvalid));
    }
    normalise_link(value).map_err(|code| err(field, code))
}

/// An image address: `https://…` (no mixed content on an HTTPS page) or a path on this site.
fn image_url(value: &str, field: &str) -> Result<String, FieldError> {
    let value = value.trim();
    if value.starts_with('/') && !value.starts_with("//") {
        let safe = value.len() <= URL_MAX_BYTES
            && value.bytes().all(|b| b.is_ascii_graphic() && !matches!(b, b'"' | b'\'' | b'<' | b'>' | b'\\'));
        return if safe { Ok(value.to_owned()) } else { Err(err(field, ErrorCode::LinkInvalid)) };
    }
    let url = link(value, field)?;
    if !url.to_ascii_lowercase().starts_with("https://") {
        return Err(err(field, ErrorCode::LinkScheme));
    }
    Ok(url)
}

/// A tag: trimmed, a leading `#` dropped, ASCII lower-cased; letters, digits, `-`, `_` and `·` only.
pub fn normalise_tag(tag: &str) -> Result<String, ErrorCode> {
    let tag = tag.trim().trim_start_matches(['#', '＃']).trim().to_lowercase();
    let n = tag.chars().count();
    let ok =
        (1..=TAG_MAX_CHARS).contains(&n) && tag.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '·'));
    if ok { Ok(tag) } else { Err(ErrorCode::TagInvalid) }
}

impl RefutationContent {
    /// Checks and cleans what an editor sent. Incomplete content passes (it is a draft); malformed
    /// content does not. `verdicts` and `taxonomy` are the deployment's lists.
    pub fn validate(
        input: &RefutationContent,
        verdicts: &[Verdict],
        taxonomy: &Taxonomy,
    ) -> Result<RefutationContent, FieldError> {
        let title = text(&input.title, "title", TITLE_MAX_CHARS)?;
        let claim = text(&input.claim, "claim", CLAIM_MAX_CHARS)?;
        let claim_url = match input.claim_url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
            Some(url) => Some(link(url, "claim_url")?),
            None => None,
        };
        let verdict = match input.verdict.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            Some(code) if verdicts.iter().any(|v| v.code == code) => Some(code.to_owned()),
            Some(_) => return Err(err("verdict", ErrorCode::UnknownVerdict)),
            None => None,
        };
        if input.body.len() > MAX_BLOCKS {
            return Err(err("body", ErrorCode::TooManyItems));
        }
        let mut body = Vec::with_capacity(input.body.len());
        let mut body_chars = 0;
        for (i, block) in input.body.iter().enumerate() {
            let block = match block {
                Block::Paragraph { text: t } => {
                    let t = text(t, &format!("body.{i}.text"), BLOCK_MAX_CHARS)?;
                    if t.is_empty() {
                        // An empty paragraph is an editor's stray line, not content.
                        continue;
                    }
                    Block::Paragraph { text: t }
                }
                Block::Link { text: t, url } => Block::Link {
                    text: text(t, &format!("body.{i}.text"), BLOCK_MAX_CHARS)?,
                    url: link(url, &format!("body.{i}.url"))?,
                },
                Block::Image { url, alt } => Block::Image {
                    url: image_url(url, &format!("body.{i}.url"))?,
                    alt: text(alt, &format!("body.{i}.alt"), BLOCK_MAX_CHARS)?,
                },
            };
            body_chars += block_chars(&block);
            if body_chars > BODY_MAX_CHARS {
                return Err(err("body", ErrorCode::FieldTooLong));
            }
            body.push(block);
        }
        if input.sources.len() > MAX_SOURCES {
            return Err(err("sources", ErrorCode::TooManyItems));
        }
        let mut sources = Vec::with_capacity(input.sources.len());
        for (i, source) in input.sources.iter().enumerate() {
            let title = text(&source.title, &format!("sources.{i}.title"), SOURCE_TITLE_MAX_CHARS)?;
            if title.is_empty() {
                return Err(err(format!("sources.{i}.title"), ErrorCode::FieldRequired));
            }
            sources.push(Source { title, url: link(&source.url, &format!("sources.{i}.url"))? });
        }
        let authority = text(&input.authority, "authority", AUTHORITY_MAX_CHARS)?;
        let region = match input.region.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
            Some(code) if taxonomy.selectable_district(code).is_some() => Some(code.to_owned()),
            Some(_) => return Err(err("region", ErrorCode::UnknownDistrict)),
            None => None,
        };
        if input.tags.len() > MAX_TAGS {
            return Err(err("tags", ErrorCode::TooManyItems));
        }
        let mut tags: Vec<String> = Vec::with_capacity(input.tags.len());
        for (i, tag) in input.tags.iter().enumerate() {
            let tag = normalise_tag(tag).map_err(|code| err(format!("tags.{i}"), code))?;
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        if input.case_ids.len() > MAX_CASES {
            return Err(err("case_ids", ErrorCode::TooManyItems));
        }
        let mut case_ids: Vec<i64> = Vec::with_capacity(input.case_ids.len());
        for (i, &id) in input.case_ids.iter().enumerate() {
            if id <= 0 {
                return Err(err(format!("case_ids.{i}"), ErrorCode::UnknownCase));
            }
            if !case_ids.contains(&id) {
                case_ids.push(id);
            }
        }
        Ok(RefutationContent { title, claim, claim_url, verdict, body, sources, authority, region, tags, case_ids })
    }

    /// Whether the (validated) content is complete enough to publish; the first missing field if not.
    pub fn check_publishable(&self) -> Result<(), FieldError> {
        if self.title.is_empty() {
            return Err(err("title", ErrorCode::FieldRequired));
        }
        if self.claim.is_empty() {
            return Err(err("claim", ErrorCode::FieldRequired));
        }
        if self.verdict.is_none() {
            return Err(err("verdict", ErrorCode::FieldRequired));
        }
        if !self.body.iter().any(|b| matches!(b, Block::Paragraph { .. })) {
            return Err(err("body", ErrorCode::FieldRequired));
        }
        if self.authority.is_empty() {
            return Err(err("authority", ErrorCode::FieldRequired));
        }
        Ok(())
    }

    /// The body as plain text, paragraphs separated by blank lines (for search, feeds' text and the
    /// description). Link blocks contribute their text, images their description.
    pub fn plain_body(&self) -> String {
        let parts: Vec<&str> = self
            .body
            .iter()
            .map(|b| match b {
                Block::Paragraph { text } => text.as_str(),
                Block::Link { text, url } => {
                    if text.is_empty() {
                        url.as_str()
                    } else {
                        text.as_str()
                    }
                }
                Block::Image { alt, .. } => alt.as_str(),
            })
            .filter(|s| !s.is_empty())
            .collect();
        parts.join("\n\n")
    }

    /// A one-line summary of at most `max_chars` characters for `<meta name=description>`, feeds and
    /// share cards: the first paragraph, whitespace collapsed, cut with `…`.
    pub fn description(&self, max_chars: usize) -> String {
        let first = self.body.iter().find_map(|b| match b {
            Block::Paragraph { text } => Some(text.as_str()),
            _ => None,
        });
        let source = first.unwrap_or(&self.claim);
        let collapsed = source.split_whitespace().collect::<Vec<_>>().join(" ");
        if collapsed.chars().count() <= max_chars {
            return collapsed;
        }
        let mut cut: String = collapsed.chars().take(max_chars.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

fn block_chars(block: &Block) -> usize {
    match block {
        Block::Paragraph { text } => text.chars().count(),
        Block::Link { text, url } => text.chars().count() + url.len(),
        Block::Image { url, alt } => alt.chars().count() + url.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn complete() -> RefutationContent {
        RefutationContent {
            title: " 网传“明天起全面封城”系谣言 ".to_owned(),
            claim: "明天起全市全面封城，所有小区只进不出。".to_owned(),
            claim_url: Some("weibo.com/123456".to_owned()),
            verdict: Some("rumour".to_owned()),
            body: vec![
                Block::Paragraph { text: "经核实，该消息系谣言。".to_owned() },
                Block::Paragraph { text: "   ".to_owned() },
                Block::Link { text: "通报原文".to_owned(), url: "https://police.example.gov.cn/1".to_owned() },
                Block::Image { url: "https://img.example.cn/a.jpg".to_owned(), alt: "通报截图".to_owned() },
            ],
            sources: vec![Source {
                title: "市公安局通报".to_owned(),
                url: "https://police.example.gov.cn/1".to_owned(),
            }],
            authority: "南山区公安分局".to_owned(),
            region: Some("nanshan".to_owned()),
            tags: vec!["#疫情".to_owned(), "疫情".to_owned(), "Covid-19".to_owned()],
            case_ids: vec![3, 3, 4],
        }
    }

    fn validate(input: &RefutationContent) -> Result<RefutationContent, FieldError> {
        RefutationContent::validate(input, &Verdict::default_set(), &Taxonomy::default_set())
    }

    #[test]
    fn cleans_a_complete_refutation() {
        let c = validate(&complete()).expect("valid");
        assert_eq!(c.title, "网传“明天起全面封城”系谣言");
        assert_eq!(c.claim_url.as_deref(), Some("https://weibo.com/123456"));
        assert_eq!(c.body.len(), 3, "the blank paragraph is dropped");
        assert_eq!(c.tags, ["疫情", "covid-19"]);
        assert_eq!(c.case_ids, [3, 4]);
        assert_eq!(c.check_publishable(), Ok(()));
    }

    #[test]
    fn an_empty_draft_is_valid_but_not_publishable() {
        let c = validate(&RefutationContent::default()).expect("valid draft");
        assert_eq!(c.check_publishable(), Err(err("title", ErrorCode::FieldRequired)));
    }

    #[test]
    fn refuses_malformed_fields_naming_the_field() {
        type Edit = fn(&mut RefutationContent);
        let table: [(Edit, &str, ErrorCode); 14] = [
            (|c| c.title = "长".repeat(TITLE_MAX_CHARS + 1), "title", ErrorCode::FieldTooLong),
            (|c| c.claim = "长".repeat(CLAIM_MAX_CHARS + 1), "claim", ErrorCode::FieldTooLong),
            (|c| c.claim_url = Some("javascript:alert(1)".to_owned()), "claim_url", ErrorCode::LinkScheme),
            (|c| c.verdict = Some("fake".to_owned()), "verdict", ErrorCode::UnknownVerdict),
            (
                |c| c.body[2] = Block::Link { text: String::new(), url: "not a link".to_owned() },
                "body.2.url",
                ErrorCode::LinkInvalid,
            ),
            (
                |c| c.body[3] = Block::Image { url: "http://img.example.cn/a.jpg".to_owned(), alt: String::new() },
                "body.3.url",
                ErrorCode::LinkScheme,
            ),
            (
                |c| c.body[3] = Block::Image { url: "/x\"onerror=1".to_owned(), alt: String::new() },
                "body.3.url",
                ErrorCode::LinkInvalid,
            ),
            (
                |c| c.body = vec![Block::Paragraph { text: "字".to_owned() }; MAX_BLOCKS + 1],
                "body",
                ErrorCode::TooManyItems,
            ),
            (|c| c.body = vec![Block::Paragraph { text: "字".repeat(4000) }; 8], "body", ErrorCode::FieldTooLong),
            (|c| c.sources[0].title = " ".to_owned(), "sources.0.title", ErrorCode::FieldRequired),
            (|c| c.sources[0].url = "ftp://x.cn/a".to_owned(), "sources.0.url", ErrorCode::LinkScheme),
            (|c| c.region = Some("atlantis".to_owned()), "region", ErrorCode::UnknownDistrict),
            (|c| c.tags = vec!["高考".to_owned(), "two words".to_owned()], "tags.1", ErrorCode::TagInvalid),
            (|c| c.case_ids = vec![0], "case_ids.0", ErrorCode::UnknownCase),
        ];
        for (i, (edit, field, code)) in table.into_iter().enumerate() {
            let mut input = complete();
            edit(&mut input);
            assert_eq!(validate(&input), Err(err(field, code)), "row {i}");
        }
    }

    #[test]
    fn publishing_needs_each_required_field() {
        type Edit = fn(&mut RefutationContent);
        let table: [(Edit, &str); 5] = [
            (|c| c.title.clear(), "title"),
            (|c| c.claim.clear(), "claim"),
            (|c| c.verdict = None, "verdict"),
            (|c| c.body.retain(|b| !matches!(b, Block::Paragraph { .. })), "body"),
            (|c| c.authority.clear(), "authority"),
        ];
        for (edit, field) in table {
            let mut input = complete();
            edit(&mut input);
            let cleaned = validate(&input).expect("still a valid draft");
            assert_eq!(cleaned.check_publishable(), Err(err(field, ErrorCode::FieldRequired)), "{field}");
        }
    }

    #[test]
    fn description_is_the_first_paragraph_cut_to_length() {
        let c = validate(&complete()).expect("valid");
        assert_eq!(c.description(200), "经核实，该消息系谣言。");
        assert_eq!(c.description(5), "经核实，…");
        assert_eq!(c.plain_body(), "经核实，该消息系谣言。\n\n通报原文\n\n通报截图");
    }
}
