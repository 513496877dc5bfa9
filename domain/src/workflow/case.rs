//! The case's lifecycle in one place: the statuses and their open and closed sets, the case record,
//! the audit event kinds (the staff log and the reporter's public timeline), the state table, and
//! [`submit`], which gives a new report its first state and event. Everything that changes a case
//! afterwards is [`super::apply`]. The worker and its SQL read the names and sets from here; a status
//! or event name is never spelled anywhere else (the D1 CHECK constraint in migrations/0001_init.sql
//! lists the same names, and a test compares them).

use std::fmt;

use serde::{Deserialize, Serialize};

use super::access::StaffId;
use super::action::ActionKind;
use super::deadline::Policy;
use super::request::CaseRequest;
use crate::i18n::Lang;
use crate::report::Report;

/// Where a case stands, as the reporter and staff see it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    /// Received, waiting for a handler (待受理).
    Submitted,
    /// Accepted for handling (已受理).
    Accepted,
    /// Not accepted, with a reason (不予受理).
    Rejected,
    /// Passed to the responsible department (已转办).
    Transferred,
    /// Closed with a reply (已办结).
    Resolved,
    /// The reporter said it was not resolved (已重新办理).
    Reopened,
    /// Merged into another case about the same thing (已合并).
    Merged,
}

impl ReportStatus {
    /// Every status, in workflow order.
    pub const ALL: [ReportStatus; 7] = [
        ReportStatus::Submitted,
        ReportStatus::Accepted,
        ReportStatus::Rejected,
        ReportStatus::Transferred,
        ReportStatus::Resolved,
        ReportStatus::Reopened,
        ReportStatus::Merged,
    ];

    /// The statuses of a case that still needs handling: nobody has rejected, closed or merged it.
    pub const OPEN: [ReportStatus; 4] =
        [ReportStatus::Submitted, ReportStatus::Accepted, ReportStatus::Transferred, ReportStatus::Reopened];

    /// The statuses of a case that has reached a documented end (a reporter's reopening starts it
    /// again).
    pub const CLOSED: [ReportStatus; 3] = [ReportStatus::Rejected, ReportStatus::Resolved, ReportStatus::Merged];

    /// Whether a case in this status still needs handling (one of [`ReportStatus::OPEN`]).
    pub fn is_open(self) -> bool {
        ReportStatus::OPEN.contains(&self)
    }

    /// `'submitted', 'accepted', …`: the statuses of `set` as an SQL list, so a query filters on the
    /// domain's sets instead of spelling the names again.
    pub fn sql_list(set: &[ReportStatus]) -> String {
        set.iter().map(|s| format!("'{}'", s.as_str())).collect::<Vec<_>>().join(", ")
    }

    /// The snake_case name stored in D1.
    pub fn as_str(self) -> &'static str {
        match self {
            ReportStatus::Submitted => "submitted",
            ReportStatus::Accepted => "accepted",
            ReportStatus::Rejected => "rejected",
            ReportStatus::Transferred => "transferred",
            ReportStatus::Resolved => "resolved",
            ReportStatus::Reopened => "reopened",
            ReportStatus::Merged => "merged",
        }
    }

    /// Reads the stored name back.
    pub fn from_name(name: &str) -> Option<ReportStatus> {
        ReportStatus::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// The status as the reporter reads it.
    pub fn label(self, lang: Lang) -> &'static str {
        let [hans, hant, en] = match self {
            ReportStatus::Submitted => ["待受理", "待受理", "Received"],
            ReportStatus::Accepted => ["已受理", "已受理", "Accepted"],
            ReportStatus::Rejected => ["不予受理", "不予受理", "Not accepted"],
            ReportStatus::Transferred => ["已转办", "已轉辦", "Transferred"],
            ReportStatus::Resolved => ["已办结", "已辦結", "Closed"],
            ReportStatus::Reopened => ["重新办理", "重新辦理", "Reopened"],
            ReportStatus::Merged => ["已合并", "已合併", "Merged"],
        };
        match lang {
            Lang::ZhHans => hans,
            Lang::ZhHant => hant,
            Lang::En => en,
        }
    }
}

