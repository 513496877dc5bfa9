//! Table tests of [`apply`]: the full state × action × actor cross product against an expected table
//! written out independently of the code, then the input rules, windows and merge rules.

use super::*;

/// 2026-11-25 00:00 Asia/Shanghai: when the fixture case was accepted.
const T0: i64 = 1_795_536_000_000;
/// Ten days later: past the fixture's 7-day deadline, one day after it was resolved.
const NOW: i64 = T0 + 10 * DAY_MS;

const PRIMARY: StaffId = StaffId(1);
const BACKUP: StaffId = StaffId(2);

fn policy() -> Policy {
    Policy::from_taxonomy(&crate::taxonomy::Taxonomy::default_set())
}

/// A case of category `rumor` (7 days) in `status`, with the history that status implies.
fn case_in(status: ReportStatus) -> Case {
    let mut case = Case::new(CaseId(7), "rumor", Some("nanshan"), T0 - 3_600_000);
    case.status = status;
    case.primary_handler = Some(PRIMARY);
    case.backup_handler = Some(BACKUP);
    if status == ReportStatus::Submitted {
        // Issue 18: a report nobody has accepted is due to be accepted within a day.
        case.due_at = Some(T0 - 3_600_000 + DAY_MS);
    } else {
        case.accepted_at = Some(T0);
        case.due_at = Some(T0 + 7 * DAY_MS);
        case.primary_acted_at = Some(T0);
    }
    if matches!(status, ReportStatus::Transferred | ReportStatus::Resolved | ReportStatus::Reopened) {
        case.department = Some("police".to_owned());
        case.transfer_count = 1;
    }
    if status == ReportStatus::Resolved {
        case.resolved_at = Some(NOW - DAY_MS);
    }
    if status == ReportStatus::Merged {
        case.merged_into = Some(CaseId(8));
    }
    case
}

fn staff(id: i64, role: Role, department: Option<&str>) -> Actor {
    Actor::Staff(Staff {
        id: StaffId(id),
        role,
        department: department.map(str::to_owned),
        office: crate::office::ROOT.to_owned(),
        reach: Default::default(),
    })
}

/// Every kind of actor, named by the letter the expected table uses.
fn actors() -> Vec<(&'static str, Actor)> {
    vec![
        ("A", staff(10, Role::Admin, None)),
        ("H", staff(11, Role::Handler, None)),
        ("S", staff(12, Role::Supervisor, None)),
        ("L", staff(13, Role::Liaison, Some("police"))), // the case's department
        ("l", staff(14, Role::Liaison, Some("cac"))),    // another department
        ("E", staff(15, Role::Editor, None)),
        ("R", Actor::Reporter),
        ("Y", Actor::System),
    ]
}

/// A valid input for each kind of action.
fn sample(kind: ActionKind) -> Action {
    match kind {
        ActionKind::Accept => Action::Accept,
        ActionKind::Reject => Action::Reject { reason: RejectReason::OutOfScope, text: String::new() },
        ActionKind::Transfer => {
            Action::Transfer { department: "traffic".to_owned(), reason: "属于交通违法".to_owned() }
        }
        ActionKind::Feedback => Action::Feedback { text: "已约谈账号主体".to_owned() },
        ActionKind::Resolve => Action::Resolve { reply: "经核查，相关信息已删除。".to_owned() },
        ActionKind::Reopen => Action::Reopen { reason: "帖子还在".to_owned() },
        ActionKind::Rate => Action::Rate { rating: Rating::Satisfied, comment: String::new() },
        ActionKind::Merge => Action::Merge { into: MergeTarget { id: CaseId(8), status: ReportStatus::Accepted } },
        ActionKind::Assign => Action::Assign { primary: StaffId(3), backup: Some(StaffId(4)) },
        ActionKind::Remind => Action::Remind { note: String::new() },
        ActionKind::Supervise => Action::Supervise { note: "群众反映强烈，请加快办理".to_owned() },
        ActionKind::Escalate => Action::Escalate,
        ActionKind::Note => Action::Note { text: "已电话联系平台".to_owned() },
        ActionKind::Reply => Action::Reply { text: "正在核查，请耐心等待。".to_owned() },
        ActionKind::Return => Action::Return { reason: "不属于本单位职责".to_owned() },
        ActionKind::Refer => Action::Refer { office: "county9".to_owned(), reason: "属地在其他区".to_owned() },
        ActionKind::Extend => Action::Extend { until: NOW + 5 * DAY_MS, reason: "需平台配合取证".to_owned() },
        ActionKind::GrantExtension => Action::GrantExtension { note: String::new() },
        ActionKind::RefuseExtension => Action::RefuseExtension { note: "理由不充分".to_owned() },
        ActionKind::Consult => Action::Consult {
            departments: vec!["police".to_owned(), "market".to_owned()],
            question: "是否构成网络诈骗？".to_owned(),
            due_at: NOW + 3 * DAY_MS,
        },
        ActionKind::Opinion => Action::Opinion { text: "初步判断构成诈骗，建议移送。".to_owned() },
        ActionKind::Conclude => Action::Conclude { text: "移送公安机关处理。".to_owned() },
        ActionKind::Assist => Action::Assist {
            agency: "police".to_owned(),
            check: "请核查该账号的实名信息".to_owned(),
            reference: String::new(),
            due_at: NOW + 3 * DAY_MS,
        },
        ActionKind::AssistReply => {
            Action::AssistReply { text: "已核查，账号已封停。".to_owned(), reference: "A2026-123".to_owned() }
        }
        ActionKind::EscalateToParent => {
            Action::EscalateToParent { parent: Some("province".to_owned()), reason: "涉及外省平台".to_owned() }
        }
        ActionKind::TakeOver => Action::TakeOver { note: String::new() },
        ActionKind::Guide => Action::Guide { text: "请先固定证据再约谈平台".to_owned() },
        ActionKind::Delegate => {
            Action::Delegate {
                office: "county9".to_owned(), due_at: NOW + DAY_MS, note: "请属地核实并反馈".to_owned()
            }
        }
        ActionKind::Approve => Action::Approve { note: String::new() },
        ActionKind::SendBack => Action::SendBack { reason: "核查不充分".to_owned() },
    }
}

