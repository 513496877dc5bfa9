//! A citizen's report and the rules it must meet before it is stored.
//!
//! Each field has its own validator so the app can show an error beside the field as the citizen
//! types; [`Report::validate`] runs them all in form order and is what the worker trusts.

use serde::{Deserialize, Serialize};

use crate::error::ErrorCode;
use crate::taxonomy::{CategoryKind, Taxonomy};
use crate::text;

/// Shortest description, in characters, once surrounding whitespace is removed.
pub const DESCRIPTION_MIN_CHARS: usize = 4;
/// Longest description, in characters.
pub const DESCRIPTION_MAX_CHARS: usize = 2000;
/// Most links one report may carry.
pub const MAX_LINKS: usize = 5;
/// Longest link, in bytes.
pub const LINK_MAX_BYTES: usize = 2048;
/// Longest short text field (platform, account, place, name), in characters.
pub const SHORT_FIELD_MAX_CHARS: usize = 100;
/// Shortest and longest idempotency key.
pub const IDEMPOTENCY_KEY_LEN: std::ops::RangeInclusive<usize> = 20..=64;

/// `POST /api/reports`: what the citizen's device sends.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewReport {
    /// A random token made on the device when the report was started; a retry sends it again.
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 20,
            max_length = 64,
            pattern = "^[A-Za-z0-9_-]{20,64}$",
            example = "3f1c9e0a7b2d4c6e8f0a1b2c3d4e5f60"
        )
    )]
    pub idempotency_key: String,
    /// Category code.
    #[cfg_attr(feature = "openapi", schema(example = "fraud"))]
    pub category: String,
    /// What the reporter saw.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 4, max_length = 2000, example = "有人在群里冒充客服，让大家转账解冻账户。")
    )]
    pub description: String,
    /// Links to the offending content.
    #[cfg_attr(feature = "openapi", schema(max_items = 5))]
    #[serde(default)]
    pub links: Vec<String>,
    /// Platform name, for online items.
    #[serde(default)]
    pub platform: Option<String>,
    /// Account name or ID on the platform.
    #[serde(default)]
    pub account: Option<String>,
    /// Where it happened, in words, for offline items.
    #[serde(default)]
    pub location: Option<String>,
    /// District code.
    #[serde(default)]
    pub district: Option<String>,
    /// Poster or placement code (`?c=` of the QR link).
    #[serde(default)]
    pub channel: Option<String>,
    /// Contact details; leave out to stay anonymous.
    #[serde(default)]
    pub contact: Option<Contact>,
    /// Ids of the evidence pictures uploaded for this draft (`POST /api/uploads`), in order.
    #[serde(default)]
    pub evidence: Vec<String>,
    /// Where the phone was, coarsely, if the reporter agreed to share it (staff-only).
    #[serde(default)]
    pub position: Option<CoarsePosition>,
    /// The office to report to (a code of `GET /api/offices`, e.g. from a county's own entry
    /// address); left out, the poster's office, else the root office.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub office: Option<String>,
}

/// A validation failure: which field, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {code:?}")]
pub struct FieldError {
    /// The input field at fault, as named in [`NewReport`] (`links.2` for the third link).
    pub field: String,
    /// Why it was refused.
    pub code: ErrorCode,
}

impl FieldError {
    /// A refusal of `field` for `code`.
    pub fn new(field: impl Into<String>, code: ErrorCode) -> FieldError {
        FieldError { field: field.into(), code }
    }
}

/// How to reach the reporter. Only staff ever see it; it is stored apart from the report.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// How the reporter wants to be addressed.
    #[serde(default)]
    pub name: Option<String>,
    /// A mainland mobile or landline number, digits only once validated.
    #[serde(default)]
    pub phone: Option<String>,
}

/// Where the reporter's phone was, coarsely: latitude and longitude (WGS-84, as browsers give
/// them) in hundredths of a degree, about 1.1 km north–south, so the type cannot carry a precise
/// fix. Optional, asked for only with the reporter's consent, seen only by staff.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoarsePosition {
    /// Latitude in hundredths of a degree, −9000 ..= 9000.
    pub lat: i32,
    /// Longitude in hundredths of a degree, −18000 ..= 18000.
    pub lon: i32,
}

