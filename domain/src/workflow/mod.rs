//! The case workflow: the one place where a case changes.
//!
//! Architecture invariant: every change of a case — a transition or an event that keeps the state —
//! goes through [`apply`], which returns the new case and the audit event to append, or a typed
//! [`Refusal`] and no change. The worker persists both and never writes a status by hand. Like the rest
//! of the crate this module is pure: `now` is passed in and the policy is data.
//!
//! States are [`ReportStatus`]. Transitions (the full table is [`next_status`]):
//!
//! | from                               | action   | to          |
//! |------------------------------------|----------|-------------|
//! | submitted                          | accept   | accepted    |
//! | submitted                          | reject   | rejected    |
//! | accepted, transferred, reopened    | transfer | transferred |
//! | accepted, transferred, reopened    | resolve  | resolved    |
//! | resolved (within the window)       | reopen   | reopened    |
//! | resolved (once per resolution)     | rate     | resolved    |
//! | any open: submitted, accepted, transferred, reopened | merge | merged |
//!
//! Events that keep the state: assign (AB角), remind (催办), supervise (督办), escalate (the daily
//! digest), note, reply, and the liaison's feedback (办理反馈). Who may do what is in [`role_may`];
//! which state allows what is in [`next_status`].
//!
//! Checks run in a fixed order, and the tests pin it: permission (so someone without access learns
//! nothing about the case), then state, then time conditions (reopen window, escalation), then input.

mod access;
mod action;
mod deadline;
mod refusal;
mod routing;

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::api::{EventKind, TimelineEntry};
use crate::i18n::Lang;
use crate::report::ReportStatus;

pub use access::{
    Actor, FiguresScope, Permission, Role, Staff, StaffId, figures_scope, liaison_can_see, may_be_assigned,
    may_read_cases, may_read_contact, permits, require, role_has, role_may,
};
pub use action::{Action, ActionKind, MergeTarget, RATING_COMMENT_MAX_CHARS, Rating, RejectReason};
pub use deadline::{
    DAY_MS, Policy, SHANGHAI_UTC_OFFSET_MINUTES, due_today, is_overdue, needs_escalation, time_left, today_window,
};
pub use refusal::Refusal;
pub use routing::{RoutingRule, propose_department, route};

/// A case's stable numeric id (the report's row id in D1: one case per report).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CaseId(pub i64);

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
        }
    }

    /// Whether the case still needs handling (not rejected, resolved or merged).
    pub fn is_open(&self) -> bool {
        is_open(self.status)
    }
}

fn is_open(status: ReportStatus) -> bool {
    matches!(
        status,
        ReportStatus::Submitted | ReportStatus::Accepted | ReportStatus::Transferred | ReportStatus::Reopened
    )
}

/// What an audit record is about. The snake_case names are stored in `events.kind`; the public ones are
/// spelled exactly like the reporter-visible [`EventKind`]s, which the timeline reads back.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditKind {
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
}

impl AuditKind {
    /// The snake_case name stored in `events.kind`.
    pub fn as_str(self) -> &'static str {
        match self {
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
        }
    }

    /// The reporter's timeline kind, for the events the reporter may see; `None` for staff-only ones.
    pub fn public_kind(self) -> Option<EventKind> {
        match self {
            AuditKind::Accepted => Some(EventKind::Accepted),
            AuditKind::Rejected => Some(EventKind::Rejected),
            AuditKind::Transferred => Some(EventKind::Transferred),
            AuditKind::Resolved => Some(EventKind::Resolved),
            AuditKind::Reopened => Some(EventKind::Reopened),
            AuditKind::Rated => Some(EventKind::Rated),
            AuditKind::Merged => Some(EventKind::Merged),
            AuditKind::Reply => Some(EventKind::Reply),
            AuditKind::Feedback
            | AuditKind::Assigned
            | AuditKind::Reminded
            | AuditKind::Supervised
            | AuditKind::Escalated
            | AuditKind::Note => None,
        }
    }
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

impl AuditEvent {
    /// The line the reporter sees, if the event is public.
    pub fn timeline_entry(&self) -> Option<TimelineEntry> {
        let kind = self.kind.public_kind().filter(|_| self.public)?;
        Some(TimelineEntry::from_stored(kind, self.at, self.body.clone(), self.detail.clone()))
    }
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
        (K::Merge, _) if is_open(from) => Some(S::Merged),
        // Assignment, reminders and supervision are about open cases, including ones not yet accepted.
        (K::Assign | K::Remind | K::Supervise, _) if is_open(from) => Some(from),
        // Escalation needs a running deadline; a reply needs an accepted case to reply about.
        (K::Escalate | K::Reply, S::Accepted | S::Transferred | S::Reopened) => Some(from),
        // Notes are allowed on closed cases too: staff record follow-ups after the fact.
        (K::Note, _) => Some(from),
        _ => None,
    }
}

