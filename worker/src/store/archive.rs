//! Closed cases age out to R2 (issue 20; the rules in `qinglang_domain::archive`).
//!
//! **Archive** (the cron, [`run`]): for the closed cases of each shard untouched for the period
//! (partial index `reports_to_archive`), (1) stamp their directory rows (`case_index.archived_at`),
//! (2) write each case's full record — every row of it, as [`super::shards`] moves it — to the
//! `ARCHIVE` bucket under `archive/{id}.json`, (3) in one shard batch, blank the long columns and
//! delete the case's other rows, guarded by the stamp and by the case being unchanged since it was
//! read. A crash anywhere leaves the case whole or archived, never half: the R2 object is rewritten
//! by the next attempt; a stamp whose shard write never happened is cleared.
//!
//! **Thaw** ([`thaw`], called by `Shards::locate` and the reporter's look-up when the directory row
//! is stamped): read the record back, and in one batch put the rows and columns back, guarded by the
//! stamp, so two readers thawing at once restore it once. Then clear the directory stamp.
//!
//! While a case is archived its small row is what lists, figures and the counters' rebuild read;
//! any write to it fails its guard (`archived_at IS NULL`, `store::cases`), so an action always acts
//! on the thawed case.

use qinglang_domain::ReportStatus;
use qinglang_domain::archive::{self, ARCHIVED_STATUSES, BLANKED, Blank};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement, HttpMetadata};

use super::shards::{CHILDREN, CaseRows, Shard, Shards, insert_row_where, js, read_rows};
use super::{in_list, int, text};
use crate::error::ApiError;

/// Cases one cron run archives at most, over all shards (each takes four requests: the Workers
/// limit is a thousand an invocation).
pub const BUDGET: usize = 100;

/// A case's archive record in R2.
#[derive(Serialize, Deserialize)]
pub struct Record {
    /// `qinglang_domain::archive::FORMAT`.
    pub format: u32,
    /// The case.
    pub id: i64,
    /// The shard that held it.
    pub shard: String,
    /// The archive's stamp (ms).
    pub archived_at: i64,
    /// Its `reports` row, whole.
    pub report: Map<String, Value>,
    /// Its other rows: table → rows, in the order they were numbered.
    pub rows: Map<String, Value>,
}

/// What a cron run archived.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Archived {
    /// Cases archived.
    pub cases: usize,
    /// Bytes written to R2.
    pub bytes: usize,
}

#[derive(Deserialize)]
struct Due {
    id: i64,
    updated_at: i64,
}

/// Archives up to `budget` cases due at `now` for a period of `after_days`.
pub async fn run(shards: &Shards, after_days: u32, now: i64, budget: usize) -> Result<Archived, ApiError> {
    let mut done = Archived::default();
    let mut left = budget;
    let closed = ReportStatus::sql_list(&ARCHIVED_STATUSES);
    for shard in shards.all()? {
        if left == 0 {
            break;
        }
        let due = shard
            .db
            .prepare(format!(
                "SELECT id, updated_at FROM reports INDEXED BY reports_to_archive \
                 WHERE archived_at IS NULL AND moving_to IS NULL AND status IN ({closed}) AND updated_at < ?1 \
                 AND (thawed_at IS NULL OR thawed_at < ?2) ORDER BY updated_at LIMIT ?3"
            ))
            .bind(&[int(archive::cutoff(now, after_days)), int(archive::thawed_before(now)), int(left as i64)])?
            .all()
            .await?
            .results::<Due>()?;
        if due.is_empty() {
            continue;
        }
        left = left.saturating_sub(due.len());
        let control = shards.control()?;
        for page in due.chunks(90) {
            let ids: Vec<i64> = page.iter().map(|d| d.id).collect();
            let (marks, mut binds) = in_list(&ids);
            binds.push(int(now));
            let stamp = format!("?{}", ids.len() + 1);
            control
                .prepare(format!("UPDATE case_index SET archived_at = {stamp} WHERE id IN ({marks})"))
                .bind(&binds)?
                .run()
                .await?;
        }
        for case in due {
            match archive_one(shards, &shard, &case, now).await? {
                Some(bytes) => {
                    done.cases += 1;
                    done.bytes += bytes;
                }
                None => clear_stamp(shards, case.id, now).await?,
            }
        }
    }
    Ok(done)
}

