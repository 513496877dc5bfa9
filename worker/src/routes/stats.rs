//! `GET /api/stats`: the public figures from the audit log — counts, rates and durations only, no
//! personal data — and `GET /api/staff/figures`: the supervisors' figures per department and handler.

use qinglang_domain::figures;
use qinglang_domain::workflow::{self, SHANGHAI_UTC_OFFSET_MINUTES};
use worker::{Env, Request, Response};

use crate::auth::{self, Csrf};
use crate::error::ApiError;
use crate::{http, store};

/// The public figures: totals, by category, by month of receipt (Asia/Shanghai).
pub async fn get(env: &Env) -> Result<Response, ApiError> {
    let rows = store::figures::case_log(&store::db(env)?).await?;
    let stats = figures::public_stats(&rows, SHANGHAI_UTC_OFFSET_MINUTES)
        .map_err(|e| ApiError::Internal(format!("stats: {e}")))?;
    Ok(http::json(200, &stats))
}

/// The supervisors' figures, limited by `workflow::figures_scope` (a liaison: their department only).
pub async fn staff(req: &Request, env: &Env) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    let now = http::now_ms();
    let me = auth::signed_in(req, &db, now, Csrf::NotNeeded).await?;
    let scope = workflow::figures_scope(&me.staff)?;
    let cases = store::figures::workload(&db, &scope).await?;
    let mut result = figures::staff_figures(&cases, now, &scope);
    if !result.handlers.is_empty() {
        let names = store::figures::staff_names(&db).await?;
        for line in &mut result.handlers {
            line.display_name =
                line.handler.and_then(|h| names.iter().find(|(id, _)| *id == h)).map(|(_, n)| n.clone());
        }
    }
    Ok(http::json(200, &result))
}
