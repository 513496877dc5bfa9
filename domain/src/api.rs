//! Request and response bodies of the JSON API, shared by the app and the worker.
//!
//! API boundary: these types are the wire format. Requests deny unknown fields so a typo in a
//! client is a clear 400, not silently dropped data.

use serde::{Deserialize, Serialize};

use crate::error::ErrorCode;
use crate::report::FieldError;
use crate::taxonomy::Taxonomy;
use crate::workflow::{
    Action, ActionKind, AuditEvent, Case, CaseId, MergeTarget, Rating, RejectReason, ReportStatus, Role, StaffId,
};

pub use crate::report::{CoarsePosition, Contact, NewReport};
pub use crate::workflow::EventKind;

/// `201` answer to `POST /api/reports` (and `200` to a retry with the same key).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportCreated {
    /// The receipt code, grouped for reading (`K7M-X3P-QAR`).
    pub receipt_code: String,
    /// The tracking secret, grouped (`ABCD-EFGH-JKMN`). Shown once on the device; stored hashed.
    pub secret: String,
    /// When the report was received, milliseconds since the Unix epoch.
    pub created_at: i64,
}

/// One public line of a report's history.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    /// What happened.
    pub kind: EventKind,
    /// When, milliseconds since the Unix epoch.
    pub at: i64,
    /// Public text (a reply, a reason, a department name, a rating's comment), if any.
    #[serde(default)]
    pub text: Option<String>,
    /// The verdict, on a `rated` line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<Rating>,
}

impl TimelineEntry {
    /// The line the reporter sees for an audit event, if the event is public.
    pub fn of_event(event: &AuditEvent) -> Option<TimelineEntry> {
        let kind = event.kind.public_kind().filter(|_| event.public)?;
        Some(TimelineEntry::from_stored(kind, event.at, event.body.clone(), event.detail.clone()))
    }

    /// A line from a stored public event: its `body`, and for a rating the verdict's name in `body`
    /// and the comment in `detail`. Other kinds' `detail` is staff-only and never shown.
    pub fn from_stored(kind: EventKind, at: i64, body: Option<String>, detail: Option<String>) -> TimelineEntry {
        match kind {
            EventKind::Rated => {
                TimelineEntry { kind, at, text: detail, rating: body.as_deref().and_then(Rating::from_name) }
            }
            _ => TimelineEntry { kind, at, text: body, rating: None },
        }
    }
}

/// `GET /api/reports/{code}` answer: what the reporter may see of their report.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    /// Whether the reporter may rate the outcome now (resolved, not yet rated since).
    #[serde(default)]
    pub can_rate: bool,
    /// Until when the reporter may say "not resolved", while they may.
    #[serde(default)]
    pub reopen_until: Option<i64>,
    /// The office that holds the case now (its names and level; never a staff name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub office: Option<crate::office::Office>,
}

/// `POST /api/reports/{code}/rating`: the reporter rates a resolved case. The secret goes in the
/// [`SECRET_HEADER`] header, as for tracking.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RatingRequest {
    /// 满意 / 基本满意 / 不满意.
    pub rating: Rating,
    /// Optional words, at most 500 characters.
    #[serde(default)]
    pub comment: String,
}

/// `GET /api/categories` answer.
pub type TaxonomyView = Taxonomy;

/// `GET /api/health` answer.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    /// `ok` when the database answered.
    pub status: String,
    /// The worker's version.
    pub version: String,
}

/// `GET /api/stats` answer (defined with its computation in [`crate::figures`]), and its counts alone.
pub use crate::figures::{PublicStats, PublicTotals};

/// Every error answer's body.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

// ---- Staff sign-in and case handling (the console's API) ----

/// `POST /api/staff/session`: sign in.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignIn {
    /// The account's username.
    pub username: String,
    /// The password, sent only over HTTPS and never stored.
    pub password: String,
}

