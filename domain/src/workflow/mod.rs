//! The case workflow: the one place where a case changes.
//!
//! Architecture invariant: every change of a case — a transition or an event that keeps the state —
//! goes through [`apply`], which returns the new case and the audit event to append, or a typed
//! [`Refusal`] and no change. The worker persists both and never writes a status by hand. Like the rest
//! of the crate this module is pure: `now` is passed in and the policy is data.
//!
//! States are [`ReportStatus`], the case record, its event kinds and the state table live in `case.rs`
//! (with [`submit`], a new report's first state and event). Transitions (the table is [`next_status`]):
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
//! | transferred                        | return   | accepted    |
//! | submitted, accepted, reopened      | refer    | submitted (at the receiving office) |
//! | submitted (a referral)             | return   | submitted (back at the referring office) |
//! | transferred                        | take_over | accepted (at the parent office) |
//! | accepted, transferred, reopened    | delegate | accepted (at the office below) |
//! | accepted, transferred, reopened (delegated, reply proposed) | approve | resolved |
//!
//! Between offices (issue 19; deadline rules also in ARCHITECTURE.md): `refer` hands a case to any
//! office, where it waits as a new case with a fresh acceptance time; the receiver accepts it or
//! sends it back (`return`, again a fresh acceptance time at the sender). `escalate_to_parent`
//! (posted as `escalate` with `to: parent`) asks the parent office for support; the case stays and
//! its clock runs until the parent answers with `guide` or takes it over with `take_over` (it then
//! holds the case, due time unchanged). `delegate` (交办) sends a case to an office below with a
//! deadline no later than the case's own due time; that office's `resolve` proposes the reply
//! (event `review_requested`, the case stays open and its clock runs) and the delegating office
//! `approve`s it, closing the case with that reply, or `send_back`s it for more work.
//!
//! Events that keep the state of a case being handled (accepted, transferred, reopened): extend
//! (延期申请) and a supervisor's grant_extension / refuse_extension; consult (会商), each invited
//! department's opinion and the lead's conclude; assist (协查) and the agency's assist_reply. Their
//! requests live on the case ([`CaseRequest`], `request.rs`).
//!
//! Deadline rules of these actions (also in ARCHITECTURE.md): a return does not stop the handling
//! clock (the office answers for the case throughout); from the second return a handler may neither
//! transfer nor close until a supervisor has supervised (督办) since the latest return. An extension
//! request changes nothing until a supervisor grants it; a grant moves `due_at` to the date asked for
//! (at most `Policy::max_extension_days` after the current due time) and counts in `extension_count`.
//! Consultations and assistance requests carry their own due dates (at most
//! `Policy::max_request_days` ahead) and never move the case's; closing or merging the case closes
//! its open requests.
//!
//! Events that keep the state: assign (AB角), remind (催办), supervise (督办), escalate (the daily
//! digest), note, reply, and the liaison's feedback (办理反馈). Who may do what is in [`role_may`];
//! which state allows what is in [`next_status`].
//!
//! Checks run in a fixed order, and the tests pin it: permission (so someone without access learns
//! nothing about the case), then state, then time conditions (reopen window, escalation), then input.

mod access;
mod action;
mod calendar;
mod case;
mod deadline;
mod refusal;
mod request;
mod routing;

use crate::i18n::Lang;

