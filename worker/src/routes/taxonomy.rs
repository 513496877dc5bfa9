//! The admin's taxonomy: `POST /api/admin/categories`, `PATCH /api/admin/categories/{code}`, the
//! same for `districts` and `departments`, and the settings log, `GET /api/admin/changes`.
//!
//! Every change is checked by `qinglang_domain::taxonomy::edit`, written with its log row in one
//! batch, and answered with the list as it now is (the taxonomy for categories and districts, the
//! departments for departments). Nothing is deleted: `"active": false` retires, `true` restores.

use qinglang_domain::admin::{MAX_CHANGES_PAGE, SETTINGS_SUBJECTS};
use qinglang_domain::intake::import::{RowError, parse_csv_rows};
use qinglang_domain::taxonomy::edit::{CategoryPatch, ChangeAction, EntryPatch, NewCategory, NewEntry};
use qinglang_domain::taxonomy::import::{self, CategoryImport, CategoryImportAnswer};
use qinglang_domain::workflow::Permission;
use qinglang_domain::{ErrorCode, FieldError, Lang};
use worker::{Env, Request, Response};

use crate::auth::Csrf;
use crate::error::ApiError;
use crate::routes::admin::{allowed, allowed_everywhere};
use crate::store::taxonomy::{Entry, List};
use crate::{http, store};

/// A category or an entry fits in far less.
const MAX_BODY_BYTES: usize = 8 * 1024;

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, ApiError> {
    Ok(serde_json::to_string(value)?)
}

async fn taxonomy_now(db: &worker::D1Database, status: u16) -> Result<Response, ApiError> {
    Ok(http::json(status, &*store::taxonomy::shared(db).await?))
}

/// A new category or subcategory.
pub async fn create_category(mut req: Request, env: &Env) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    let me = allowed_everywhere(&req, &db, Csrf::Required).await?;
    let input: NewCategory = http::read_json(&mut req, MAX_BODY_BYTES).await?;
    store::taxonomy::forget();
    let taxonomy = store::taxonomy::shared(&db).await?;
    let departments = store::taxonomy::active_department_codes(&db).await?;
    let departments: Vec<&str> = departments.iter().map(String::as_str).collect();
    let category = input.check(&taxonomy, &departments)?;
    store::taxonomy::create_category(&db, &category, me.staff.id, http::now_ms()).await?;
    taxonomy_now(&db, 201).await
}

/// An import of Tianjin's 248 categories is about 30 KB of CSV.
const MAX_IMPORT_BYTES: usize = 512 * 1024;

/// Imports categories and subcategories: `text/csv` (header `code,parent,kind,name_zh_hans` and
/// optionally `name_zh_hant,name_en,deadline_days,requires_link,requires_location,default_department`)
/// or JSON `{"rows": [...]}`. Each row is checked as a single new category is, against the stored
/// taxonomy and the other rows (a subcategory may come before its parent); a bad row anywhere
/// answers `400 import_invalid` naming every bad row, and nothing is stored.
pub async fn import_categories(mut req: Request, env: &Env, lang: Lang) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    let me = allowed_everywhere(&req, &db, Csrf::Required).await?;
    let content_type = req.headers().get("content-type")?.unwrap_or_default().to_ascii_lowercase();
    let refused = |rows: Vec<RowError>| {
        let code = ErrorCode::ImportInvalid;
        let answer =
            CategoryImportAnswer { error: Some(code), message: Some(code.message(lang).to_owned()), rows, imported: 0 };
        http::json(code.http_status(), &answer)
    };
    let rows = if content_type.starts_with("text/csv") {
        let bytes = http::read_body(&mut req, MAX_IMPORT_BYTES).await?;
        let text = String::from_utf8(bytes).map_err(|_| ApiError::client(ErrorCode::BadJson))?;
        match parse_csv_rows(&text, lang, import::MAX_IMPORT_ROWS) {
            Ok(rows) => rows,
            Err(errors) => return Ok(refused(errors)),
        }
    } else {
        http::read_json::<CategoryImport>(&mut req, MAX_IMPORT_BYTES).await?.rows
    };
    store::taxonomy::forget();
    let taxonomy = store::taxonomy::shared(&db).await?;
    let departments = store::taxonomy::active_department_codes(&db).await?;
    let departments: Vec<&str> = departments.iter().map(String::as_str).collect();
    let categories = match import::check_rows(&rows, &taxonomy, &departments, lang) {
        Ok(categories) => categories,
        Err(errors) => return Ok(refused(errors)),
    };
    store::taxonomy::import_categories(&db, &categories, me.staff.id, http::now_ms()).await?;
    Ok(http::json(201, &CategoryImportAnswer { imported: categories.len(), ..CategoryImportAnswer::default() }))
}

/// Changes, retires or restores a category.
pub async fn patch_category(mut req: Request, env: &Env, code: &str) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    let me = allowed_everywhere(&req, &db, Csrf::Required).await?;
    let input: CategoryPatch = http::read_json(&mut req, MAX_BODY_BYTES).await?;
    store::taxonomy::forget();
    let taxonomy = store::taxonomy::shared(&db).await?;
    let current = taxonomy.category(code).ok_or(ApiError::client(ErrorCode::NotFound))?;
    let departments = store::taxonomy::active_department_codes(&db).await?;
    let departments: Vec<&str> = departments.iter().map(String::as_str).collect();
    let next = input.apply(current, &taxonomy, &departments)?;
    store::taxonomy::update_category(&db, current, &next, input.position, me.staff.id, http::now_ms()).await?;
    taxonomy_now(&db, 200).await
}

