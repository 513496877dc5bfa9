//! The office network: `GET /api/offices` (the public tree), `POST /api/admin/offices` and
//! `PATCH /api/admin/offices/{code}` (an admin adds an office under another or renames one; logged in
//! the settings log). An admin manages its own office and the offices below it.

use qinglang_domain::ErrorCode;
use qinglang_domain::Lang;
use qinglang_domain::intake::import::{RowError, parse_csv_rows, row_error};
use qinglang_domain::office::import::{self, OfficeImport, OfficeImportAnswer};
use qinglang_domain::office::{NewOffice, OfficePatch, OfficeTree};
use qinglang_domain::workflow::{Permission, Staff};
use worker::{Env, Request, Response, Url};

use crate::auth::Csrf;
use crate::error::ApiError;
use crate::routes::admin::allowed;
use crate::{http, store};

/// An office fits in far less.
const MAX_BODY_BYTES: usize = 4 * 1024;

/// An import of Tianjin's 6,423 units is about 0.6 MB of CSV (1 MB of JSON).
const MAX_IMPORT_BYTES: usize = 4 * 1024 * 1024;

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

fn refused(rows: Vec<RowError>, offices: usize, lang: Lang) -> Response {
    let code = ErrorCode::ImportInvalid;
    let answer = OfficeImportAnswer {
        error: Some(code),
        message: Some(code.message(lang).to_owned()),
        rows,
        imported: 0,
        offices,
    };
    http::json(code.http_status(), &answer)
}

/// Imports offices: `text/csv` (header `code,parent,level,name_zh_hans` and optionally
/// `name_zh_hant,name_en`) or JSON `{"rows": [...]}`. Every row is checked against the stored tree
/// and the others (in any order); a bad row anywhere answers `400 import_invalid` naming every bad
/// row, and nothing is stored. Each office goes under the admin's own office or below it.
pub async fn import(mut req: Request, env: &Env, lang: Lang) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    let me = allowed(&req, &db, Csrf::Required, Permission::Administer).await?;
    let content_type = req.headers().get("content-type")?.unwrap_or_default().to_ascii_lowercase();
    store::offices::forget();
    let tree = store::offices::tree(&db).await?;
    let rows = if content_type.starts_with("text/csv") {
        let bytes = http::read_body(&mut req, MAX_IMPORT_BYTES).await?;
        let text = String::from_utf8(bytes).map_err(|_| ApiError::client(ErrorCode::BadJson))?;
        match parse_csv_rows(&text, lang, import::MAX_IMPORT_ROWS) {
            Ok(rows) => rows,
            Err(errors) => return Ok(refused(errors, tree.offices.len(), lang)),
        }
    } else {
        http::read_json::<OfficeImport>(&mut req, MAX_IMPORT_BYTES).await?.rows
    };
    let offices = match import::check_rows(&rows, &tree, lang) {
        Ok(offices) => offices,
        Err(errors) => return Ok(refused(errors, tree.offices.len(), lang)),
    };
    // Under the admin's own subtree only: a row hanging from a stored office must hang inside it.
    let outside: Vec<RowError> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| tree.get(r.parent.trim()).is_some_and(|_| !tree.within(r.parent.trim(), &me.staff.office)))
        .map(|(i, _)| row_error(i + 1, "parent", ErrorCode::Forbidden, lang))
        .collect();
    if !outside.is_empty() {
        return Ok(refused(outside, tree.offices.len(), lang));
    }
    store::offices::import(&db, &offices, me.staff.id, http::now_ms()).await?;
    let total = store::offices::tree(&db).await?.offices.len();
    Ok(http::json(
        201,
        &OfficeImportAnswer { imported: offices.len(), offices: total, ..OfficeImportAnswer::default() },
    ))
}