/// The expected table, written out by hand: (action, states that allow it, actors that may take it,
/// status after). Liaisons ("L") are further limited to cases transferred to their department, or
/// for opinion and assist_reply to cases asking their department (the fixture asks nobody, so those
/// are refused here and tested below).
const EXPECTED: [(&str, &str, &str, Option<&str>); 30] = [
    ("accept", "submitted", "A H", Some("accepted")),
    ("reject", "submitted", "A H", Some("rejected")),
    ("transfer", "accepted transferred reopened", "A H", Some("transferred")),
    ("feedback", "transferred", "A L", None),
    ("resolve", "accepted transferred reopened", "A H", Some("resolved")),
    ("reopen", "resolved", "R", Some("reopened")),
    ("rate", "resolved", "R", None),
    ("merge", "submitted accepted transferred reopened", "A H", Some("merged")),
    ("assign", "submitted accepted transferred reopened", "A H", None),
    ("remind", "submitted accepted transferred reopened", "A H S", None),
    ("supervise", "submitted accepted transferred reopened", "A S", None),
    ("escalate", "submitted accepted transferred reopened", "Y", None),
    ("note", "submitted accepted rejected transferred resolved reopened merged", "A H S L", None),
    ("reply", "accepted transferred reopened", "A H L", None),
    ("return", "transferred", "A L", Some("accepted")),
    ("refer", "submitted accepted reopened", "A H", Some("submitted")),
    ("escalate_to_parent", "submitted accepted transferred reopened", "A H", None),
    ("take_over", "submitted accepted transferred reopened", "A H", None),
    ("guide", "submitted accepted transferred reopened", "A H S", None),
    ("delegate", "accepted transferred reopened", "A H", Some("accepted")),
    ("approve", "accepted transferred reopened", "A H S", Some("resolved")),
    ("send_back", "accepted transferred reopened", "A H S", None),
    ("extend", "accepted transferred reopened", "A H L", None),
    ("grant_extension", "accepted transferred reopened", "A S", None),
    ("refuse_extension", "accepted transferred reopened", "A S", None),
    ("consult", "accepted transferred reopened", "A H", None),
    ("opinion", "accepted transferred reopened", "L", None),
    ("conclude", "accepted transferred reopened", "A H", None),
    ("assist", "accepted transferred reopened", "A H", None),
    ("assist_reply", "accepted transferred reopened", "L", None),
];

/// What the expected table says should happen.
fn expected(status: ReportStatus, kind: ActionKind, who: &str) -> Result<ReportStatus, Refusal> {
    let (_, states, roles, to) =
        EXPECTED.iter().find(|row| row.0 == kind.as_str()).copied().unwrap_or(("", "", "", None));
    let role_letter = if who == "l" { "L" } else { who };
    // A handler may send back only a referral (a submitted case referred to the office), which the
    // fixture never is; a transferred case is the liaison's to return.
    if kind == ActionKind::Return && who == "H" {
        return Err(if status == ReportStatus::Submitted {
            Refusal::WrongState { status, action: kind }
        } else {
            Refusal::Forbidden { action: kind }
        });
    }
    if !roles.split(' ').any(|r| r == role_letter) {
        return Err(Refusal::Forbidden { action: kind });
    }
    let asked_only = matches!(kind, ActionKind::Opinion | ActionKind::AssistReply);
    if role_letter == "L" && (who == "l" || status != ReportStatus::Transferred || asked_only) {
        return Err(Refusal::OutsideDepartment);
    }
    if !states.split(' ').any(|s| s == status.as_str()) {
        if kind == ActionKind::Rate {
            return Err(Refusal::NotResolved);
        }
        return Err(Refusal::WrongState { status, action: kind });
    }
    // The fixture has no pending extension, no open consultation, no escalation and no delegation,
    // and is past its due time, which a delegation's deadline may not exceed.
    match kind {
        ActionKind::GrantExtension | ActionKind::RefuseExtension => return Err(Refusal::NoExtensionPending),
        ActionKind::Conclude => return Err(Refusal::NoConsultation),
        ActionKind::TakeOver | ActionKind::Guide => return Err(Refusal::NoEscalation),
        ActionKind::Approve | ActionKind::SendBack => return Err(Refusal::NoReviewPending),
        ActionKind::Delegate => return Err(Refusal::DateOutOfRange { field: "due_at" }),
        _ => {}
    }
    Ok(to.and_then(ReportStatus::from_name).unwrap_or(status))
}

/// Applies `action` and compares the outcome with `want`; on success checks the invariants every
/// accepted action keeps and returns the new case and event for further checks.
fn check(
    case: &Case,
    action: &Action,
    actor: &Actor,
    now: i64,
    want: Result<ReportStatus, Refusal>,
) -> Option<(Case, AuditEvent)> {
    let label = format!("{:?} on {} by {}", action.kind(), case.status.as_str(), actor.audit_name());
    let got = apply(case, action, actor, now, &policy());
    match (&got, &want) {
        (Ok((next, event)), Ok(to)) => {
            assert_eq!(next.status, *to, "{label}");
            assert_eq!((event.from_status, event.to_status), (case.status, *to), "{label}");
            assert_eq!((event.case_id, event.at, next.updated_at), (case.id, now, now), "{label}");
            assert_eq!(event.actor, actor.audit_name(), "{label}");
            assert_eq!(event.public, event.kind.public_kind().is_some(), "{label}");
            assert_eq!(next.id, case.id, "{label}");
            got.ok()
        }
        (Err(refusal), Err(want)) => {
            assert_eq!(refusal, want, "{label}");
            None
        }
        _ => panic!("{label}: got {got:?}, want {want:?}"),
    }
}

#[test]
fn every_state_action_and_actor_against_the_expected_table() {
    let mut n_allowed = 0;
    for status in ReportStatus::ALL {
        let case = case_in(status);
        for kind in ActionKind::ALL {
            for (who, actor) in actors() {
                let want = expected(status, kind, who);
                n_allowed += usize::from(want.is_ok());
                check(&case, &sample(kind), &actor, NOW, want);
            }
        }
    }
    // Guards the table itself against being emptied by mistake.
    assert_eq!(n_allowed, 124);
}

#[test]
fn allowed_actions_agree_with_apply() {
    for status in ReportStatus::ALL {
        let case = case_in(status);
        for (who, actor) in actors() {
            // A date out of range is the sample's input, which the buttons do not know.
            let offered = |kind| matches!(expected(status, kind, who), Ok(_) | Err(Refusal::DateOutOfRange { .. }));
            let want: Vec<_> = ActionKind::ALL.into_iter().filter(|&kind| offered(kind)).collect();
            assert_eq!(allowed_actions(&case, &actor, NOW, &policy()), want, "{} {who}", status.as_str());
        }
    }
    use ActionKind::*;
    let liaison = staff(13, Role::Liaison, Some("police"));
    assert_eq!(
        allowed_actions(&case_in(ReportStatus::Transferred), &liaison, NOW, &policy()),
        [Feedback, Note, Reply, Return, Extend]
    );
    // A liaison without a department can do nothing, even on a case with no department either.
    let unbound = staff(16, Role::Liaison, None);
    assert_eq!(allowed_actions(&case_in(ReportStatus::Accepted), &unbound, NOW, &policy()), []);
}

