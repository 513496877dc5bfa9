//! Partner sites and the push outbox (`webhook_deliveries`).
//!
//! A delivery is claimed before it is sent (its next attempt moved a lease into the future, on the
//! condition that nobody moved it first), so the immediate send and the cron's retry never push the
//! same delivery twice at once.

use qinglang_domain::refutation::RefutationId;
use qinglang_domain::refutation::api::{Delivery, DeliveryStatus, Partner};
use qinglang_domain::workflow::StaffId;
use serde::Deserialize;
use worker::D1Database;

use super::{int, opt_text, text};
use crate::error::ApiError;

/// How long a claimed delivery is left alone by other senders: a send never takes this long.
pub const CLAIM_LEASE_MS: i64 = 2 * 60 * 1000;

#[derive(Deserialize)]
struct PartnerRow {
    id: i64,
    name: String,
    url: String,
    active: u8,
    created_by: i64,
    created_at: i64,
}

impl From<PartnerRow> for Partner {
    fn from(r: PartnerRow) -> Partner {
        Partner {
            id: r.id,
            name: r.name,
            url: r.url,
            active: r.active != 0,
            created_by: format!("staff:{}", r.created_by),
            created_at: r.created_at,
        }
    }
}

/// Registers a partner; returns it.
pub async fn create(
    db: &D1Database,
    name: &str,
    url: &str,
    nonce: &str,
    by: StaffId,
    now: i64,
) -> Result<Partner, ApiError> {
    let row: Option<PartnerRow> = db
        .prepare(
            "INSERT INTO partners (name, url, secret_nonce, active, created_by, created_at) VALUES (?1, ?2, ?3, 1, ?4, ?5) \
             RETURNING id, name, url, active, created_by, created_at",
        )
        .bind(&[text(name), text(url), text(nonce), int(by.0), int(now)])?
        .first(None)
        .await?;
    row.map(Partner::from).ok_or_else(|| ApiError::Internal("insert partner returned nothing".to_owned()))
}

/// Every partner, newest first.
pub async fn list(db: &D1Database) -> Result<Vec<Partner>, ApiError> {
    let rows = db
        .prepare("SELECT id, name, url, active, created_by, created_at FROM partners ORDER BY id DESC")
        .all()
        .await?
        .results::<PartnerRow>()?;
    Ok(rows.into_iter().map(Partner::from).collect())
}

/// Whether the partner exists.
pub async fn exists(db: &D1Database, id: i64) -> Result<bool, ApiError> {
    let row: Option<i64> =
        db.prepare("SELECT id FROM partners WHERE id = ?1").bind(&[int(id)])?.first(Some("id")).await?;
    Ok(row.is_some())
}

/// Stops pushes to a partner (its pending deliveries are given up). Returns whether it existed.
pub async fn deactivate(db: &D1Database, id: i64, by: StaffId, now: i64) -> Result<bool, ApiError> {
    let results = db
        .batch(vec![
            db.prepare(
                "UPDATE partners SET active = 0, disabled_by = ?2, disabled_at = ?3 WHERE id = ?1 AND active = 1",
            )
            .bind(&[int(id), int(by.0), int(now)])?,
            db.prepare(
                "UPDATE webhook_deliveries SET status = 'failed', last_error = 'partner removed', next_attempt_at = NULL \
                 WHERE partner_id = ?1 AND status = 'pending'",
            )
            .bind(&[int(id)])?,
        ])
        .await?;
    let changed = results.first().and_then(|r| r.meta().ok().flatten()).and_then(|m| m.changes).unwrap_or(0);
    Ok(changed > 0)
}

#[derive(Deserialize)]
struct DeliveryRow {
    id: i64,
    event: String,
    refutation_id: i64,
    status: String,
    attempts: u32,
    last_status: Option<u16>,
    last_error: Option<String>,
    next_attempt_at: Option<i64>,
    created_at: i64,
    delivered_at: Option<i64>,
}

