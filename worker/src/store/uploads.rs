//! Evidence uploads: their rows in D1 (the bytes are in R2, see `routes::uploads`), attaching
//! them to a report in the report's own batch, and listing them for staff.

use qinglang_domain::evidence::{EvidenceItem, ImageFormat, ImageInfo, UploadCreated};
use serde::Deserialize;
use worker::{D1Database, D1PreparedStatement};

use super::{int, text};
use crate::error::ApiError;

/// One stored upload.
#[derive(Debug, Clone, Deserialize)]
pub struct UploadRow {
    /// Its id.
    pub id: String,
    /// `image/jpeg` …
    pub media_type: String,
    /// Size in bytes.
    pub bytes: i64,
    /// Pixels.
    pub width: i64,
    /// Pixels.
    pub height: i64,
    /// SHA-256 of the bytes, hex.
    pub sha256: String,
    /// The draft's key.
    pub idempotency_key: String,
}

impl UploadRow {
    /// The answer to the upload request.
    pub fn created(&self) -> UploadCreated {
        let format = match self.media_type.as_str() {
            "image/png" => ImageFormat::Png,
            "image/webp" => ImageFormat::Webp,
            _ => ImageFormat::Jpeg,
        };
        UploadCreated {
            id: self.id.clone(),
            format,
            width: self.width as u32,
            height: self.height as u32,
            bytes: self.bytes as u64,
        }
    }
}

const COLUMNS: &str = "id, media_type, bytes, width, height, sha256, idempotency_key";

/// The upload in a draft's slot, if any.
pub async fn in_slot(db: &D1Database, key: &str, slot: u32) -> Result<Option<UploadRow>, ApiError> {
    Ok(db
        .prepare(format!("SELECT {COLUMNS} FROM uploads WHERE idempotency_key = ?1 AND slot = ?2"))
        .bind(&[text(key), int(i64::from(slot))])?
        .first(None)
        .await?)
}

/// A draft's uploads named `ids`, every column, as they wait in the control database for a report
/// filed to another shard (whose batch copies them there).
pub async fn staged(
    control: &D1Database,
    key: &str,
    ids: &[String],
) -> Result<Vec<serde_json::Map<String, serde_json::Value>>, ApiError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let marks = (2..=ids.len() + 1).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ");
    let mut params = vec![text(key)];
    params.extend(ids.iter().map(|id| text(id)));
    Ok(control
        .prepare(format!("SELECT * FROM uploads WHERE idempotency_key = ?1 AND report_id IS NULL AND id IN ({marks})"))
        .bind(&params)?
        .all()
        .await?
        .results()?)
}

/// Drops a draft's waiting rows once its report (in another shard) holds copies of them. Best
/// effort: rows left behind are dropped by [`sweep_unattached`] without touching their bytes,
/// since the directory knows the draft's report.
pub async fn forget_staged(control: &D1Database, key: &str) {
    let deleted = match control
        .prepare("DELETE FROM uploads WHERE idempotency_key = ?1 AND report_id IS NULL")
        .bind(&[text(key)])
    {
        Ok(statement) => statement.run().await.map(|_| ()),
        Err(e) => Err(e),
    };
    if let Err(e) = deleted {
        worker::console_error!("forget staged uploads: {e:?}");
    }
}

/// What [`insert`] did.
pub enum Inserted {
    /// The row was added.
    Created,
    /// A concurrent request filled the slot first; nothing was added.
    SlotTaken,
}

/// Adds an upload's row; the slot's UNIQUE index decides between concurrent retries.
#[allow(clippy::too_many_arguments)] // one row's values
pub async fn insert(
    db: &D1Database,
    id: &str,
    key: &str,
    slot: u32,
    r2_key: &str,
    info: &ImageInfo,
    n_bytes: usize,
    sha256: &str,
    now: i64,
) -> Result<Inserted, ApiError> {
    let result = db
        .prepare(
            "INSERT INTO uploads (id, idempotency_key, slot, r2_key, media_type, bytes, width, height, sha256, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )
        .bind(&[
            text(id),
            text(key),
            int(i64::from(slot)),
            text(r2_key),
            text(info.format.media_type()),
            int(n_bytes as i64),
            int(i64::from(info.width)),
            int(i64::from(info.height)),
            text(sha256),
            int(now),
        ])?
        .run()
        .await;
    match result {
        Ok(_) => Ok(Inserted::Created),
        Err(e) if e.to_string().contains("UNIQUE") => Ok(Inserted::SlotTaken),
        Err(e) => Err(ApiError::Internal(format!("insert upload: {e}"))),
    }
}

/// The uploads with these ids, in any order.
pub async fn by_ids(db: &D1Database, ids: &[String]) -> Result<Vec<UploadRow>, ApiError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let marks = (1..=ids.len()).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ");
    let params: Vec<_> = ids.iter().map(|id| text(id)).collect();
    Ok(db
        .prepare(format!("SELECT {COLUMNS} FROM uploads WHERE id IN ({marks})"))
        .bind(&params)?
        .all()
        .await?
        .results::<UploadRow>()?)
}