/// A case's stable numeric id (the report's row id in D1: one case per report).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CaseId(pub i64);

impl CaseId {
    /// The id of a case not stored yet ([`submit`]'s answer): D1 gives the real one.
    pub const UNSAVED: CaseId = CaseId(0);
}

impl fmt::Display for CaseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// What staff handle: the workflow's view of one report. Plain data; times are milliseconds since the
/// Unix epoch, set by [`apply`] from the `now` it is given.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    /// The case (and report) id.
    pub id: CaseId,
    /// Where the case stands.
    pub status: ReportStatus,
    /// Category code; sets the deadline.
    pub category: String,
    /// District code, if the report has one; used for routing.
    pub district: Option<String>,
    /// Department code the case is or was last transferred to.
    pub department: Option<String>,
    /// A角: who handles the case.
    pub primary_handler: Option<StaffId>,
    /// B角: who takes over when the primary is idle past the deadline.
    pub backup_handler: Option<StaffId>,
    /// When the report was received.
    pub created_at: i64,
    /// When it was accepted.
    pub accepted_at: Option<i64>,
    /// When it is due: acceptance (or the latest reopening) plus the category's handling days.
    pub due_at: Option<i64>,
    /// When it was closed; cleared when the reporter reopens it.
    pub resolved_at: Option<i64>,
    /// When the department last reported what it did; cleared by a new transfer or a reopening.
    pub feedback_at: Option<i64>,
    /// When a supervisor last supervised it (督办件 sort first in the queue).
    pub supervised_at: Option<i64>,
    /// When the primary handler last acted on it (or was given it); decides escalation.
    pub primary_acted_at: Option<i64>,
    /// How many times it was transferred.
    pub transfer_count: u32,
    /// How many times the reporter reopened it.
    pub reopen_count: u32,
    /// The case this one was merged into.
    pub merged_into: Option<CaseId>,
    /// When the reporter last rated the outcome; a rating counts for the resolution it follows.
    #[serde(default)]
    pub rated_at: Option<i64>,
    /// When anything last happened to it.
    pub updated_at: i64,
    /// How many times a department sent it back (退回); from the second, a supervisor decides.
    #[serde(default)]
    pub return_count: u32,
    /// When a department last sent it back.
    #[serde(default)]
    pub returned_at: Option<i64>,
    /// The new due time a pending extension request (延期申请) asks for; cleared by the decision.
    #[serde(default)]
    pub extension_until: Option<i64>,
    /// How many extensions were granted.
    #[serde(default)]
    pub extension_count: u32,
    /// Its consultations and assistance requests, oldest first (loaded with the case page and for
    /// every action; the queue leaves it empty).
    #[serde(default)]
    pub requests: Vec<CaseRequest>,
    /// The office that holds the case (`crate::office`); the root office until the network says
    /// otherwise.
    #[serde(default = "root_office")]
    pub office: String,
    /// The office that referred the case here, while the referral waits to be accepted (or sent
    /// back with `return`).
    #[serde(default)]
    pub referred_from: Option<String>,
    /// The parent office asked for support (报请上级支持), while it has neither taken the case over
    /// nor answered with guidance.
    #[serde(default)]
    pub escalated_to: Option<String>,
    /// The office that delegated the case here (交办) and reviews its result before it closes.
    #[serde(default)]
    pub delegated_by: Option<String>,
    /// The reply the delegated office proposes, waiting for the delegating office's review (审核).
    #[serde(default)]
    pub review_reply: Option<String>,
}

fn root_office() -> String {
    crate::office::ROOT.to_owned()
}

