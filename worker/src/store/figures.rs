//! The rows the figures are computed from (`qinglang_domain::figures` does the arithmetic).

use std::collections::BTreeMap;

use qinglang_domain::ReportStatus;
use qinglang_domain::figures::{CaseLogRow, STATUS_KINDS};
use qinglang_domain::workflow::{Case, CaseId, FiguresScope, Rating, StaffId};
use serde::Deserialize;
use worker::D1Database;

use super::shards::Shards;
use super::text;

use crate::error::ApiError;

/// The name of the case's latest rating: the newest `rated` event of `r`, by the `events_report`
/// index (a case has a handful of events).
const LATEST_RATING: &str = "(SELECT y.body FROM events y WHERE y.report_id = r.id AND y.kind = 'rated' \
                             ORDER BY y.id DESC LIMIT 1)";

#[derive(Deserialize)]
struct LogRow {
    id: i64,
    moving: i64,
    category: String,
    received_at: i64,
    due_at: Option<i64>,
    last_kind: String,
    last_at: i64,
    rating: Option<String>,
    source: String,
    office: Option<String>,
}

/// One row per report, from every shard at once: category, receipt time, due time, the last
/// status-changing event of its audit log and the reporter's latest rating. Reads no text and
/// nothing about the reporter. A case copied to its new shard and not yet gone from the old one
/// counts once, from the copy that is not moving.
pub async fn case_log(shards: &Shards) -> Result<Vec<CaseLogRow>, ApiError> {
    let lists = shards.each(|shard| async move { case_log_in(&shard.db).await }).await?;
    let mut rows: Vec<LogRow> = lists.into_iter().flatten().collect();
    if rows.iter().any(|r| r.moving != 0) {
        rows.sort_by_key(|r| (r.id, r.moving));
        rows.dedup_by_key(|r| r.id);
    }
    Ok(rows
        .into_iter()
        .map(|r| CaseLogRow {
            category: r.category,
            received_at: r.received_at,
            due_at: r.due_at,
            last_kind: r.last_kind,
            last_at: r.last_at,
            rating: r.rating,
            source: r.source,
            office: r.office,
        })
        .collect())
}

async fn case_log_in(db: &D1Database) -> Result<Vec<LogRow>, ApiError> {
    let kinds: Vec<String> = STATUS_KINDS.iter().map(|(k, _)| format!("'{k}'")).collect();
    let sql = format!(
        "SELECT r.id, (r.moving_to IS NOT NULL) AS moving, r.category, r.created_at AS received_at, r.due_at, e.kind AS last_kind, e.created_at AS last_at, \
         {LATEST_RATING} AS rating, r.source, r.office \
         FROM reports r JOIN events e ON e.id = (SELECT MAX(x.id) FROM events x \
         WHERE x.report_id = r.id AND x.kind IN ({}))",
        kinds.join(", ")
    );
    Ok(db.prepare(sql).all().await?.results::<LogRow>()?)
}

#[derive(Deserialize)]
struct WorkloadRow {
    id: i64,
    status: String,
    category: String,
    department: Option<String>,
    primary_handler: Option<i64>,
    created_at: i64,
    accepted_at: Option<i64>,
    due_at: Option<i64>,
    resolved_at: Option<i64>,
    extension_count: u32,
    return_count: u32,
    rating: Option<String>,
    office: String,
}

/// The case columns the supervisors' figures need, for the cases `scope` may read (rejected and
/// merged cases count nowhere, so they are not read), and each rated case's latest rating, from
/// every shard at once.
///
/// With `offices` (an office's subtree), only the cases held there (an account below the root reads
/// its own office's figures and those of the offices below it).
pub async fn workload(
    shards: &Shards,
    scope: &FiguresScope,
    offices: Option<&[&str]>,
) -> Result<(Vec<Case>, BTreeMap<CaseId, Rating>), ApiError> {
    let parts = shards.each(|shard| async move { workload_in(&shard.db, scope, offices).await }).await?;
    let mut cases = Vec::new();
    let mut ratings = BTreeMap::new();
    for (c, r) in parts {
        cases.extend(c);
        ratings.extend(r);
    }
    // A case copied to its new shard and not yet gone from the old one: the copies are the same
    // case as of its hand-over; keep one.
    cases.sort_by_key(|c| c.id);
    cases.dedup_by_key(|c| c.id);
    Ok((cases, ratings))
}

async fn workload_in(
    db: &D1Database,
    scope: &FiguresScope,
    offices: Option<&[&str]>,
) -> Result<(Vec<Case>, BTreeMap<CaseId, Rating>), ApiError> {
    let uncounted = ReportStatus::sql_list(&[ReportStatus::Rejected, ReportStatus::Merged]);
    let mut conditions = vec![format!("r.status NOT IN ({uncounted})")];
    let mut params = Vec::new();
    if let Some(offices) = offices {
        params.push(text(&serde_json::to_string(offices)?));
        conditions.push(format!("r.office IN (SELECT value FROM json_each(?{}))", params.len()));
    }
    if let FiguresScope::Department(d) = scope {
        params.push(text(d));
        conditions.push(format!("r.department = ?{}", params.len()));
    }
    let statement = db
        .prepare(format!(
            "SELECT r.id, r.status, r.category, r.department, r.primary_handler, r.created_at, r.accepted_at, \
             r.due_at, r.resolved_at, r.extension_count, r.return_count, {LATEST_RATING} AS rating, r.office \
             FROM reports r WHERE {}",
            conditions.join(" AND ")
        ))
        .bind(&params)?;
    let rows = statement.all().await?.results::<WorkloadRow>()?;
    let mut cases = Vec::with_capacity(rows.len());
    let mut ratings = BTreeMap::new();
    for r in rows {
        let mut case = Case::new(CaseId(r.id), &r.category, None, r.created_at);
        case.status = ReportStatus::from_name(&r.status)
            .ok_or_else(|| ApiError::Internal(format!("unknown status {:?}", r.status)))?;
        case.department = r.department;
        case.primary_handler = r.primary_handler.map(StaffId);
        case.accepted_at = r.accepted_at;
        case.due_at = r.due_at;
        case.resolved_at = r.resolved_at;
        case.extension_count = r.extension_count;
        case.return_count = r.return_count;
        case.office = r.office;
        if let Some(rating) = r.rating.as_deref().and_then(Rating::from_name) {
            ratings.insert(case.id, rating);
        }
        cases.push(case);
    }
    Ok((cases, ratings))
}