/// Archives one case stamped `stamp`; `None` if it changed since it was picked (left whole).
async fn archive_one(shards: &Shards, shard: &Shard, case: &Due, stamp: i64) -> Result<Option<usize>, ApiError> {
    let condition = "archived_at IS NULL AND moving_to IS NULL AND updated_at = ?2";
    let Some(rows) = read_rows(&shard.db, case.id, condition, vec![int(case.updated_at)]).await? else {
        return Ok(None);
    };
    let kept = kept_description(&rows);
    let record = record(case.id, &shard.name, stamp, rows);
    let body = serde_json::to_vec(&record)?;
    let bytes = body.len();
    let metadata = HttpMetadata { content_type: Some("application/json".to_owned()), ..HttpMetadata::default() };
    shards.archive_bucket()?.put(archive::key(case.id), body).http_metadata(metadata).execute().await?;
    let results = shard.db.batch(archive_statements(&shard.db, case, stamp, &kept)?).await?;
    let changed = results.first().and_then(|r| r.meta().ok().flatten()).and_then(|m| m.changes).unwrap_or(0);
    Ok((changed > 0).then_some(bytes))
}

/// The small row's description: the queue's excerpt with the personal data masked as the queue
/// masks it (the screening that names the spans goes to the archive with the rest).
fn kept_description(rows: &CaseRows) -> String {
    let full = rows.report.get("description").and_then(Value::as_str).unwrap_or_default();
    let findings = rows
        .children
        .iter()
        .find(|(table, _)| *table == "report_screenings")
        .and_then(|(_, list)| list.first())
        .and_then(|row| row.get("findings"))
        .and_then(Value::as_str)
        .and_then(|json| serde_json::from_str::<Value>(json).ok());
    let pii: Vec<super::cases::PiiSpan> =
        findings.and_then(|f| f.get("pii").cloned()).and_then(|v| serde_json::from_value(v).ok()).unwrap_or_default();
    archive::excerpt(&super::cases::masked(full, &pii))
}

fn record(id: i64, shard: &str, stamp: i64, rows: CaseRows) -> Record {
    let mut tables = Map::new();
    for (table, list) in rows.children {
        tables.insert(table.to_owned(), Value::Array(list.into_iter().map(Value::Object).collect()));
    }
    Record {
        format: archive::FORMAT,
        id,
        shard: shard.to_owned(),
        archived_at: stamp,
        report: rows.report,
        rows: tables,
    }
}

/// The shard batch: blank the row to its `kept` description (only if unchanged), then drop the other rows (only if the row
/// now carries this stamp). Of the events, the latest status event and the latest rating stay.
fn archive_statements(
    db: &D1Database,
    case: &Due,
    stamp: i64,
    kept: &str,
) -> Result<Vec<D1PreparedStatement>, ApiError> {
    let closed = ReportStatus::sql_list(&ARCHIVED_STATUSES);
    let mut sets = vec!["archived_at = ?3".to_owned(), "thawed_at = NULL".to_owned()];
    let mut binds = vec![int(case.id), int(case.updated_at), int(stamp)];
    for (column, blank) in BLANKED {
        match blank {
            Blank::Excerpt => {
                binds.push(text(kept));
                sets.push(format!("{column} = ?{}", binds.len()));
            }
            Blank::EmptyList => sets.push(format!("{column} = '[]'")),
            Blank::Null => sets.push(format!("{column} = NULL")),
        }
    }
    let mut statements = vec![
        db.prepare(format!(
            "UPDATE reports SET {} WHERE id = ?1 AND updated_at = ?2 AND archived_at IS NULL AND moving_to IS NULL \
             AND status IN ({closed})",
            sets.join(", ")
        ))
        .bind(&binds)?,
    ];
    let params = [int(case.id), int(stamp)];
    let guard = "EXISTS (SELECT 1 FROM reports WHERE id = ?1 AND archived_at = ?2)";
    let kinds: Vec<String> = archive::status_kinds().iter().map(|k| format!("'{k}'")).collect();
    for (table, _) in CHILDREN {
        let keep = if table == "events" {
            format!(
                " AND id NOT IN (SELECT m FROM (SELECT MAX(id) AS m FROM events WHERE report_id = ?1 AND kind IN ({}) \
                 UNION ALL SELECT MAX(id) FROM events WHERE report_id = ?1 AND kind = 'rated') WHERE m IS NOT NULL)",
                kinds.join(", ")
            )
        } else {
            String::new()
        };
        statements
            .push(db.prepare(format!("DELETE FROM {table} WHERE report_id = ?1{keep} AND {guard}")).bind(&params)?);
    }
    Ok(statements)
}