#[test]
fn reject_reasons() {
    let case = case_in(ReportStatus::Submitted);
    let handler = staff(11, Role::Handler, None);
    let reject = |reason, text: &str| Action::Reject { reason, text: text.to_owned() };
    // (reason, text, outcome, public body)
    let table = [
        (RejectReason::OutOfScope, "", Ok(ReportStatus::Rejected), Some("不属于受理范围")),
        (RejectReason::Duplicate, " 与 K7M 相同 ", Ok(ReportStatus::Rejected), Some("重复举报：与 K7M 相同")),
        (RejectReason::Other, "属于信访事项", Ok(ReportStatus::Rejected), Some("其他：属于信访事项")),
        (RejectReason::Other, "", Err(Refusal::MissingReason), None),
        (RejectReason::Other, " \n\t", Err(Refusal::MissingReason), None),
    ];
    for (reason, text, want, body) in table {
        if let Some((_, event)) = check(&case, &reject(reason, text), &handler, NOW, want) {
            assert_eq!((event.kind, event.public, event.body.as_deref()), (AuditKind::Rejected, true, body));
        }
    }
    let long = "字".repeat(2001);
    check(&case, &reject(RejectReason::Other, &long), &handler, NOW, Err(Refusal::TextTooLong { max: 2000 }));
}

#[test]
fn transfer_rules() {
    let handler = staff(11, Role::Handler, None);
    let transfer = |department: &str, reason: &str| Action::Transfer {
        department: department.to_owned(),
        reason: reason.to_owned(),
    };
    let accepted = case_in(ReportStatus::Accepted);
    let transferred = case_in(ReportStatus::Transferred);
    let reopened = case_in(ReportStatus::Reopened);
    // (case, department, reason, outcome)
    let table = [
        (&accepted, "police", "", Ok(ReportStatus::Transferred)), // first transfer: no reason needed
        (&accepted, " ", "", Err(Refusal::MissingDepartment)),
        (&transferred, "traffic", "", Err(Refusal::MissingReason)), // re-transfer
        (&transferred, "traffic", "不属于本单位职责", Ok(ReportStatus::Transferred)),
        (&transferred, "police", "再次转办", Err(Refusal::SameDepartment)),
        (&reopened, "traffic", "", Err(Refusal::MissingReason)),
        (&reopened, "traffic", "原单位未处理", Ok(ReportStatus::Transferred)),
    ];
    for (case, department, reason, want) in table {
        if let Some((next, event)) = check(case, &transfer(department, reason), &handler, NOW, want) {
            assert_eq!(next.department.as_deref(), Some(department));
            assert_eq!(next.transfer_count, case.transfer_count + 1);
            assert_eq!(next.feedback_at, None);
            // The department is public; the reason stays with staff.
            assert_eq!(event.body.as_deref(), Some(department));
            assert_eq!(event.detail, Some(reason.to_owned()).filter(|r| !r.is_empty()));
            assert!(event.public);
        }
    }
}

#[test]
fn replies_notes_and_feedback_need_text() {
    let handler = staff(11, Role::Handler, None);
    let liaison = staff(13, Role::Liaison, Some("police"));
    let supervisor = staff(12, Role::Supervisor, None);
    let accepted = case_in(ReportStatus::Accepted);
    let transferred = case_in(ReportStatus::Transferred);
    let text = |s: &str| s.to_owned();
    // (case, action, actor, outcome)
    let table = [
        (&accepted, Action::Resolve { reply: text("") }, &handler, Err(Refusal::EmptyReply)),
        (&accepted, Action::Resolve { reply: text("  ") }, &handler, Err(Refusal::EmptyReply)),
        (&accepted, Action::Reply { text: text("") }, &handler, Err(Refusal::EmptyReply)),
        (&accepted, Action::Note { text: text("") }, &supervisor, Err(Refusal::EmptyText)),
        (&accepted, Action::Supervise { note: text("") }, &supervisor, Err(Refusal::MissingReason)),
        (&accepted, Action::Remind { note: text("") }, &supervisor, Ok(ReportStatus::Accepted)),
        (&transferred, Action::Feedback { text: text("") }, &liaison, Err(Refusal::EmptyText)),
        (&transferred, Action::Reply { text: text("已处理") }, &liaison, Ok(ReportStatus::Transferred)),
    ];
    for (case, action, actor, want) in table {
        check(case, &action, actor, NOW, want);
    }
    let (next, event) =
        check(&transferred, &Action::Feedback { text: text(" 已约谈 ") }, &liaison, NOW, Ok(ReportStatus::Transferred))
            .expect("feedback is allowed");
    assert_eq!((next.feedback_at, event.body.as_deref(), event.public), (Some(NOW), Some("已约谈"), false));
    let (next, event) =
        check(&accepted, &Action::Resolve { reply: text("已删除") }, &handler, NOW, Ok(ReportStatus::Resolved))
            .expect("resolve is allowed");
    assert_eq!(next.resolved_at, Some(NOW));
    let entry = crate::api::TimelineEntry::of_event(&event).expect("public");
    assert_eq!((entry.kind, entry.text.as_deref()), (EventKind::Resolved, Some("已删除")));
}

#[test]
fn reopen_window_and_limit() {
    let resolved = case_in(ReportStatus::Resolved);
    let resolved_at = NOW - DAY_MS;
    let window_end = resolved_at + 15 * DAY_MS;
    let mut twice = resolved.clone();
    twice.reopen_count = 2;
    let reopen = |reason: &str| Action::Reopen { reason: reason.to_owned() };
    // (case, reason, now, outcome)
    let table = [
        (&resolved, "没解决", window_end, Ok(ReportStatus::Reopened)),
        (&resolved, "没解决", window_end + 1, Err(Refusal::ReopenWindowClosed)),
        (&resolved, "", NOW, Err(Refusal::MissingReason)),
        (&twice, "没解决", NOW, Err(Refusal::ReopenLimitReached { max: 2 })),
    ];
    for (case, reason, now, want) in table {
        check(case, &reopen(reason), &Actor::Reporter, now, want);
    }
    let (next, event) =
        check(&resolved, &reopen("没解决"), &Actor::Reporter, NOW, Ok(ReportStatus::Reopened)).expect("allowed");
    assert_eq!((next.reopen_count, next.resolved_at), (1, None));
    assert_eq!(next.due_at, Some(NOW + 7 * DAY_MS));
    assert_eq!((event.actor.as_str(), event.body.as_deref()), ("reporter", Some("没解决")));
    // The reopen button disappears with the window; rating the outcome stays open.
    assert_eq!(allowed_actions(&resolved, &Actor::Reporter, window_end + 1, &policy()), [ActionKind::Rate]);
    let mut broken = resolved.clone();
    broken.resolved_at = None;
    check(&broken, &reopen("没解决"), &Actor::Reporter, NOW, Err(Refusal::ReopenWindowClosed));
}

