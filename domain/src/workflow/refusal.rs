//! Why the workflow refused an action. A refusal changes nothing: [`super::apply`] returns it before
//! building the new case.

use super::case::ReportStatus;
use crate::error::ErrorCode;

use super::access::Permission;
use super::action::ActionKind;

/// Every reason [`super::apply`] can refuse an action.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Refusal {
    /// The actor's role may never take this action.
    #[error("this role may not {}", .action.as_str())]
    Forbidden {
        /// What was attempted.
        action: ActionKind,
    },
    /// The staff member's role lacks a route-level permission (see [`Permission`]).
    #[error("this role lacks the {permission:?} permission")]
    NotPermitted {
        /// What was missing.
        permission: Permission,
    },
    /// A liaison acted on a case that is not currently transferred to their department.
    #[error("the case is not currently transferred to this liaison's department")]
    OutsideDepartment,
    /// The case's status does not allow this action.
    #[error("cannot {} a case that is {}", .action.as_str(), .status.as_str())]
    WrongState {
        /// The case's status.
        status: ReportStatus,
        /// What was attempted.
        action: ActionKind,
    },
    /// A reason is required: rejecting with "other", transferring again, reopening, supervising.
    #[error("a reason is required")]
    MissingReason,
    /// Closing or replying with an empty reply.
    #[error("the reply to the reporter is empty")]
    EmptyReply,
    /// A note or department feedback with no text.
    #[error("the text is empty")]
    EmptyText,
    /// A free-text field is longer than the policy allows.
    #[error("the text is longer than {max} characters")]
    TextTooLong {
        /// The limit, in characters.
        max: usize,
    },
    /// A transfer named no department.
    #[error("a department is required")]
    MissingDepartment,
    /// A transfer to the department that already has the case.
    #[error("the case is already with this department")]
    SameDepartment,
    /// The reporter tried to reopen after the window closed.
    #[error("the reopen window has closed")]
    ReopenWindowClosed,
    /// The reporter already reopened the case as often as the policy allows.
    #[error("the case was already reopened {max} times")]
    ReopenLimitReached {
        /// The policy's limit.
        max: u32,
    },
    /// The reporter rated a case that is not resolved.
    #[error("only a resolved case can be rated")]
    NotResolved,
    /// The reporter already rated this resolution (a new one comes only after a reopening).
    #[error("this resolution was already rated")]
    AlreadyRated,
    /// The rating's comment is longer than allowed.
    #[error("the comment is longer than {max} characters")]
    CommentTooLong {
        /// The limit, in characters.
        max: usize,
    },
    /// A case merged into itself.
    #[error("a case cannot be merged into itself")]
    MergeIntoSelf,
    /// The merge target was rejected or is itself merged (merges never chain).
    #[error("cannot merge into a case that is {}", .status.as_str())]
    MergeTargetInvalid {
        /// The target's status.
        status: ReportStatus,
    },
    /// The same person named as primary and backup handler.
    #[error("the primary and backup handler must be different people")]
    SameHandler,
    /// Escalation asked for a case that is not overdue, whose primary acted since the deadline, or that
    /// has no backup handler to escalate to.
    #[error("the case does not need escalation")]
    NotDueForEscalation,
    /// A required field of a new action (a question, a check, an agency) is empty.
    #[error("{field} is required")]
    MissingField {
        /// The request field.
        field: &'static str,
    },
    /// A short field (an agency's case number) is longer than allowed.
    #[error("{field} is longer than {max} characters")]
    FieldTooLong {
        /// The request field.
        field: &'static str,
        /// The limit, in characters.
        max: usize,
    },
    /// A date outside what the action allows: an extension not later than the current due time or
    /// beyond the policy's longest extension; a request due in the past or too far ahead.
    #[error("{field} is outside the allowed range")]
    DateOutOfRange {
        /// The request field.
        field: &'static str,
    },
    /// An extension was asked for while another waits for a decision.
    #[error("an extension request is already waiting for a decision")]
    ExtensionPending,
    /// A decision on an extension when none is asked for.
    #[error("no extension request is waiting")]
    NoExtensionPending,
    /// A consultation was opened while another is open.
    #[error("a consultation is already open")]
    ConsultationOpen,
    /// A conclusion without an open consultation.
    #[error("no consultation is open")]
    NoConsultation,
    /// More departments than one consultation may invite.
    #[error("at most {max} departments may be consulted at once")]
    TooManyDepartments {
        /// The policy's limit.
        max: usize,
    },
    /// The department already answered what it was asked.
    #[error("this department has already answered")]
    AlreadyAnswered,
    /// An assistance request to an agency that has one open on this case already.
    #[error("this agency already has an open request on the case")]
    RequestOpen,
    /// A referral to the office that already holds the case.
    #[error("the case is already held by this office")]
    SameOffice,
    /// The case is held by an office outside the account's office and its subtree: answered exactly as
    /// an unknown case is, so an account learns nothing about other offices' cases.
    #[error("no such case")]
    OutsideOffice,
    /// Returned twice: a supervisor decides (督办) before a handler moves the case on.
    #[error("the case was returned twice and waits for a supervisor's decision")]
    AwaitingSupervisor,
    /// The root office has no parent office to escalate to.
    #[error("this office has no parent office")]
    NoParentOffice,
    /// An escalation to the parent office is already waiting for its answer.
    #[error("the case is already escalated to the parent office")]
    EscalationOpen,
    /// A takeover or guidance from an office the case was not escalated to.
    #[error("the case was not escalated to this office")]
    NoEscalation,
    /// Delegating (or referring) a case an office above delegated here: its result goes back there.
    #[error("the case was delegated by an office above and goes back to it")]
    AlreadyDelegated,
    /// Closing or moving a delegated case whose proposed reply waits for the delegating office's review.
    #[error("the proposed result waits for the delegating office's review")]
    AwaitingReview,
    /// A review from an office that did not delegate the case, or with no result proposed.
    #[error("no result waits for this office's review")]
    NoReviewPending,
}

