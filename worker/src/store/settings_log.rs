//! The settings log (`settings_changes`, migration 0013): every admin change to the taxonomy and
//! the deadline settings, written by the store functions that make the change, in the same batch.
//! Append-only: nothing here updates or deletes a row.

use qinglang_domain::admin::{SettingsChange, SettingsChanges};
use qinglang_domain::taxonomy::edit::ChangeAction;
use qinglang_domain::workflow::StaffId;
use serde::Deserialize;
use worker::{D1Database, D1PreparedStatement};

use super::{int, opt_text, text};
use crate::error::ApiError;

/// The statement that logs one change; the caller puts it in the change's batch.
#[allow(clippy::too_many_arguments)]
pub fn entry(
    db: &D1Database,
    subject: &str,
    code: &str,
    action: ChangeAction,
    before: Option<&str>,
    after: &str,
    by: StaffId,
    now: i64,
) -> Result<D1PreparedStatement, ApiError> {
    Ok(db
        .prepare(
            "INSERT INTO settings_changes (at, staff_id, subject, code, action, before, after) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )
        .bind(&[
            int(now),
            int(by.0),
            text(subject),
            text(code),
            text(action.as_str()),
            opt_text(before),
            text(after),
        ])?)
}

#[derive(Deserialize)]
struct Row {
    id: i64,
    at: i64,
    by: String,
    subject: String,
    code: String,
    action: ChangeAction,
    before: Option<String>,
    after: String,
}

/// A page of the log, newest first: rows older than `before` (an id), of `subject` if given.
pub async fn page(
    db: &D1Database,
    subject: Option<&str>,
    before: Option<i64>,
    limit: u32,
) -> Result<SettingsChanges, ApiError> {
    let rows = db
        .prepare(
            "SELECT c.id, c.at, s.display_name AS by, c.subject, c.code, c.action, c.before, c.after \
             FROM settings_changes c JOIN staff s ON s.id = c.staff_id \
             WHERE (?1 IS NULL OR c.subject = ?1) AND c.id < ?2 ORDER BY c.id DESC LIMIT ?3",
        )
        .bind(&[opt_text(subject), int(before.unwrap_or(i64::MAX >> 11)), int(i64::from(limit) + 1)])?
        .all()
        .await?
        .results::<Row>()?;
    let more = rows.len() > limit as usize;
    let changes: Vec<SettingsChange> = rows
        .into_iter()
        .take(limit as usize)
        .map(|r| SettingsChange {
            id: r.id,
            at: r.at,
            by: r.by,
            subject: r.subject,
            code: r.code,
            action: r.action,
            before: r.before,
            after: r.after,
        })
        .collect();
    let next = if more { changes.last().map(|c| c.id) } else { None };
    Ok(SettingsChanges { changes, next })
}
