//! Every intake channel (一体化受理): a report reaches the office through the public form, or staff
//! enter one taken by phone, letter or in person, from a self-media clue, or passed down from a
//! higher office (the province, the national 12377 centre). Whatever the channel, the report is
//! validated by the same [`Report::validate`], becomes a case through the same
//! [`crate::workflow::submit`] (its deadline counted from when it was received, not when it was
//! typed in), and counts in the same figures, by channel.
//!
//! The caller's or writer's contact details go where a citizen's go (`report_contacts`), read only
//! by those who may read contacts, and each reading is logged.

pub mod import;

use serde::{Deserialize, Serialize};

use crate::error::ErrorCode;
use crate::i18n::Lang;
use crate::report::{FieldError, NewReport, Report};
use crate::taxonomy::Taxonomy;
use crate::workflow::{AuditEvent, Case, DAY_MS, Policy, submit};

/// How a report reached the office.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// 网上举报: the public form (`POST /api/reports`).
    Web,
    /// 电话: taken by phone (the hotline).
    Phone,
    /// 来信: a letter.
    Letter,
    /// 来访: in person.
    Visit,
    /// 自媒体线索: a clue found on self-media.
    SelfMedia,
    /// 上级转办: passed down from a higher office (the province, the national 12377 centre).
    HigherOffice,
}

impl Source {
    /// Every channel, in the order the figures list them.
    pub const ALL: [Source; 6] =
        [Source::Web, Source::Phone, Source::Letter, Source::Visit, Source::SelfMedia, Source::HigherOffice];

    /// The snake_case name stored in `reports.source`.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Web => "web",
            Source::Phone => "phone",
            Source::Letter => "letter",
            Source::Visit => "visit",
            Source::SelfMedia => "self_media",
            Source::HigherOffice => "higher_office",
        }
    }

    /// Reads the stored name back.
    pub fn from_name(name: &str) -> Option<Source> {
        Source::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// The channel as staff and the public read it.
    pub fn label(self, lang: Lang) -> &'static str {
        let [hans, hant, en] = match self {
            Source::Web => ["网上举报", "網上檢舉", "Online form"],
            Source::Phone => ["电话举报", "電話檢舉", "Phone"],
            Source::Letter => ["来信", "來信", "Letter"],
            Source::Visit => ["来访", "來訪", "In person"],
            Source::SelfMedia => ["自媒体线索", "自媒體線索", "Self-media clue"],
            Source::HigherOffice => ["上级转办", "上級轉辦", "Passed down"],
        };
        match lang {
            Lang::ZhHans => hans,
            Lang::ZhHant => hant,
            Lang::En => en,
        }
    }
}

/// The longest source reference (a 12377 transfer number, a letter's registration number).
pub const REFERENCE_MAX_CHARS: usize = 64;

/// How far back a staff-entered report may say it was received: a letter opened late, a call
/// logged after the shift. Older than this is an archive, not intake.
pub const MAX_BACKDATE_DAYS: i64 = 30;

/// `POST /api/staff/reports`: a report staff enter for someone who did not use the form.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaffReportRequest {
    /// The channel; never `web` (that is the public form).
    pub source: Source,
    /// The higher office's transfer number, the letter's registration number …; required for
    /// `higher_office`.
    #[serde(default)]
    pub source_reference: Option<String>,
    /// When the call, letter or visit came (ms since the Unix epoch); at most 30 days back, not in the
    /// future. Defaults to now. The deadlines count from it.
    #[serde(default)]
    pub received_at: Option<i64>,
    /// The report itself, validated exactly like the public form's (the caller's contact in
    /// `contact`, kept as private as a citizen's).
    pub report: NewReport,
}

/// Where a staff-entered report came from, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Intake {
    /// The channel.
    pub source: Source,
    /// Its reference, if any.
    pub reference: Option<String>,
    /// When it was received.
    pub received_at: i64,
}

/// Checks a staff-entered report at `now`: the report by the public form's rules, then the channel,
/// reference and time. The first field at fault is named (`report.description`, `source_reference` …).
pub fn validate(request: &StaffReportRequest, now: i64, taxonomy: &Taxonomy) -> Result<(Report, Intake), FieldError> {
    let report = Report::validate(&request.report, taxonomy)
        .map_err(|e| FieldError::new(format!("report.{}", e.field), e.code))?;
    if report.channel.is_some() {
        // A poster code says the public form was used from a QR scan; staff intake has none.
        return Err(FieldError::new("report.channel", ErrorCode::ChannelInvalid));
    }
    let intake = check_intake(request.source, request.source_reference.as_deref(), request.received_at, now)?;
    Ok((report, intake))
}