impl Refusal {
    /// The API error code for this refusal.
    pub fn code(&self) -> ErrorCode {
        match self {
            Refusal::Forbidden { .. } | Refusal::NotPermitted { .. } => ErrorCode::Forbidden,
            Refusal::OutsideDepartment => ErrorCode::CaseNotInDepartment,
            Refusal::OutsideOffice => ErrorCode::NotFound,
            Refusal::SameOffice => ErrorCode::SameOffice,
            Refusal::WrongState { .. } => ErrorCode::CaseWrongState,
            Refusal::MissingReason => ErrorCode::ReasonRequired,
            Refusal::EmptyReply => ErrorCode::ReplyRequired,
            Refusal::EmptyText => ErrorCode::TextRequired,
            Refusal::TextTooLong { .. } => ErrorCode::FieldTooLong,
            Refusal::MissingDepartment => ErrorCode::DepartmentRequired,
            Refusal::SameDepartment => ErrorCode::SameDepartment,
            Refusal::ReopenWindowClosed => ErrorCode::ReopenWindowClosed,
            Refusal::ReopenLimitReached { .. } => ErrorCode::ReopenLimitReached,
            Refusal::NotResolved => ErrorCode::RatingNotOpen,
            Refusal::AlreadyRated => ErrorCode::AlreadyRated,
            Refusal::CommentTooLong { .. } => ErrorCode::FieldTooLong,
            Refusal::MergeIntoSelf => ErrorCode::MergeIntoSelf,
            Refusal::MergeTargetInvalid { .. } => ErrorCode::MergeTargetInvalid,
            Refusal::SameHandler => ErrorCode::SameHandler,
            Refusal::NotDueForEscalation => ErrorCode::NotDueForEscalation,
            Refusal::MissingField { .. } => ErrorCode::FieldRequired,
            Refusal::FieldTooLong { .. } => ErrorCode::FieldTooLong,
            Refusal::DateOutOfRange { .. } => ErrorCode::DateOutOfRange,
            Refusal::ExtensionPending => ErrorCode::ExtensionPending,
            Refusal::NoExtensionPending => ErrorCode::NoExtensionPending,
            Refusal::ConsultationOpen => ErrorCode::ConsultationOpen,
            Refusal::NoConsultation => ErrorCode::NoConsultation,
            Refusal::TooManyDepartments { .. } => ErrorCode::TooManyItems,
            Refusal::AlreadyAnswered => ErrorCode::AlreadyAnswered,
            Refusal::RequestOpen => ErrorCode::RequestOpen,
            Refusal::AwaitingSupervisor => ErrorCode::AwaitingSupervisor,
            Refusal::NoParentOffice => ErrorCode::NoParentOffice,
            Refusal::EscalationOpen => ErrorCode::EscalationOpen,
            Refusal::NoEscalation => ErrorCode::NoEscalation,
            Refusal::AlreadyDelegated => ErrorCode::AlreadyDelegated,
            Refusal::AwaitingReview => ErrorCode::AwaitingReview,
            Refusal::NoReviewPending => ErrorCode::NoReviewPending,
        }
    }

