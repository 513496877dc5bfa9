//! Bulk import of cases passed down (上级转办) or collected elsewhere: a CSV file (UTF-8, a header
//! row naming the columns) or the same rows as JSON. Every row is validated; if any row is bad the
//! answer names each bad row and field and nothing is imported. A row is identified by its source
//! and reference (the higher office's transfer number): importing the same file twice adds nothing
//! the second time — a reference already stored is named as a bad row.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{Intake, Source, check_intake};
use crate::error::ErrorCode;
use crate::i18n::Lang;
use crate::receipt::hex;
use crate::report::{Contact, FieldError, NewReport, Report};
use crate::taxonomy::Taxonomy;
use crate::workflow::{DAY_MS, HOUR_MS, SHANGHAI_UTC_OFFSET_MINUTES, local_day_end};

/// The most rows one import takes (a D1 batch writes them all or none).
pub const MAX_ROWS: usize = 200;

/// One row to import. Every field is text, as a spreadsheet has it; empty means absent.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportRow {
    /// The channel's name (`higher_office` when empty).
    #[serde(default)]
    pub source: String,
    /// The transfer or registration number; required, unique per source.
    #[serde(default)]
    pub source_reference: String,
    /// When it was received, `YYYY-MM-DD` or `YYYY-MM-DD HH:MM` in Beijing time (now when empty).
    #[serde(default)]
    pub received_at: String,
    /// Category code.
    #[serde(default)]
    pub category: String,
    /// What was reported.
    #[serde(default)]
    pub description: String,
    /// Links, separated by spaces.
    #[serde(default)]
    pub links: String,
    /// Platform.
    #[serde(default)]
    pub platform: String,
    /// Account on the platform.
    #[serde(default)]
    pub account: String,
    /// Place, in words.
    #[serde(default)]
    pub location: String,
    /// District code.
    #[serde(default)]
    pub district: String,
    /// The reporter's name, if the higher office passed it on.
    #[serde(default)]
    pub contact_name: String,
    /// The reporter's phone, if passed on.
    #[serde(default)]
    pub contact_phone: String,
}

/// `POST /api/staff/reports/import` with a JSON body.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportRequest {
    /// The rows, at most [`MAX_ROWS`].
    pub rows: Vec<ImportRow>,
}

/// A bad row: its number (1 for the first data row, as a spreadsheet user counts below the header),
/// the field at fault and why.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    /// The row's number.
    pub row: usize,
    /// The column at fault (`description`, `contact_phone` …; `row` for the row as a whole).
    pub field: String,
    /// Why.
    pub error: ErrorCode,
    /// Why, in the reader's language.
    pub message: String,
}

/// One imported row's receipt.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Imported {
    /// The row's number.
    pub row: usize,
    /// The source reference.
    pub source_reference: String,
    /// The case's receipt code, grouped.
    pub receipt_code: String,
    /// Its secret, grouped (for whoever follows the case up).
    pub secret: String,
}

/// `POST /api/staff/reports/import` answer: `201` with every row's receipt, or `400 import_invalid`
/// with every bad row (and nothing imported).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ImportAnswer {
    /// `import_invalid` when rows were bad.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorCode>,
    /// The error's sentence in the reader's language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Every bad row.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rows: Vec<RowError>,
    /// Every stored row's receipt, in file order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub imported: Vec<Imported>,
}

/// One row ready to store: the report (its idempotency key made from the source and reference) and
/// where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidRow {
    /// The validated report.
    pub report: Report,
    /// Its channel, reference and time.
    pub intake: Intake,
}

/// A bad row's entry, with the sentence in `lang`.
pub fn row_error(row: usize, field: &str, error: ErrorCode, lang: Lang) -> RowError {
    RowError { row, field: field.to_owned(), error, message: error.message(lang).to_owned() }
}