/// Clears case `id`'s directory stamp `stamp` (its archive did not happen).
async fn clear_stamp(shards: &Shards, id: i64, stamp: i64) -> Result<(), ApiError> {
    shards
        .control()?
        .prepare("UPDATE case_index SET archived_at = NULL WHERE id = ?1 AND archived_at = ?2")
        .bind(&[int(id), int(stamp)])?
        .run()
        .await?;
    Ok(())
}

/// Makes case `id`, whose directory row carries `stamp`, whole again in `shard` (see the module
/// comment). A stamp whose shard row is not archived is left, or cleared once stale.
pub async fn thaw(shards: &Shards, shard: &Shard, id: i64, stamp: i64, now: i64) -> Result<(), ApiError> {
    let at: Option<Option<i64>> = shard
        .db
        .prepare("SELECT archived_at FROM reports WHERE id = ?1")
        .bind(&[int(id)])?
        .first(Some("archived_at"))
        .await?;
    match at.flatten() {
        Some(at) if at == stamp => {}
        // Archived again since (the directory will say so), or never (the shard write failed).
        Some(_) => return Ok(()),
        None => {
            if archive::stamp_is_stale(stamp, now) {
                clear_stamp(shards, id, stamp).await?;
            }
            return Ok(());
        }
    }
    let object = shards
        .archive_bucket()?
        .get(archive::key(id))
        .execute()
        .await?
        .ok_or_else(|| ApiError::Internal(format!("archive record of case {id} missing from R2")))?;
    let body = object.body().ok_or_else(|| ApiError::Internal(format!("archive record of case {id} has no body")))?;
    let record: Record = serde_json::from_slice(&body.bytes().await?)?;
    if record.id != id || record.archived_at != stamp {
        return Err(ApiError::Internal(format!("archive record of case {id} is not the one stamped {stamp}")));
    }
    shard.db.batch(thaw_statements(&shard.db, &record, now)?).await?;
    clear_stamp(shards, id, stamp).await
}

/// The thaw's batch, each statement guarded by the stamp: drop the rows the small row kept, put
/// every row back (events and requests numbered anew, in order), restore the columns and unstamp.
fn thaw_statements(db: &D1Database, record: &Record, now: i64) -> Result<Vec<D1PreparedStatement>, ApiError> {
    let guard = "EXISTS (SELECT 1 FROM reports WHERE id = $1 AND archived_at = $2)";
    let guard_params = [int(record.id), int(record.archived_at)];
    let mut statements = vec![
        db.prepare(
            "DELETE FROM events WHERE report_id = ?1 AND EXISTS (SELECT 1 FROM reports WHERE id = ?1 AND archived_at = ?2)",
        )
        .bind(&guard_params)?,
    ];
    for (table, _) in CHILDREN {
        let Some(Value::Array(rows)) = record.rows.get(table) else { continue };
        for row in rows {
            let Value::Object(row) = row else { continue };
            statements.push(insert_row_where(db, table, row, Some((guard, &guard_params)))?);
        }
    }
    let mut sets = vec!["archived_at = NULL".to_owned(), "thawed_at = ?3".to_owned()];
    let mut binds: Vec<JsValue> = vec![int(record.id), int(record.archived_at), int(now)];
    for (column, _) in BLANKED {
        binds.push(record.report.get(column).map_or(JsValue::NULL, js));
        sets.push(format!("{column} = ?{}", binds.len()));
    }
    statements.push(
        db.prepare(format!("UPDATE reports SET {} WHERE id = ?1 AND archived_at = ?2", sets.join(", ")))
            .bind(&binds)?,
    );
    Ok(statements)
}
