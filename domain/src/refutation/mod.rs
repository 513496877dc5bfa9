//! Rumour refutations (辟谣): content, verdicts, the editor's workflow and the public view.
//!
//! Architecture invariant: every change of a refutation goes through one of the transition functions
//! here — [`create_draft`], [`save_draft`], [`publish`], [`update_published`], [`unpublish`] — which
//! return the new refutation and the audit event to append, or a typed [`RefutationRefusal`] and no
//! change. Like the rest of the crate they are pure: the caller passes `now`.
//!
//! States and transitions:
//!
//! | from                 | function           | to          | needs                          |
//! |----------------------|--------------------|-------------|--------------------------------|
//! | (none)               | `create_draft`     | draft       | valid content                  |
//! | draft, unpublished   | `save_draft`       | (same)      | valid content                  |
//! | draft, unpublished   | `publish`          | published   | publishable content            |
//! | published            | `update_published` | published   | publishable content + a note   |
//! | published            | `unpublish`        | unpublished | a reason                       |
//!
//! Only editors and admins may take any of them. Checks run in a fixed order: permission, state,
//! then input.

pub mod api;
mod content;
pub mod match_index;
pub mod partner;
mod verdict;

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::ErrorCode;
use crate::report::FieldError;
use crate::workflow::{Role, Staff, StaffId};

pub use content::{
    AUTHORITY_MAX_CHARS, BLOCK_MAX_CHARS, BODY_MAX_CHARS, Block, CLAIM_MAX_CHARS, MAX_BLOCKS, MAX_CASES, MAX_SOURCES,
    MAX_TAGS, RefutationContent, SOURCE_TITLE_MAX_CHARS, Source, TAG_MAX_CHARS, TITLE_MAX_CHARS, normalise_tag,
};
pub use verdict::{BEST_RATING, Verdict, WORST_RATING};

/// Longest update note or unpublish reason, in characters.
pub const NOTE_MAX_CHARS: usize = 500;

/// A refutation's stable numeric id (its row id in D1; the article lives at `/refutations/{id}`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RefutationId(pub i64);

impl fmt::Display for RefutationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Where a refutation stands. Only published ones are public.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefutationStatus {
    /// Being written; never public.
    Draft,
    /// Public: in the feeds, the API and at its article URL.
    Published,
    /// Withdrawn with a reason; gone from public output, may be edited and published again.
    Unpublished,
}

impl RefutationStatus {
    /// Every status.
    pub const ALL: [RefutationStatus; 3] =
        [RefutationStatus::Draft, RefutationStatus::Published, RefutationStatus::Unpublished];

    /// The snake_case name stored in D1.
    pub fn as_str(self) -> &'static str {
        match self {
            RefutationStatus::Draft => "draft",
            RefutationStatus::Published => "published",
            RefutationStatus::Unpublished => "unpublished",
        }
    }

    /// Reads the stored name back.
    pub fn from_name(name: &str) -> Option<RefutationStatus> {
        RefutationStatus::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

/// A refutation as staff see it. Plain data; times are milliseconds since the Unix epoch.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refutation {
    /// The id.
    pub id: RefutationId,
    /// Where it stands.
    pub status: RefutationStatus,
    /// What it says (validated).
    pub content: RefutationContent,
    /// Counts every change from 1; a save names the revision it was based on, so two editors cannot
    /// silently overwrite each other.
    pub revision: u32,
    /// Who created it.
    pub created_by: StaffId,
    /// When it was created.
    pub created_at: i64,
    /// When anything last changed.
    pub updated_at: i64,
    /// When it was first published (kept through unpublishing and republishing).
    #[serde(default)]
    pub published_at: Option<i64>,
    /// When its published text was last updated (the "updated" line readers see).
    #[serde(default)]
    pub revised_at: Option<i64>,
    /// What the last update changed, for readers.
    #[serde(default)]
    pub update_note: Option<String>,
    /// Why it was unpublished (staff-only).
    #[serde(default)]
    pub unpublish_reason: Option<String>,
}

/// What an audit record is about.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefutationEventKind {
    /// Created as a draft.
    Created,
    /// A draft (or an unpublished refutation) was edited.
    Saved,
    /// Published (first time or again).
    Published,
    /// The published text was updated, with a note.
    Updated,
    /// Withdrawn, with a reason.
    Unpublished,
}

impl RefutationEventKind {
    /// The snake_case name stored in D1.
    pub fn as_str(self) -> &'static str {
        match self {
            RefutationEventKind::Created => "created",
            RefutationEventKind::Saved => "saved",
            RefutationEventKind::Published => "published",
            RefutationEventKind::Updated => "updated",
            RefutationEventKind::Unpublished => "unpublished",
        }
    }

    /// Whether readers and partners see a change: the edge caches are renewed and partners pushed.
    pub fn changes_public_output(self) -> bool {
        matches!(self, RefutationEventKind::Published | RefutationEventKind::Updated | RefutationEventKind::Unpublished)
    }
}

