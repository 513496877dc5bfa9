//! The rows the figures are computed from (`qinglang_domain::figures` does the arithmetic).

use qinglang_domain::ReportStatus;
use qinglang_domain::figures::{CaseLogRow, STATUS_KINDS};
use qinglang_domain::workflow::{Case, CaseId, FiguresScope, StaffId};
use serde::Deserialize;
use worker::D1Database;

use super::text;
use crate::error::ApiError;

/// One row per report: category, receipt time, due time and the last status-changing event of its
/// audit log. Reads no text and nothing about the reporter.
pub async fn case_log(db: &D1Database) -> Result<Vec<CaseLogRow>, ApiError> {
    let kinds: Vec<String> = STATUS_KINDS.iter().map(|(k, _)| format!("'{k}'")).collect();
    let sql = format!(
        "SELECT r.category, r.created_at AS received_at, r.due_at, e.kind AS last_kind, e.created_at AS last_at \
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
}

/// The case columns the supervisors' figures need, for the cases `scope` may read: rejected and
/// merged cases count nowhere, so they are not read.
pub async fn workload(db: &D1Database, scope: &FiguresScope) -> Result<Vec<Case>, ApiError> {
    let uncounted = ReportStatus::sql_list(&[ReportStatus::Rejected, ReportStatus::Merged]);
    let base = format!(
        "SELECT id, status, category, department, primary_handler, created_at, accepted_at, due_at, \
         resolved_at FROM reports WHERE status NOT IN ({uncounted})"
    );
    let statement = match scope {
        FiguresScope::All => db.prepare(&base),
        FiguresScope::Department(d) => db.prepare(format!("{base} AND department = ?1")).bind(&[text(d)])?,
    };
    let rows = statement.all().await?.results::<WorkloadRow>()?;
    rows.into_iter()
        .map(|r| {
            let mut case = Case::new(CaseId(r.id), &r.category, None, r.created_at);
            case.status = ReportStatus::from_name(&r.status)
                .ok_or_else(|| ApiError::Internal(format!("unknown status {:?}", r.status)))?;
            case.department = r.department;
            case.primary_handler = r.primary_handler.map(StaffId);
            case.accepted_at = r.accepted_at;
            case.due_at = r.due_at;
            case.resolved_at = r.resolved_at;
            Ok(case)
        })
        .collect()
}