pub use access::{
    Actor, FiguresScope, Permission, Reach, Role, Staff, StaffId, figures_scope, liaison_can_see, may_be_assigned,
    may_read_cases, may_read_contact, permits, require, role_has, role_may,
};
pub use action::{Action, ActionKind, MergeTarget, RATING_COMMENT_MAX_CHARS, Rating, RejectReason};
pub use calendar::{
    Campaign, DeadlineSettings, MAX_DAYS_PER_YEAR, WorkCalendar, WorkingDaysSwitch, YearCalendar, YearDays,
    date_of_day, day_of, years_of,
};
pub use case::{AuditEvent, AuditKind, Case, CaseId, EventKind, ReportStatus, next_status, submit};
pub use deadline::{
    ACCEPTANCE_HOURS, DAY_MS, HOUR_MS, Policy, SHANGHAI_UTC_OFFSET_MINUTES, URGENT_ACCEPTANCE_HOURS,
    URGENT_DEADLINE_DAYS, due_today, is_overdue, local_day_end, needs_escalation, time_left, today_window,
};
pub use refusal::Refusal;
pub use request::{CaseRequest, RequestKind, UNSAVED_REQUEST, involves, not_answered, open_consultation, owed_by};
pub use routing::{RoutingRule, propose_department, propose_in_network, route};

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
        ActionKind::Transfer | ActionKind::Resolve
            if case.awaits_supervisor() && matches!(actor, Actor::Staff(Staff { role: Role::Handler, .. })) =>
        {
            return Err(Refusal::AwaitingSupervisor);
        }
        // A proposed result waits for the office that delegated the case; meanwhile it stays put.
        ActionKind::Transfer | ActionKind::Resolve | ActionKind::EscalateToParent if case.review_reply.is_some() => {
            return Err(Refusal::AwaitingReview);
        }
        ActionKind::Refer | ActionKind::Delegate if case.delegated_by.is_some() => {
            return Err(Refusal::AlreadyDelegated);
        }
        ActionKind::EscalateToParent if case.escalated_to.is_some() => return Err(Refusal::EscalationOpen),
        ActionKind::TakeOver | ActionKind::Guide
            if case.escalated_to.is_none() || case.escalated_to.as_deref() != actor_office(actor) =>
        {
            return Err(Refusal::NoEscalation);
        }
        ActionKind::Approve | ActionKind::SendBack
            if case.review_reply.is_none() || case.delegated_by.as_deref() != actor_office(actor) =>
        {
            return Err(Refusal::NoReviewPending);
        }
        ActionKind::Extend if case.extension_until.is_some() => return Err(Refusal::ExtensionPending),
        // Only a referral can be sent back before it is accepted.
        ActionKind::Return if case.status == ReportStatus::Submitted && case.referred_from.is_none() => {
            return Err(Refusal::WrongState { status: case.status, action });
        }
        ActionKind::GrantExtension | ActionKind::RefuseExtension if case.extension_until.is_none() => {
            return Err(Refusal::NoExtensionPending);
        }
        ActionKind::Consult if request::open_consultation(&case.requests).next().is_some() => {
            return Err(Refusal::ConsultationOpen);
        }
        ActionKind::Conclude if request::open_consultation(&case.requests).next().is_none() => {
            return Err(Refusal::NoConsultation);
        }
        ActionKind::Opinion | ActionKind::AssistReply => {
            let kind = if action == ActionKind::Opinion { RequestKind::Consult } else { RequestKind::Assist };
            let department = actor_department(actor);
            if request::owed_by(&case.requests, kind, department).is_none() {
                let answered = case.requests.iter().any(|r| r.kind == kind && r.party == department && r.is_open());
                return Err(match (kind, answered) {
                    (_, true) => Refusal::AlreadyAnswered,
                    (RequestKind::Consult, false) => Refusal::NoConsultation,
                    (RequestKind::Assist, false) => Refusal::OutsideDepartment,
                });
            }
        }
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

/// Checks a request's or extension's date: after `after`, and no later than `days` after `from`.
fn date_within(at: i64, after: i64, from: i64, days: u32, field: &'static str) -> Result<i64, Refusal> {
    let latest = from.saturating_add(i64::from(days).saturating_mul(DAY_MS));
    if at <= after || at > latest {
        return Err(Refusal::DateOutOfRange { field });
    }
    Ok(at)
}

/// The longest agency case number (a police 案件编号 is about 20 characters).
pub const REFERENCE_MAX_CHARS: usize = 64;

/// An optional short reference: written, at most [`REFERENCE_MAX_CHARS`] characters.
fn reference(text: &str) -> Result<Option<String>, Refusal> {
    let text = crate::text::written(text);
    if text.chars().count() > REFERENCE_MAX_CHARS {
        return Err(Refusal::FieldTooLong { field: "reference", max: REFERENCE_MAX_CHARS });
    }
    Ok(Some(text).filter(|t| !t.is_empty()))
}

/// The detail of an extension event: `until=<ms>`.
fn extension_detail(until: i64) -> String {
    format!("until={until}")
}

/// The due time an extension event's detail names (the inverse of what [`apply`] writes).
pub fn read_extension(detail: &str) -> Option<i64> {
    detail.strip_prefix("until=")?.parse().ok()
}