    /// The request field at fault, for the API error body, when one is.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            Refusal::MissingReason => Some("reason"),
            Refusal::EmptyReply => Some("reply"),
            Refusal::EmptyText | Refusal::TextTooLong { .. } => Some("text"),
            Refusal::MissingDepartment | Refusal::SameDepartment => Some("department"),
            Refusal::SameOffice => Some("office"),
            Refusal::MergeIntoSelf | Refusal::MergeTargetInvalid { .. } => Some("into"),
            Refusal::SameHandler => Some("backup"),
            Refusal::CommentTooLong { .. } => Some("comment"),
            Refusal::MissingField { field }
            | Refusal::FieldTooLong { field, .. }
            | Refusal::DateOutOfRange { field } => Some(field),
            Refusal::TooManyDepartments { .. } => Some("departments"),
            Refusal::Forbidden { .. }
            | Refusal::OutsideOffice
            | Refusal::NotPermitted { .. }
            | Refusal::OutsideDepartment
            | Refusal::WrongState { .. }
            | Refusal::ReopenWindowClosed
            | Refusal::ReopenLimitReached { .. }
            | Refusal::NotResolved
            | Refusal::AlreadyRated
            | Refusal::NotDueForEscalation
            | Refusal::ExtensionPending
            | Refusal::NoExtensionPending
            | Refusal::ConsultationOpen
            | Refusal::NoConsultation
            | Refusal::AlreadyAnswered
            | Refusal::RequestOpen
            | Refusal::AwaitingSupervisor
            | Refusal::NoParentOffice
            | Refusal::EscalationOpen
            | Refusal::NoEscalation
            | Refusal::AlreadyDelegated
            | Refusal::AwaitingReview
            | Refusal::NoReviewPending => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_map_to_the_agreed_statuses() {
        let table = [
            (Refusal::Forbidden { action: ActionKind::Accept }, 403),
            (Refusal::NotPermitted { permission: Permission::Administer }, 403),
            (Refusal::OutsideDepartment, 403),
            (Refusal::WrongState { status: ReportStatus::Resolved, action: ActionKind::Accept }, 409),
            (Refusal::MissingReason, 400),
            (Refusal::EmptyReply, 400),
            (Refusal::EmptyText, 400),
            (Refusal::TextTooLong { max: 10 }, 400),
            (Refusal::MissingDepartment, 400),
            (Refusal::SameDepartment, 409),
            (Refusal::ReopenWindowClosed, 409),
            (Refusal::ReopenLimitReached { max: 2 }, 409),
            (Refusal::NotResolved, 409),
            (Refusal::AlreadyRated, 409),
            (Refusal::CommentTooLong { max: 500 }, 400),
            (Refusal::MergeIntoSelf, 400),
            (Refusal::MergeTargetInvalid { status: ReportStatus::Merged }, 409),
            (Refusal::SameHandler, 400),
            (Refusal::NotDueForEscalation, 409),
            (Refusal::MissingField { field: "question" }, 400),
            (Refusal::FieldTooLong { field: "reference", max: 64 }, 400),
            (Refusal::DateOutOfRange { field: "until" }, 400),
            (Refusal::ExtensionPending, 409),
            (Refusal::NoExtensionPending, 409),
            (Refusal::ConsultationOpen, 409),
            (Refusal::NoConsultation, 409),
            (Refusal::TooManyDepartments { max: 10 }, 400),
            (Refusal::AlreadyAnswered, 409),
            (Refusal::RequestOpen, 409),
            (Refusal::AwaitingSupervisor, 409),
            (Refusal::NoParentOffice, 409),
            (Refusal::EscalationOpen, 409),
            (Refusal::NoEscalation, 409),
            (Refusal::AlreadyDelegated, 409),
            (Refusal::AwaitingReview, 409),
            (Refusal::NoReviewPending, 409),
        ];
        for (refusal, status) in table {
            assert_eq!(refusal.code().http_status(), status, "{refusal}");
        }
    }

    #[test]
    fn messages_name_the_action_and_state() {
        let refusal = Refusal::WrongState { status: ReportStatus::Resolved, action: ActionKind::Transfer };
        assert_eq!(refusal.to_string(), "cannot transfer a case that is resolved");
    }
}
