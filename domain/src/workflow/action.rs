//! The things that can be done to a case, with the input each one carries.
//!
//! API boundary: [`Action`] is the decided input of [`super::apply`], built by the worker from a request
//! and from rows it loaded (the merge target's status). It is deliberately not `Deserialize`, so that a
//! client can never supply facts the worker must look up itself.

use serde::{Deserialize, Serialize};

use super::case::ReportStatus;
use crate::i18n::Lang;

use super::access::StaffId;
use super::case::CaseId;

/// Why a report was not accepted (不予受理). The reporter sees the label in the timeline.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectReason {
    /// 不属于受理范围: not something this office handles.
    OutOfScope,
    /// 信息不全无法核实: not enough information to check it.
    Unverifiable,
    /// 重复举报: the same report again (use merge when there is an open case to merge into).
    Duplicate,
    /// 恶意举报: made in bad faith.
    Malicious,
    /// 其他: anything else; the free text is then required.
    Other,
}

impl RejectReason {
    /// Every reason, in the order the console lists them.
    pub const ALL: [RejectReason; 5] = [
        RejectReason::OutOfScope,
        RejectReason::Unverifiable,
        RejectReason::Duplicate,
        RejectReason::Malicious,
        RejectReason::Other,
    ];

    /// The reason as the reporter and staff read it.
    pub fn label(self, lang: Lang) -> &'static str {
        let [hans, hant, en] = match self {
            RejectReason::OutOfScope => ["不属于受理范围", "不屬於受理範圍", "Outside what we handle"],
            RejectReason::Unverifiable => ["信息不全无法核实", "資訊不全無法核實", "Not enough information to verify"],
            RejectReason::Duplicate => ["重复举报", "重複檢舉", "Duplicate report"],
            RejectReason::Malicious => ["恶意举报", "惡意檢舉", "Report made in bad faith"],
            RejectReason::Other => ["其他", "其他", "Other"],
        };
        match lang {
            Lang::ZhHans => hans,
            Lang::ZhHant => hant,
            Lang::En => en,
        }
    }
}

/// The reporter's verdict on a closed case (满意 / 基本满意 / 不满意).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    /// 满意.
    Satisfied,
    /// 基本满意.
    BasicallySatisfied,
    /// 不满意.
    Dissatisfied,
}

impl Rating {
    /// Every rating, in the order the tracking page offers them.
    pub const ALL: [Rating; 3] = [Rating::Satisfied, Rating::BasicallySatisfied, Rating::Dissatisfied];

    /// The snake_case name stored in the event's body.
    pub fn as_str(self) -> &'static str {
        match self {
            Rating::Satisfied => "satisfied",
            Rating::BasicallySatisfied => "basically_satisfied",
            Rating::Dissatisfied => "dissatisfied",
        }
    }

    /// Reads the stored name back.
    pub fn from_name(name: &str) -> Option<Rating> {
        Rating::ALL.into_iter().find(|r| r.as_str() == name)
    }

    /// Whether it counts as satisfied in 满意率: 满意 and 基本满意 do, as offices report it.
    pub fn is_satisfied(self) -> bool {
        matches!(self, Rating::Satisfied | Rating::BasicallySatisfied)
    }

    /// The rating as the reporter and staff read it.
    pub fn label(self, lang: Lang) -> &'static str {
        let [hans, hant, en] = match self {
            Rating::Satisfied => ["满意", "滿意", "Satisfied"],
            Rating::BasicallySatisfied => ["基本满意", "基本滿意", "Mostly satisfied"],
            Rating::Dissatisfied => ["不满意", "不滿意", "Not satisfied"],
        };
        match lang {
            Lang::ZhHans => hans,
            Lang::ZhHant => hant,
            Lang::En => en,
        }
    }
}

/// The longest comment a reporter may add to a rating, in characters.
pub const RATING_COMMENT_MAX_CHARS: usize = 500;

/// The case a duplicate is merged into, as the worker loaded it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MergeTarget {
    /// The surviving case.
    pub id: CaseId,
    /// Its current status, read from the database (never from the request).
    pub status: ReportStatus,
}

