//! The daily digest's rows: the run claim per day, the cases it reads, who it notifies, and the
//! console notifications.

use qinglang_domain::api::Notification;
use qinglang_domain::digest::{NewNotification, Recipient};
use qinglang_domain::workflow::{Role, StaffId};
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::D1Database;

use super::cases::CaseRecord;
use super::{int, text};
use crate::error::ApiError;

/// Claims `day` for this run. `false` when a run already claimed it (the cron fired twice, or a
/// retry): then the caller does nothing, so each day's digest is posted once.
pub async fn claim_day(db: &D1Database, day: &str, now: i64) -> Result<bool, ApiError> {
    let result = db
        .prepare("INSERT INTO digest_runs (day, started_at) VALUES (?1, ?2) ON CONFLICT (day) DO NOTHING")
        .bind(&[text(day), int(now)])?
        .run()
        .await?;
    Ok(result.meta()?.and_then(|m| m.changes).unwrap_or(0) == 1)
}

/// What a run did, for the record.
pub struct RunCounts {
    /// Cases due today.
    pub due_today: usize,
    /// Cases overdue.
    pub overdue: usize,
    /// Cases escalated.
    pub escalated: usize,
    /// Webhooks that answered 2xx.
    pub posted: usize,
    /// Webhooks that failed.
    pub failed: usize,
}

/// Records that the run of `day` finished.
pub async fn finish_day(db: &D1Database, day: &str, now: i64, n: &RunCounts) -> Result<(), ApiError> {
    db.prepare(
        "UPDATE digest_runs SET finished_at = ?2, n_due_today = ?3, n_overdue = ?4, n_escalated = ?5, n_posted = ?6, \
         n_failed = ?7 WHERE day = ?1",
    )
    .bind(&[
        text(day),
        int(now),
        int(n.due_today as i64),
        int(n.overdue as i64),
        int(n.escalated as i64),
        int(n.posted as i64),
        int(n.failed as i64),
    ])?
    .run()
    .await?;
    Ok(())
}

/// Running cases due before `before` (the end of today): the due-today and overdue ones, by the
/// `reports_queue_all_due` index.
pub async fn due_before(shards: &super::shards::Shards, before: i64) -> Result<Vec<CaseRecord>, ApiError> {
    super::cases::due_before(shards, before).await
}

/// Running cases handed between offices and not yet taken up (a referral not accepted, an escalation
/// not answered, a proposed result not reviewed), by the partial indexes of migration 0016.
pub async fn in_transit(shards: &super::shards::Shards) -> Result<Vec<CaseRecord>, ApiError> {
    super::cases::in_transit(shards).await
}

#[derive(Deserialize)]
struct RecipientRow {
    id: i64,
    display_name: String,
    role: String,
    department: Option<String>,
    office: String,
}

/// Every active account, as recipients with their display names.
pub async fn recipients(db: &D1Database) -> Result<Vec<(Recipient, String)>, ApiError> {
    let rows = db
        .prepare("SELECT id, display_name, role, department, office FROM staff WHERE active = 1 ORDER BY id")
        .all()
        .await?
        .results::<RecipientRow>()?;
    rows.into_iter()
        .map(|r| {
            let role =
                Role::from_name(&r.role).ok_or_else(|| ApiError::Internal(format!("unknown role {:?}", r.role)))?;
            Ok((Recipient { id: StaffId(r.id), role, department: r.department, office: r.office }, r.display_name))
        })
        .collect()
}

/// Writes notifications in one batch.
pub async fn notify(db: &D1Database, notes: &[NewNotification], now: i64) -> Result<(), ApiError> {
    if notes.is_empty() {
        return Ok(());
    }
    let statements = notes
        .iter()
        .map(|n| {
            db.prepare(
                "INSERT INTO notifications (staff_id, kind, title, body, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            )
            .bind(&[int(n.staff_id.0), text(&n.kind), text(&n.title), text(&n.body), int(now)])
        })
        .collect::<Result<Vec<_>, _>>()?;
    db.batch(statements).await?;
    Ok(())
}

#[derive(Deserialize)]
struct CountRow {
    n: u32,
}

/// A staff member's latest 50 notifications and their unread count, in one round trip.
pub async fn notifications(db: &D1Database, staff: StaffId) -> Result<(Vec<Notification>, u32), ApiError> {
    let results = db
        .batch(vec![
            db.prepare(
                "SELECT id, kind, title, body, created_at, read_at FROM notifications WHERE staff_id = ?1 \
                 ORDER BY id DESC LIMIT 50",
            )
            .bind(&[int(staff.0)])?,
            db.prepare("SELECT COUNT(*) AS n FROM notifications WHERE staff_id = ?1 AND read_at IS NULL")
                .bind(&[int(staff.0)])?,
        ])
        .await?;
    let [items, unread] = results.as_slice() else {
        return Err(ApiError::Internal("notifications batch returned the wrong number of results".to_owned()));
    };
    let unread = unread.results::<CountRow>()?.first().map_or(0, |r| r.n);
    Ok((items.results::<Notification>()?, unread))
}

/// Marks `ids` (or, with `None`, all) of a staff member's notifications read; others' are untouched.
pub async fn mark_read(db: &D1Database, staff: StaffId, ids: Option<&[i64]>, now: i64) -> Result<(), ApiError> {
    let statement = match ids {
        None => db
            .prepare("UPDATE notifications SET read_at = ?2 WHERE staff_id = ?1 AND read_at IS NULL")
            .bind(&[int(staff.0), int(now)])?,
        Some(ids) => {
            // json_each binds the list as one parameter, so any length is one statement.
            let list =
                JsValue::from_str(&format!("[{}]", ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")));
            db.prepare(
                "UPDATE notifications SET read_at = ?2 WHERE staff_id = ?1 AND read_at IS NULL \
                 AND id IN (SELECT value FROM json_each(?3))",
            )
            .bind(&[int(staff.0), int(now), list])?
        }
    };
    statement.run().await?;
    Ok(())
}