/// A staff account as the console shows it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffProfile {
    /// Account id.
    pub id: StaffId,
    /// Sign-in name.
    pub username: String,
    /// Name shown in the console and the audit log.
    pub display_name: String,
    /// What the account may do.
    pub role: Role,
    /// The department a liaison is bound to.
    #[serde(default)]
    pub department: Option<String>,
    /// The office the account belongs to: it handles that office's cases and reads (and supervises)
    /// the cases of every office below it.
    #[serde(default = "root_office")]
    pub office: String,
}

fn root_office() -> String {
    crate::office::ROOT.to_owned()
}

/// A staff account as colleagues see it: in the staff directory (`GET /api/staff/directory`) and
/// among the names a case page needs ([`CaseDetail::staff`]). Never the sign-in name or anything of
/// the password.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffName {
    /// Account id (what the case and the audit log store).
    pub id: StaffId,
    /// Name shown in the console.
    pub display_name: String,
    /// The account's role.
    pub role: Role,
    /// The department a liaison is bound to.
    #[serde(default)]
    pub department: Option<String>,
    /// Whether the account may still sign in (a case may name someone since disabled; the directory
    /// lists active accounts only).
    pub active: bool,
}

/// `GET /api/staff/directory` answer: the active staff accounts, by role then name.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffDirectory {
    /// The accounts.
    pub items: Vec<StaffName>,
}

/// The query of `GET /api/staff/directory`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DirectoryQuery {
    /// Only accounts of this role (`role=handler`).
    pub role: Option<Role>,
}

impl DirectoryQuery {
    /// Reads the query's pairs; an unknown parameter, a repeated one or an unknown role is refused
    /// with `bad_json` naming the parameter (the queue's query is read the same way).
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<DirectoryQuery, FieldError> {
        let mut query = DirectoryQuery::default();
        for (key, value) in pairs {
            match key {
                "role" if query.role.is_none() => {
                    query.role =
                        Some(Role::from_name(value).ok_or_else(|| FieldError::new("role", ErrorCode::BadJson))?);
                }
                _ => return Err(FieldError::new(key, ErrorCode::BadJson)),
            }
        }
        Ok(query)
    }
}

/// Answer to `POST /api/staff/session` and `GET /api/staff/me`: who is signed in, and the CSRF token
/// every state-changing request must send back in the [`CSRF_HEADER`] header.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffSession {
    /// The signed-in account.
    pub staff: StaffProfile,
    /// The session's CSRF token.
    pub csrf_token: String,
    /// When the session ends, milliseconds since the Unix epoch.
    pub expires_at: i64,
}