/// The channel, reference and time rules shared by one staff entry and each imported row.
fn check_intake(
    source: Source,
    reference: Option<&str>,
    received_at: Option<i64>,
    now: i64,
) -> Result<Intake, FieldError> {
    if source == Source::Web {
        return Err(FieldError::new("source", ErrorCode::SourceInvalid));
    }
    let reference = reference.map(crate::text::written).filter(|r| !r.is_empty());
    if reference.as_ref().is_some_and(|r| r.chars().count() > REFERENCE_MAX_CHARS) {
        return Err(FieldError::new("source_reference", ErrorCode::FieldTooLong));
    }
    if source == Source::HigherOffice && reference.is_none() {
        return Err(FieldError::new("source_reference", ErrorCode::FieldRequired));
    }
    let received_at = received_at.unwrap_or(now);
    if received_at > now || received_at < now - MAX_BACKDATE_DAYS * DAY_MS {
        return Err(FieldError::new("received_at", ErrorCode::DateOutOfRange));
    }
    Ok(Intake { source, reference, received_at })
}

/// A staff-entered report becomes a case exactly as a citizen's does ([`submit`], with its
/// acceptance deadline counted from `received_at`); the first event names the staff member who
/// entered it and, in its staff-only detail, the channel and reference.
pub fn enter(report: &Report, intake: &Intake, entered_by: &str, policy: &Policy) -> (Case, AuditEvent) {
    let (case, mut event) = submit(report, intake.received_at, policy);
    event.actor = entered_by.to_owned();
    event.detail = Some(match &intake.reference {
        Some(reference) => format!("{} {reference}", intake.source.as_str()),
        None => intake.source.as_str().to_owned(),
    });
    (case, event)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workflow::{AuditKind, HOUR_MS};

    const NOW: i64 = 1_795_536_000_000;

    fn request(source: Source, reference: Option<&str>, received_at: Option<i64>) -> StaffReportRequest {
        StaffReportRequest {
            source,
            source_reference: reference.map(str::to_owned),
            received_at,
            report: NewReport {
                idempotency_key: "k".repeat(24),
                category: "fraud".to_owned(),
                description: "来电反映有人冒充客服诈骗".to_owned(),
                contact: Some(crate::Contact {
                    name: Some("王先生".to_owned()),
                    phone: Some("13800138000".to_owned()),
                }),
                ..NewReport::default()
            },
        }
    }

    #[test]
    fn sources_round_trip() {
        for source in Source::ALL {
            assert_eq!(Source::from_name(source.as_str()), Some(source));
            assert_eq!(serde_json::to_string(&source).expect("serialises"), format!("\"{}\"", source.as_str()));
        }
    }

    #[test]
    fn the_channel_reference_and_time_are_checked_after_the_report() {
        let taxonomy = Taxonomy::default_set();
        let field = |r: StaffReportRequest| validate(&r, NOW, &taxonomy).map(|_| ()).map_err(|e| (e.field, e.code));
        assert_eq!(field(request(Source::Web, None, None)), Err(("source".to_owned(), ErrorCode::SourceInvalid)));
        assert_eq!(
            field(request(Source::HigherOffice, Some(" \u{200b}"), None)),
            Err(("source_reference".to_owned(), ErrorCode::FieldRequired))
        );
        let long = "1".repeat(65);
        assert_eq!(
            field(request(Source::Letter, Some(&long), None)),
            Err(("source_reference".to_owned(), ErrorCode::FieldTooLong))
        );
        for at in [NOW + 1, NOW - MAX_BACKDATE_DAYS * DAY_MS - 1] {
            assert_eq!(
                field(request(Source::Phone, None, Some(at))),
                Err(("received_at".to_owned(), ErrorCode::DateOutOfRange))
            );
        }
        let mut bad = request(Source::Phone, None, None);
        bad.report.description = "\u{200b}\u{200b}".to_owned();
        assert_eq!(field(bad).map_err(|e| e.0), Err("report.description".to_owned()));
        let mut poster = request(Source::Visit, None, None);
        poster.report.channel = Some("P001".to_owned());
        assert_eq!(field(poster), Err(("report.channel".to_owned(), ErrorCode::ChannelInvalid)));
        assert_eq!(field(request(Source::HigherOffice, Some("12377-2026-001"), Some(NOW - DAY_MS))), Ok(()));
    }

    #[test]
    fn an_entered_report_is_due_from_when_it_was_received() {
        let taxonomy = Taxonomy::default_set();
        let policy = Policy::from_taxonomy(&taxonomy);
        let received = NOW - 3 * HOUR_MS;
        let (report, intake) =
            validate(&request(Source::HigherOffice, Some("12377-0042"), Some(received)), NOW, &taxonomy)
                .expect("valid");
        let (case, event) = enter(&report, &intake, "staff:3", &policy);
        assert_eq!((case.created_at, case.due_at), (received, Some(received + 24 * HOUR_MS)));
        assert_eq!((event.kind, event.actor.as_str(), event.at), (AuditKind::Submitted, "staff:3", received));
        assert_eq!(event.detail.as_deref(), Some("higher_office 12377-0042"));
        assert_eq!(
            report.contact.and_then(|c| c.phone).as_deref(),
            Some("13800138000"),
            "the caller's contact is kept"
        );
    }
}
