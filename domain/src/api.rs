//! Request and response bodies of the JSON API, shared by the app and the worker.
//!
//! API boundary: these types are the wire format. Requests deny unknown fields so a typo in a
//! client is a clear 400, not silently dropped data.

use serde::{Deserialize, Serialize};

use crate::category::Taxonomy;
use crate::error::ErrorCode;
use crate::report::{Contact, ReportStatus};

/// `POST /api/reports`: what the citizen's device sends.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewReport {
    /// A random token made on the device when the report was started; a retry sends it again.
    pub idempotency_key: String,
    /// Category code.
    pub category: String,
    /// What the reporter saw.
    pub description: String,
    /// Links to the offending content.
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
}

/// `201` answer to `POST /api/reports` (and `200` to a retry with the same key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportCreated {
    /// The receipt code, grouped for reading (`K7M-X3P-QAR`).
    pub receipt_code: String,
    /// The tracking secret, grouped (`ABCD-EFGH-JKMN`). Shown once on the device; stored hashed.
    pub secret: String,
    /// When the report was received, milliseconds since the Unix epoch.
    pub created_at: i64,
}

/// What kind of entry a timeline line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// The report was received.
    Submitted,
    /// Staff accepted it.
    Accepted,
    /// Staff did not accept it.
    Rejected,
    /// It went to a department.
    Transferred,
    /// A reply to the reporter.
    Reply,
    /// It was closed.
    Resolved,
    /// The reporter reopened it.
    Reopened,
    /// It was merged into another case.
    Merged,
}

/// One public line of a report's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    /// What happened.
    pub kind: EventKind,
    /// When, milliseconds since the Unix epoch.
    pub at: i64,
    /// Public text (a reply, a reason, a department name), if any.
    #[serde(default)]
    pub text: Option<String>,
}

/// `GET /api/reports/{code}` answer: what the reporter may see of their report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportView {
    /// The receipt code, grouped.
    pub receipt_code: String,
    /// Category code.
    pub category: String,
    /// Where the case stands.
    pub status: ReportStatus,
    /// The reporter's own description, so they know which report this is.
    pub description: String,
    /// When it was received.
    pub created_at: i64,
    /// Public history, oldest first.
    pub timeline: Vec<TimelineEntry>,
}

/// `GET /api/categories` answer.
pub type TaxonomyView = Taxonomy;

/// `GET /api/health` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    /// `ok` when the database answered.
    pub status: String,
    /// The worker's version.
    pub version: String,
}

/// `GET /api/stats` answer: public figures, no personal data.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PublicStats {
    /// Reports received.
    pub received: u64,
    /// Waiting to be accepted or rejected.
    pub pending: u64,
    /// Accepted, transferred or reopened: being handled.
    pub in_progress: u64,
    /// Closed with a reply.
    pub closed: u64,
    /// Not accepted.
    pub rejected: u64,
    /// Merged into another case.
    pub merged: u64,
}

/// Every error answer's body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiErrorBody {
    /// Machine code the UI translates.
    pub error: ErrorCode,
    /// A sentence in the language the request asked for.
    pub message: String,
    /// The input field at fault, when one is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// Header that carries the tracking secret (never the query string, which ends up in logs).
pub const SECRET_HEADER: &str = "x-receipt-secret";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_report_refuses_unknown_fields_and_wrong_types() {
        let ok = r#"{"idempotency_key":"k","category":"rumor","description":"d"}"#;
        assert!(serde_json::from_str::<NewReport>(ok).is_ok());
        let unknown = r#"{"idempotency_key":"k","category":"rumor","description":"d","status":"resolved"}"#;
        assert!(serde_json::from_str::<NewReport>(unknown).is_err());
        let wrong_type = r#"{"idempotency_key":"k","category":"rumor","description":42}"#;
        assert!(serde_json::from_str::<NewReport>(wrong_type).is_err());
        let contact_unknown = r#"{"idempotency_key":"k","category":"rumor","description":"d","contact":{"ip":"1"}}"#;
        assert!(serde_json::from_str::<NewReport>(contact_unknown).is_err());
    }
}