/// One thing to do to a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// 受理: take the report on; starts the deadline.
    Accept,
    /// 不予受理: decline it with a reason from the list; `text` is required for [`RejectReason::Other`].
    Reject {
        /// Why, from the list.
        reason: RejectReason,
        /// More words for the reporter; may be empty unless the reason is `Other`.
        text: String,
    },
    /// 转办: send the case to a department. A second transfer needs a reason.
    Transfer {
        /// Department code.
        department: String,
        /// Why; required when the case was already with a department. Staff-only.
        reason: String,
    },
    /// 办理反馈: the liaison reports what the department did, for the handler who closes the case.
    Feedback {
        /// What was done. Staff-only.
        text: String,
    },
    /// 办结: close the case with a reply to the reporter.
    Resolve {
        /// The public reply; required.
        reply: String,
    },
    /// The reporter says the case is not resolved, within the reopen window.
    Reopen {
        /// The reporter's words; required.
        reason: String,
    },
    /// The reporter rates the outcome of a resolved case, once per resolution.
    Rate {
        /// The verdict.
        rating: Rating,
        /// Optional words, at most [`RATING_COMMENT_MAX_CHARS`] characters.
        comment: String,
    },
    /// Merge this case (a duplicate) into another.
    Merge {
        /// The surviving case.
        into: MergeTarget,
    },
    /// Set the primary and backup handler (AB角).
    Assign {
        /// A角, who handles the case.
        primary: StaffId,
        /// B角, who takes over when the primary is absent or idle past the deadline.
        backup: Option<StaffId>,
    },
    /// 催办: remind whoever holds the case. Staff-only.
    Remind {
        /// An optional message.
        note: String,
    },
    /// 督办: escalate by supervision; marks the case as supervised. Staff-only.
    Supervise {
        /// Why; required.
        note: String,
    },
    /// The daily digest hands an overdue case whose primary has been idle to the backup handler.
    Escalate,
    /// An internal note.
    Note {
        /// The note; required.
        text: String,
    },
    /// A public reply to the reporter that keeps the case open.
    Reply {
        /// The reply; required.
        text: String,
    },
    /// 退回: the department holding the case sends it back to the office, with a reason. From the
    /// second return a supervisor decides what happens next.
    Return {
        /// Why; required.
        reason: String,
    },
    /// 属地外移交: the office holding the case hands it to another office, with a reason. The
    /// receiving office accepts it, or sends it back with [`Action::Return`].
    Refer {
        /// The receiving office's code.
        office: String,
        /// Why; required.
        reason: String,
    },
    /// 报请上级支持: the office holding the case asks its parent office for support. The parent
    /// takes the case over ([`Action::TakeOver`]) or answers with guidance ([`Action::Guide`]).
    /// (Not [`Action::Escalate`], the daily digest's hand-over to the backup handler.)
    EscalateToParent {
        /// The parent office's code, which the worker reads from the office tree (`None` for the
        /// root office, which has no parent).
        parent: Option<String>,
        /// What support is asked for; required.
        reason: String,
    },
    /// The parent office takes an escalated case over: it holds the case from now on.
    TakeOver {
        /// Optional words for the office that asked.
        note: String,
    },
    /// The parent office answers an escalation with guidance; the case stays where it is.
    Guide {
        /// The guidance; required.
        text: String,
    },
    /// 交办: the office holding the case assigns it to an office below it, with a deadline; the
    /// result comes back for review ([`Action::Approve`], [`Action::SendBack`]) before it closes.
    Delegate {
        /// The receiving office's code; the worker checks it is below the delegating office.
        office: String,
        /// The deadline (ms): after now and no later than the case's own due time.
        due_at: i64,
        /// Instructions; required.
        note: String,
    },
    /// 审核通过: the delegating office approves the proposed reply, which closes the case.
    Approve {
        /// Optional words, staff-only.
        note: String,
    },
    /// 审核退回: the delegating office sends the proposed result back for more work.
    SendBack {
        /// Why; required.
        reason: String,
    },
    /// 延期申请: whoever holds the case asks for a later due time.
    Extend {
        /// The due time asked for (ms); later than the current one, at most
        /// [`super::Policy::max_extension_days`] after it.
        until: i64,
        /// Why; required.
        reason: String,
    },
    /// A supervisor grants the pending extension: the due time moves to the date asked for.
    GrantExtension {
        /// Optional words.
        note: String,
    },
    /// A supervisor refuses the pending extension; the due time stays.
    RefuseExtension {
        /// Why; required.
        note: String,
    },
    /// 会商: ask several departments for an opinion by a date.
    Consult {
        /// Department codes, each once (1 to [`super::Policy::max_consulted`]).
        departments: Vec<String>,
        /// The question put to them; required.
        question: String,
        /// When the opinions are due (ms).
        due_at: i64,
    },
    /// An invited department's opinion (given by its liaison).
    Opinion {
        /// The opinion; required.
        text: String,
    },
    /// The lead closes the consultation with a conclusion, answered or not.
    Conclude {
        /// The conclusion; required.
        text: String,
    },
    /// 协查: ask a partner agency (公安 first) for a check, tracked apart from who holds the case.
    Assist {
        /// The agency's department code.
        agency: String,
        /// The check requested; required.
        check: String,
        /// The agency's case number, when there is one already.
        reference: String,
        /// When the answer is due (ms).
        due_at: i64,
    },
    /// The agency answers its assistance request (given by its liaison).
    AssistReply {
        /// The answer; required.
        text: String,
        /// The agency's case number, if the request did not carry one.
        reference: String,
    },
}