async fn list_now(db: &worker::D1Database, list: List, status: u16) -> Result<Response, ApiError> {
    match list {
        List::Districts => taxonomy_now(db, status).await,
        List::Departments => Ok(http::json(status, &store::taxonomy::departments(db).await?)),
    }
}

/// A new district or department.
pub async fn create_entry(mut req: Request, env: &Env, list: List) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    let me = allowed_everywhere(&req, &db, Csrf::Required).await?;
    let input: NewEntry = http::read_json(&mut req, MAX_BODY_BYTES).await?;
    store::taxonomy::forget();
    let (count, taken) = store::taxonomy::count(&db, list, input.code.trim()).await?;
    let offices = store::offices::tree(&db).await?;
    let (code, names, office, after) = match list {
        List::Districts => {
            let d = input.district(taken, count, &offices)?;
            let after = to_json(&d)?;
            (d.code, [d.name_zh_hans, d.name_zh_hant, d.name_en], d.office, after)
        }
        List::Departments => {
            let d = input.department(taken, count, &offices)?;
            let after = to_json(&d)?;
            (d.code, [d.name_zh_hans, d.name_zh_hant, d.name_en], Some(d.office), after)
        }
    };
    let [hans, hant, en] = &names;
    let entry = Entry { code: &code, names: [hans, hant, en], active: true, office: office.as_deref() };
    store::taxonomy::create_entry(&db, list, &entry, &after, me.staff.id, http::now_ms()).await?;
    list_now(&db, list, 201).await
}

/// Changes, retires or restores a district or department.
pub async fn patch_entry(mut req: Request, env: &Env, list: List, code: &str) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    let me = allowed_everywhere(&req, &db, Csrf::Required).await?;
    let input: EntryPatch = http::read_json(&mut req, MAX_BODY_BYTES).await?;
    store::taxonomy::forget();
    let not_found = || ApiError::client(ErrorCode::NotFound);
    let retiring = input.active == Some(false);
    let offices = store::offices::tree(&db).await?;
    let (names, active, office, change) = match list {
        List::Districts => {
            let taxonomy = store::taxonomy::shared(&db).await?;
            let current = taxonomy.district(code).ok_or_else(not_found)?;
            let channels = if retiring { store::taxonomy::district_channels(&db, code).await? } else { 0 };
            let next = input.district(current, channels, &offices)?;
            let change = (ChangeAction::of(current.active, next.active), to_json(current)?, to_json(&next)?);
            ([next.name_zh_hans, next.name_zh_hant, next.name_en], next.active, next.office, change)
        }
        List::Departments => {
            let departments = store::taxonomy::departments(&db).await?;
            let current = departments.iter().find(|d| d.code == code).ok_or_else(not_found)?;
            let moving = input.office.as_deref().is_some_and(|o| o.trim() != current.office);
            let in_use = if (retiring || moving) && current.active {
                store::taxonomy::department_use(&store::shards::Shards::open(env)?, code).await?
            } else {
                Default::default()
            };
            let next = input.department(current, in_use, &offices)?;
            let change = (ChangeAction::of(current.active, next.active), to_json(current)?, to_json(&next)?);
            ([next.name_zh_hans, next.name_zh_hant, next.name_en], next.active, Some(next.office), change)
        }
    };
    let [hans, hant, en] = &names;
    let entry = Entry { code, names: [hans, hant, en], active, office: office.as_deref() };
    let (action, before, after) = &change;
    store::taxonomy::update_entry(
        &db,
        list,
        &entry,
        input.position,
        (*action, before, after),
        me.staff.id,
        http::now_ms(),
    )
    .await?;
    list_now(&db, list, 200).await
}

/// `GET /api/admin/changes?subject=&before=&limit=`: the settings log, newest first.
pub async fn changes(req: &Request, env: &Env) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    allowed(req, &db, Csrf::NotNeeded, Permission::Administer).await?;
    let url = req.url()?;
    let (mut subject, mut before, mut limit) = (None, None, 50u32);
    let bad = |field: &str, code| ApiError::from(FieldError::new(field, code));
    for (key, value) in url.query_pairs() {
        match key.as_ref() {
            "subject" if SETTINGS_SUBJECTS.contains(&value.as_ref()) => subject = Some(value.into_owned()),
            "subject" => return Err(bad("subject", ErrorCode::BadJson)),
            "before" => {
                before = Some(
                    value.parse::<i64>().ok().filter(|b| *b > 0).ok_or_else(|| bad("before", ErrorCode::BadJson))?,
                )
            }
            "limit" => {
                limit = value
                    .parse::<u32>()
                    .ok()
                    .filter(|l| (1..=MAX_CHANGES_PAGE).contains(l))
                    .ok_or_else(|| bad("limit", ErrorCode::NumberOutOfRange))?;
            }
            _ => {}
        }
    }
    Ok(http::json(200, &store::settings_log::page(&db, subject.as_deref(), before, limit).await?))
}
