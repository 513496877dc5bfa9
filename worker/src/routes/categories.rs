//! `GET /api/categories`: the deployment's categories and districts.

use worker::{Env, Response};

use crate::error::ApiError;
use crate::{http, store};

/// Lists active categories and districts in display order.
pub async fn list(env: &Env) -> Result<Response, ApiError> {
    let taxonomy = store::taxonomy::load(&store::db(env)?).await?;
    Ok(http::json(200, &taxonomy))
}
