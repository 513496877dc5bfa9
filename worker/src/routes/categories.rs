//! `GET /api/categories`: the deployment's categories (a tree, in tree order, each naming its
//! `parent`) and districts. Retired ones are listed too, marked `"active": false`, so an old case
//! still shows its category's name; forms offer only the active ones.

use worker::{Env, Response};

use crate::error::ApiError;
use crate::{http, store};

/// Every category and district in display order.
pub async fn list(env: &Env) -> Result<Response, ApiError> {
    let taxonomy = store::taxonomy::shared(&store::db(env)?).await?;
    Ok(http::json(200, &*taxonomy))
}