#[test]
fn merge_rules() {
    let handler = staff(11, Role::Handler, None);
    let merge = |id, status| Action::Merge { into: MergeTarget { id: CaseId(id), status } };
    let case = case_in(ReportStatus::Accepted);
    // (target id, target status, outcome)
    let table = [
        (8, ReportStatus::Submitted, Ok(ReportStatus::Merged)),
        (8, ReportStatus::Transferred, Ok(ReportStatus::Merged)),
        (8, ReportStatus::Resolved, Ok(ReportStatus::Merged)),
        (8, ReportStatus::Merged, Err(Refusal::MergeTargetInvalid { status: ReportStatus::Merged })),
        (8, ReportStatus::Rejected, Err(Refusal::MergeTargetInvalid { status: ReportStatus::Rejected })),
        (7, ReportStatus::Accepted, Err(Refusal::MergeIntoSelf)),
    ];
    for (id, status, want) in table {
        if let Some((next, event)) = check(&case, &merge(id, status), &handler, NOW, want) {
            assert_eq!(next.merged_into, Some(CaseId(id)));
            assert_eq!(crate::api::TimelineEntry::of_event(&event).map(|e| e.kind), Some(EventKind::Merged));
        }
    }
}

#[test]
fn acceptance_sets_the_deadline_and_an_owner() {
    let mut case = Case::new(CaseId(9), "terror", None, T0);
    let handler = staff(11, Role::Handler, None);
    let (next, event) = check(&case, &Action::Accept, &handler, T0, Ok(ReportStatus::Accepted)).expect("allowed");
    assert_eq!((next.accepted_at, next.due_at), (Some(T0), Some(T0 + 3 * DAY_MS)));
    assert_eq!((next.primary_handler, next.primary_acted_at), (Some(StaffId(11)), Some(T0)));
    assert_eq!((event.kind, event.public, event.body), (AuditKind::Accepted, true, None));
    // An admin accepting does not become the handler; an existing assignment is kept.
    let admin = staff(10, Role::Admin, None);
    let (next, _) = check(&case, &Action::Accept, &admin, T0, Ok(ReportStatus::Accepted)).expect("allowed");
    assert_eq!(next.primary_handler, None);
    case.primary_handler = Some(PRIMARY);
    let (next, _) = check(&case, &Action::Accept, &handler, T0, Ok(ReportStatus::Accepted)).expect("allowed");
    assert_eq!(next.primary_handler, Some(PRIMARY));
}

#[test]
fn assignment_and_escalation() {
    let handler = staff(11, Role::Handler, None);
    let case = case_in(ReportStatus::Transferred);
    let assign =
        |primary: i64, backup: Option<i64>| Action::Assign { primary: StaffId(primary), backup: backup.map(StaffId) };
    check(&case, &assign(3, Some(3)), &handler, NOW, Err(Refusal::SameHandler));
    let (next, event) = check(&case, &assign(3, None), &handler, NOW, Ok(ReportStatus::Transferred)).expect("allowed");
    assert_eq!((next.primary_handler, next.backup_handler, next.primary_acted_at), (Some(StaffId(3)), None, Some(NOW)));
    assert_eq!(event.body.as_deref(), Some("primary=3 backup=-"));
    // Re-assigning the same primary is not the primary acting.
    let (next, _) = check(&case, &assign(1, Some(5)), &handler, NOW, Ok(ReportStatus::Transferred)).expect("allowed");
    assert_eq!(next.primary_acted_at, Some(T0));

    // Overdue with an idle primary: the digest hands the case to B, and A becomes the backup.
    let (next, event) =
        check(&case, &Action::Escalate, &Actor::System, NOW, Ok(ReportStatus::Transferred)).expect("escalation is due");
    assert_eq!((next.primary_handler, next.backup_handler), (Some(BACKUP), Some(PRIMARY)));
    assert_eq!((event.kind, event.public, event.actor.as_str()), (AuditKind::Escalated, false, "system"));
    // Once escalated, the new primary has a clean slate: no second escalation the same day.
    check(&next, &Action::Escalate, &Actor::System, NOW, Err(Refusal::NotDueForEscalation));
    // Not yet overdue.
    check(&case, &Action::Escalate, &Actor::System, T0 + DAY_MS, Err(Refusal::NotDueForEscalation));
}

#[test]
fn assignment_bodies_read_back_to_the_ids_they_name() {
    let handler = staff(11, Role::Handler, None);
    let case = case_in(ReportStatus::Accepted);
    for (primary, backup) in [(3, None), (3, Some(12)), (1_000_000_007, Some(2))] {
        let action = Action::Assign { primary: StaffId(primary), backup: backup.map(StaffId) };
        let (_, event) = check(&case, &action, &handler, NOW, Ok(ReportStatus::Accepted)).expect("allowed");
        let body = event.body.expect("an assignment has a body");
        assert_eq!(read_assignment(&body), Some((Some(StaffId(primary)), backup.map(StaffId))), "{body}");
    }
    assert_eq!(read_assignment("primary=- backup=-"), Some((None, None)));
    for not_one in ["", "primary=3", "primary=x backup=-", "backup=3 primary=4", "primary=3 backup=4 more", "已核实"]
    {
        assert_eq!(read_assignment(not_one), None, "{not_one}");
    }
}

#[test]
fn the_staff_a_case_names_are_its_actors_handlers_and_assignments() {
    let mut case = case_in(ReportStatus::Accepted);
    case.primary_handler = Some(StaffId(7));
    case.backup_handler = None;
    let events = [
        ("submitted", "reporter", None),
        ("accepted", "staff:11", None),
        // A body that only looks like an assignment counts only on assignment kinds.
        ("note", "staff:11", Some("primary=99 backup=98")),
        ("assigned", "staff:11", Some("primary=5 backup=6")),
        ("escalated", "system", Some("primary=6 backup=5")),
        ("assigned", "staff:2", Some("primary=7 backup=-")),
        ("note", "staff:not-a-number", None),
    ];
    let ids: Vec<i64> = staff_named(&case, &events).into_iter().map(|id| id.0).collect();
    assert_eq!(ids, [2, 5, 6, 7, 11]);
}