/// Header that carries the CSRF token on state-changing staff requests.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// `POST /api/staff/cases/{id}/actions`: one workflow action, as staff send it. The reporter's reopen
/// and the digest's escalation are not staff actions and have no request form here.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum CaseActionRequest {
    /// See [`Action::Accept`]. A struct variant so that unknown fields are refused here too.
    Accept {},
    /// See [`Action::Reject`].
    Reject {
        /// Why, from the list.
        reason: RejectReason,
        /// More words; required for `other`.
        #[serde(default)]
        text: String,
    },
    /// See [`Action::Transfer`].
    Transfer {
        /// Department code.
        department: String,
        /// Why; required for a second transfer.
        #[serde(default)]
        reason: String,
    },
    /// See [`Action::Feedback`].
    Feedback {
        /// What the department did.
        text: String,
    },
    /// See [`Action::Resolve`].
    Resolve {
        /// The public reply.
        reply: String,
    },
    /// See [`Action::Merge`].
    Merge {
        /// The surviving case's id.
        into: CaseId,
    },
    /// See [`Action::Assign`].
    Assign {
        /// A角.
        primary: StaffId,
        /// B角.
        #[serde(default)]
        backup: Option<StaffId>,
    },
    /// See [`Action::Remind`].
    Remind {
        /// An optional message.
        #[serde(default)]
        note: String,
    },
    /// See [`Action::Supervise`].
    Supervise {
        /// Why.
        note: String,
    },
    /// See [`Action::Note`].
    Note {
        /// The note.
        text: String,
    },
    /// See [`Action::Reply`].
    Reply {
        /// The reply.
        text: String,
    },
    /// See [`Action::Return`]: a department's liaison sends back a transferred case, or the office a
    /// case was referred to sends it back to the office that referred it.
    Return {
        /// Why it is sent back.
        reason: String,
    },
    /// See [`Action::Refer`].
    Refer {
        /// The receiving office's code (`GET /api/offices`).
        office: String,
        /// Why it belongs there.
        reason: String,
    },
    /// See [`Action::Extend`].
    Extend {
        /// The due time asked for, milliseconds since the Unix epoch.
        until: i64,
        /// Why.
        reason: String,
    },
    /// See [`Action::GrantExtension`].
    GrantExtension {
        /// Optional words.
        #[serde(default)]
        note: String,
    },
    /// See [`Action::RefuseExtension`].
    RefuseExtension {
        /// Why.
        note: String,
    },
    /// See [`Action::Consult`].
    Consult {
        /// Department codes to ask.
        departments: Vec<String>,
        /// The question.
        question: String,
        /// When the opinions are due, milliseconds since the Unix epoch.
        due_at: i64,
    },
    /// See [`Action::Opinion`].
    Opinion {
        /// The department's opinion.
        text: String,
    },
    /// See [`Action::Conclude`].
    Conclude {
        /// The conclusion.
        text: String,
    },
    /// See [`Action::Assist`].
    Assist {
        /// The partner agency's department code (e.g. `police`).
        agency: String,
        /// The check requested.
        check: String,
        /// The agency's case number, if known.
        #[serde(default)]
        reference: String,
        /// When the answer is due, milliseconds since the Unix epoch.
        due_at: i64,
    },
    /// See [`Action::AssistReply`].
    AssistReply {
        /// The agency's answer.
        text: String,
        /// The agency's case number, if the request had none.
        #[serde(default)]
        reference: String,
    },
    /// 报请上级支持 ([`Action::EscalateToParent`]): `to` is `parent`, the office above the one
    /// holding the case. It is listed as `escalate_to_parent` in a case's `allowed_actions`. The
    /// other escalation, the daily digest's hand-over of an idle primary's overdue case to its backup
    /// handler (event `escalated`), is no staff action and cannot be posted.
    Escalate {
        /// Whom to escalate to: `parent`.
        to: EscalationTarget,
        /// What support is asked for.
        reason: String,
    },
    /// See [`Action::TakeOver`]: the office an escalation asked takes the case over.
    TakeOver {
        /// Optional words for the office that asked.
        #[serde(default)]
        note: String,
    },
    /// See [`Action::Guide`]: the office an escalation asked answers with guidance.
    Guide {
        /// The guidance.
        text: String,
    },
    /// See [`Action::Delegate`] (交办).
    Delegate {
        /// The code of an office below the one holding the case (`GET /api/offices`).
        office: String,
        /// The deadline, milliseconds since the Unix epoch: after now, no later than the case's due time.
        due_at: i64,
        /// Instructions.
        note: String,
    },
    /// See [`Action::Approve`] (审核通过).
    Approve {
        /// Optional words, staff-only.
        #[serde(default)]
        note: String,
    },
    /// See [`Action::SendBack`] (审核退回).
    SendBack {
        /// Why the result goes back.
        reason: String,
    },
}

/// Whom a staff escalation goes to.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EscalationTarget {
    /// The parent of the office holding the case.
    Parent,
}

impl CaseActionRequest {
    /// The office a referral or delegation names, which the caller looks up in the office tree.
    pub fn office_named(&self) -> Option<&str> {
        match self {
            CaseActionRequest::Refer { office, .. } | CaseActionRequest::Delegate { office, .. } => Some(office),
            _ => None,
        }
    }