impl CoarsePosition {
    /// Rounds a device fix in degrees to the nearest hundredth; `None` if it is not a position.
    pub fn from_degrees(lat: f64, lon: f64) -> Option<CoarsePosition> {
        let round = |v: f64| (v * 100.0).round();
        let (lat, lon) = (round(lat), round(lon));
        if !lat.is_finite() || !lon.is_finite() || lat.abs() > 9000.0 || lon.abs() > 18000.0 {
            return None;
        }
        CoarsePosition { lat: lat as i32, lon: lon as i32 }.validate().ok()
    }

    /// Checks the range.
    pub fn validate(self) -> Result<CoarsePosition, ErrorCode> {
        if self.lat.abs() <= 9000 && self.lon.abs() <= 18000 { Ok(self) } else { Err(ErrorCode::PositionInvalid) }
    }

    /// `22.54,114.06`: degrees with two decimals, for staff.
    pub fn degrees(self) -> String {
        let part = |v: i32| format!("{}{}.{:02}", if v < 0 { "-" } else { "" }, v.abs() / 100, v.abs() % 100);
        format!("{},{}", part(self.lat), part(self.lon))
    }
}

/// A report that passed every rule, with its fields normalised. The worker stores a hash of its
/// serialised form for the idempotency check, so that form is pinned by a test: a field added
/// later must be left out when absent (as `position` is).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The device's idempotency key.
    pub idempotency_key: String,
    /// Category code, known to the taxonomy.
    pub category: String,
    /// What the reporter saw, trimmed.
    pub description: String,
    /// Links to the content, normalised to start with a scheme.
    pub links: Vec<String>,
    /// Platform name (微博, 抖音 …), for online items.
    pub platform: Option<String>,
    /// Account name or ID on the platform.
    pub account: Option<String>,
    /// Free-text place, for offline items.
    pub location: Option<String>,
    /// District code, known to the taxonomy.
    pub district: Option<String>,
    /// Poster or placement code the report came from.
    pub channel: Option<String>,
    /// Contact details, if the reporter left any.
    pub contact: Option<Contact>,
    /// Ids of the evidence uploads, in order (the worker checks they exist and belong to this draft).
    pub evidence: Vec<String>,
    /// The phone's coarse position, if the reporter shared it. Left out of the serialised form
    /// when absent, so the request hash of a report without one is what it was before.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<CoarsePosition>,
}

impl Report {
    /// Checks every rule in the order the form asks for the fields and returns the normalised
    /// report, or the first field at fault.
    pub fn validate(input: &NewReport, taxonomy: &Taxonomy) -> Result<Report, FieldError> {
        let idempotency_key = validate_idempotency_key(&input.idempotency_key)?;
        let category = taxonomy
            .selectable(&input.category)
            .ok_or_else(|| FieldError::new("category", ErrorCode::UnknownCategory))?;
        let description = validate_description(&input.description).map_err(|c| FieldError::new("description", c))?;
        if input.links.len() > MAX_LINKS {
            return Err(FieldError::new("links", ErrorCode::TooManyLinks));
        }
        let mut links = Vec::with_capacity(input.links.len());
        for (i, link) in input.links.iter().enumerate() {
            // Empty rows are what a form with an "add link" button leaves behind.
            if link.trim().is_empty() {
                continue;
            }
            links.push(normalise_link(link).map_err(|c| FieldError::new(format!("links.{i}"), c))?);
        }
        if category.requires_link && links.is_empty() {
            return Err(FieldError::new("links", ErrorCode::LinkRequired));
        }
        let platform = short_field(input.platform.as_deref()).map_err(|c| FieldError::new("platform", c))?;
        let account = short_field(input.account.as_deref()).map_err(|c| FieldError::new("account", c))?;
        let location = short_field(input.location.as_deref()).map_err(|c| FieldError::new("location", c))?;
        let district = match input.district.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
            Some(code) if taxonomy.selectable_district(code).is_none() => {
                return Err(FieldError::new("district", ErrorCode::UnknownDistrict));
            }
            other => other.map(str::to_owned),
        };
        if category.requires_location && district.is_none() {
            return Err(FieldError::new("district", ErrorCode::LocationRequired));
        }
        let channel = match input.channel.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            Some(code) => Some(validate_channel_code(code).map_err(|c| FieldError::new("channel", c))?),
            None => None,
        };
        let contact = match &input.contact {
            Some(contact) => validate_contact(contact)?,
            None => None,
        };
        let evidence = validate_evidence(&input.evidence)?;
        let position = match input.position {
            Some(p) => Some(p.validate().map_err(|c| FieldError::new("position", c))?),
            None => None,
        };
        // Online items carry no street place, offline items no platform account: drop what the
        // form may have kept from an earlier category choice.
        let (platform, account, location) = match category.kind {
            CategoryKind::Online => (platform, account, None),
            CategoryKind::Offline => (None, None, location),
        };
        Ok(Report {
            idempotency_key,
            category: category.code.clone(),
            description,
            links,
            platform,
            account,
            location,
            district,
            channel,
            contact,
            evidence,
            position,
        })
    }
}