#[test]
fn the_primary_acting_stops_escalation() {
    let primary = staff(1, Role::Handler, None);
    let case = case_in(ReportStatus::Accepted);
    assert_eq!(needs_escalation(&case, NOW), Some(BACKUP));
    let (next, _) = check(&case, &Action::Note { text: "在办".to_owned() }, &primary, NOW, Ok(ReportStatus::Accepted))
        .expect("allowed");
    assert_eq!(next.primary_acted_at, Some(NOW));
    assert_eq!(needs_escalation(&next, NOW + 1), None);
    // Someone else acting does not count for the primary.
    let other = staff(11, Role::Handler, None);
    let (next, _) = check(&case, &Action::Note { text: "代办".to_owned() }, &other, NOW, Ok(ReportStatus::Accepted))
        .expect("allowed");
    assert_eq!(next.primary_acted_at, Some(T0));
}

#[test]
fn audit_kinds_are_stored_as_the_timeline_reads_them() {
    use AuditKind::*;
    let all = [
        Accepted,
        Rejected,
        Transferred,
        Feedback,
        Resolved,
        Reopened,
        Rated,
        Merged,
        Assigned,
        Reminded,
        Supervised,
        Escalated,
        Note,
        Reply,
    ];
    for kind in all {
        let json = serde_json::to_string(&kind).expect("serialises");
        assert_eq!(json, format!("\"{}\"", kind.as_str()));
        // The worker reads public rows back as EventKind from the same text.
        if let Some(public) = kind.public_kind() {
            assert_eq!(serde_json::to_string(&public).expect("serialises"), json);
        }
    }
}

#[test]
fn the_reporter_rates_once_per_resolution() {
    let resolved = case_in(ReportStatus::Resolved);
    let rate = |rating, comment: &str| Action::Rate { rating, comment: comment.to_owned() };
    let (rated, event) = check(
        &resolved,
        &rate(Rating::BasicallySatisfied, " 处理得快 "),
        &Actor::Reporter,
        NOW,
        Ok(ReportStatus::Resolved),
    )
    .expect("rated");
    assert_eq!((event.kind, event.public), (AuditKind::Rated, true));
    assert_eq!((event.body.as_deref(), event.detail.as_deref()), (Some("basically_satisfied"), Some("处理得快")));
    assert_eq!(rated.rated_at, Some(NOW));
    let entry = crate::api::TimelineEntry::of_event(&event).expect("public");
    assert_eq!(
        (entry.kind, entry.rating, entry.text.as_deref()),
        (EventKind::Rated, Some(Rating::BasicallySatisfied), Some("处理得快"))
    );
    // A second rating of the same resolution is refused, whatever it says.
    check(&rated, &rate(Rating::Dissatisfied, ""), &Actor::Reporter, NOW + 1, Err(Refusal::AlreadyRated));
    // Reopened and resolved again: the new resolution may be rated.
    let (reopened, _) =
        apply(&rated, &Action::Reopen { reason: "还在".to_owned() }, &Actor::Reporter, NOW + 2, &policy())
            .expect("reopens");
    check(&reopened, &rate(Rating::Satisfied, ""), &Actor::Reporter, NOW + 3, Err(Refusal::NotResolved));
    let handler = staff(11, Role::Handler, None);
    let (again, _) =
        apply(&reopened, &Action::Resolve { reply: "已再次处理".to_owned() }, &handler, NOW + 4, &policy())
            .expect("resolves");
    let (_, event) =
        check(&again, &rate(Rating::Dissatisfied, ""), &Actor::Reporter, NOW + 5, Ok(ReportStatus::Resolved))
            .expect("rated again");
    assert_eq!((event.body.as_deref(), event.detail), (Some("dissatisfied"), None));
    // The comment's limit counts characters, not bytes.
    check(&resolved, &rate(Rating::Satisfied, &"字".repeat(500)), &Actor::Reporter, NOW, Ok(ReportStatus::Resolved));
    check(
        &resolved,
        &rate(Rating::Satisfied, &"字".repeat(501)),
        &Actor::Reporter,
        NOW,
        Err(Refusal::CommentTooLong { max: 500 }),
    );
    // Staff cannot rate on the reporter's behalf.
    check(
        &resolved,
        &rate(Rating::Satisfied, ""),
        &staff(10, Role::Admin, None),
        NOW,
        Err(Refusal::Forbidden { action: ActionKind::Rate }),
    );
}

/// Applies `action` by `actor` at `at`, expecting success.
fn ok(case: &Case, action: Action, actor: &Actor, at: i64) -> (Case, AuditEvent) {
    apply(case, &action, actor, at, &policy()).unwrap_or_else(|r| panic!("{:?}: {r}", action.kind()))
}

fn refused(case: &Case, action: Action, actor: &Actor, at: i64) -> Refusal {
    apply(case, &action, actor, at, &policy()).expect_err("should be refused")
}

#[test]
fn a_second_return_waits_for_a_supervisor() {
    let handler = staff(11, Role::Handler, None);
    let liaison = staff(13, Role::Liaison, Some("police"));
    let supervisor = staff(12, Role::Supervisor, None);
    let back = |reason: &str| Action::Return { reason: reason.to_owned() };
    let transfer = |department: &str| Action::Transfer {
        department: department.to_owned(),
        reason: "补充材料后再转".to_owned(),
    };
    let case = case_in(ReportStatus::Transferred);
    assert_eq!(refused(&case, back(" "), &liaison, NOW), Refusal::MissingReason);
    let (once, event) = ok(&case, back("不属于本单位职责"), &liaison, NOW);
    assert_eq!((once.status, once.return_count, once.returned_at), (ReportStatus::Accepted, 1, Some(NOW)));
    assert_eq!((event.kind, event.detail.as_deref(), event.public), (AuditKind::Returned, Some("police"), false));
    assert_eq!(once.due_at, case.due_at, "a return does not stop the clock");
    assert!(!liaison_can_see(&once, "police"), "it left the department's hands");
    // The office may send it back to the same department once it has what was asked.
    let (again, _) = ok(&once, transfer("police"), &handler, NOW + 1);
    let (twice, _) = ok(&again, back("仍不属于本单位职责"), &liaison, NOW + 2);
    assert!(twice.awaits_supervisor());
    assert_eq!(refused(&twice, transfer("traffic"), &handler, NOW + 3), Refusal::AwaitingSupervisor);
    let resolve = Action::Resolve { reply: "已处理".to_owned() };
    assert_eq!(refused(&twice, resolve.clone(), &handler, NOW + 3), Refusal::AwaitingSupervisor);
    assert!(!allowed_actions(&twice, &handler, NOW + 3, &policy()).contains(&ActionKind::Transfer));
    // An admin is not held; a supervisor's 督办 after the return releases the handler.
    ok(&twice, transfer("traffic"), &staff(10, Role::Admin, None), NOW + 3);
    let (decided, _) = ok(&twice, Action::Supervise { note: "转交通运输局办理".to_owned() }, &supervisor, NOW + 3);
    assert!(!decided.awaits_supervisor());
    ok(&decided, transfer("traffic"), &handler, NOW + 4);
}