/// A partner's deliveries, newest first (at most 100).
pub async fn deliveries(db: &D1Database, partner_id: i64) -> Result<Vec<Delivery>, ApiError> {
    let rows = db
        .prepare(
            "SELECT id, event, refutation_id, status, attempts, last_status, last_error, next_attempt_at, created_at, \
             delivered_at FROM webhook_deliveries WHERE partner_id = ?1 ORDER BY id DESC LIMIT 100",
        )
        .bind(&[int(partner_id)])?
        .all()
        .await?
        .results::<DeliveryRow>()?;
    Ok(rows
        .into_iter()
        .map(|r| Delivery {
            id: r.id,
            event: r.event,
            refutation_id: RefutationId(r.refutation_id),
            status: match r.status.as_str() {
                "delivered" => DeliveryStatus::Delivered,
                "failed" => DeliveryStatus::Failed,
                _ => DeliveryStatus::Pending,
            },
            attempts: r.attempts,
            last_status: r.last_status,
            last_error: r.last_error,
            next_attempt_at: r.next_attempt_at,
            created_at: r.created_at,
            delivered_at: r.delivered_at,
        })
        .collect())
}

/// A delivery ready to send.
#[derive(Deserialize)]
pub struct Due {
    /// The delivery.
    pub id: i64,
    /// The event name.
    pub event: String,
    /// The JSON body.
    pub payload: String,
    /// Attempts before this one.
    pub attempts: u32,
    /// When it was due (the claim's condition).
    pub next_attempt_at: i64,
    /// Where to send it.
    pub url: String,
    /// The partner's secret nonce.
    pub secret_nonce: String,
}

/// Pending deliveries due by `now` (of one refutation revision, when given), oldest first.
pub async fn due(
    db: &D1Database,
    now: i64,
    only: Option<(RefutationId, u32)>,
    limit: u32,
) -> Result<Vec<Due>, ApiError> {
    let (id, revision) = only.map_or((-1, 0), |(id, rev)| (id.0, i64::from(rev)));
    Ok(db
        .prepare(
            "SELECT d.id, d.event, d.payload, d.attempts, d.next_attempt_at, p.url, p.secret_nonce \
             FROM webhook_deliveries d JOIN partners p ON p.id = d.partner_id \
             WHERE d.status = 'pending' AND d.next_attempt_at <= ?1 AND p.active = 1 \
             AND (?2 = -1 OR (d.refutation_id = ?2 AND d.revision = ?3)) ORDER BY d.next_attempt_at LIMIT ?4",
        )
        .bind(&[int(now), int(id), int(revision), int(i64::from(limit))])?
        .all()
        .await?
        .results::<Due>()?)
}

/// Takes a delivery for sending; `false` when another sender took it first.
pub async fn claim(db: &D1Database, due: &Due, now: i64) -> Result<bool, ApiError> {
    let result = db
        .prepare(
            "UPDATE webhook_deliveries SET next_attempt_at = ?3 WHERE id = ?1 AND status = 'pending' \
             AND next_attempt_at = ?2",
        )
        .bind(&[int(due.id), int(due.next_attempt_at), int(now + CLAIM_LEASE_MS)])?
        .run()
        .await?;
    Ok(result.meta()?.and_then(|m| m.changes).unwrap_or(0) == 1)
}

/// What one attempt came to.
pub enum Outcome {
    /// 2xx.
    Delivered {
        /// The status.
        status: u16,
    },
    /// Anything else; `retry_at` is `None` when no attempts are left.
    Failed {
        /// The status, if the partner answered.
        status: Option<u16>,
        /// What went wrong.
        error: String,
        /// When to try again.
        retry_at: Option<i64>,
    },
}

/// Records an attempt.
pub async fn record(db: &D1Database, id: i64, outcome: &Outcome, now: i64) -> Result<(), ApiError> {
    let statement = match outcome {
        Outcome::Delivered { status } => db
            .prepare(
                "UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, last_status = ?2, \
                 last_error = NULL, next_attempt_at = NULL, delivered_at = ?3 WHERE id = ?1",
            )
            .bind(&[int(id), int(i64::from(*status)), int(now)])?,
        Outcome::Failed { status, error, retry_at } => db
            .prepare(
                "UPDATE webhook_deliveries SET status = ?2, attempts = attempts + 1, last_status = ?3, last_error = ?4, \
                 next_attempt_at = ?5 WHERE id = ?1",
            )
            .bind(&[
                int(id),
                text(if retry_at.is_some() { DeliveryStatus::Pending.as_str() } else { DeliveryStatus::Failed.as_str() }),
                status.map_or(wasm_bindgen::JsValue::NULL, |s| int(i64::from(s))),
                opt_text(Some(error.as_str())),
                retry_at.map_or(wasm_bindgen::JsValue::NULL, int),
            ])?,
    };
    statement.run().await?;
    Ok(())
}
