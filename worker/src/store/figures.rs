//! The rows the figures are computed from (`qinglang_domain::figures` does the arithmetic).

use std::collections::BTreeMap;

use qinglang_domain::ReportStatus;
use qinglang_domain::figures::{CaseLogRow, STATUS_KINDS};
use qinglang_domain::workflow::{Case, CaseId, FiguresScope, Rating, StaffId};
use serde::Deserialize;
use worker::D1Database;

use super::text;
use crate::error::ApiError;

/// The name of the case's latest rating: the newest `rated` event of `r`, by the `events_report`
/// index (a case has a handful of events).
const LATEST_RATING: &str = "(SELECT y.body FROM events y WHERE y.report_id = r.id AND y.kind = 'rated' \
                             ORDER BY y.id DESC LIMIT 1)";

/// One row per report: category, receipt time, due time, the last status-changing event of its
/// audit log and the reporter's latest rating. Reads no text and nothing about the reporter.
pub async fn case_log(db: &D1Database) -> Result<Vec<CaseLogRow>, ApiError> {
    let kinds: Vec<String> = STATUS_KINDS.iter().map(|(k, _)| format!("'{k}'")).collect();
    let sql = format!(
        "SELECT r.category, r.created_at AS received_at, r.due_at, e.kind AS last_kind, e.created_at AS last_at, \
         {LATEST_RATING} AS rating, r.source, r.office \
         FROM reports r JOIN events e ON e.id = (SELECT MAX(x.id) FROM events x \
         WHERE x.report_id = r.id AND x.kind IN ({}))",
        kinds.join(", ")
    );
    Ok(db.prepare(sql).all().await?.results::<CaseLogRow>()?)
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
/// merged cases count nowhere, so they are not read), and each rated case's latest rating.
///
/// With `office`, only the cases held in that office's subtree (an account below the root reads its
/// own office's figures and those of the offices below it).
pub async fn workload(
    db: &D1Database,
    scope: &FiguresScope,
    office: Option<&str>,
) -> Result<(Vec<Case>, BTreeMap<CaseId, Rating>), ApiError> {
    let uncounted = ReportStatus::sql_list(&[ReportStatus::Rejected, ReportStatus::Merged]);
    let mut conditions = vec![format!("r.status NOT IN ({uncounted})")];
    let mut params = Vec::new();
    if let Some(office) = office {
        params.push(text(office));
        conditions.push(format!(
            "r.office IN (WITH RECURSIVE sub(code) AS (SELECT ?{} UNION ALL \
             SELECT o.code FROM offices o JOIN sub ON o.parent = sub.code) SELECT code FROM sub)",
            params.len()
        ));
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