#[test]
fn an_extension_is_asked_then_granted_or_refused() {
    let handler = staff(11, Role::Handler, None);
    let supervisor = staff(12, Role::Supervisor, None);
    let case = case_in(ReportStatus::Accepted);
    let due = case.due_at.expect("accepted case has a due time");
    let now = due - DAY_MS;
    let extend = |until: i64| Action::Extend { until, reason: "需平台配合取证".to_owned() };
    // Not later than the current due time, or more than 30 days after it: refused, naming the field.
    for until in [due, due - 1, due + 30 * DAY_MS + 1] {
        assert_eq!(refused(&case, extend(until), &handler, now), Refusal::DateOutOfRange { field: "until" }, "{until}");
    }
    let blank = Action::Extend { until: due + DAY_MS, reason: "\u{200b}".to_owned() };
    assert_eq!(refused(&case, blank, &handler, now), Refusal::MissingReason);
    let (asked, event) = ok(&case, extend(due + 5 * DAY_MS), &handler, now);
    assert_eq!((asked.extension_until, asked.due_at), (Some(due + 5 * DAY_MS), Some(due)), "nothing moves yet");
    assert_eq!(event.detail.as_deref().and_then(read_extension), Some(due + 5 * DAY_MS));
    assert_eq!(refused(&asked, extend(due + 6 * DAY_MS), &handler, now), Refusal::ExtensionPending);
    assert_eq!(
        refused(&asked, Action::GrantExtension { note: String::new() }, &handler, now),
        Refusal::Forbidden { action: ActionKind::GrantExtension }
    );
    let (granted, event) = ok(&asked, Action::GrantExtension { note: String::new() }, &supervisor, now + 1);
    assert_eq!((granted.due_at, granted.extension_until, granted.extension_count), (Some(due + 5 * DAY_MS), None, 1));
    assert_eq!((event.kind, event.body), (AuditKind::ExtensionGranted, None));
    assert!(!is_overdue(&granted, due + 1), "the granted time counts");
    let refuse = |note: &str| Action::RefuseExtension { note: note.to_owned() };
    assert_eq!(refused(&asked, refuse(""), &supervisor, now + 1), Refusal::MissingReason);
    let (kept, _) = ok(&asked, refuse("理由不充分"), &supervisor, now + 1);
    assert_eq!((kept.due_at, kept.extension_until, kept.extension_count), (Some(due), None, 0));
    assert_eq!(refused(&kept, refuse("再次"), &supervisor, now + 2), Refusal::NoExtensionPending);
}

#[test]
fn a_consultation_shows_who_has_not_answered_until_the_lead_concludes() {
    let handler = staff(11, Role::Handler, None);
    let police = staff(13, Role::Liaison, Some("police"));
    let market = staff(17, Role::Liaison, Some("market"));
    let other = staff(14, Role::Liaison, Some("cac"));
    let case = case_in(ReportStatus::Accepted);
    let consult = |departments: &[&str], question: &str, due_at: i64| Action::Consult {
        departments: departments.iter().map(|d| (*d).to_owned()).collect(),
        question: question.to_owned(),
        due_at,
    };
    let q = "是否构成网络诈骗？";
    assert_eq!(refused(&case, consult(&[], q, NOW + DAY_MS), &handler, NOW), Refusal::MissingDepartment);
    assert_eq!(refused(&case, consult(&["police", " "], q, NOW + DAY_MS), &handler, NOW), Refusal::MissingDepartment);
    let eleven: Vec<String> = (0..11).map(|i| format!("d{i}")).collect();
    let many: Vec<&str> = eleven.iter().map(String::as_str).collect();
    assert_eq!(refused(&case, consult(&many, q, NOW + DAY_MS), &handler, NOW), Refusal::TooManyDepartments { max: 10 });
    assert_eq!(
        refused(&case, consult(&["police"], " ", NOW + DAY_MS), &handler, NOW),
        Refusal::MissingField { field: "question" }
    );
    for due in [NOW, NOW + 61 * DAY_MS] {
        assert_eq!(
            refused(&case, consult(&["police"], q, due), &handler, NOW),
            Refusal::DateOutOfRange { field: "due_at" }
        );
    }
    let (open, event) = ok(&case, consult(&[" police", "market", "police"], q, NOW + 3 * DAY_MS), &handler, NOW);
    assert_eq!((event.kind, event.detail.as_deref()), (AuditKind::Consulted, Some("police,market")));
    assert_eq!(not_answered(&open.requests), ["police", "market"]);
    assert!(open.requests.iter().all(|r| r.id == UNSAVED_REQUEST && r.due_at == NOW + 3 * DAY_MS));
    assert_eq!(refused(&open, consult(&["cac"], q, NOW + DAY_MS), &handler, NOW), Refusal::ConsultationOpen);
    // Invited departments see the case and may answer; others neither.
    assert!(liaison_can_see(&open, "market") && !liaison_can_see(&open, "cac"));
    assert_eq!(allowed_actions(&open, &market, NOW, &policy()), [ActionKind::Opinion]);
    assert!(allowed_actions(&open, &police, NOW, &policy()).contains(&ActionKind::Opinion));
    let opinion = |text: &str| Action::Opinion { text: text.to_owned() };
    assert_eq!(refused(&open, opinion("意见"), &other, NOW), Refusal::OutsideDepartment);
    let (answered, event) = ok(&open, opinion("建议移送公安"), &market, NOW + 1);
    assert_eq!((event.kind, event.detail.as_deref()), (AuditKind::Opinion, Some("market")));
    assert_eq!(not_answered(&answered.requests), ["police"]);
    assert_eq!(refused(&answered, opinion("补充"), &market, NOW + 2), Refusal::AlreadyAnswered);
    let (concluded, event) = ok(&answered, Action::Conclude { text: "移送公安".to_owned() }, &handler, NOW + 2);
    assert_eq!((event.kind, event.detail.as_deref()), (AuditKind::Concluded, Some("police")), "the silent are named");
    assert!(open_consultation(&concluded.requests).next().is_none());
    assert!(!liaison_can_see(&concluded, "market"), "the request is closed");
    assert_eq!(
        refused(&concluded, Action::Conclude { text: "再".to_owned() }, &handler, NOW + 3),
        Refusal::NoConsultation
    );
    // A new consultation may follow the concluded one.
    ok(&concluded, consult(&["cac"], q, NOW + DAY_MS), &handler, NOW + 3);
}

