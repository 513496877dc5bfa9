//! The office network: `GET /api/offices` (the public tree), `POST /api/admin/offices` and
//! `PATCH /api/admin/offices/{code}` (an admin adds an office under another or renames one; logged in
//! the settings log). An admin manages its own office and the offices below it.

use qinglang_domain::ErrorCode;
use qinglang_domain::office::{NewOffice, OfficePatch, OfficeTree};
use qinglang_domain::workflow::{Permission, Staff};
use worker::{Env, Request, Response, Url};

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

/// The office a staff page is about: `?office=CODE` (the console's office switcher), else the
/// account's own. An unknown code is `400 unknown_office`; an office outside the account's office
/// and its subtree is `403 forbidden` (office codes are public, what happens there is not).
pub fn viewed(url: &Url, staff: &Staff, tree: &OfficeTree) -> Result<String, ApiError> {
    let Some(code) = url.query_pairs().find(|(k, _)| k == "office").map(|(_, v)| v.trim().to_owned()) else {
        return Ok(staff.office.clone());
    };
    let field = |code| ApiError::Client { code, field: Some("office".to_owned()) };
    if tree.get(&code).is_none() {
        return Err(field(ErrorCode::UnknownOffice));
    }
    if !tree.within(&code, &staff.office) {
        return Err(field(ErrorCode::Forbidden));
    }
    Ok(code)
}

/// An admin manages its own office and those below it: another office is `403 forbidden`.
fn administers(staff: &Staff, tree: &OfficeTree, code: &str, field: &str) -> Result<(), ApiError> {
    if tree.get(code).is_some() && !tree.within(code, &staff.office) {
        return Err(ApiError::Client { code: ErrorCode::Forbidden, field: Some(field.to_owned()) });
    }
    Ok(())
}

/// Adds an office.
pub async fn create(mut req: Request, env: &Env) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    let me = allowed(&req, &db, Csrf::Required, Permission::Administer).await?;
    let input: NewOffice = http::read_json(&mut req, MAX_BODY_BYTES).await?;
    store::offices::forget();
    let tree = store::offices::tree(&db).await?;
    administers(&me.staff, &tree, input.parent.trim(), "parent")?;
    let office = input.check(&tree)?;
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
    administers(&me.staff, &tree, code, "code")?;
    let next = input.apply(current, &tree)?;
    store::offices::update(&db, current, &next, me.staff.id, http::now_ms()).await?;
    Ok(http::json(200, &*store::offices::tree(&db).await?))
}