/// An idempotency key is a long random token made on the device (a UUID fits).
pub fn validate_idempotency_key(key: &str) -> Result<String, FieldError> {
    let ok = IDEMPOTENCY_KEY_LEN.contains(&key.len())
        && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok { Ok(key.to_owned()) } else { Err(FieldError::new("idempotency_key", ErrorCode::InvalidIdempotencyKey)) }
}

/// Cleans the description ([`text::clean`]) and checks its length: at most
/// [`DESCRIPTION_MAX_CHARS`] characters in all, at least [`DESCRIPTION_MIN_CHARS`] of them visible.
pub fn validate_description(description: &str) -> Result<String, ErrorCode> {
    let cleaned = text::clean(description);
    let n_visible = text::visible_len(&cleaned);
    if description.trim().is_empty() {
        Err(ErrorCode::DescriptionEmpty)
    } else if cleaned.chars().count() > DESCRIPTION_MAX_CHARS {
        Err(ErrorCode::DescriptionTooLong)
    } else if n_visible == 0 {
        Err(ErrorCode::TextInvisible)
    } else if n_visible < DESCRIPTION_MIN_CHARS {
        Err(ErrorCode::DescriptionTooShort)
    } else {
        Ok(cleaned)
    }
}

/// Cleans an optional short text ([`text::clean`]); empty becomes `None`, invisible-only is refused.
pub fn short_field(value: Option<&str>) -> Result<Option<String>, ErrorCode> {
    match value.filter(|v| !v.trim().is_empty()).map(text::clean) {
        None => Ok(None),
        Some(v) if v.chars().count() > SHORT_FIELD_MAX_CHARS => Err(ErrorCode::FieldTooLong),
        Some(v) if text::visible_len(&v) == 0 => Err(ErrorCode::TextInvisible),
        Some(v) => Ok(Some(v)),
    }
}

/// Accepts a pasted link and returns it with a scheme.
///
/// Share buttons in Chinese apps copy text like `【标题】 https://v.douyin.com/abc/ 复制此链接…`,
/// so when the paste holds an `http(s)://` address inside other text, that address is taken.
/// A bare host such as `weibo.com/123` gets `https://`. Any other scheme is refused.
pub fn normalise_link(pasted: &str) -> Result<String, ErrorCode> {
    let pasted = pasted.trim();
    if pasted.len() > LINK_MAX_BYTES {
        return Err(ErrorCode::LinkInvalid);
    }
    let lower = pasted.to_ascii_lowercase();
    let candidate = match lower.find("https://").or_else(|| lower.find("http://")) {
        Some(start) => {
            let rest = &pasted[start..];
            let end = rest.find(|c: char| c.is_whitespace() || is_cjk_punctuation(c)).unwrap_or(rest.len());
            rest[..end].to_owned()
        }
        None => {
            if let Some(colon) = pasted.find(':') {
                let scheme = &pasted[..colon];
                let looks_like_scheme = !scheme.is_empty()
                    && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
                    && !pasted[colon + 1..].starts_with(|c: char| c.is_ascii_digit());
                if looks_like_scheme {
                    return Err(ErrorCode::LinkScheme);
                }
            }
            if pasted.contains(char::is_whitespace) {
                return Err(ErrorCode::LinkInvalid);
            }
            format!("https://{pasted}")
        }
    };
    check_http_url(&candidate)?;
    Ok(candidate)
}