#[test]
fn assistance_is_a_tracked_request_answered_by_the_agency() {
    let handler = staff(11, Role::Handler, None);
    let police = staff(13, Role::Liaison, Some("police"));
    let case = case_in(ReportStatus::Accepted);
    let assist = |agency: &str, check: &str, reference: &str| Action::Assist {
        agency: agency.to_owned(),
        check: check.to_owned(),
        reference: reference.to_owned(),
        due_at: NOW + 2 * DAY_MS,
    };
    assert_eq!(refused(&case, assist(" ", "核查", ""), &handler, NOW), Refusal::MissingField { field: "agency" });
    assert_eq!(refused(&case, assist("police", "", ""), &handler, NOW), Refusal::MissingField { field: "check" });
    assert_eq!(
        refused(&case, assist("police", "核查", &"9".repeat(65)), &handler, NOW),
        Refusal::FieldTooLong { field: "reference", max: REFERENCE_MAX_CHARS }
    );
    let (asked, event) = ok(&case, assist("police", "请核查该账号实名信息", ""), &handler, NOW);
    assert_eq!(
        (event.kind, event.detail.as_deref(), asked.status),
        (AuditKind::AssistRequested, Some("police"), case.status)
    );
    assert_eq!(asked.department, case.department, "assistance does not transfer the case");
    assert_eq!(refused(&asked, assist("police", "再查", ""), &handler, NOW), Refusal::RequestOpen);
    assert!(asked.requests[0].is_overdue(NOW + 2 * DAY_MS + 1));
    let reply =
        Action::AssistReply { text: "已核查，账号已封停。".to_owned(), reference: "A2026-123".to_owned() };
    let (answered, event) = ok(&asked, reply.clone(), &police, NOW + 1);
    assert_eq!(event.kind, AuditKind::AssistAnswered);
    let row = &answered.requests[0];
    assert_eq!(
        (row.answered_at, row.closed_at, row.reference.as_deref()),
        (Some(NOW + 1), Some(NOW + 1), Some("A2026-123"))
    );
    assert_eq!(row.answered_by.as_deref(), Some("staff:13"));
    assert!(!liaison_can_see(&answered, "police"), "answered: back out of the police's view");
    assert_eq!(refused(&answered, reply, &police, NOW + 2), Refusal::OutsideDepartment);
    // Closing the case closes what is still open.
    let (open_again, _) = ok(&answered, assist("police", "补充核查", ""), &handler, NOW + 2);
    let (closed, _) = ok(&open_again, Action::Resolve { reply: "已处理".to_owned() }, &handler, NOW + 3);
    assert!(closed.requests.iter().all(|r| r.closed_at.is_some()));
}

#[test]
fn a_referral_moves_the_case_to_another_office_which_accepts_it_or_sends_it_back() {
    let handler = staff(11, Role::Handler, None);
    let mut case = case_in(ReportStatus::Accepted);
    case.department = Some("police".to_owned());
    let refer =
        |office: &str| Action::Refer { office: office.to_owned(), reason: "平台注册地在东区".to_owned() };
    assert_eq!(apply(&case, &refer("root"), &handler, NOW, &policy()).map(|_| ()), Err(Refusal::SameOffice));
    assert_eq!(
        apply(&case, &Action::Refer { office: " ".to_owned(), reason: "x".to_owned() }, &handler, NOW, &policy())
            .map(|_| ()),
        Err(Refusal::MissingField { field: "office" })
    );
    let (referred, event) = apply(&case, &refer("east"), &handler, NOW, &policy()).expect("referred");
    assert_eq!(
        (referred.status, referred.office.as_str(), referred.referred_from.as_deref()),
        (ReportStatus::Submitted, "east", Some("root"))
    );
    assert_eq!((referred.department.as_deref(), referred.primary_handler, referred.accepted_at), (None, None, None));
    assert_eq!(
        referred.due_at,
        Some(policy().acceptance_due_at(&case.category, NOW)),
        "the acceptance clock restarts there"
    );
    assert_eq!((event.kind, event.body.as_deref(), event.public), (AuditKind::Referred, Some("east"), true));
    assert_eq!(event.kind.public_kind(), Some(EventKind::Referred));
    // Sent back: at the referring office again, as a new case.
    let back = Action::Return { reason: "不属本区".to_owned() };
    let (returned, event) = apply(&referred, &back, &handler, NOW + 1, &policy()).expect("sent back");
    assert_eq!(
        (returned.status, returned.office.as_str(), returned.referred_from.as_deref()),
        (ReportStatus::Submitted, "root", None)
    );
    assert_eq!((event.kind, event.body.as_deref()), (AuditKind::HandedBack, Some("root")));
    // A second send-back has no referral to undo.
    assert_eq!(
        apply(&returned, &back, &handler, NOW + 2, &policy()).map(|_| ()),
        Err(Refusal::WrongState { status: ReportStatus::Submitted, action: ActionKind::Return })
    );
    // Accepted at the receiving office: the hand-over is over.
    let (accepted, _) = apply(&referred, &Action::Accept, &handler, NOW + 3, &policy()).expect("accepted");
    assert_eq!((accepted.office.as_str(), accepted.referred_from), ("east", None));
}

/// A staff member of `office` seeing a case held by `case_office` in the test network
/// (province → city → east, west).
fn at(id: i64, role: Role, office: &str, case_office: &str) -> Actor {
    let tree = crate::office::tests::network();
    let staff = Staff { id: StaffId(id), role, department: None, office: office.to_owned(), reach: Default::default() };
    Actor::Staff(staff.reaching(&tree, case_office))
}

