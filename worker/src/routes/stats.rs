//! `GET /api/stats`: the public figures — counts only, no personal data.

use worker::{Env, Response};

use crate::error::ApiError;
use crate::{http, store};

/// Counts reports by where they stand.
pub async fn get(env: &Env) -> Result<Response, ApiError> {
    let stats = store::reports::public_stats(&store::db(env)?).await?;
    Ok(http::json(200, &stats))
}