/// Reads CSV text into rows: a header row naming [`ImportRow`]'s columns (in any order; unknown
/// columns refused), then one row per case. A byte-order mark is allowed (spreadsheets write one).
pub fn parse_csv(text: &str, lang: Lang) -> Result<Vec<ImportRow>, Vec<RowError>> {
    parse_csv_rows(text, lang, MAX_ROWS)
}

/// Reads CSV text into rows of `T` (a header row naming `T`'s fields in any order, unknown columns
/// refused; a byte-order mark allowed), at most `max_rows` of them: every unreadable row is named.
pub fn parse_csv_rows<T: serde::de::DeserializeOwned>(
    text: &str,
    lang: Lang,
    max_rows: usize,
) -> Result<Vec<T>, Vec<RowError>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|_| vec![row_error(0, "row", ErrorCode::BadJson, lang)])?.clone();
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let n = i + 1;
        let parsed = record.map_err(|_| ()).and_then(|r| r.deserialize::<T>(Some(&headers)).map_err(|_| ()));
        match parsed {
            Ok(row) => rows.push(row),
            Err(()) => errors.push(row_error(n, "row", ErrorCode::BadJson, lang)),
        }
        if n > max_rows {
            return Err(vec![row_error(n, "row", ErrorCode::TooManyItems, lang)]);
        }
    }
    if errors.is_empty() { Ok(rows) } else { Err(errors) }
}

/// A time as a spreadsheet writes it: `YYYY-MM-DD` (the start of that day) or `YYYY-MM-DD HH:MM`, in
/// a zone `utc_offset_minutes` east of UTC.
pub fn parse_local_time(text: &str, utc_offset_minutes: i32) -> Option<i64> {
    let (date, time) = match text.trim().split_once([' ', 'T']) {
        Some((date, time)) => (date, Some(time)),
        None => (text.trim(), None),
    };
    let start = local_day_end(date, utc_offset_minutes)? + 1 - DAY_MS;
    let Some(time) = time else { return Some(start) };
    let (h, m) = time.split_once(':')?;
    let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
    if !(0..24).contains(&h) || !(0..60).contains(&m) || time.len() != 5 {
        return None;
    }
    Some(start + h * HOUR_MS + m * 60_000)
}

/// The idempotency key of an imported row: the same source and reference always make the same key,
/// so the report is stored once however often the file is imported.
pub fn row_key(source: Source, reference: &str) -> String {
    let digest = Sha256::digest(format!("{}\n{reference}", source.as_str()).as_bytes());
    format!("import-{}", &hex(&digest)[..40])
}

fn optional(text: &str) -> Option<String> {
    Some(text.trim().to_owned()).filter(|t| !t.is_empty())
}

/// Validates every row at `now`; `stored` holds the `source reference` pairs already in D1 (each
/// given as `"<source> <reference>"`). Either every row is good, or every bad row is named.
pub fn validate_rows(
    rows: &[ImportRow],
    now: i64,
    taxonomy: &Taxonomy,
    stored: &BTreeSet<String>,
    lang: Lang,
) -> Result<Vec<ValidRow>, Vec<RowError>> {
    if rows.is_empty() {
        return Err(vec![row_error(0, "rows", ErrorCode::FieldRequired, lang)]);
    }
    if rows.len() > MAX_ROWS {
        return Err(vec![row_error(MAX_ROWS + 1, "rows", ErrorCode::TooManyItems, lang)]);
    }
    let mut seen = BTreeSet::new();
    let mut valid = Vec::new();
    let mut errors = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        match validate_row(row, now, taxonomy) {
            Ok(v) => {
                let identity = identity(&v.intake);
                if stored.contains(&identity) || !seen.insert(identity) {
                    errors.push(row_error(i + 1, "source_reference", ErrorCode::DuplicateReference, lang));
                } else {
                    valid.push(v);
                }
            }
            Err(e) => errors.push(row_error(i + 1, &e.field, e.code, lang)),
        }
    }
    if errors.is_empty() { Ok(valid) } else { Err(errors) }
}