/// The kind of an [`Action`] without its input: what permissions, states and buttons are about.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    /// See [`Action::Accept`].
    Accept,
    /// See [`Action::Reject`].
    Reject,
    /// See [`Action::Transfer`].
    Transfer,
    /// See [`Action::Feedback`].
    Feedback,
    /// See [`Action::Resolve`].
    Resolve,
    /// See [`Action::Reopen`].
    Reopen,
    /// See [`Action::Rate`].
    Rate,
    /// See [`Action::Merge`].
    Merge,
    /// See [`Action::Assign`].
    Assign,
    /// See [`Action::Remind`].
    Remind,
    /// See [`Action::Supervise`].
    Supervise,
    /// See [`Action::Escalate`].
    Escalate,
    /// See [`Action::Note`].
    Note,
    /// See [`Action::Reply`].
    Reply,
    /// See [`Action::Return`].
    Return,
    /// See [`Action::Extend`].
    Extend,
    /// See [`Action::Refer`].
    Refer,
    /// See [`Action::GrantExtension`].
    GrantExtension,
    /// See [`Action::RefuseExtension`].
    RefuseExtension,
    /// See [`Action::Consult`].
    Consult,
    /// See [`Action::Opinion`].
    Opinion,
    /// See [`Action::Conclude`].
    Conclude,
    /// See [`Action::Assist`].
    Assist,
    /// See [`Action::AssistReply`].
    AssistReply,
    /// See [`Action::EscalateToParent`]; posted as `{"action": "escalate", "to": "parent"}`.
    EscalateToParent,
    /// See [`Action::TakeOver`].
    TakeOver,
    /// See [`Action::Guide`].
    Guide,
    /// See [`Action::Delegate`].
    Delegate,
    /// See [`Action::Approve`].
    Approve,
    /// See [`Action::SendBack`].
    SendBack,
}

impl ActionKind {
    /// Every kind, in the order the console shows the buttons.
    pub const ALL: [ActionKind; 30] = [
        ActionKind::Accept,
        ActionKind::Reject,
        ActionKind::Transfer,
        ActionKind::Feedback,
        ActionKind::Resolve,
        ActionKind::Reopen,
        ActionKind::Rate,
        ActionKind::Merge,
        ActionKind::Assign,
        ActionKind::Remind,
        ActionKind::Supervise,
        ActionKind::Escalate,
        ActionKind::Note,
        ActionKind::Reply,
        ActionKind::Return,
        ActionKind::Refer,
        ActionKind::EscalateToParent,
        ActionKind::TakeOver,
        ActionKind::Guide,
        ActionKind::Delegate,
        ActionKind::Approve,
        ActionKind::SendBack,
        ActionKind::Extend,
        ActionKind::GrantExtension,
        ActionKind::RefuseExtension,
        ActionKind::Consult,
        ActionKind::Opinion,
        ActionKind::Conclude,
        ActionKind::Assist,
        ActionKind::AssistReply,
    ];

