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
    Policy::from_taxonomy(&crate::category::Taxonomy::default_set())
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
    Actor::Staff(Staff { id: StaffId(id), role, department: department.map(str::to_owned) })
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
    }
}

/// The expected table, written out by hand: (action, states that allow it, actors that may take it,
/// status after). Liaisons ("L") are further limited to cases transferred to their department.
const EXPECTED: [(&str, &str, &str, Option<&str>); 14] = [
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
];

/// What the expected table says should happen.
fn expected(status: ReportStatus, kind: ActionKind, who: &str) -> Result<ReportStatus, Refusal> {
    let (_, states, roles, to) =
        EXPECTED.iter().find(|row| row.0 == kind.as_str()).copied().unwrap_or(("", "", "", None));
    let role_letter = if who == "l" { "L" } else { who };
    if !roles.split(' ').any(|r| r == role_letter) {
        return Err(Refusal::Forbidden { action: kind });
    }
    if role_letter == "L" && (who == "l" || status != ReportStatus::Transferred) {
        return Err(Refusal::OutsideDepartment);
    }
    if !states.split(' ').any(|s| s == status.as_str()) {
        if kind == ActionKind::Rate {
            return Err(Refusal::NotResolved);
        }
        return Err(Refusal::WrongState { status, action: kind });
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
    assert_eq!(n_allowed, 89);
}

#[test]
fn allowed_actions_agree_with_apply() {
    for status in ReportStatus::ALL {
        let case = case_in(status);
        for (who, actor) in actors() {
            let want: Vec<_> =
                ActionKind::ALL.into_iter().filter(|&kind| expected(status, kind, who).is_ok()).collect();
            assert_eq!(allowed_actions(&case, &actor, NOW, &policy()), want, "{} {who}", status.as_str());
        }
    }
    use ActionKind::*;
    let liaison = staff(13, Role::Liaison, Some("police"));
    assert_eq!(allowed_actions(&case_in(ReportStatus::Transferred), &liaison, NOW, &policy()), [Feedback, Note, Reply]);
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
