//! Requests a case sends out and waits on, separate from who holds it: a consultation (会商) asks
//! several departments for an opinion by a date and the lead concludes it; an assistance request
//! (协查) asks a partner agency — the police first — for a check, with its own deadline and answer.
//!
//! A request is one row per party (`case_requests` in D1, migration 0010). The open consultation of a
//! case is its consult rows not yet closed (there is at most one at a time); an assistance request is
//! one row. Answering fills `answered_at`; concluding a consultation, answering an assistance request,
//! or the case's end (resolved, merged) fills `closed_at`. Like the rest of the workflow this is plain
//! data: [`super::apply`] returns the case with its requests changed and the store writes the changes.

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

/// What a request asks for.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    /// 会商: an opinion from a department, by a date.
    Consult,
    /// 协查: a check by a partner agency (公安 first), by a date.
    Assist,
}

impl RequestKind {
    /// Both kinds.
    pub const ALL: [RequestKind; 2] = [RequestKind::Consult, RequestKind::Assist];

    /// The snake_case name stored in D1.
    pub fn as_str(self) -> &'static str {
        match self {
            RequestKind::Consult => "consult",
            RequestKind::Assist => "assist",
        }
    }

    /// Reads the stored name back.
    pub fn from_name(name: &str) -> Option<RequestKind> {
        RequestKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// The kind as staff read it.
    pub fn label(self, lang: Lang) -> &'static str {
        let [hans, hant, en] = match self {
            RequestKind::Consult => ["会商", "會商", "Consultation"],
            RequestKind::Assist => ["协查", "協查", "Assistance request"],
        };
        match lang {
            Lang::ZhHans => hans,
            Lang::ZhHant => hant,
            Lang::En => en,
        }
    }
}

/// The id of a request not stored yet: D1 gives the real one.
pub const UNSAVED_REQUEST: i64 = 0;

/// One party's part in a consultation, or one assistance request.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseRequest {
    /// Row id; [`UNSAVED_REQUEST`] for one [`super::apply`] just made.
    pub id: i64,
    /// Consultation or assistance.
    pub kind: RequestKind,
    /// The department (or partner agency) code asked.
    pub party: String,
    /// What is asked: the consultation's question, or the check requested of the agency.
    pub question: String,
    /// The agency's case number (a police 案件编号), when known; the answer may supply it.
    #[serde(default)]
    pub reference: Option<String>,
    /// When the answer is due.
    pub due_at: i64,
    /// When it was sent.
    pub opened_at: i64,
    /// Who sent it (`staff:<id>`).
    pub opened_by: String,
    /// When the party answered.
    #[serde(default)]
    pub answered_at: Option<i64>,
    /// The answer.
    #[serde(default)]
    pub answer: Option<String>,
    /// Who answered (`staff:<id>`).
    #[serde(default)]
    pub answered_by: Option<String>,
    /// When the request stopped waiting: concluded, answered (assistance), or the case ended.
    #[serde(default)]
    pub closed_at: Option<i64>,
}

impl CaseRequest {
    /// Whether it is still part of the case's live business.
    pub fn is_open(&self) -> bool {
        self.closed_at.is_none()
    }

    /// Whether the party still owes an answer.
    pub fn awaits_answer(&self) -> bool {
        self.is_open() && self.answered_at.is_none()
    }

    /// Whether the answer is late at `now`: still owed past its due time.
    pub fn is_overdue(&self, now: i64) -> bool {
        self.awaits_answer() && now > self.due_at
    }
}

/// The open consultation's rows of `requests`: every department invited, answered or not.
pub fn open_consultation(requests: &[CaseRequest]) -> impl Iterator<Item = &CaseRequest> {
    requests.iter().filter(|r| r.kind == RequestKind::Consult && r.is_open())
}

/// The departments of the open consultation that have not answered yet, in invitation order: what the
/// case page shows as "未答复".
pub fn not_answered(requests: &[CaseRequest]) -> Vec<&str> {
    open_consultation(requests).filter(|r| r.answered_at.is_none()).map(|r| r.party.as_str()).collect()
}

/// The request `department` still owes an answer to, of `kind`, if any.
pub fn owed_by<'a>(requests: &'a [CaseRequest], kind: RequestKind, department: &str) -> Option<&'a CaseRequest> {
    requests.iter().find(|r| r.kind == kind && r.party == department && r.awaits_answer())
}

/// Whether `department` is asked something in an open request on the case: its liaison may then see
/// the case while the request is open, even though the case is not transferred to it.
pub fn involves(requests: &[CaseRequest], department: &str) -> bool {
    requests.iter().any(|r| r.party == department && r.is_open())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(kind: RequestKind, party: &str) -> CaseRequest {
        CaseRequest {
            id: 1,
            kind,
            party: party.to_owned(),
            question: "请提供意见".to_owned(),
            reference: None,
            due_at: 1_000,
            opened_at: 0,
            opened_by: "staff:1".to_owned(),
            answered_at: None,
            answer: None,
            answered_by: None,
            closed_at: None,
        }
    }

    #[test]
    fn kinds_round_trip() {
        for kind in RequestKind::ALL {
            assert_eq!(RequestKind::from_name(kind.as_str()), Some(kind));
            assert_eq!(serde_json::to_string(&kind).expect("serialises"), format!("\"{}\"", kind.as_str()));
        }
    }

    #[test]
    fn who_has_not_answered_and_who_is_late() {
        let mut answered = request(RequestKind::Consult, "market");
        answered.answered_at = Some(500);
        let closed = CaseRequest { closed_at: Some(10), ..request(RequestKind::Consult, "old") };
        let requests =
            vec![request(RequestKind::Consult, "police"), answered, closed, request(RequestKind::Assist, "police")];
        assert_eq!(not_answered(&requests), ["police"]);
        assert_eq!(open_consultation(&requests).count(), 2);
        assert!(owed_by(&requests, RequestKind::Assist, "police").is_some());
        assert!(owed_by(&requests, RequestKind::Consult, "market").is_none(), "answered already");
        assert!(involves(&requests, "market") && !involves(&requests, "old"));
        assert!(!requests[0].is_overdue(1_000) && requests[0].is_overdue(1_001));
        assert!(!requests[1].is_overdue(2_000), "an answered request is never late");
    }
}
