//! `GET /api/health`: answers `ok` when the database answers.

use qinglang_domain::api::Health;
use worker::{Env, Response};

use crate::error::ApiError;
use crate::{http, store};

/// Pings D1 and reports the version.
pub async fn get(env: &Env) -> Result<Response, ApiError> {
    store::ping(&store::db(env)?).await?;
    Ok(http::json(200, &Health { status: "ok".to_owned(), version: crate::VERSION.to_owned() }))
}