impl Case {
    /// A newly submitted case.
    pub fn new(id: CaseId, category: &str, district: Option<&str>, created_at: i64) -> Case {
        Case {
            id,
            status: ReportStatus::Submitted,
            category: category.to_owned(),
            district: district.map(str::to_owned),
            department: None,
            primary_handler: None,
            backup_handler: None,
            created_at,
            accepted_at: None,
            due_at: None,
            resolved_at: None,
            feedback_at: None,
            supervised_at: None,
            primary_acted_at: None,
            transfer_count: 0,
            reopen_count: 0,
            merged_into: None,
            rated_at: None,
            updated_at: created_at,
            return_count: 0,
            returned_at: None,
            extension_until: None,
            extension_count: 0,
            requests: Vec::new(),
            office: root_office(),
            referred_from: None,
            escalated_to: None,
            delegated_by: None,
            review_reply: None,
        }
    }

    /// Whether the case still needs handling (not rejected, resolved or merged).
    pub fn is_open(&self) -> bool {
        self.status.is_open()
    }

    /// Whether a department has sent it back twice or more and no supervisor has decided since: then
    /// only a supervisor's 督办 (or an admin) moves it on.
    pub fn awaits_supervisor(&self) -> bool {
        self.return_count >= 2
            && self
                .returned_at
                .is_some_and(|returned| self.supervised_at.is_none_or(|supervised| supervised < returned))
    }
}

/// What an audit record is about. The snake_case names are stored in `events.kind`; the public ones are
/// spelled exactly like the reporter-visible [`EventKind`]s, which the timeline reads back.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditKind {
    /// The report was received (public): the first event of every case, made by [`submit`].
    Submitted,
    /// Accepted (public).
    Accepted,
    /// Not accepted, with the reason (public).
    Rejected,
    /// Transferred to a department (public; the reason is staff-only).
    Transferred,
    /// The department reported what it did (staff-only).
    Feedback,
    /// Closed with a reply (public).
    Resolved,
    /// Reopened by the reporter (public).
    Reopened,
    /// Rated by the reporter (public; the body is the rating's name, the detail the comment).
    Rated,
    /// Merged into another case (public).
    Merged,
    /// Primary and backup handler set (staff-only).
    Assigned,
    /// Reminded (staff-only).
    Reminded,
    /// Supervised (staff-only).
    Supervised,
    /// Handed to the backup handler by the daily digest (staff-only).
    Escalated,
    /// Internal note (staff-only).
    Note,
    /// Reply to the reporter (public).
    Reply,
    /// A department sent the case back, with the reason (staff-only).
    Returned,
    /// The holder asked for more time (staff-only; the body is the reason, the detail `until=<ms>`).
    ExtensionRequested,
    /// A supervisor granted the extension (staff-only; the detail `until=<ms>`).
    ExtensionGranted,
    /// A supervisor refused the extension (staff-only).
    ExtensionRefused,
    /// A consultation was opened (staff-only; the body is the question, the detail the departments).
    Consulted,
    /// An invited department gave its opinion (staff-only).
    Opinion,
    /// The lead concluded the consultation (staff-only; the detail names who never answered).
    Concluded,
    /// Assistance was requested of a partner agency (staff-only; the body is the check, the detail the
    /// agency).
    AssistRequested,
    /// The agency answered the assistance request (staff-only).
    AssistAnswered,
    /// Referred to another office (public; the body is the receiving office's code, which the
    /// reporter reads as its name; the detail the reason, staff-only).
    Referred,
    /// Sent back by the office it was referred to, to the office that referred it (public; the body
    /// is that office's code; the detail the reason).
    HandedBack,
    /// The holding office asked its parent office for support (staff-only; the body is the reason,
    /// the detail the parent's code).
    EscalatedToParent,
    /// The parent office took an escalated case over (public; the body is its code).
    TakenOver,
    /// The parent office answered an escalation with guidance; the case stays (staff-only).
    Guided,
    /// A parent office delegated the case to an office below it (交办; public; the body is that
    /// office's code, the detail the instructions).
    Delegated,
    /// The delegated office proposed its reply for the delegating office's review (staff-only; the
    /// body is the proposed reply).
    ReviewRequested,
    /// The delegating office sent the proposed result back for more work (staff-only).
    ReviewReturned,
}