/// A new request row, not stored yet.
fn new_request(kind: RequestKind, party: &str, question: &str, due_at: i64, actor: &Actor, now: i64) -> CaseRequest {
    CaseRequest {
        id: request::UNSAVED_REQUEST,
        kind,
        party: party.to_owned(),
        question: question.to_owned(),
        reference: None,
        due_at,
        opened_at: now,
        opened_by: actor.audit_name(),
        answered_at: None,
        answer: None,
        answered_by: None,
        closed_at: None,
    }
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
            // Accepting a referral takes it up: the hand-over is over.
            next.referred_from = None;
            next.accepted_at = Some(now);
            next.due_at = Some(policy.due_at(&case.category, now));
            take_up(&mut next, actor, now);
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
            // Sending it again to the department that holds it changes nothing; after a return the
            // office may send it back to the same department with what it asked for.
            if case.status == ReportStatus::Transferred && case.department.as_deref() == Some(department) {
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
        Action::Resolve { reply } if case.delegated_by.is_some() => {
            // A delegated case closes on the delegating office's review: the reply waits for it.
            let reply = required(reply, policy, Refusal::EmptyReply)?;
            next.status = case.status;
            next.review_reply = Some(reply.clone());
            (AuditKind::ReviewRequested, Some(reply))
        }
        Action::Resolve { reply } => {
            let reply = required(reply, policy, Refusal::EmptyReply)?;
            next.resolved_at = Some(now);
            close_requests(&mut next, now);
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
            close_requests(&mut next, now);
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
        Action::Return { reason } if case.status == ReportStatus::Submitted => {
            // A referral sent back: it waits at the referring office as a new case, with a fresh
            // acceptance deadline there (check_allowed made sure there is a referring office).
            let reason = required(reason, policy, Refusal::MissingReason)?;
            let back = case.referred_from.clone().unwrap_or_else(|| case.office.clone());
            next.office.clone_from(&back);
            next.referred_from = None;
            next.due_at = Some(policy.acceptance_due_at(&case.category, now));
            detail = Some(reason);
            (AuditKind::HandedBack, Some(back))
        }
        Action::Return { reason } => {
            let reason = required(reason, policy, Refusal::MissingReason)?;
            // Back with the office that sent it; the handling deadline keeps running.
            next.return_count = case.return_count.saturating_add(1);
            next.returned_at = Some(now);
            next.feedback_at = None;
            detail = case.department.clone();
            (AuditKind::Returned, Some(reason))
        }
        Action::Refer { office, reason } => {
            let office = office.trim();
            if office.is_empty() {
                return Err(Refusal::MissingField { field: "office" });
            }
            if office == case.office {
                return Err(Refusal::SameOffice);
            }
            let reason = required(reason, policy, Refusal::MissingReason)?;
            // The receiving office starts afresh: a new case to accept within its acceptance time
            // (the handling clock starts at its acceptance); the sender's handlers, department,
            // pending extension and open requests do not travel with it.
            next.office = office.to_owned();
            next.referred_from = Some(case.office.clone());
            next.escalated_to = None;
            next.department = None;
            next.primary_handler = None;
            next.backup_handler = None;
            next.primary_acted_at = None;
            next.accepted_at = None;
            next.feedback_at = None;
            next.extension_until = None;
            next.due_at = Some(policy.acceptance_due_at(&case.category, now));
            close_requests(&mut next, now);
            detail = Some(reason);
            (AuditKind::Referred, Some(office.to_owned()))
        }
        Action::EscalateToParent { parent, reason } => {
            let parent = parent.as_deref().ok_or(Refusal::NoParentOffice)?;
            let reason = required(reason, policy, Refusal::MissingReason)?;
            // The case stays and its clock runs: the parent answers, or takes it over.
            next.escalated_to = Some(parent.to_owned());
            detail = Some(parent.to_owned());
            (AuditKind::EscalatedToParent, Some(reason))
        }
        Action::TakeOver { note } => {
            let note = clean(note, policy)?;
            // check_allowed made sure the case was escalated to the actor's office. The parent holds
            // it from now on, with its deadline running as before; the department and handlers of the
            // office below stay behind, and any delegation ends (the delegator took it back).
            let office = case.escalated_to.clone().unwrap_or_else(|| case.office.clone());
            next.office.clone_from(&office);
            next.escalated_to = None;
            next.referred_from = None;
            next.delegated_by = None;
            next.review_reply = None;
            next.department = None;
            next.feedback_at = None;
            next.primary_handler = None;
            next.backup_handler = None;
            next.primary_acted_at = None;
            take_up(&mut next, actor, now);
            detail = Some(note).filter(|n| !n.is_empty());
            (AuditKind::TakenOver, Some(office))
        }
        Action::Guide { text } => {
            let text = required(text, policy, Refusal::EmptyText)?;
            next.escalated_to = None;
            (AuditKind::Guided, Some(text))
        }
        Action::Delegate { office, due_at, note } => {
            let office = office.trim();
            if office.is_empty() {
                return Err(Refusal::MissingField { field: "office" });
            }
            if office == case.office {
                return Err(Refusal::SameOffice);
            }
            // A delegation never extends what the reporter waits for: its deadline is at most the
            // case's own due time (an overdue case needs an extension first).
            let latest = case.due_at.unwrap_or_else(|| now.saturating_add(i64::from(policy.max_request_days) * DAY_MS));
            if *due_at <= now || *due_at > latest {
                return Err(Refusal::DateOutOfRange { field: "due_at" });
            }
            let note = required(note, policy, Refusal::MissingField { field: "note" })?;
            // The office below handles the case as accepted, by the delegation's deadline; the
            // delegator's department, handlers, pending extension and requests stay behind.
            next.office = office.to_owned();
            next.delegated_by = Some(case.office.clone());
            next.escalated_to = None;
            next.department = None;
            next.primary_handler = None;
            next.backup_handler = None;
            next.primary_acted_at = None;
            next.feedback_at = None;
            next.extension_until = None;
            next.due_at = Some(*due_at);
            close_requests(&mut next, now);
            detail = Some(note);
            (AuditKind::Delegated, Some(office.to_owned()))
        }
        Action::Approve { note } => {
            let note = clean(note, policy)?;
            // check_allowed made sure a reply waits for this office's review: it is the case's reply.
            let reply = case.review_reply.clone().unwrap_or_default();
            next.review_reply = None;
            next.delegated_by = None;
            next.resolved_at = Some(now);
            close_requests(&mut next, now);
            detail = Some(note).filter(|n| !n.is_empty());
            (AuditKind::Resolved, Some(reply))
        }
        Action::SendBack { reason } => {
            let reason = required(reason, policy, Refusal::MissingReason)?;
            // Back to work at the office below, by the same deadline.
            next.review_reply = None;
            (AuditKind::ReviewReturned, Some(reason))
        }
        Action::Extend { until, reason } => {
            let due = case.due_at.unwrap_or(now);
            let until = date_within(*until, due.max(now), due, policy.max_extension_days, "until")?;
            let reason = required(reason, policy, Refusal::MissingReason)?;
            next.extension_until = Some(until);
            detail = Some(extension_detail(until));
            (AuditKind::ExtensionRequested, Some(reason))
        }
        Action::GrantExtension { note } => {
            let note = clean(note, policy)?;
            // check_allowed made sure a request is pending.
            next.due_at = case.extension_until;
            next.extension_until = None;
            next.extension_count = case.extension_count.saturating_add(1);
            detail = case.extension_until.map(extension_detail);
            (AuditKind::ExtensionGranted, Some(note).filter(|n| !n.is_empty()))
        }
        Action::RefuseExtension { note } => {
            let note = required(note, policy, Refusal::MissingReason)?;
            next.extension_until = None;
            detail = case.extension_until.map(extension_detail);
            (AuditKind::ExtensionRefused, Some(note))
        }
        Action::Consult { departments, question, due_at } => {
            let mut invited: Vec<&str> = Vec::new();
            for department in departments.iter().map(|d| d.trim()) {
                if department.is_empty() {
                    return Err(Refusal::MissingDepartment);
                }
                if !invited.contains(&department) {
                    invited.push(department);
                }
            }
            if invited.is_empty() {
                return Err(Refusal::MissingDepartment);
            }
            if invited.len() > policy.max_consulted {
                return Err(Refusal::TooManyDepartments { max: policy.max_consulted });
            }
            let question = required(question, policy, Refusal::MissingField { field: "question" })?;
            let due_at = date_within(*due_at, now, now, policy.max_request_days, "due_at")?;
            for department in &invited {
                next.requests.push(new_request(RequestKind::Consult, department, &question, due_at, actor, now));
            }
            detail = Some(invited.join(","));
            (AuditKind::Consulted, Some(question))
        }
        Action::Opinion { text } => {
            let text = required(text, policy, Refusal::EmptyText)?;
            // Answered, the opinion stays open until the lead concludes.
            answer(&mut next, RequestKind::Consult, actor, &text, now);
            detail = Some(actor_department(actor).to_owned());
            (AuditKind::Opinion, Some(text))
        }
        Action::Conclude { text } => {
            let text = required(text, policy, Refusal::EmptyText)?;
            let silent = request::not_answered(&case.requests).join(",");
            for row in next.requests.iter_mut().filter(|r| r.kind == RequestKind::Consult && r.is_open()) {
                row.closed_at = Some(now);
            }
            // Who never answered stays on the record.
            detail = Some(silent).filter(|s| !s.is_empty());
            (AuditKind::Concluded, Some(text))
        }
        Action::Assist { agency, check, reference: number, due_at } => {
            let agency = agency.trim();
            if agency.is_empty() {
                return Err(Refusal::MissingField { field: "agency" });
            }
            if request::owed_by(&case.requests, RequestKind::Assist, agency).is_some() {
                return Err(Refusal::RequestOpen);
            }
            let check = required(check, policy, Refusal::MissingField { field: "check" })?;
            let number = reference(number)?;
            let due_at = date_within(*due_at, now, now, policy.max_request_days, "due_at")?;
            let mut row = new_request(RequestKind::Assist, agency, &check, due_at, actor, now);
            row.reference = number;
            next.requests.push(row);
            detail = Some(agency.to_owned());
            (AuditKind::AssistRequested, Some(check))
        }
        Action::AssistReply { text, reference: number } => {
            let text = required(text, policy, Refusal::EmptyText)?;
            let number = reference(number)?;
            // The agency's answer is the end of its request.
            if let Some(row) = answer(&mut next, RequestKind::Assist, actor, &text, now) {
                row.closed_at = Some(now);
                row.reference = row.reference.take().or(number);
            }
            detail = Some(actor_department(actor).to_owned());
            (AuditKind::AssistAnswered, Some(text))
        }
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

/// The office a staff member acts for (`None` for the reporter and the digest).
fn actor_office(actor: &Actor) -> Option<&str> {
    match actor {
        Actor::Staff(staff) => Some(staff.office.as_str()),
        Actor::Reporter | Actor::System => None,
    }
}

/// The handler taking a case up answers for it until someone assigns it, so the deadline always has
/// an owner; admins do not become handlers.
fn take_up(next: &mut Case, actor: &Actor, now: i64) {
    if let Actor::Staff(Staff { id, role: Role::Handler, .. }) = actor
        && next.primary_handler.is_none()
    {
        next.primary_handler = Some(*id);
        next.primary_acted_at = Some(now);
    }
}

/// The department a liaison speaks for ("" for anyone else, who is never asked).
fn actor_department(actor: &Actor) -> &str {
    match actor {
        Actor::Staff(staff) => staff.department.as_deref().unwrap_or_default(),
        Actor::Reporter | Actor::System => "",
    }
}

/// Records `actor`'s department's answer on the request of `kind` it owes (check_allowed made sure
/// it owes one); the row, for what else the action records.
fn answer<'a>(
    case: &'a mut Case,
    kind: RequestKind,
    actor: &Actor,
    text: &str,
    now: i64,
) -> Option<&'a mut CaseRequest> {
    let department = actor_department(actor);
    let row = case.requests.iter_mut().find(|r| r.kind == kind && r.party == department && r.awaits_answer())?;
    row.answered_at = Some(now);
    row.answer = Some(text.to_owned());
    row.answered_by = Some(actor.audit_name());
    Some(row)
}

/// A case that ends (resolved, merged) stops waiting on its requests; their answers stay on record.
fn close_requests(case: &mut Case, now: i64) {
    for row in case.requests.iter_mut().filter(|r| r.is_open()) {
        row.closed_at = Some(now);
    }
}

#[cfg(test)]
mod tests;