fn is_cjk_punctuation(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '！'
            | '？'
            | '【'
            | '】'
            | '「'
            | '」'
            | '《'
            | '》'
            | '（'
            | '）'
            | '、'
            | '；'
            | '：'
            | '“'
            | '”'
    )
}

/// Checks the shape of an `http(s)://host[:port][/path…]` address without a URL library,
/// which would add hundreds of kilobytes of IDNA tables to the phone bundle.
fn check_http_url(url: &str) -> Result<(), ErrorCode> {
    let lower = url.to_ascii_lowercase();
    let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://")).ok_or(ErrorCode::LinkScheme)?;
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    if authority.contains('@') || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(ErrorCode::LinkInvalid);
    }
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    };
    if let Some(port) = port {
        let valid_port = !port.is_empty() && port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit());
        if !valid_port {
            return Err(ErrorCode::LinkInvalid);
        }
    }
    let labels: Vec<&str> = host.split('.').collect();
    let host_ok = labels.len() >= 2
        && host.len() <= 253
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
        && labels.last().is_some_and(|tld| !tld.chars().all(|c| c.is_ascii_digit()) || labels.len() == 4);
    if host_ok { Ok(()) } else { Err(ErrorCode::LinkInvalid) }
}

/// A channel (poster) code: 1–32 lower-case letters, digits and dashes.
pub fn validate_channel_code(code: &str) -> Result<String, ErrorCode> {
    let code = code.trim().to_ascii_lowercase();
    let ok = (1..=32).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if ok { Ok(code) } else { Err(ErrorCode::ChannelInvalid) }
}

/// At most [`crate::evidence::MAX_IMAGES`] upload ids, each well-formed and named once.
pub fn validate_evidence(ids: &[String]) -> Result<Vec<String>, FieldError> {
    if ids.len() > crate::evidence::MAX_IMAGES {
        return Err(FieldError::new("evidence", ErrorCode::TooManyImages));
    }
    for (i, id) in ids.iter().enumerate() {
        if !crate::evidence::valid_upload_id(id) || ids[..i].contains(id) {
            return Err(FieldError::new(format!("evidence.{i}"), ErrorCode::EvidenceMissing));
        }
    }
    Ok(ids.to_vec())
}

/// Checks and normalises contact details; all-empty contact becomes `None`.
pub fn validate_contact(contact: &Contact) -> Result<Option<Contact>, FieldError> {
    let name = short_field(contact.name.as_deref()).map_err(|c| FieldError::new("contact.name", c))?;
    let phone = match contact.phone.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) => Some(normalise_phone(p).map_err(|c| FieldError::new("contact.phone", c))?),
        None => None,
    };
    Ok((name.is_some() || phone.is_some()).then_some(Contact { name, phone }))
}

