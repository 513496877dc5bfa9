//! Table tests of the editor's workflow: every role × status × action, then the input rules.

use super::*;
use crate::taxonomy::Taxonomy;

const T0: i64 = 1_795_536_000_000;

fn staff(role: Role) -> Staff {
    Staff { id: StaffId(5), role, department: None, office: crate::office::ROOT.to_owned(), reach: Default::default() }
}

fn content() -> RefutationContent {
    let input = RefutationContent {
        title: "网传“明天起全面封城”系谣言".to_owned(),
        claim: "明天起全市全面封城".to_owned(),
        verdict: Some("rumour".to_owned()),
        body: vec![Block::Paragraph { text: "经核实，该消息系谣言。".to_owned() }],
        authority: "南山区公安分局".to_owned(),
        ..RefutationContent::default()
    };
    RefutationContent::validate(&input, &Verdict::default_set(), &Taxonomy::default_set()).expect("valid")
}

fn refutation_in(status: RefutationStatus) -> Refutation {
    Refutation {
        id: RefutationId(9),
        status,
        content: content(),
        revision: 3,
        created_by: StaffId(5),
        created_at: T0,
        updated_at: T0 + 10,
        published_at: (status != RefutationStatus::Draft).then_some(T0 + 5),
        revised_at: None,
        update_note: None,
        unpublish_reason: (status == RefutationStatus::Unpublished).then(|| "误发".to_owned()),
    }
}

/// Runs `action` with valid input.
fn run(
    r: &Refutation,
    action: RefutationAction,
    who: &Staff,
) -> Result<(Refutation, RefutationEvent), RefutationRefusal> {
    let now = T0 + 100;
    match action {
        RefutationAction::Save => save_draft(r, content(), who, r.revision, now),
        RefutationAction::Publish => publish(r, who, r.revision, now),
        RefutationAction::Update => update_published(r, content(), "更正发布时间", who, r.revision, now),
        RefutationAction::Unpublish => unpublish(r, "内容有误", who, r.revision, now),
    }
}

#[test]
fn role_status_action_table() {
    use RefutationStatus::*;
    // (status, action) → status after, for editors and admins; `None` is wrong_state.
    let table = [
        (Draft, RefutationAction::Save, Some(Draft)),
        (Draft, RefutationAction::Publish, Some(Published)),
        (Draft, RefutationAction::Update, None),
        (Draft, RefutationAction::Unpublish, None),
        (Published, RefutationAction::Save, None),
        (Published, RefutationAction::Publish, None),
        (Published, RefutationAction::Update, Some(Published)),
        (Published, RefutationAction::Unpublish, Some(Unpublished)),
        (Unpublished, RefutationAction::Save, Some(Unpublished)),
        (Unpublished, RefutationAction::Publish, Some(Published)),
        (Unpublished, RefutationAction::Update, None),
        (Unpublished, RefutationAction::Unpublish, None),
    ];
    for role in Role::ALL {
        let who = staff(role);
        for (status, action, expected) in table {
            let r = refutation_in(status);
            let got = run(&r, action, &who);
            let label = format!("{role:?} {status:?} {action:?}");
            match (role, expected) {
                (Role::Editor | Role::Admin, Some(to)) => {
                    let (after, event) = got.unwrap_or_else(|e| panic!("{label}: {e}"));
                    assert_eq!(after.status, to, "{label}");
                    assert_eq!(after.revision, r.revision + 1, "{label}");
                    assert_eq!((event.revision, event.status, event.at), (after.revision, to, T0 + 100), "{label}");
                    assert_eq!(event.actor, "staff:5", "{label}");
                }
                (Role::Editor | Role::Admin, None) => {
                    assert_eq!(got, Err(RefutationRefusal::WrongState { status, action }), "{label}");
                }
                _ => assert_eq!(got, Err(RefutationRefusal::Forbidden), "{label}"),
            }
        }
    }
}