/// One append-only audit record: who did what to a refutation, when and why. The worker stores the
/// content of that revision beside it, so the history shows every published text.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefutationEvent {
    /// What happened.
    pub kind: RefutationEventKind,
    /// `staff:<id>`.
    pub actor: String,
    /// The update note or the unpublish reason.
    #[serde(default)]
    pub note: Option<String>,
    /// The revision after the change.
    pub revision: u32,
    /// The status after the change.
    pub status: RefutationStatus,
    /// When.
    pub at: i64,
}

/// The actions of the editor's workflow, for refusals and the console's buttons.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefutationAction {
    /// [`save_draft`].
    Save,
    /// [`publish`].
    Publish,
    /// [`update_published`].
    Update,
    /// [`unpublish`].
    Unpublish,
}

impl RefutationAction {
    /// Every action, in button order.
    pub const ALL: [RefutationAction; 4] =
        [RefutationAction::Save, RefutationAction::Publish, RefutationAction::Update, RefutationAction::Unpublish];

    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            RefutationAction::Save => "save",
            RefutationAction::Publish => "publish",
            RefutationAction::Update => "update",
            RefutationAction::Unpublish => "unpublish",
        }
    }

    /// Whether a refutation in `status` allows the action.
    pub fn allowed_in(self, status: RefutationStatus) -> bool {
        use RefutationStatus::*;
        match self {
            RefutationAction::Save | RefutationAction::Publish => matches!(status, Draft | Unpublished),
            RefutationAction::Update | RefutationAction::Unpublish => status == Published,
        }
    }
}

/// Every reason a transition can refuse. A refusal changes nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RefutationRefusal {
    /// Only editors and admins write refutations.
    #[error("this role may not write refutations")]
    Forbidden,
    /// The refutation's status does not allow this action.
    #[error("cannot {} a refutation that is {}", .action.as_str(), .status.as_str())]
    WrongState {
        /// The refutation's status.
        status: RefutationStatus,
        /// What was attempted.
        action: RefutationAction,
    },
    /// The change was based on an older revision: someone else saved in between.
    #[error("the refutation changed since revision {expected} (now {current})")]
    Stale {
        /// The revision the editor had.
        expected: u32,
        /// The revision stored now.
        current: u32,
    },
    /// Publishing (or updating a published refutation) with a required field missing.
    #[error("not ready to publish: {0}")]
    Incomplete(FieldError),
    /// Updating a published refutation without saying what changed.
    #[error("an update note is required")]
    MissingNote,
    /// Unpublishing without a reason.
    #[error("a reason is required")]
    MissingReason,
    /// The note or reason is longer than [`NOTE_MAX_CHARS`].
    #[error("the text is longer than {NOTE_MAX_CHARS} characters")]
    NoteTooLong {
        /// `note` or `reason`.
        field: &'static str,
    },
}

impl RefutationRefusal {
    /// The API error code.
    pub fn code(&self) -> ErrorCode {
        match self {
            RefutationRefusal::Forbidden => ErrorCode::Forbidden,
            RefutationRefusal::WrongState { .. } => ErrorCode::RefutationWrongState,
            RefutationRefusal::Stale { .. } => ErrorCode::RefutationChanged,
            RefutationRefusal::Incomplete(e) => e.code,
            RefutationRefusal::MissingNote => ErrorCode::UpdateNoteRequired,
            RefutationRefusal::MissingReason => ErrorCode::ReasonRequired,
            RefutationRefusal::NoteTooLong { .. } => ErrorCode::FieldTooLong,
        }
    }

    /// The request field at fault, when one is.
    pub fn field(&self) -> Option<&str> {
        match self {
            RefutationRefusal::Incomplete(e) => Some(e.field.as_str()),
            RefutationRefusal::MissingNote => Some("note"),
            RefutationRefusal::MissingReason => Some("reason"),
            RefutationRefusal::NoteTooLong { field } => Some(field),
            RefutationRefusal::Stale { .. } => Some("revision"),
            RefutationRefusal::Forbidden | RefutationRefusal::WrongState { .. } => None,
        }
    }
}

/// Whether `staff` may write refutations at all.
pub fn may_edit(staff: &Staff) -> Result<(), RefutationRefusal> {
    match staff.role {
        Role::Editor | Role::Admin => Ok(()),
        Role::Handler | Role::Supervisor | Role::Liaison => Err(RefutationRefusal::Forbidden),
    }
}

/// The actions `staff` could take on `refutation` now, in button order (input is still checked).
pub fn allowed_actions(refutation: &Refutation, staff: &Staff) -> Vec<RefutationAction> {
    if may_edit(staff).is_err() {
        return Vec::new();
    }
    RefutationAction::ALL.into_iter().filter(|a| a.allowed_in(refutation.status)).collect()
}

/// A new draft before the store gives it an id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDraft {
    /// Its content.
    pub content: RefutationContent,
    /// Who created it.
    pub created_by: StaffId,
    /// When.
    pub created_at: i64,
}

fn event(kind: RefutationEventKind, staff: &Staff, note: Option<String>, after: &Refutation) -> RefutationEvent {
    RefutationEvent {
        kind,
        actor: format!("staff:{}", staff.id),
        note,
        revision: after.revision,
        status: after.status,
        at: after.updated_at,
    }
}