impl AuditKind {
    /// The snake_case name stored in `events.kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditKind::Submitted => "submitted",
            AuditKind::Accepted => "accepted",
            AuditKind::Rejected => "rejected",
            AuditKind::Transferred => "transferred",
            AuditKind::Feedback => "feedback",
            AuditKind::Resolved => "resolved",
            AuditKind::Reopened => "reopened",
            AuditKind::Rated => "rated",
            AuditKind::Merged => "merged",
            AuditKind::Assigned => "assigned",
            AuditKind::Reminded => "reminded",
            AuditKind::Supervised => "supervised",
            AuditKind::Escalated => "escalated",
            AuditKind::Note => "note",
            AuditKind::Reply => "reply",
            AuditKind::Returned => "returned",
            AuditKind::ExtensionRequested => "extension_requested",
            AuditKind::ExtensionGranted => "extension_granted",
            AuditKind::ExtensionRefused => "extension_refused",
            AuditKind::Consulted => "consulted",
            AuditKind::Opinion => "opinion",
            AuditKind::Concluded => "concluded",
            AuditKind::AssistRequested => "assist_requested",
            AuditKind::AssistAnswered => "assist_answered",
            AuditKind::Referred => "referred",
            AuditKind::HandedBack => "handed_back",
            AuditKind::EscalatedToParent => "escalated_to_parent",
            AuditKind::TakenOver => "taken_over",
            AuditKind::Guided => "guided",
            AuditKind::Delegated => "delegated",
            AuditKind::ReviewRequested => "review_requested",
            AuditKind::ReviewReturned => "review_returned",
        }
    }

    /// The reporter's timeline kind, for the events the reporter may see; `None` for staff-only ones.
    pub fn public_kind(self) -> Option<EventKind> {
        match self {
            AuditKind::Submitted => Some(EventKind::Submitted),
            AuditKind::Accepted => Some(EventKind::Accepted),
            AuditKind::Rejected => Some(EventKind::Rejected),
            AuditKind::Transferred => Some(EventKind::Transferred),
            AuditKind::Resolved => Some(EventKind::Resolved),
            AuditKind::Reopened => Some(EventKind::Reopened),
            AuditKind::Rated => Some(EventKind::Rated),
            AuditKind::Merged => Some(EventKind::Merged),
            AuditKind::Reply => Some(EventKind::Reply),
            // The reporter sees every hand-over between offices as "now with office X".
            AuditKind::Referred | AuditKind::HandedBack | AuditKind::TakenOver | AuditKind::Delegated => {
                Some(EventKind::Referred)
            }
            AuditKind::Feedback
            | AuditKind::Assigned
            | AuditKind::Reminded
            | AuditKind::Supervised
            | AuditKind::Escalated
            | AuditKind::Note
            | AuditKind::Returned
            | AuditKind::ExtensionRequested
            | AuditKind::ExtensionGranted
            | AuditKind::ExtensionRefused
            | AuditKind::Consulted
            | AuditKind::Opinion
            | AuditKind::Concluded
            | AuditKind::AssistRequested
            | AuditKind::AssistAnswered
            | AuditKind::EscalatedToParent
            | AuditKind::Guided
            | AuditKind::ReviewRequested
            | AuditKind::ReviewReturned => None,
        }
    }

    /// The events that move a case to another office, whose body is the office it moved to: the
    /// reporter reads each as "now with office X" ([`EventKind::Referred`]).
    pub const HAND_OVERS: [AuditKind; 4] =
        [AuditKind::Referred, AuditKind::HandedBack, AuditKind::TakenOver, AuditKind::Delegated];
}

/// What kind of entry a timeline line is.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    /// The reporter rated the outcome.
    Rated,
    /// It went to another office (the text names it).
    Referred,
}