    /// The snake_case name used in routes and logs.
    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::Accept => "accept",
            ActionKind::Reject => "reject",
            ActionKind::Transfer => "transfer",
            ActionKind::Feedback => "feedback",
            ActionKind::Resolve => "resolve",
            ActionKind::Reopen => "reopen",
            ActionKind::Rate => "rate",
            ActionKind::Merge => "merge",
            ActionKind::Assign => "assign",
            ActionKind::Remind => "remind",
            ActionKind::Supervise => "supervise",
            ActionKind::Escalate => "escalate",
            ActionKind::Note => "note",
            ActionKind::Reply => "reply",
            ActionKind::Return => "return",
            ActionKind::Extend => "extend",
            ActionKind::Refer => "refer",
            ActionKind::GrantExtension => "grant_extension",
            ActionKind::RefuseExtension => "refuse_extension",
            ActionKind::Consult => "consult",
            ActionKind::Opinion => "opinion",
            ActionKind::Conclude => "conclude",
            ActionKind::Assist => "assist",
            ActionKind::AssistReply => "assist_reply",
            ActionKind::EscalateToParent => "escalate_to_parent",
            ActionKind::TakeOver => "take_over",
            ActionKind::Guide => "guide",
            ActionKind::Delegate => "delegate",
            ActionKind::Approve => "approve",
            ActionKind::SendBack => "send_back",
        }
    }

    /// Reads the name back.
    pub fn from_name(name: &str) -> Option<ActionKind> {
        ActionKind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

impl Action {
    /// What kind of action this is.
    pub fn kind(&self) -> ActionKind {
        match self {
            Action::Accept => ActionKind::Accept,
            Action::Reject { .. } => ActionKind::Reject,
            Action::Transfer { .. } => ActionKind::Transfer,
            Action::Feedback { .. } => ActionKind::Feedback,
            Action::Resolve { .. } => ActionKind::Resolve,
            Action::Reopen { .. } => ActionKind::Reopen,
            Action::Rate { .. } => ActionKind::Rate,
            Action::Merge { .. } => ActionKind::Merge,
            Action::Assign { .. } => ActionKind::Assign,
            Action::Remind { .. } => ActionKind::Remind,
            Action::Supervise { .. } => ActionKind::Supervise,
            Action::Escalate => ActionKind::Escalate,
            Action::Note { .. } => ActionKind::Note,
            Action::Reply { .. } => ActionKind::Reply,
            Action::Return { .. } => ActionKind::Return,
            Action::Extend { .. } => ActionKind::Extend,
            Action::Refer { .. } => ActionKind::Refer,
            Action::GrantExtension { .. } => ActionKind::GrantExtension,
            Action::RefuseExtension { .. } => ActionKind::RefuseExtension,
            Action::Consult { .. } => ActionKind::Consult,
            Action::Opinion { .. } => ActionKind::Opinion,
            Action::Conclude { .. } => ActionKind::Conclude,
            Action::Assist { .. } => ActionKind::Assist,
            Action::AssistReply { .. } => ActionKind::AssistReply,
            Action::EscalateToParent { .. } => ActionKind::EscalateToParent,
            Action::TakeOver { .. } => ActionKind::TakeOver,
            Action::Guide { .. } => ActionKind::Guide,
            Action::Delegate { .. } => ActionKind::Delegate,
            Action::Approve { .. } => ActionKind::Approve,
            Action::SendBack { .. } => ActionKind::SendBack,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_and_match_serde() {
        for kind in ActionKind::ALL {
            assert_eq!(ActionKind::from_name(kind.as_str()), Some(kind));
            assert_eq!(serde_json::to_string(&kind).expect("serialises"), format!("\"{}\"", kind.as_str()));
        }
    }

    #[test]
    fn ratings_round_trip_and_match_serde() {
        for rating in Rating::ALL {
            assert_eq!(Rating::from_name(rating.as_str()), Some(rating));
            assert_eq!(serde_json::to_string(&rating).expect("serialises"), format!("\"{}\"", rating.as_str()));
        }
        let labels: Vec<_> = Rating::ALL.iter().map(|r| r.label(Lang::ZhHans)).collect();
        assert_eq!(labels, ["满意", "基本满意", "不满意"]);
    }

    #[test]
    fn reject_reasons_have_the_listed_labels() {
        let labels: Vec<_> = RejectReason::ALL.iter().map(|r| r.label(Lang::ZhHans)).collect();
        assert_eq!(labels, ["不属于受理范围", "信息不全无法核实", "重复举报", "恶意举报", "其他"]);
    }
}