/// Permission, then state, then the editor's revision.
fn check(
    refutation: &Refutation,
    action: RefutationAction,
    staff: &Staff,
    expected_revision: u32,
) -> Result<(), RefutationRefusal> {
    may_edit(staff)?;
    if !action.allowed_in(refutation.status) {
        return Err(RefutationRefusal::WrongState { status: refutation.status, action });
    }
    if expected_revision != refutation.revision {
        return Err(RefutationRefusal::Stale { expected: expected_revision, current: refutation.revision });
    }
    Ok(())
}

fn required_note(text: &str, field: &'static str, missing: RefutationRefusal) -> Result<String, RefutationRefusal> {
    let text = crate::text::written(text);
    if text.is_empty() {
        return Err(missing);
    }
    if text.chars().count() > NOTE_MAX_CHARS {
        return Err(RefutationRefusal::NoteTooLong { field });
    }
    Ok(text)
}

fn next(refutation: &Refutation, now: i64) -> Refutation {
    let mut next = refutation.clone();
    next.revision = refutation.revision.saturating_add(1);
    // Times never go backwards, even if the caller's clock does.
    next.updated_at = now.max(refutation.updated_at);
    next
}

/// Starts a draft with `content` (already validated).
pub fn create_draft(
    content: RefutationContent,
    staff: &Staff,
    now: i64,
) -> Result<(NewDraft, RefutationEvent), RefutationRefusal> {
    may_edit(staff)?;
    let event = RefutationEvent {
        kind: RefutationEventKind::Created,
        actor: format!("staff:{}", staff.id),
        note: None,
        revision: 1,
        status: RefutationStatus::Draft,
        at: now,
    };
    Ok((NewDraft { content, created_by: staff.id, created_at: now }, event))
}

/// Replaces the content of a draft or an unpublished refutation.
pub fn save_draft(
    refutation: &Refutation,
    content: RefutationContent,
    staff: &Staff,
    expected_revision: u32,
    now: i64,
) -> Result<(Refutation, RefutationEvent), RefutationRefusal> {
    check(refutation, RefutationAction::Save, staff, expected_revision)?;
    let mut after = next(refutation, now);
    after.content = content;
    let event = event(RefutationEventKind::Saved, staff, None, &after);
    Ok((after, event))
}

/// Publishes the stored content as it is (what the preview showed for `expected_revision`).
pub fn publish(
    refutation: &Refutation,
    staff: &Staff,
    expected_revision: u32,
    now: i64,
) -> Result<(Refutation, RefutationEvent), RefutationRefusal> {
    check(refutation, RefutationAction::Publish, staff, expected_revision)?;
    refutation.content.check_publishable().map_err(RefutationRefusal::Incomplete)?;
    let mut after = next(refutation, now);
    after.status = RefutationStatus::Published;
    after.published_at = Some(refutation.published_at.unwrap_or(after.updated_at));
    after.unpublish_reason = None;
    // Republishing after a withdrawal counts as an update for readers when it was public before.
    if refutation.published_at.is_some() {
        after.revised_at = Some(after.updated_at);
    }
    let event = event(RefutationEventKind::Published, staff, None, &after);
    Ok((after, event))
}

/// Changes a published refutation in place; readers see `note` and the time as "updated".
pub fn update_published(
    refutation: &Refutation,
    content: RefutationContent,
    note: &str,
    staff: &Staff,
    expected_revision: u32,
    now: i64,
) -> Result<(Refutation, RefutationEvent), RefutationRefusal> {
    check(refutation, RefutationAction::Update, staff, expected_revision)?;
    let note = required_note(note, "note", RefutationRefusal::MissingNote)?;
    content.check_publishable().map_err(RefutationRefusal::Incomplete)?;
    let mut after = next(refutation, now);
    after.content = content;
    after.revised_at = Some(after.updated_at);
    after.update_note = Some(note.clone());
    let event = event(RefutationEventKind::Updated, staff, Some(note), &after);
    Ok((after, event))
}

/// Withdraws a published refutation.
pub fn unpublish(
    refutation: &Refutation,
    reason: &str,
    staff: &Staff,
    expected_revision: u32,
    now: i64,
) -> Result<(Refutation, RefutationEvent), RefutationRefusal> {
    check(refutation, RefutationAction::Unpublish, staff, expected_revision)?;
    let reason = required_note(reason, "reason", RefutationRefusal::MissingReason)?;
    let mut after = next(refutation, now);
    after.status = RefutationStatus::Unpublished;
    after.unpublish_reason = Some(reason.clone());
    let event = event(RefutationEventKind::Unpublished, staff, Some(reason), &after);
    Ok((after, event))
}

/// Milliseconds since the Unix epoch as an RFC 3339 UTC time (`2026-11-26T01:23:35Z`), for feeds and
/// JSON-LD. Days from the epoch to a civil date by Howard Hinnant's `civil_from_days`.
pub fn rfc3339_utc(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", sod / 3600, sod % 3600 / 60, sod % 60)
}

#[cfg(test)]
mod tests;