    /// The case a merge names, which the caller must load to learn its status.
    pub fn merge_into(&self) -> Option<CaseId> {
        match self {
            CaseActionRequest::Merge { into } => Some(*into),
            _ => None,
        }
    }

    /// The workflow action. `merge_target` is the loaded target of a merge (see [`Self::merge_into`]);
    /// `None` for a merge means the target does not exist. `parent_office` is the parent of the
    /// office holding the case, read from the office tree (`None` at the root).
    pub fn into_action(self, merge_target: Option<MergeTarget>, parent_office: Option<&str>) -> Option<Action> {
        use CaseActionRequest as R;
        Some(match self {
            R::Accept {} => Action::Accept,
            R::Reject { reason, text } => Action::Reject { reason, text },
            R::Transfer { department, reason } => Action::Transfer { department, reason },
            R::Feedback { text } => Action::Feedback { text },
            R::Resolve { reply } => Action::Resolve { reply },
            R::Merge { .. } => Action::Merge { into: merge_target? },
            R::Assign { primary, backup } => Action::Assign { primary, backup },
            R::Remind { note } => Action::Remind { note },
            R::Supervise { note } => Action::Supervise { note },
            R::Note { text } => Action::Note { text },
            R::Reply { text } => Action::Reply { text },
            R::Return { reason } => Action::Return { reason },
            R::Refer { office, reason } => Action::Refer { office, reason },
            R::Extend { until, reason } => Action::Extend { until, reason },
            R::GrantExtension { note } => Action::GrantExtension { note },
            R::RefuseExtension { note } => Action::RefuseExtension { note },
            R::Consult { departments, question, due_at } => Action::Consult { departments, question, due_at },
            R::Opinion { text } => Action::Opinion { text },
            R::Conclude { text } => Action::Conclude { text },
            R::Assist { agency, check, reference, due_at } => Action::Assist { agency, check, reference, due_at },
            R::AssistReply { text, reference } => Action::AssistReply { text, reference },
            R::Escalate { to: EscalationTarget::Parent, reason } => {
                Action::EscalateToParent { parent: parent_office.map(str::to_owned), reason }
            }
            R::TakeOver { note } => Action::TakeOver { note },
            R::Guide { text } => Action::Guide { text },
            R::Delegate { office, due_at, note } => Action::Delegate { office, due_at, note },
            R::Approve { note } => Action::Approve { note },
            R::SendBack { reason } => Action::SendBack { reason },
        })
    }
}

/// One line of `GET /api/staff/cases`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseSummary {
    /// The case.
    pub case: Case,
    /// Receipt code, grouped.
    pub receipt_code: String,
    /// The engine's priority (`low` … `urgent`).
    pub priority: String,
    /// The first characters of the description.
    pub excerpt: String,
    /// Whether it is past its due time and still being handled.
    pub overdue: bool,
    /// What the worker's screening found, in counts (absent for a report never screened).
    #[serde(default)]
    pub findings: Option<QueueFindings>,
}

/// The screening of a queued case, summed up for its queue row.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueFindings {
    /// Dictionary terms matched.
    pub matches: u32,
    /// Personal data found (phone numbers, ID numbers, bank cards, e-mail).
    pub pii: u32,
    /// The category the engine suggests, when it has one.
    #[serde(default)]
    pub suggested_category: Option<String>,
    /// Whether the text looks like junk (too short, repeated characters, no content).
    pub junk: bool,
}

/// `GET /api/staff/cases` answer: one page of the queue.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseQueue {
    /// The cases, in the requested order.
    pub items: Vec<CaseSummary>,
    /// Pass as `after` to get the next page; absent on the last page.
    #[serde(default)]
    pub next: Option<String>,
}

/// One line of the staff timeline: every event, public or not.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffEvent {
    /// Event id (append order).
    pub id: i64,
    /// `submitted`, an [`crate::workflow::AuditKind`] name, or `contact_viewed`.
    pub kind: String,
    /// `staff:<id>`, `reporter` or `system`.
    pub actor: String,
    /// Whether the reporter sees it.
    pub public: bool,
    /// The event's text.
    #[serde(default)]
    pub body: Option<String>,
    /// Staff-only text attached to it.
    #[serde(default)]
    pub detail: Option<String>,
    /// When.
    pub at: i64,
}