#[test]
fn an_escalation_asks_the_parent_office_which_takes_the_case_over_or_guides() {
    let mut case = case_in(ReportStatus::Transferred);
    case.office = "east".to_owned();
    case.due_at = Some(NOW + 3 * DAY_MS);
    let east = at(21, Role::Handler, "east", "east");
    let city_handler = at(31, Role::Handler, "city", "east");
    let city_supervisor = at(32, Role::Supervisor, "city", "east");
    let province = at(41, Role::Handler, "province", "east");
    let up = |parent: Option<&str>| Action::EscalateToParent {
        parent: parent.map(str::to_owned),
        reason: "平台注册地在外省，需市办协调".to_owned(),
    };
    assert_eq!(apply(&case, &up(None), &east, NOW, &policy()).map(|_| ()), Err(Refusal::NoParentOffice));
    // Nobody above handles the case before it asks.
    assert_eq!(
        apply(&case, &Action::TakeOver { note: String::new() }, &city_handler, NOW, &policy()).map(|_| ()),
        Err(Refusal::NoEscalation)
    );
    let (asked, event) = apply(&case, &up(Some("city")), &east, NOW, &policy()).expect("escalated");
    assert_eq!(
        (asked.status, asked.office.as_str(), asked.escalated_to.as_deref()),
        (case.status, "east", Some("city"))
    );
    assert_eq!(
        (event.kind, event.public, event.detail.as_deref()),
        (AuditKind::EscalatedToParent, false, Some("city"))
    );
    assert_eq!(apply(&asked, &up(Some("city")), &east, NOW, &policy()).map(|_| ()), Err(Refusal::EscalationOpen));
    // Only the office asked answers: not the grandparent, not the office itself.
    let guide = Action::Guide { text: "先约谈平台属地网信办".to_owned() };
    assert_eq!(apply(&asked, &guide, &province, NOW, &policy()).map(|_| ()), Err(Refusal::NoEscalation));
    assert_eq!(apply(&asked, &guide, &east, NOW, &policy()).map(|_| ()), Err(Refusal::NoEscalation));
    assert_eq!(
        allowed_actions(&asked, &city_supervisor, NOW, &policy()),
        [ActionKind::Remind, ActionKind::Supervise, ActionKind::Note, ActionKind::Guide]
    );
    // Guidance: the case stays, the escalation is answered.
    let (guided, event) = apply(&asked, &guide, &city_supervisor, NOW + 1, &policy()).expect("guided");
    assert_eq!((guided.office.as_str(), guided.escalated_to.as_deref(), guided.status), ("east", None, case.status));
    assert_eq!((event.kind, event.public), (AuditKind::Guided, false));
    // A takeover: the city holds it, out of the county department's hands, its clock running on.
    let (taken, event) =
        apply(&asked, &Action::TakeOver { note: String::new() }, &city_handler, NOW + 2, &policy()).expect("taken");
    assert_eq!(
        (taken.status, taken.office.as_str(), taken.escalated_to.as_deref(), taken.department.as_deref()),
        (ReportStatus::Accepted, "city", None, None)
    );
    assert_eq!((taken.due_at, taken.primary_handler, taken.backup_handler), (case.due_at, Some(StaffId(31)), None));
    assert_eq!((event.kind, event.public, event.body.as_deref()), (AuditKind::TakenOver, true, Some("city")));
    assert_eq!(event.kind.public_kind(), Some(EventKind::Referred));
}

#[test]
fn a_delegated_case_comes_back_for_review_before_it_closes() {
    let mut case = case_in(ReportStatus::Accepted);
    case.office = "city".to_owned();
    case.due_at = Some(NOW + 5 * DAY_MS);
    let city = at(31, Role::Handler, "city", "city");
    let delegate = |office: &str, due_at: i64| Action::Delegate {
        office: office.to_owned(),
        due_at,
        note: "请东区核实账号属地并处置".to_owned(),
    };
    assert_eq!(
        apply(&case, &delegate("city", NOW + DAY_MS), &city, NOW, &policy()).map(|_| ()),
        Err(Refusal::SameOffice)
    );
    for late in [NOW, NOW + 5 * DAY_MS + 1] {
        assert_eq!(
            apply(&case, &delegate("east", late), &city, NOW, &policy()).map(|_| ()),
            Err(Refusal::DateOutOfRange { field: "due_at" }),
            "a delegation never extends the case"
        );
    }
    let (delegated, event) =
        apply(&case, &delegate("east", NOW + 2 * DAY_MS), &city, NOW, &policy()).expect("delegated");
    assert_eq!(
        (delegated.status, delegated.office.as_str(), delegated.delegated_by.as_deref(), delegated.due_at),
        (ReportStatus::Accepted, "east", Some("city"), Some(NOW + 2 * DAY_MS))
    );
    assert_eq!(delegated.primary_handler, None, "the office below assigns its own handler");
    assert_eq!((event.kind, event.public, event.body.as_deref()), (AuditKind::Delegated, true, Some("east")));
    // The office below handles it, but cannot pass it on: its result goes back up.
    let east = at(21, Role::Handler, "east", "east");
    let street = Action::Delegate { office: "east_street".to_owned(), due_at: NOW + DAY_MS, note: "x".to_owned() };
    assert_eq!(apply(&delegated, &street, &east, NOW, &policy()).map(|_| ()), Err(Refusal::AlreadyDelegated));
    let refer = Action::Refer { office: "west".to_owned(), reason: "x".to_owned() };
    assert_eq!(apply(&delegated, &refer, &east, NOW, &policy()).map(|_| ()), Err(Refusal::AlreadyDelegated));
    // Closing it proposes the reply for review; the case stays open meanwhile.
    let resolve = Action::Resolve { reply: "经核实，相关账号已被平台封禁。".to_owned() };
    let (proposed, event) = apply(&delegated, &resolve, &east, NOW + 1, &policy()).expect("proposed");
    assert_eq!((proposed.status, proposed.resolved_at), (ReportStatus::Accepted, None));
    assert_eq!(proposed.review_reply.as_deref(), Some("经核实，相关账号已被平台封禁。"));
    assert_eq!(
        (event.kind, event.public, event.to_status),
        (AuditKind::ReviewRequested, false, ReportStatus::Accepted)
    );
    assert_eq!(apply(&proposed, &resolve, &east, NOW + 2, &policy()).map(|_| ()), Err(Refusal::AwaitingReview));
    // Only the delegating office reviews.
    let city_supervisor = at(32, Role::Supervisor, "city", "east");
    let province = at(41, Role::Supervisor, "province", "east");
    let approve = Action::Approve { note: String::new() };
    assert_eq!(apply(&proposed, &approve, &province, NOW + 2, &policy()).map(|_| ()), Err(Refusal::NoReviewPending));
    assert_eq!(
        apply(&delegated, &approve, &city_supervisor, NOW + 2, &policy()).map(|_| ()),
        Err(Refusal::NoReviewPending)
    );
    // Sent back: work on at the office below, by the same deadline.
    let send_back = Action::SendBack { reason: "请补充平台处置截图".to_owned() };
    let (again, event) = apply(&proposed, &send_back, &city_supervisor, NOW + 3, &policy()).expect("sent back");
    assert_eq!(
        (again.review_reply.as_deref(), again.delegated_by.as_deref(), again.due_at),
        (None, Some("city"), delegated.due_at)
    );
    assert_eq!((event.kind, event.public), (AuditKind::ReviewReturned, false));
    // Approved: closed with the proposed reply, which the reporter reads.
    let (proposed, _) = apply(&again, &resolve, &east, NOW + 4, &policy()).expect("proposed again");
    let (closed, event) = apply(&proposed, &approve, &city_supervisor, NOW + 5, &policy()).expect("approved");
    assert_eq!(
        (closed.status, closed.resolved_at, closed.review_reply.as_deref()),
        (ReportStatus::Resolved, Some(NOW + 5), None)
    );
    assert_eq!(
        (event.kind, event.public, event.body.as_deref()),
        (AuditKind::Resolved, true, Some("经核实，相关账号已被平台封禁。"))
    );
    assert_eq!(closed.office, "east", "the office that did the work keeps the case in its figures");
}