/// Accepts a mainland mobile (`138 0013 8000`, `+86-13800138000`) or a landline with area code
/// (`010-12345678`), in half- or full-width digits, and returns the digits alone.
pub fn normalise_phone(typed: &str) -> Result<String, ErrorCode> {
    let mut digits = String::with_capacity(typed.len());
    for c in typed.chars() {
        match c {
            '0'..='9' => digits.push(c),
            // Full-width digits, as Chinese input methods type them.
            '０'..='９' => digits.push(char::from(b'0' + (u32::from(c) - u32::from('０')) as u8)),
            ' ' | '-' | '－' | '(' | ')' | '（' | '）' | '+' | '＋' => {}
            _ => return Err(ErrorCode::PhoneInvalid),
        }
    }
    let digits = match digits.strip_prefix("86") {
        Some(rest) if rest.len() == 11 && rest.starts_with('1') => rest.to_owned(),
        _ => digits,
    };
    let bytes = digits.as_bytes();
    let mobile = bytes.len() == 11 && bytes[0] == b'1' && (b'3'..=b'9').contains(&bytes[1]);
    let landline = (10..=12).contains(&bytes.len()) && bytes[0] == b'0' && bytes[1] != b'0';
    if mobile || landline { Ok(digits) } else { Err(ErrorCode::PhoneInvalid) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> NewReport {
        NewReport {
            idempotency_key: "0f3c5a9e-2b1d-4c6e-8a7f-1234567890ab".to_owned(),
            category: "rumor".to_owned(),
            description: "  有人在群里说明天全市停水，是假的  ".to_owned(),
            links: vec!["https://weibo.com/123/abc".to_owned()],
            platform: Some("微博".to_owned()),
            account: None,
            location: None,
            district: None,
            channel: None,
            contact: None,
            evidence: Vec::new(),
            position: None,
            office: None,
        }
    }

    fn check(edit: impl Fn(&mut NewReport), want: Result<(), (&str, ErrorCode)>) {
        let mut input = base();
        edit(&mut input);
        let got = Report::validate(&input, &Taxonomy::default_set()).map(|_| ()).map_err(|e| (e.field, e.code));
        let want = want.map_err(|(f, c)| (f.to_owned(), c));
        assert_eq!(got, want, "input: {input:?}");
    }

    #[test]
    fn validation_table() {
        use ErrorCode::*;
        check(|_| {}, Ok(()));
        check(|r| r.idempotency_key = "short".into(), Err(("idempotency_key", InvalidIdempotencyKey)));
        check(|r| r.idempotency_key = "a".repeat(65), Err(("idempotency_key", InvalidIdempotencyKey)));
        check(
            |r| r.idempotency_key = "0f3c5a9e 2b1d 4c6e 8a7f 1234".into(),
            Err(("idempotency_key", InvalidIdempotencyKey)),
        );
        check(|r| r.category = "nope".into(), Err(("category", UnknownCategory)));
        check(|r| r.description = "".into(), Err(("description", DescriptionEmpty)));
        check(|r| r.description = " \n\t　".into(), Err(("description", DescriptionEmpty)));
        check(|r| r.description = "假的".into(), Err(("description", DescriptionTooShort)));
        // Issue 17: invisible-only text was accepted.
        check(|r| r.description = "\u{200b}".repeat(5), Err(("description", TextInvisible)));
        check(
            |r| r.description = "\u{feff}\u{feff}\u{202e}\u{202e}\u{2066}".into(),
            Err(("description", TextInvisible)),
        );
        check(
            |r| r.description = "\u{3164}\u{2800}\u{0301}\u{fe0f}\u{e0041}".into(),
            Err(("description", TextInvisible)),
        );
        check(|r| r.description = "假\u{200b}\u{200b}\u{200b}的".into(), Err(("description", DescriptionTooShort)));
        check(|r| r.description = "谣".repeat(20_000), Err(("description", DescriptionTooLong)));
        check(|r| r.platform = Some("\u{200b}\u{200c}".into()), Err(("platform", TextInvisible)));
        check(|r| r.account = Some("\u{202e}\u{2800}".into()), Err(("account", TextInvisible)));
        check(|r| r.description = "谣".repeat(2000), Ok(()));
        check(|r| r.description = "谣".repeat(2001), Err(("description", DescriptionTooLong)));
        check(|r| r.links = vec![], Err(("links", LinkRequired)));
        check(|r| r.links = vec!["  ".into()], Err(("links", LinkRequired)));
        check(|r| r.links = vec!["https://a.cn".into(); 6], Err(("links", TooManyLinks)));
        check(|r| r.links = vec!["javascript:alert(1)".into()], Err(("links.0", LinkScheme)));
        check(|r| r.links = vec!["ftp://weibo.com/x".into()], Err(("links.0", LinkScheme)));
        check(|r| r.links = vec!["https://weibo.com/1".into(), "not a link".into()], Err(("links.1", LinkInvalid)));
        check(|r| r.links = vec!["https://localhost/x".into()], Err(("links.0", LinkInvalid)));
        check(|r| r.links = vec!["https://user@evil.com/x".into()], Err(("links.0", LinkInvalid)));
        check(|r| r.links = vec!["https://weibo.com:99999999/x".into()], Err(("links.0", LinkInvalid)));
        check(|r| r.links = vec![format!("https://a.cn/{}", "x".repeat(2048))], Err(("links.0", LinkInvalid)));
        check(|r| r.category = "fraud".into(), Ok(()));
        check(
            |r| {
                r.category = "fraud".into();
                r.links = vec![];
            },
            Ok(()),
        );
        check(|r| r.platform = Some("平".repeat(101)), Err(("platform", FieldTooLong)));
        check(|r| r.category = "red_light".into(), Err(("district", LocationRequired)));
        check(
            |r| {
                r.category = "red_light".into();
                r.district = Some("nanshan".into());
            },
            Ok(()),
        );
        check(
            |r| {
                r.category = "red_light".into();
                r.district = Some("atlantis".into());
            },
            Err(("district", UnknownDistrict)),
        );
        check(|r| r.channel = Some("bus-stop-12".into()), Ok(()));
        check(|r| r.channel = Some("<script>".into()), Err(("channel", ChannelInvalid)));
        let id = |n: u8| format!("{n:032x}");
        check(|r| r.evidence = (0..6).map(id).collect(), Ok(()));
        check(|r| r.evidence = (0..7).map(id).collect(), Err(("evidence", TooManyImages)));
        check(|r| r.evidence = vec![id(1), id(1)], Err(("evidence.1", EvidenceMissing)));
        check(|r| r.evidence = vec!["../x".into()], Err(("evidence.0", EvidenceMissing)));
        check(
            |r| r.contact = Some(Contact { name: None, phone: Some("12345".into()) }),
            Err(("contact.phone", PhoneInvalid)),
        );
        check(
            |r| r.contact = Some(Contact { name: Some("王".repeat(101)), phone: None }),
            Err(("contact.name", FieldTooLong)),
        );
        check(
            |r| r.contact = Some(Contact { name: Some("王先生".into()), phone: Some("138 0013 8000".into()) }),
            Ok(()),
        );
    }

    #[test]
    fn stray_bidi_controls_are_stripped_from_what_is_kept() {
        let mut input = base();
        input.description = "\u{202e}冒充客服让人转账\u{202c}解冻账户".into();
        input.account = Some("\u{2067}kefu_001\u{2069}".into());
        let report = Report::validate(&input, &Taxonomy::default_set()).expect("valid");
        assert_eq!(report.description, "冒充客服让人转账解冻账户");
        assert_eq!(report.account.as_deref(), Some("kefu_001"));
    }

    #[test]
    fn normalises_what_it_keeps() {
        let mut input = base();
        input.category = "red_light".into();
        input.district = Some(" nanshan ".into());
        input.location = Some("  深南大道与科技路口 ".into());
        input.channel = Some("Bus-12".into());
        input.contact = Some(Contact { name: Some(" ".into()), phone: Some(" ".into()) });
        let report = Report::validate(&input, &Taxonomy::default_set()).expect("valid");
        assert_eq!(report.description, "有人在群里说明天全市停水，是假的");
        assert_eq!(report.district.as_deref(), Some("nanshan"));
        assert_eq!(report.location.as_deref(), Some("深南大道与科技路口"));
        // An offline report keeps no platform fields left over from an online category.
        assert_eq!(report.platform, None);
        assert_eq!(report.channel.as_deref(), Some("bus-12"));
        assert_eq!(report.contact, None, "an all-blank contact is no contact");
    }

    #[test]
    fn link_table() {
        let table: [(&str, Result<&str, ErrorCode>); 12] = [
            ("https://weibo.com/123", Ok("https://weibo.com/123")),
            ("HTTP://Weibo.com/123", Ok("HTTP://Weibo.com/123")),
            ("weibo.com/123", Ok("https://weibo.com/123")),
            ("【快看】 https://v.douyin.com/iRNBho6/ 复制此链接，打开Dou音搜索", Ok("https://v.douyin.com/iRNBho6/")),
            ("看这个https://b23.tv/abc，太离谱了", Ok("https://b23.tv/abc")),
            ("https://例子.中国/路径", Ok("https://例子.中国/路径")),
            ("http://192.168.1.10:8080/a", Ok("http://192.168.1.10:8080/a")),
            ("javascript:alert(1)", Err(ErrorCode::LinkScheme)),
            ("data:text/html,hi", Err(ErrorCode::LinkScheme)),
            ("https://", Err(ErrorCode::LinkInvalid)),
            ("https://.com", Err(ErrorCode::LinkInvalid)),
            ("https://-a.com", Err(ErrorCode::LinkInvalid)),
        ];
        for (pasted, want) in table {
            assert_eq!(normalise_link(pasted).as_deref(), want.as_ref().map(|s| *s), "{pasted}");
        }
    }

    #[test]
    fn phone_table() {
        let table = [
            ("13800138000", Ok("13800138000")),
            ("+86 138-0013-8000", Ok("13800138000")),
            ("１３８００１３８０００", Ok("13800138000")),
            ("010-12345678", Ok("01012345678")),
            ("0755 8888 6666", Ok("075588886666")),
            ("12800138000", Err(ErrorCode::PhoneInvalid)),
            ("1380013800", Err(ErrorCode::PhoneInvalid)),
            ("138001380001", Err(ErrorCode::PhoneInvalid)),
            ("138a0013800", Err(ErrorCode::PhoneInvalid)),
            ("001234567890", Err(ErrorCode::PhoneInvalid)),
        ];
        for (typed, want) in table {
            assert_eq!(normalise_phone(typed).as_deref(), want.as_ref().map(|s| *s), "{typed}");
        }
    }

    #[test]
    fn a_device_position_is_kept_coarse_and_in_range() {
        let p = CoarsePosition::from_degrees(22.543_096, 113.934_31).expect("a position");
        assert_eq!(p, CoarsePosition { lat: 2254, lon: 11393 });
        assert_eq!(p.degrees(), "22.54,113.93");
        assert_eq!(CoarsePosition { lat: -3, lon: -12345 }.degrees(), "-0.03,-123.45");
        assert_eq!(CoarsePosition::from_degrees(f64::NAN, 1.0), None);
        assert_eq!(CoarsePosition::from_degrees(91.0, 1.0), None);
        check(|r| r.position = Some(CoarsePosition { lat: 2254, lon: 11393 }), Ok(()));
        check(
            |r| r.position = Some(CoarsePosition { lat: 9001, lon: 0 }),
            Err(("position", ErrorCode::PositionInvalid)),
        );
        check(
            |r| r.position = Some(CoarsePosition { lat: 0, lon: -18001 }),
            Err(("position", ErrorCode::PositionInvalid)),
        );
        let json = r#"{"idempotency_key":"k","category":"c","description":"d","position":{"lat":22.54,"lon":1}}"#;
        assert!(serde_json::from_str::<NewReport>(json).is_err(), "degrees with decimals are refused, not truncated");
    }

    /// The worker's idempotency check stores a hash of this serialised form, and a retry must
    /// hash the same to get its receipt back (else 409): a report whose answer was lost before a
    /// deploy is sent again after it. So the form is pinned here. A new field must be left out
    /// when absent (as `position` is); existing fields keep their names and order.
    #[test]
    fn the_hashed_form_of_a_report_is_pinned() {
        let report = Report::validate(&base(), &Taxonomy::default_set()).expect("valid");
        assert_eq!(
            serde_json::to_string(&report).expect("serialises"),
            r#"{"idempotency_key":"0f3c5a9e-2b1d-4c6e-8a7f-1234567890ab","category":"rumor","description":"有人在群里说明天全市停水，是假的","links":["https://weibo.com/123/abc"],"platform":"微博","account":null,"location":null,"district":null,"channel":null,"contact":null,"evidence":[]}"#
        );
        let mut with_position = base();
        with_position.position = Some(CoarsePosition { lat: 2254, lon: 11393 });
        let report = Report::validate(&with_position, &Taxonomy::default_set()).expect("valid");
        assert!(
            serde_json::to_string(&report).expect("serialises").ends_with(r#","position":{"lat":2254,"lon":11393}}"#)
        );
    }
}