/// One append-only audit record: who did what to which case, when and why.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    /// The case.
    pub case_id: CaseId,
    /// What happened.
    pub kind: AuditKind,
    /// `staff:<id>`, `reporter` or `system` (see [`Actor::audit_name`]).
    pub actor: String,
    /// Whether the reporter sees it in the timeline.
    pub public: bool,
    /// The event's text. For public events it is what the reporter reads: the reply, the reject
    /// reason, the reporter's own reopen reason, or the department code of a transfer (the worker
    /// shows the department's name). For staff-only events it is the note, feedback or assignment.
    pub body: Option<String>,
    /// Staff-only text attached to a public event (the reason for a re-transfer), or the reporter's
    /// own comment on a rating, which the reporter sees.
    pub detail: Option<String>,
    /// Status before.
    pub from_status: ReportStatus,
    /// Status after (the same for events that keep the state).
    pub to_status: ReportStatus,
    /// When.
    pub at: i64,
}

/// The state table: the status a case in `from` moves to when `action` is taken, or `None` when the
/// state does not allow it. Events that keep the state return `from`.
pub fn next_status(from: ReportStatus, action: ActionKind) -> Option<ReportStatus> {
    use ActionKind as K;
    use ReportStatus as S;
    match (action, from) {
        (K::Accept, S::Submitted) => Some(S::Accepted),
        (K::Reject, S::Submitted) => Some(S::Rejected),
        (K::Transfer, S::Accepted | S::Transferred | S::Reopened) => Some(S::Transferred),
        (K::Feedback, S::Transferred) => Some(S::Transferred),
        (K::Resolve, S::Accepted | S::Transferred | S::Reopened) => Some(S::Resolved),
        (K::Reopen, S::Resolved) => Some(S::Reopened),
        (K::Rate, S::Resolved) => Some(S::Resolved),
        (K::Merge, _) if from.is_open() => Some(S::Merged),
        // Assignment, reminders and supervision are about open cases, including ones not yet accepted.
        (K::Assign | K::Remind | K::Supervise, _) if from.is_open() => Some(from),
        // Every open case has a running deadline, so any can be escalated; a reply needs an accepted
        // case to reply about.
        (K::Escalate, _) if from.is_open() => Some(from),
        (K::Reply, S::Accepted | S::Transferred | S::Reopened) => Some(from),
        // A department sends back only what it holds; the case returns to the office that sent it.
        (K::Return, S::Transferred) => Some(S::Accepted),
        // A referral waits at the receiving office as a new case; sent back, it waits at the sender's.
        (K::Refer, S::Submitted | S::Accepted | S::Reopened) => Some(S::Submitted),
        (K::Return, S::Submitted) => Some(S::Submitted),
        // Asking the parent office for support, and its answer, keep the state; a takeover moves a
        // case out of a department's hands to the parent office, which handles it itself.
        (K::EscalateToParent | K::Guide, _) if from.is_open() => Some(from),
        (K::TakeOver, S::Transferred) => Some(S::Accepted),
        (K::TakeOver, _) if from.is_open() => Some(from),
        // A delegated case is being handled: the office below takes it as accepted. Its review
        // closes it or sends it back.
        (K::Delegate, S::Accepted | S::Transferred | S::Reopened) => Some(S::Accepted),
        (K::Approve, S::Accepted | S::Transferred | S::Reopened) => Some(S::Resolved),
        (K::SendBack, S::Accepted | S::Transferred | S::Reopened) => Some(from),
        // Extensions, consultations and assistance concern a case being handled (accepted or later).
        (
            K::Extend
            | K::GrantExtension
            | K::RefuseExtension
            | K::Consult
            | K::Opinion
            | K::Conclude
            | K::Assist
            | K::AssistReply,
            S::Accepted | S::Transferred | S::Reopened,
        ) => Some(from),
        // Notes are allowed on closed cases too: staff record follow-ups after the fact.
        (K::Note, _) => Some(from),
        _ => None,
    }
}