/// Everything about taking `action` on `case` that does not depend on the action's input: permission,
/// state and time conditions, in that order.
fn check_allowed(
    case: &Case,
    action: ActionKind,
    actor: &Actor,
    now: i64,
    policy: &Policy,
) -> Result<ReportStatus, Refusal> {
    permits(actor, action, case)?;
    let to = next_status(case.status, action).ok_or(match action {
        ActionKind::Rate => Refusal::NotResolved,
        _ => Refusal::WrongState { status: case.status, action },
    })?;
    match action {
        ActionKind::Reopen => {
            if case.reopen_count >= policy.max_reopens {
                return Err(Refusal::ReopenLimitReached { max: policy.max_reopens });
            }
            // A resolved case without a resolution time is inconsistent data; refuse rather than guess.
            let deadline = case.resolved_at.map(|at| policy.reopen_deadline(at));
            if deadline.is_none_or(|deadline| now > deadline) {
                return Err(Refusal::ReopenWindowClosed);
            }
        }
        // One rating per resolution: a rating at or after the latest resolution already counts for it.
        ActionKind::Rate if case.rated_at.is_some_and(|rated| case.resolved_at.is_none_or(|res| rated >= res)) => {
            return Err(Refusal::AlreadyRated);
        }
        ActionKind::Escalate if needs_escalation(case, now).is_none() => return Err(Refusal::NotDueForEscalation),
        _ => {}
    }
    Ok(to)
}

/// The actions `actor` could take on `case` now, in button order: the console shows these and no
/// others. Input (an empty reply, a missing reason) is still checked by [`apply`].
pub fn allowed_actions(case: &Case, actor: &Actor, now: i64, policy: &Policy) -> Vec<ActionKind> {
    ActionKind::ALL.into_iter().filter(|&kind| check_allowed(case, kind, actor, now, policy).is_ok()).collect()
}

/// Cleans a free-text input ([`crate::text::written`]: invisible-only is empty) and checks its length.
fn clean(text: &str, policy: &Policy) -> Result<String, Refusal> {
    let text = crate::text::written(text);
    if text.chars().count() > policy.max_text_chars {
        return Err(Refusal::TextTooLong { max: policy.max_text_chars });
    }
    Ok(text)
}

/// Trims a free-text input that must not be empty; `empty` is the refusal when it is.
fn required(text: &str, policy: &Policy, empty: Refusal) -> Result<String, Refusal> {
    let text = clean(text, policy)?;
    if text.is_empty() {
        return Err(empty);
    }
    Ok(text)
}

/// The body of an `assigned` or `escalated` event: `primary=<id> backup=<id or ->`.
fn assignment_body(primary: Option<StaffId>, backup: Option<StaffId>) -> String {
    let name = |id: Option<StaffId>| id.map_or_else(|| "-".to_owned(), |id| id.to_string());
    format!("primary={} backup={}", name(primary), name(backup))
}

/// Who an `assigned` or `escalated` event's body names, read back (the inverse of the body that
/// [`apply`] writes); `None` for any other text. The console shows names instead of the ids.
pub fn read_assignment(body: &str) -> Option<(Option<StaffId>, Option<StaffId>)> {
    let (primary, backup) = body.split_once(' ')?;
    let id = |value: &str| -> Option<Option<StaffId>> {
        match value {
            "-" => Some(None),
            digits => digits.parse().ok().map(|n| Some(StaffId(n))),
        }
    };
    Some((id(primary.strip_prefix("primary=")?)?, id(backup.strip_prefix("backup=")?)?))
}

/// Every staff account a case's record names: the actors of its events, its primary and backup
/// handlers, and those an assignment or escalation named (they may since have been replaced). Sorted,
/// each once: the worker looks their names up for the case page.
pub fn staff_named(case: &Case, events: &[(&str, &str, Option<&str>)]) -> Vec<StaffId> {
    let mut ids: Vec<StaffId> = [case.primary_handler, case.backup_handler].into_iter().flatten().collect();
    for &(kind, actor, body) in events {
        if let Some(id) = actor.strip_prefix("staff:").and_then(|n| n.parse().ok()) {
            ids.push(StaffId(id));
        }
        if matches!(kind, "assigned" | "escalated")
            && let Some((primary, backup)) = body.and_then(read_assignment)
        {
            ids.extend(primary);
            ids.extend(backup);
        }
    }
    ids.sort();
    ids.dedup();
    ids
}