/// `GET /api/staff/cases/{id}` answer.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseDetail {
    /// The case.
    pub case: Case,
    /// Receipt code, grouped.
    pub receipt_code: String,
    /// The engine's priority.
    pub priority: String,
    /// What the reporter wrote.
    pub description: String,
    /// Links to the offending content.
    pub links: Vec<String>,
    /// Platform, account, place, channel as reported.
    #[serde(default)]
    pub platform: Option<String>,
    /// Account on the platform.
    #[serde(default)]
    pub account: Option<String>,
    /// Where, in words.
    #[serde(default)]
    pub location: Option<String>,
    /// Poster code.
    #[serde(default)]
    pub channel: Option<String>,
    /// The worker's screening as the engine's `Screening` JSON (PII only in masked form).
    #[serde(default)]
    pub screening: Option<String>,
    /// Whether the reporter left contact details; they are read, and the reading logged, through
    /// `GET /api/staff/cases/{id}/contact`.
    pub has_contact: bool,
    /// Every event, oldest first.
    pub timeline: Vec<StaffEvent>,
    /// The actions this user may take now, in button order.
    pub allowed_actions: Vec<ActionKind>,
    /// The department the routing rules propose for a transfer.
    #[serde(default)]
    pub proposed_department: Option<String>,
    /// Milliseconds until due; negative when overdue; absent without a running deadline.
    #[serde(default)]
    pub time_left_ms: Option<i64>,
    /// Published refutations close to the report's text when it was received ("already refuted"),
    /// closest first.
    #[serde(default)]
    pub refutation_matches: Vec<crate::refutation::api::RefutationMatch>,
    /// The report's evidence pictures, in order; each is fetched (authorised and logged) from
    /// `GET /api/staff/cases/{id}/evidence/{index}`.
    #[serde(default)]
    pub evidence: Vec<crate::evidence::EvidenceItem>,
    /// Open cases whose text is close to this one's (merge candidates), closest first; empty for
    /// liaisons, who see only their department's cases.
    #[serde(default)]
    pub duplicates: Vec<DuplicateSuggestion>,
    /// The names of the staff this case names (`workflow::staff_named`: the timeline's actors, the
    /// handlers, those assignments named), so that everyone who may see the case — liaisons too, who
    /// do not read the staff directory — sees names rather than numbers.
    #[serde(default)]
    pub staff: Vec<StaffName>,
}

/// An open case that looks like a duplicate of the one shown.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DuplicateSuggestion {
    /// The other case.
    pub id: CaseId,
    /// Its category code.
    pub category: String,
    /// Its state (always an open one).
    pub status: ReportStatus,
    /// When it was received (ms since the epoch).
    pub created_at: i64,
    /// The first 60 characters of its description.
    pub excerpt: String,
    /// Fingerprint similarity, 0–100.
    pub similarity_percent: u8,
}

/// `POST /api/staff/cases/{id}/actions` answer: the case after the action and the event written.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseActionDone {
    /// The case as stored now.
    pub case: Case,
    /// The audit record appended.
    pub event: AuditEvent,
}

/// `POST /api/reports/{code}/reopen`: the reporter says the case was not resolved (within the reopen
/// window). The secret goes in the [`SECRET_HEADER`] header, as for tracking.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReopenRequest {
    /// Why it is not resolved; required.
    pub reason: String,
}

/// One console notification (`GET /api/staff/notifications`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    /// Id, for marking it read.
    pub id: i64,
    /// `digest`.
    pub kind: String,
    /// One line.
    pub title: String,
    /// The details.
    pub body: String,
    /// When it was written.
    pub created_at: i64,
    /// When it was marked read.
    #[serde(default)]
    pub read_at: Option<i64>,
}

