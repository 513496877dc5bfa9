//! `GET /api/stats`: the public figures from the audit log — counts, rates and durations only, no
//! personal data — and `GET /api/staff/figures`: the supervisors' figures per department and handler.

use qinglang_domain::figures;
use qinglang_domain::workflow::{self, SHANGHAI_UTC_OFFSET_MINUTES};
use worker::{Cache, Env, Headers, Request, Response};

use crate::auth::{self, Csrf};
use crate::error::ApiError;
use crate::{http, store};

/// How long the public figures may be served from the data centre's cache, in seconds, unless the
/// `STATS_MAX_AGE_S` var says otherwise (`0`: computed for every request, as the tests that compare
/// them with D1 run it).
const STATS_MAX_AGE_S: i64 = 60;

/// The public figures: totals, by category, by month of receipt (Asia/Shanghai).
///
/// They are computed from one row per case, so they are cached: every answer within one
/// `STATS_MAX_AGE_S` window of the clock comes from the data centre's cache (`caches.default`),
/// and browsers may keep it until the window ends. A burst of home-page visits reads D1 once per
/// window and data centre, at any size of the history.
pub async fn get(req: &Request, env: &Env) -> Result<Response, ApiError> {
    let max_age = env
        .var("STATS_MAX_AGE_S")
        .ok()
        .and_then(|v| v.to_string().parse::<i64>().ok())
        .unwrap_or(STATS_MAX_AGE_S)
        .clamp(0, 3600);
    if max_age == 0 {
        return Ok(http::json(200, &compute(env).await?));
    }
    let now = http::now_ms();
    let window_ms = max_age * 1000;
    let left_s = ((window_ms - now.rem_euclid(window_ms)) / 1000).max(1);
    // The key is on the site's own host (the cache is per zone); the path is never served.
    let origin = req.url()?.origin().ascii_serialization();
    let key = format!("{origin}/__stats-cache/{max_age}/{}", now.div_euclid(window_ms));
    let cache = Cache::default();
    let (body, hit) = match cache.get(key.as_str(), false).await? {
        Some(mut cached) => (cached.bytes().await?, true),
        None => {
            let body = serde_json::to_vec(&compute(env).await?)?;
            let headers = Headers::new();
            headers.set("content-type", "application/json; charset=utf-8")?;
            headers.set("cache-control", &format!("public, max-age={left_s}"))?;
            let stored = Response::builder().with_headers(headers).fixed(body.clone());
            if let Err(e) = cache.put(key.as_str(), stored).await {
                // A cache that cannot store is slower, not wrong.
                worker::console_warn!("stats cache put failed: {e}");
            }
            (body, false)
        }
    };
    let headers = Headers::new();
    headers.set("content-type", "application/json; charset=utf-8")?;
    headers.set("cache-control", &format!("public, max-age={left_s}"))?;
    headers.set("x-qinglang-cache", if hit { "hit" } else { "miss" })?;
    Ok(Response::builder().with_headers(headers).fixed(body))
}

async fn compute(env: &Env) -> Result<figures::PublicStats, ApiError> {
    let rows = store::figures::case_log(&store::db(env)?).await?;
    figures::public_stats(&rows, SHANGHAI_UTC_OFFSET_MINUTES).map_err(|e| ApiError::Internal(format!("stats: {e}")))
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