/// A new report becomes a case: its first state ([`ReportStatus::Submitted`], with the deadline to
/// accept it) and its first audit event (`submitted`, public, by the reporter). The store writes
/// exactly what this returns, in the report's insert batch. The case's id is [`CaseId::UNSAVED`]:
/// the row id is given by that insert.
pub fn submit(report: &Report, now: i64, policy: &Policy) -> (Case, AuditEvent) {
    let id = CaseId::UNSAVED;
    let mut case = Case::new(id, &report.category, report.district.as_deref(), now);
    case.due_at = Some(policy.acceptance_due_at(&report.category, now));
    let event = AuditEvent {
        case_id: id,
        kind: AuditKind::Submitted,
        actor: "reporter".to_owned(),
        public: true,
        body: None,
        detail: None,
        from_status: ReportStatus::Submitted,
        to_status: ReportStatus::Submitted,
        at: now,
    };
    (case, event)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_names_round_trip() {
        for s in ReportStatus::ALL {
            assert_eq!(ReportStatus::from_name(s.as_str()), Some(s));
            for lang in Lang::ALL {
                assert!(!s.label(lang).is_empty());
            }
        }
        assert_eq!(ReportStatus::from_name("deleted"), None);
    }

    #[test]
    fn every_status_is_open_or_closed_never_both() {
        for status in ReportStatus::ALL {
            assert_ne!(ReportStatus::OPEN.contains(&status), ReportStatus::CLOSED.contains(&status), "{status:?}");
        }
        assert_eq!(ReportStatus::sql_list(&ReportStatus::OPEN), "'submitted', 'accepted', 'transferred', 'reopened'");
    }

    #[test]
    fn a_new_report_is_due_to_be_accepted_from_the_first_minute() {
        use crate::Taxonomy;
        use crate::workflow::{HOUR_MS, is_overdue};
        let policy = Policy::from_taxonomy(&Taxonomy::default_set());
        let report = |category: &str| Report {
            idempotency_key: "k".repeat(20),
            category: category.to_owned(),
            description: "有人冒充客服".to_owned(),
            links: Vec::new(),
            platform: None,
            account: None,
            location: None,
            district: Some("nanshan".to_owned()),
            channel: None,
            contact: None,
            evidence: Vec::new(),
            position: None,
        };
        let now = 1_700_000_000_000;
        // (category, acceptance hours): urgent categories (handling limit ≤ 3 days) 2 h, others 24 h.
        for (category, hours) in [("fraud", 24), ("terror", 2), ("minors", 2), ("spitting", 24)] {
            let (case, event) = submit(&report(category), now, &policy);
            assert_eq!(case.status, ReportStatus::Submitted);
            assert_eq!(case.due_at, Some(now + hours * HOUR_MS), "{category}");
            assert_eq!(case.district.as_deref(), Some("nanshan"));
            assert!(!is_overdue(&case, now + hours * HOUR_MS), "{category}: due, not yet overdue");
            assert!(is_overdue(&case, now + hours * HOUR_MS + 1), "{category}: overdue past its acceptance deadline");
            assert_eq!((event.kind, event.public, event.actor.as_str()), (AuditKind::Submitted, true, "reporter"));
            assert_eq!((event.from_status, event.to_status, event.at), (case.status, case.status, now));
            assert_eq!(event.kind.public_kind(), Some(EventKind::Submitted));
        }
    }

    #[test]
    fn the_database_accepts_exactly_the_domain_statuses() {
        let migration = include_str!("../../../migrations/0001_init.sql");
        let check = format!("CHECK (status IN ({}))", ReportStatus::sql_list(&ReportStatus::ALL));
        assert!(migration.contains(&check), "migrations/0001_init.sql should carry {check}");
        // The queue's sort key counts exactly the open statuses as running (is_overdue = due_sort < now).
        let due_sort = include_str!("../../../migrations/0009_acceptance_deadlines.sql");
        let running = format!("CASE WHEN status IN ({}) THEN", ReportStatus::sql_list(&ReportStatus::OPEN));
        assert!(due_sort.contains(&running), "migrations/0009 should carry {running}");
    }
}