/// Applies `action`, taken by `actor` at `now`, to `case`: the new case and the audit event to append,
/// or why not. The input case is never modified, so a refusal changes nothing.
pub fn apply(
    case: &Case,
    action: &Action,
    actor: &Actor,
    now: i64,
    policy: &Policy,
) -> Result<(Case, AuditEvent), Refusal> {
    let to = check_allowed(case, action.kind(), actor, now, policy)?;
    let mut next = case.clone();
    next.status = to;
    next.updated_at = now;
    // The primary acting on their case at all is what keeps it from escalating.
    if actor.staff_id().is_some() && actor.staff_id() == case.primary_handler {
        next.primary_acted_at = Some(now);
    }
    let mut detail = None;
    let (kind, body) = match action {
        Action::Accept => {
            next.accepted_at = Some(now);
            next.due_at = Some(policy.due_at(&case.category, now));
            // The handler who accepts an unassigned case answers for it until someone assigns it, so
            // the deadline always has an owner. Admins accepting do not become handlers.
            if let Actor::Staff(Staff { id, role: Role::Handler, .. }) = actor
                && next.primary_handler.is_none()
            {
                next.primary_handler = Some(*id);
                next.primary_acted_at = Some(now);
            }
            (AuditKind::Accepted, None)
        }
        Action::Reject { reason, text } => {
            let text = clean(text, policy)?;
            if *reason == RejectReason::Other && text.is_empty() {
                return Err(Refusal::MissingReason);
            }
            let label = reason.label(Lang::ZhHans);
            let body = if text.is_empty() { label.to_owned() } else { format!("{label}：{text}") };
            (AuditKind::Rejected, Some(body))
        }
        Action::Transfer { department, reason } => {
            let department = department.trim();
            if department.is_empty() {
                return Err(Refusal::MissingDepartment);
            }
            if case.department.as_deref() == Some(department) {
                return Err(Refusal::SameDepartment);
            }
            let reason = clean(reason, policy)?;
            // A first transfer follows routing and needs no words; moving a case away from a department
            // (including after a reopening) must say why, for the audit and for the receiving side.
            if case.department.is_some() && reason.is_empty() {
                return Err(Refusal::MissingReason);
            }
            next.department = Some(department.to_owned());
            next.transfer_count = case.transfer_count.saturating_add(1);
            next.feedback_at = None;
            detail = Some(reason).filter(|r| !r.is_empty());
            (AuditKind::Transferred, Some(department.to_owned()))
        }
        Action::Feedback { text } => {
            let text = required(text, policy, Refusal::EmptyText)?;
            next.feedback_at = Some(now);
            (AuditKind::Feedback, Some(text))
        }
        Action::Resolve { reply } => {
            let reply = required(reply, policy, Refusal::EmptyReply)?;
            next.resolved_at = Some(now);
            (AuditKind::Resolved, Some(reply))
        }
        Action::Reopen { reason } => {
            let reason = required(reason, policy, Refusal::MissingReason)?;
            next.reopen_count = case.reopen_count.saturating_add(1);
            next.resolved_at = None;
            next.feedback_at = None;
            // Back with the handler, with a fresh handling time: the old deadline has long passed.
            next.due_at = Some(policy.due_at(&case.category, now));
            (AuditKind::Reopened, Some(reason))
        }
        Action::Rate { rating, comment } => {
            let comment = crate::text::written(comment);
            if comment.chars().count() > RATING_COMMENT_MAX_CHARS {
                return Err(Refusal::CommentTooLong { max: RATING_COMMENT_MAX_CHARS });
            }
            next.rated_at = Some(now);
            detail = Some(comment).filter(|c| !c.is_empty());
            (AuditKind::Rated, Some(rating.as_str().to_owned()))
        }
        Action::Merge { into } => {
            if into.id == case.id {
                return Err(Refusal::MergeIntoSelf);
            }
            // Merges never chain (a reporter following a merged case lands on a live one) and never
            // revive a rejected report. Merging into a resolved case is fine: it was the same matter.
            if matches!(into.status, ReportStatus::Rejected | ReportStatus::Merged) {
                return Err(Refusal::MergeTargetInvalid { status: into.status });
            }
            next.merged_into = Some(into.id);
            (AuditKind::Merged, None)
        }
        Action::Assign { primary, backup } => {
            if *backup == Some(*primary) {
                return Err(Refusal::SameHandler);
            }
            // A newly named primary gets a fresh start rather than being escalated at once.
            if case.primary_handler != Some(*primary) {
                next.primary_acted_at = Some(now);
            }
            next.primary_handler = Some(*primary);
            next.backup_handler = *backup;
            (AuditKind::Assigned, Some(assignment_body(next.primary_handler, next.backup_handler)))
        }
        Action::Remind { note } => {
            let note = clean(note, policy)?;
            (AuditKind::Reminded, Some(note).filter(|n| !n.is_empty()))
        }
        Action::Supervise { note } => {
            let note = required(note, policy, Refusal::MissingReason)?;
            next.supervised_at = Some(now);
            (AuditKind::Supervised, Some(note))
        }
        Action::Escalate => {
            // check_allowed made sure a distinct backup exists; B takes the case and A becomes the backup,
            // so nobody drops out of the case and the new primary starts with a clean slate.
            next.primary_handler = case.backup_handler;
            next.backup_handler = case.primary_handler;
            next.primary_acted_at = Some(now);
            (AuditKind::Escalated, Some(assignment_body(next.primary_handler, next.backup_handler)))
        }
        Action::Note { text } => (AuditKind::Note, Some(required(text, policy, Refusal::EmptyText)?)),
        Action::Reply { text } => (AuditKind::Reply, Some(required(text, policy, Refusal::EmptyReply)?)),
    };
    let event = AuditEvent {
        case_id: case.id,
        kind,
        actor: actor.audit_name(),
        public: kind.public_kind().is_some(),
        body,
        detail,
        from_status: case.status,
        to_status: next.status,
        at: now,
    };
    Ok((next, event))
}

#[cfg(test)]
mod tests;