/// `"<source> <reference>"`: what makes an imported row the same case.
pub fn identity(intake: &Intake) -> String {
    format!("{} {}", intake.source.as_str(), intake.reference.as_deref().unwrap_or_default())
}

fn validate_row(row: &ImportRow, now: i64, taxonomy: &Taxonomy) -> Result<ValidRow, FieldError> {
    let source = match row.source.trim() {
        "" => Source::HigherOffice,
        name => Source::from_name(name).ok_or_else(|| FieldError::new("source", ErrorCode::SourceInvalid))?,
    };
    let reference = row.source_reference.trim();
    if crate::text::written(reference).is_empty() {
        return Err(FieldError::new("source_reference", ErrorCode::FieldRequired));
    }
    let received_at = match row.received_at.trim() {
        "" => None,
        text => Some(
            parse_local_time(text, SHANGHAI_UTC_OFFSET_MINUTES)
                .ok_or_else(|| FieldError::new("received_at", ErrorCode::DateOutOfRange))?,
        ),
    };
    let intake = check_intake(source, Some(reference), received_at, now)?;
    let contact = (optional(&row.contact_name).is_some() || optional(&row.contact_phone).is_some())
        .then(|| Contact { name: optional(&row.contact_name), phone: optional(&row.contact_phone) });
    let input = NewReport {
        idempotency_key: row_key(source, intake.reference.as_deref().unwrap_or_default()),
        category: row.category.trim().to_owned(),
        description: row.description.clone(),
        links: row.links.split_whitespace().map(str::to_owned).collect(),
        platform: optional(&row.platform),
        account: optional(&row.account),
        location: optional(&row.location),
        district: optional(&row.district),
        channel: None,
        contact,
        evidence: Vec::new(),
        position: None,
        office: None,
    };
    // The report's own field names are the row's columns, except the contact's and the links'.
    let report = Report::validate(&input, taxonomy).map_err(|e| {
        let field = match e.field.as_str() {
            "contact.phone" => "contact_phone".to_owned(),
            "contact.name" => "contact_name".to_owned(),
            f if f.starts_with("links") => "links".to_owned(),
            f => f.to_owned(),
        };
        FieldError::new(field, e.code)
    })?;
    Ok(ValidRow { report, intake })
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_795_536_000_000; // 2026-11-25 00:00 Beijing

    const CSV: &str = "\u{feff}source_reference,category,description,received_at,contact_phone,links\n\
        12377-001,fraud,网友反映某群冒充客服诈骗,2026-11-24 09:30,13800138000,https://weibo.com/1 https://weibo.com/2\n\
        12377-002,rumor,\"网传地铁停运，\"\"假消息\"\"\",2026-11-24,,https://weibo.com/3\n";

    #[test]
    fn a_good_file_parses_and_validates() {
        let rows = parse_csv(CSV, Lang::ZhHans).expect("parses");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].description, "网传地铁停运，\"假消息\"");
        let valid = validate_rows(&rows, NOW, &Taxonomy::default_set(), &BTreeSet::new(), Lang::ZhHans).expect("valid");
        assert_eq!(valid[0].intake.source, Source::HigherOffice);
        assert_eq!(valid[0].intake.received_at, NOW - DAY_MS + 9 * HOUR_MS + 30 * 60_000);
        assert_eq!(valid[0].report.links.len(), 2);
        assert_eq!(valid[0].report.contact.as_ref().and_then(|c| c.phone.as_deref()), Some("13800138000"));
        assert_eq!(valid[1].intake.received_at, NOW - DAY_MS);
        assert_eq!(valid[0].report.idempotency_key, row_key(Source::HigherOffice, "12377-001"));
        assert_ne!(valid[0].report.idempotency_key, valid[1].report.idempotency_key);
    }

    #[test]
    fn every_bad_row_is_named_and_nothing_passes() {
        let rows = vec![
            ImportRow {
                source_reference: "A1".into(),
                category: "fraud".into(),
                description: "正常的一条举报".into(),
                ..Default::default()
            },
            ImportRow {
                source_reference: "A2".into(),
                category: "nope".into(),
                description: "类别不存在的举报".into(),
                ..Default::default()
            },
            ImportRow {
                source_reference: "".into(),
                category: "fraud".into(),
                description: "没有编号的举报".into(),
                ..Default::default()
            },
            ImportRow {
                source_reference: "A1".into(),
                category: "fraud".into(),
                description: "重复编号的举报".into(),
                ..Default::default()
            },
            ImportRow {
                source_reference: "A5".into(),
                category: "fraud".into(),
                description: "电话号码错误".into(),
                contact_phone: "123".into(),
                ..Default::default()
            },
            ImportRow {
                source_reference: "A6".into(),
                category: "fraud".into(),
                description: "时间错误的举报".into(),
                received_at: "2026-13-01".into(),
                ..Default::default()
            },
            ImportRow {
                source_reference: "OLD".into(),
                category: "fraud".into(),
                description: "已经导入过的举报".into(),
                ..Default::default()
            },
            ImportRow {
                source: "web".into(),
                source_reference: "W".into(),
                category: "fraud".into(),
                description: "网上来源不可导入".into(),
                ..Default::default()
            },
        ];
        let stored = BTreeSet::from(["higher_office OLD".to_owned()]);
        let errors = validate_rows(&rows, NOW, &Taxonomy::default_set(), &stored, Lang::ZhHans).expect_err("bad rows");
        let named: Vec<(usize, &str, ErrorCode)> = errors.iter().map(|e| (e.row, e.field.as_str(), e.error)).collect();
        assert_eq!(
            named,
            [
                (2, "category", ErrorCode::UnknownCategory),
                (3, "source_reference", ErrorCode::FieldRequired),
                (4, "source_reference", ErrorCode::DuplicateReference),
                (5, "contact_phone", ErrorCode::PhoneInvalid),
                (6, "received_at", ErrorCode::DateOutOfRange),
                (7, "source_reference", ErrorCode::DuplicateReference),
                (8, "source", ErrorCode::SourceInvalid),
            ]
        );
        assert!(errors.iter().all(|e| !e.message.is_empty()));
    }

    #[test]
    fn malformed_csv_and_too_many_rows_are_refused() {
        let unknown = "reference,category\nA,fraud\n";
        assert_eq!(parse_csv(unknown, Lang::En).expect_err("unknown column")[0].error, ErrorCode::BadJson);
        let mut many = String::from("source_reference,category,description\n");
        for i in 0..=MAX_ROWS {
            many.push_str(&format!("R{i},fraud,一条正常的举报内容\n"));
        }
        assert_eq!(parse_csv(&many, Lang::En).expect_err("too many")[0].error, ErrorCode::TooManyItems);
        assert_eq!(
            validate_rows(&[], NOW, &Taxonomy::default_set(), &BTreeSet::new(), Lang::En).expect_err("empty")[0].field,
            "rows"
        );
    }

    #[test]
    fn local_times() {
        assert_eq!(parse_local_time("2026-11-25", SHANGHAI_UTC_OFFSET_MINUTES), Some(NOW));
        assert_eq!(
            parse_local_time("2026-11-25 08:05", SHANGHAI_UTC_OFFSET_MINUTES),
            Some(NOW + 8 * HOUR_MS + 300_000)
        );
        assert_eq!(parse_local_time("2026-11-25T23:59", SHANGHAI_UTC_OFFSET_MINUTES), Some(NOW + DAY_MS - 60_000));
        for bad in ["2026-11-25 24:00", "2026-11-25 9:5", "2026-11-25 08:60", "tomorrow"] {
            assert_eq!(parse_local_time(bad, SHANGHAI_UTC_OFFSET_MINUTES), None, "{bad}");
        }
    }
}