#[test]
fn allowed_actions_match_the_table() {
    let editor = staff(Role::Editor);
    assert_eq!(
        allowed_actions(&refutation_in(RefutationStatus::Draft), &editor),
        [RefutationAction::Save, RefutationAction::Publish]
    );
    assert_eq!(
        allowed_actions(&refutation_in(RefutationStatus::Published), &editor),
        [RefutationAction::Update, RefutationAction::Unpublish]
    );
    assert!(allowed_actions(&refutation_in(RefutationStatus::Draft), &staff(Role::Handler)).is_empty());
}

#[test]
fn a_stale_revision_is_refused_after_permission_and_state() {
    let r = refutation_in(RefutationStatus::Draft);
    let editor = staff(Role::Editor);
    assert_eq!(publish(&r, &editor, 2, T0), Err(RefutationRefusal::Stale { expected: 2, current: 3 }));
    // Permission first: a handler learns nothing about revisions.
    assert_eq!(publish(&r, &staff(Role::Handler), 2, T0), Err(RefutationRefusal::Forbidden));
}

#[test]
fn publishing_an_incomplete_draft_names_the_missing_field() {
    let mut r = refutation_in(RefutationStatus::Draft);
    r.content.authority.clear();
    let refused = publish(&r, &staff(Role::Editor), 3, T0).expect_err("incomplete");
    assert_eq!(refused.code(), ErrorCode::FieldRequired);
    assert_eq!(refused.field(), Some("authority"));
}

#[test]
fn notes_and_reasons_are_required_and_bounded() {
    let r = refutation_in(RefutationStatus::Published);
    let editor = staff(Role::Editor);
    assert_eq!(update_published(&r, content(), "  ", &editor, 3, T0), Err(RefutationRefusal::MissingNote));
    assert_eq!(unpublish(&r, "", &editor, 3, T0), Err(RefutationRefusal::MissingReason));
    let long = "长".repeat(NOTE_MAX_CHARS + 1);
    assert_eq!(unpublish(&r, &long, &editor, 3, T0), Err(RefutationRefusal::NoteTooLong { field: "reason" }));
    assert_eq!(RefutationRefusal::MissingNote.code(), ErrorCode::UpdateNoteRequired);
}

#[test]
fn publication_times() {
    let editor = staff(Role::Editor);
    // First publication sets published_at and no "updated" line.
    let draft = refutation_in(RefutationStatus::Draft);
    let (published, _) = publish(&draft, &editor, 3, T0 + 100).expect("publishes");
    assert_eq!((published.published_at, published.revised_at), (Some(T0 + 100), None));
    // An update keeps the first publication time and shows the note.
    let (updated, event) = update_published(&published, content(), "补充来源", &editor, 4, T0 + 200).expect("updates");
    assert_eq!((updated.published_at, updated.revised_at), (Some(T0 + 100), Some(T0 + 200)));
    assert_eq!(updated.update_note.as_deref(), Some("补充来源"));
    assert_eq!(event.note.as_deref(), Some("补充来源"));
    // Withdrawn and published again: still first published at T0+100, revised now, reason cleared.
    let (withdrawn, _) = unpublish(&updated, "核实中", &editor, 5, T0 + 300).expect("unpublishes");
    assert_eq!(withdrawn.unpublish_reason.as_deref(), Some("核实中"));
    let (again, _) = publish(&withdrawn, &editor, 6, T0 + 400).expect("republishes");
    assert_eq!((again.published_at, again.revised_at, again.unpublish_reason), (Some(T0 + 100), Some(T0 + 400), None));
}

#[test]
fn a_clock_going_backwards_never_moves_updated_at_back() {
    let r = refutation_in(RefutationStatus::Draft);
    let (after, _) = save_draft(&r, content(), &staff(Role::Admin), 3, T0 - 1_000).expect("saves");
    assert_eq!(after.updated_at, r.updated_at);
}

#[test]
fn rfc3339_dates() {
    let table = [
        (0, "1970-01-01T00:00:00Z"),
        (951_782_400_000, "2000-02-29T00:00:00Z"),
        (1_795_536_000_000, "2026-11-24T16:00:00Z"),
        (1_795_536_000_999 + 59_000, "2026-11-24T16:00:59Z"),
        (-1_000, "1969-12-31T23:59:59Z"),
    ];
    for (ms, want) in table {
        assert_eq!(rfc3339_utc(ms), want, "{ms}");
    }
}
