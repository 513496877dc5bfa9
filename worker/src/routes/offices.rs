//! The office network: `GET /api/offices` (the public tree), `POST /api/admin/offices` and
//! `PATCH /api/admin/offices/{code}` (an admin adds an office under another or renames one; logged in
//! the settings log).

use qinglang_domain::ErrorCode;
use qinglang_domain::office::{NewOffice, OfficePatch};
use qinglang_domain::workflow::Permission;
use worker::{Env, Request, Response};

use crate::auth::Csrf;
use crate::error::ApiError;
use crate::routes::admin::allowed;
use crate::{http, store};

/// An office fits in far less.
const MAX_BODY_BYTES: usize = 4 * 1024;

/// The office tree, in tree order: code, parent, level and names (no staff, no figures).
pub async fn list(env: &Env) -> Result<Response, ApiError> {
    Ok(http::json(200, &*store::offices::tree(&store::db(env)?).await?))
}

/// Adds an office.
pub async fn create(mut req: Request, env: &Env) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    let me = allowed(&req, &db, Csrf::Required, Permission::Administer).await?;
    let input: NewOffice = http::read_json(&mut req, MAX_BODY_BYTES).await?;
    store::offices::forget();
    let office = input.check(&*store::offices::tree(&db).await?)?;
    store::offices::create(&db, &office, me.staff.id, http::now_ms()).await?;
    Ok(http::json(201, &*store::offices::tree(&db).await?))
}

/// Renames an office or changes its level.
pub async fn patch(mut req: Request, env: &Env, code: &str) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    let me = allowed(&req, &db, Csrf::Required, Permission::Administer).await?;
    let input: OfficePatch = http::read_json(&mut req, MAX_BODY_BYTES).await?;
    store::offices::forget();
    let tree = store::offices::tree(&db).await?;
    let current = tree.get(code).ok_or(ApiError::client(ErrorCode::NotFound))?;
    let next = input.apply(current, &tree)?;
    store::offices::update(&db, current, &next, me.staff.id, http::now_ms()).await?;
    Ok(http::json(200, &*store::offices::tree(&db).await?))
}