/// `GET /api/staff/notifications` answer: the newest first.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notifications {
    /// The latest notifications (at most 50).
    pub items: Vec<Notification>,
    /// How many are unread in all.
    pub unread: u32,
}

/// `POST /api/staff/notifications/read`: mark some (`ids`) or, without ids, all as read.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkRead {
    /// The notifications to mark; absent for all of them.
    #[serde(default)]
    pub ids: Option<Vec<i64>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directory_query_accepts_a_known_role_only() {
        let read = |pairs: &[(&'static str, &'static str)]| DirectoryQuery::from_pairs(pairs.iter().copied());
        assert_eq!(read(&[]), Ok(DirectoryQuery { role: None }));
        assert_eq!(read(&[("role", "handler")]), Ok(DirectoryQuery { role: Some(Role::Handler) }));
        assert_eq!(read(&[("role", "liaison")]), Ok(DirectoryQuery { role: Some(Role::Liaison) }));
        for (pairs, field) in [
            (&[("role", "root")][..], "role"),
            (&[("role", "")][..], "role"),
            (&[("role", "Handler")][..], "role"),
            (&[("role", "handler"), ("role", "admin")][..], "role"),
            (&[("username", "admin")][..], "username"),
            (&[("role", "handler"), ("limit", "5")][..], "limit"),
        ] {
            assert_eq!(read(pairs), Err(FieldError::new(field, ErrorCode::BadJson)), "{pairs:?}");
        }
    }

    #[test]
    fn a_staff_name_carries_no_sign_in_details() {
        let name = StaffName {
            id: StaffId(3),
            display_name: "张受理".to_owned(),
            role: Role::Handler,
            department: None,
            active: true,
        };
        let json = serde_json::to_value(&name).expect("serialises");
        let mut keys: Vec<&str> = json.as_object().expect("an object").keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["active", "department", "display_name", "id", "role"]);
    }

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

    #[test]
    fn case_action_requests_are_tagged_and_strict() {
        let transfer: CaseActionRequest =
            serde_json::from_str(r#"{"action":"transfer","department":"police"}"#).expect("parses");
        assert_eq!(
            transfer.into_action(None, None),
            Some(Action::Transfer { department: "police".to_owned(), reason: String::new() })
        );
        let accept: CaseActionRequest = serde_json::from_str(r#"{"action":"accept"}"#).expect("parses");
        assert_eq!(accept.into_action(None, None), Some(Action::Accept));
        // Staff cannot reopen for the reporter or escalate for the digest, and cannot smuggle a status.
        for bad in [
            r#"{"action":"reopen","reason":"x"}"#,
            r#"{"action":"escalate"}"#,
            r#"{"action":"escalate","to":"backup","reason":"x"}"#,
            r#"{"action":"escalate","to":"parent","reason":"x","parent":"elsewhere"}"#,
            r#"{"action":"accept","status":"resolved"}"#,
        ] {
            assert!(serde_json::from_str::<CaseActionRequest>(bad).is_err(), "{bad}");
        }
        // Escalating to the parent names no office: the worker reads the parent from the tree.
        let up: CaseActionRequest =
            serde_json::from_str(r#"{"action":"escalate","to":"parent","reason":"需要省办协调"}"#).expect("parses");
        assert_eq!(
            up.clone().into_action(None, Some("province")),
            Some(Action::EscalateToParent {
                parent: Some("province".to_owned()), reason: "需要省办协调".to_owned()
            })
        );
        assert_eq!(
            up.into_action(None, None),
            Some(Action::EscalateToParent { parent: None, reason: "需要省办协调".to_owned() })
        );
        let merge: CaseActionRequest = serde_json::from_str(r#"{"action":"merge","into":7}"#).expect("parses");
        assert_eq!(merge.merge_into(), Some(CaseId(7)));
        assert_eq!(merge.into_action(None, None), None);
    }
}