/// The statements that attach `ids` (in order) to the report with `receipt_code`; they join the
/// report's insert batch, so the report and its pictures are stored together or not at all.
/// Each update is guarded by the draft key and an empty `report_id`.
pub fn attach_statements(
    db: &D1Database,
    receipt_code: &str,
    key: &str,
    ids: &[String],
) -> Result<Vec<D1PreparedStatement>, ApiError> {
    ids.iter()
        .enumerate()
        .map(|(position, id)| {
            Ok(db
                .prepare(
                    "UPDATE uploads SET report_id = (SELECT id FROM reports WHERE receipt_code = ?1), position = ?2 \
                     WHERE id = ?3 AND idempotency_key = ?4 AND report_id IS NULL",
                )
                .bind(&[text(receipt_code), int(position as i64), text(id), text(key)])?)
        })
        .collect()
}

#[derive(Deserialize)]
struct ItemRow {
    position: i64,
    media_type: String,
    width: i64,
    height: i64,
    bytes: i64,
}

/// A case's pictures, in order.
pub async fn of_report(db: &D1Database, report_id: i64) -> Result<Vec<EvidenceItem>, ApiError> {
    let rows = db
        .prepare(
            "SELECT position, media_type, width, height, bytes FROM uploads WHERE report_id = ?1 ORDER BY position",
        )
        .bind(&[int(report_id)])?
        .all()
        .await?
        .results::<ItemRow>()?;
    Ok(rows
        .into_iter()
        .map(|r| EvidenceItem {
            index: r.position as u32,
            media_type: r.media_type,
            width: r.width as u32,
            height: r.height as u32,
            bytes: r.bytes as u64,
        })
        .collect())
}

#[derive(Deserialize)]
struct ObjectRow {
    r2_key: String,
    media_type: String,
}

/// The R2 key and media type of a case's picture at `index`, logging the reading as a staff-only
/// event in the same batch.
pub async fn open_for_staff(
    db: &D1Database,
    report_id: i64,
    index: u32,
    actor: &str,
    now: i64,
) -> Result<Option<(String, String)>, ApiError> {
    let results = db
        .batch(vec![
            db.prepare(
                "INSERT INTO events (report_id, kind, actor, is_public, body, created_at) \
                 SELECT report_id, 'evidence_viewed', ?3, 0, CAST(position AS TEXT), ?4 FROM uploads \
                 WHERE report_id = ?1 AND position = ?2",
            )
            .bind(&[int(report_id), int(i64::from(index)), text(actor), int(now)])?,
            db.prepare("SELECT r2_key, media_type FROM uploads WHERE report_id = ?1 AND position = ?2")
                .bind(&[int(report_id), int(i64::from(index))])?,
        ])
        .await?;
    let row = results.get(1).map(|r| r.results::<ObjectRow>()).transpose()?.and_then(|rows| rows.into_iter().next());
    Ok(row.map(|r| (r.r2_key, r.media_type)))
}

/// How long a picture may wait for its report before the cron deletes it: a day, like a draft.
pub const UNATTACHED_TTL_MS: i64 = 24 * 60 * 60 * 1000;
/// At most this many are deleted per cron run (every 5 minutes), so a run stays short.
const SWEEP_BATCH: u32 = 100;

#[derive(Deserialize)]
struct SweepRow {
    r2_key: String,
}

/// Deletes the rows of uploads never attached to a report and older than `cutoff` (ms), at most
/// [`SWEEP_BATCH`], and returns their R2 keys for the caller to delete the bytes. The rows go first:
/// a picture is never listed without its bytes, and bytes left by a failed R2 delete are unreachable
/// (only a row leads to them). A draft whose report exists (the directory, `case_index`, knows its
/// key) keeps its bytes: its report in another shard holds copies of these rows, which only lose
/// their waiting copy here.
pub async fn sweep_unattached(db: &D1Database, cutoff: i64) -> Result<Vec<String>, ApiError> {
    let filed = "EXISTS (SELECT 1 FROM case_index c WHERE c.idempotency_key = u.idempotency_key)";
    let results = db
        .batch(vec![
            db.prepare(format!(
                "DELETE FROM uploads WHERE id IN (SELECT u.id FROM uploads u WHERE u.report_id IS NULL \
                 AND u.created_at < ?1 AND {filed} LIMIT ?2)"
            ))
            .bind(&[int(cutoff), int(i64::from(SWEEP_BATCH))])?,
            db.prepare(format!(
                "DELETE FROM uploads WHERE id IN (SELECT u.id FROM uploads u WHERE u.report_id IS NULL \
                 AND u.created_at < ?1 AND NOT {filed} LIMIT ?2) RETURNING r2_key"
            ))
            .bind(&[int(cutoff), int(i64::from(SWEEP_BATCH))])?,
        ])
        .await?;
    Ok(results
        .get(1)
        .map(|r| r.results::<SweepRow>())
        .transpose()?
        .unwrap_or_default()
        .into_iter()
        .map(|r| r.r2_key)
        .collect())
}
