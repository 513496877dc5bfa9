//! The deployment's categories, districts and departments: reading them (each isolate keeps a copy
//! for [`CACHE_TTL_MS`]) and an admin's changes to them, each written in one batch with its row in
//! the settings log (`store::settings_log`).
//!
//! Freshness: the isolate that made a change forgets its copy at once; every other isolate reads
//! again within [`CACHE_TTL_MS`]. A report naming a category this isolate does not know yet makes
//! it read again ([`knowing`]), so a new category is usable at once everywhere; a retired one may
//! still be accepted for up to a minute (it stays a valid category for its old cases anyway).

use std::rc::Rc;

use qinglang_domain::taxonomy::edit::{ChangeAction, DepartmentUse};
use qinglang_domain::workflow::StaffId;
use qinglang_domain::{Category, CategoryKind, District, ErrorCode, ReportStatus, Taxonomy, admin::Department};
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};

use super::{int, opt_int, opt_text, settings_log, text};
use crate::error::ApiError;

/// How long an isolate trusts the taxonomy it read (milliseconds).
const CACHE_TTL_MS: i64 = 60_000;

/// A copy older than this is read again when a report names a category it does not know.
const RECHECK_AFTER_MS: i64 = 2_000;

thread_local! {
    /// The taxonomy this isolate last read, with when it read it.
    static CACHED: super::IsolateCache<Rc<Taxonomy>> = const { super::IsolateCache::new() };
}

#[derive(Deserialize)]
struct CategoryRow {
    code: String,
    parent: Option<String>,
    kind: String,
    name_zh_hans: String,
    name_zh_hant: String,
    name_en: String,
    deadline_days: u32,
    requires_link: u8,
    requires_location: u8,
    default_department: Option<String>,
    position: i64,
    active: u8,
}

#[derive(Deserialize)]
struct Count {
    n: u32,
}

/// The tables of the flat lists an admin edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum List {
    /// `districts`.
    Districts,
    /// `departments`.
    Departments,
}

impl List {
    fn table(self) -> &'static str {
        match self {
            List::Districts => "districts",
            List::Departments => "departments",
        }
    }

    fn subject(self) -> &'static str {
        match self {
            List::Districts => "district",
            List::Departments => "department",
        }
    }
}

/// The whole taxonomy, retired entries marked, as a copy the caller may keep or change.
pub async fn load(db: &D1Database) -> Result<Taxonomy, ApiError> {
    Ok(Taxonomy::clone(&*shared(db).await?))
}

/// The whole taxonomy: this isolate's copy if it is younger than [`CACHE_TTL_MS`], else read
/// from D1 (in one round trip) and kept. Shared rather than copied, since a request that only
/// reads it need not clone every name.
pub async fn shared(db: &D1Database) -> Result<Rc<Taxonomy>, ApiError> {
    let now = crate::http::now_ms();
    if let Some(taxonomy) = CACHED.with(|c| c.fresh(now, CACHE_TTL_MS)) {
        return Ok(taxonomy);
    }
    let taxonomy = Rc::new(read(db).await?);
    CACHED.with(|c| c.keep(now, taxonomy.clone()));
    Ok(taxonomy)
}

/// The taxonomy a report naming `category` is checked against: [`shared`], read again first when
/// it does not offer `category` and is older than [`RECHECK_AFTER_MS`] (an admin may have just
/// added it in another isolate).
pub async fn knowing(db: &D1Database, category: &str) -> Result<Rc<Taxonomy>, ApiError> {
    let taxonomy = shared(db).await?;
    if taxonomy.selectable(category).is_some() {
        return Ok(taxonomy);
    }
    let now = crate::http::now_ms();
    if CACHED.with(|c| c.fresh(now, RECHECK_AFTER_MS)).is_some() {
        return Ok(taxonomy);
    }
    forget();
    shared(db).await
}

/// Drops this isolate's copy after an admin changed the taxonomy.
pub fn forget() {
    CACHED.with(super::IsolateCache::forget);
}

/// Reads every category and district, retired ones too, in one round trip.
async fn read(db: &D1Database) -> Result<Taxonomy, ApiError> {
    let results = db
        .batch(vec![
            db.prepare(
                "SELECT code, parent, kind, name_zh_hans, name_zh_hant, name_en, deadline_days, requires_link, \
                 requires_location, default_department, position, active FROM categories",
            ),
            db.prepare(
                "SELECT code, name_zh_hans, name_zh_hant, name_en, active, office FROM districts ORDER BY position, code",
            ),
        ])
        .await?;
    let [categories, districts] = results.as_slice() else {
        return Err(ApiError::Internal("taxonomy batch returned the wrong number of results".to_owned()));
    };
    let categories = categories
        .results::<CategoryRow>()?
        .into_iter()
        .map(|row| {
            let category = Category {
                code: row.code,
                parent: row.parent,
                kind: if row.kind == "offline" { CategoryKind::Offline } else { CategoryKind::Online },
                name_zh_hans: row.name_zh_hans,
                name_zh_hant: row.name_zh_hant,
                name_en: row.name_en,
                deadline_days: row.deadline_days,
                requires_link: row.requires_link != 0,
                requires_location: row.requires_location != 0,
                default_department: row.default_department,
                active: row.active != 0,
            };
            (category, row.position)
        })
        .collect();
    let districts = districts.results::<District>()?;
    Ok(Taxonomy { categories: Taxonomy::tree_order(categories), districts })
}

/// Every department, retired ones marked, in the admin's order.
pub async fn departments(db: &D1Database) -> Result<Vec<Department>, ApiError> {
    Ok(db
        .prepare(
            "SELECT code, name_zh_hans, name_zh_hant, name_en, active, office FROM departments ORDER BY position, code",
        )
        .all()
        .await?
        .results::<Department>()?)
}

/// The codes of the active departments (what a category, rule or account may name).
pub async fn active_department_codes(db: &D1Database) -> Result<Vec<String>, ApiError> {
    Ok(departments(db).await?.into_iter().filter(|d| d.active).map(|d| d.code).collect())
}

fn json<T: serde::Serialize>(value: &T) -> Result<String, ApiError> {
    Ok(serde_json::to_string(value)?)
}

/// A `UNIQUE`/`PRIMARY KEY` failure is another admin taking the code first.
pub(super) fn taken(e: worker::Error) -> ApiError {
    let message = e.to_string();
    if message.contains("UNIQUE") || message.contains("PRIMARY KEY") {
        ApiError::Client { code: ErrorCode::CodeTaken, field: Some("code".to_owned()) }
    } else {
        e.into()
    }
}

fn category_values(c: &Category) -> Vec<JsValue> {
    vec![
        text(&c.code),
        opt_text(c.parent.as_deref()),
        text(c.kind.as_str()),
        text(&c.name_zh_hans),
        text(&c.name_zh_hant),
        text(&c.name_en),
        int(i64::from(c.deadline_days)),
        int(i64::from(c.requires_link)),
        int(i64::from(c.requires_location)),
        opt_text(c.default_department.as_deref()),
        int(i64::from(c.active)),
    ]
}

/// Adds imported categories (parents first, each with its position) and one log row each, in one
/// batch: all or none, two statements whatever the count (the rows travel as one JSON parameter).
pub async fn import_categories(
    db: &D1Database,
    categories: &[(Category, i64)],
    by: StaffId,
    now: i64,
) -> Result<(), ApiError> {
    let rows: Vec<serde_json::Value> = categories
        .iter()
        .map(|(category, position)| serde_json::json!({ "category": category, "position": position }))
        .collect();
    let rows = serde_json::to_string(&rows)?;
    let field = |name: &str| format!("json_extract(value, '$.category.{name}')");
    let columns = ["code", "parent", "kind", "name_zh_hans", "name_zh_hant", "name_en", "deadline_days"];
    let values: Vec<String> = columns.iter().map(|c| field(c)).collect();
    // Booleans travel as JSON true/false; the table stores 1/0.
    let (link, location, department) =
        (field("requires_link"), field("requires_location"), field("default_department"));
    let insert = db
        .prepare(format!(
            "INSERT INTO categories ({}, requires_link, requires_location, default_department, active, position) \
             SELECT {}, CASE WHEN {link} THEN 1 ELSE 0 END, CASE WHEN {location} THEN 1 ELSE 0 END, {department}, 1, \
             json_extract(value, '$.position') FROM json_each(?1)",
            columns.join(", "),
            values.join(", "),
        ))
        .bind(&[text(&rows)])?;
    let log = db
        .prepare(
            "INSERT INTO settings_changes (at, staff_id, subject, code, action, before, after) \
             SELECT ?2, ?3, 'category', json_extract(value, '$.category.code'), ?4, NULL, \
             json_extract(value, '$.category') FROM json_each(?1)",
        )
        .bind(&[text(&rows), int(now), int(by.0), text(ChangeAction::Create.as_str())])?;
    db.batch(vec![insert, log]).await.map_err(taken)?;
    forget();
    Ok(())
}

/// Adds a category after its last sibling, and its log row.
pub async fn create_category(db: &D1Database, category: &Category, by: StaffId, now: i64) -> Result<(), ApiError> {
    let insert = db
        .prepare(
            "INSERT INTO categories (code, parent, kind, name_zh_hans, name_zh_hant, name_en, deadline_days, \
             requires_link, requires_location, default_department, active, position) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, \
             (SELECT COALESCE(MAX(position) + 1, 0) FROM categories WHERE parent IS ?2))",
        )
        .bind(&category_values(category))?;
    let log =
        settings_log::entry(db, "category", &category.code, ChangeAction::Create, None, &json(category)?, by, now)?;
    db.batch(vec![insert, log]).await.map_err(taken)?;
    forget();
    Ok(())
}

/// Writes a changed category (and its new place among its siblings), and its log row.
pub async fn update_category(
    db: &D1Database,
    before: &Category,
    after: &Category,
    position: Option<u32>,
    by: StaffId,
    now: i64,
) -> Result<(), ApiError> {
    let mut values = category_values(after);
    values.push(opt_int(position.map(i64::from)));
    let update = db
        .prepare(
            "UPDATE categories SET name_zh_hans = ?4, name_zh_hant = ?5, name_en = ?6, deadline_days = ?7, \
             requires_link = ?8, requires_location = ?9, default_department = ?10, active = ?11, \
             position = COALESCE(?12, position) WHERE code = ?1 AND parent IS ?2 AND kind = ?3",
        )
        .bind(&values)?;
    let action = ChangeAction::of(before.active, after.active);
    let log = settings_log::entry(db, "category", &after.code, action, Some(&json(before)?), &json(after)?, by, now)?;
    db.batch(vec![update, log]).await?;
    forget();
    Ok(())
}

/// The three names and the active flag of a district or department.
pub struct Entry<'a> {
    /// Code.
    pub code: &'a str,
    /// The names, simplified, traditional, English.
    pub names: [&'a str; 3],
    /// Active.
    pub active: bool,
    /// A district's office (none: the root); a department's (always one).
    pub office: Option<&'a str>,
}

fn entry_values(entry: &Entry<'_>) -> Vec<JsValue> {
    let [hans, hant, en] = entry.names;
    vec![text(entry.code), text(hans), text(hant), text(en), int(i64::from(entry.active)), opt_text(entry.office)]
}

/// How many districts or departments there are, retired ones too, and whether `code` is one.
pub async fn count(db: &D1Database, list: List, code: &str) -> Result<(usize, bool), ApiError> {
    let table = list.table();
    let results = db
        .batch(vec![
            db.prepare(format!("SELECT COUNT(*) AS n FROM {table}")),
            db.prepare(format!("SELECT COUNT(*) AS n FROM {table} WHERE code = ?1")).bind(&[text(code)])?,
        ])
        .await?;
    let n = |i: usize| -> Result<u32, ApiError> {
        Ok(results.get(i).map(|r| r.results::<Count>()).transpose()?.and_then(|v| v.first().map(|c| c.n)).unwrap_or(0))
    };
    Ok((n(0)? as usize, n(1)? > 0))
}

/// Adds a district or department at the end of its list, and its log row. `after` is the row as
/// JSON for the log.
pub async fn create_entry(
    db: &D1Database,
    list: List,
    entry: &Entry<'_>,
    after: &str,
    by: StaffId,
    now: i64,
) -> Result<(), ApiError> {
    let table = list.table();
    let insert = db
        .prepare(format!(
            "INSERT INTO {table} (code, name_zh_hans, name_zh_hant, name_en, active, office, position) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, (SELECT COALESCE(MAX(position) + 1, 0) FROM {table}))"
        ))
        .bind(&entry_values(entry))?;
    let log = settings_log::entry(db, list.subject(), entry.code, ChangeAction::Create, None, after, by, now)?;
    db.batch(vec![insert, log]).await.map_err(taken)?;
    forget();
    Ok(())
}

/// Writes a changed district or department, and its log row (`before` and `after` as JSON).
#[allow(clippy::too_many_arguments)]
pub async fn update_entry(
    db: &D1Database,
    list: List,
    entry: &Entry<'_>,
    position: Option<u32>,
    change: (ChangeAction, &str, &str),
    by: StaffId,
    now: i64,
) -> Result<(), ApiError> {
    let table = list.table();
    let mut values = entry_values(entry);
    values.push(opt_int(position.map(i64::from)));
    let update = db
        .prepare(format!(
            "UPDATE {table} SET name_zh_hans = ?2, name_zh_hant = ?3, name_en = ?4, active = ?5, office = ?6, \
             position = COALESCE(?7, position) WHERE code = ?1"
        ))
        .bind(&values)?;
    let (action, before, after) = change;
    let log = settings_log::entry(db, list.subject(), entry.code, action, Some(before), after, by, now)?;
    db.batch(vec![update, log]).await?;
    forget();
    Ok(())
}

fn counting(db: &D1Database, sql: &str, code: &str) -> Result<D1PreparedStatement, ApiError> {
    Ok(db.prepare(sql).bind(&[text(code)])?)
}

/// What still uses department `code`: the control database's rows in one round trip, and the open
/// cases it holds in every shard at once.
pub async fn department_use(shards: &super::shards::Shards, code: &str) -> Result<DepartmentUse, ApiError> {
    let db = &shards.control()?;
    let transferred = ReportStatus::Transferred.as_str();
    let results = db
        .batch(vec![
            counting(db, "SELECT COUNT(*) AS n FROM categories WHERE active = 1 AND default_department = ?1", code)?,
            counting(db, "SELECT COUNT(*) AS n FROM routing_rules WHERE department = ?1", code)?,
            counting(
                db,
                "SELECT COUNT(*) AS n FROM staff WHERE active = 1 AND role = 'liaison' AND department = ?1",
                code,
            )?,
        ])
        .await?;
    let mut n = [0u32; 3];
    for (slot, result) in n.iter_mut().zip(&results) {
        *slot = result.results::<Count>()?.first().map_or(0, |c| c.n);
    }
    let open_cases = shards
        .each(|shard| async move {
            let count = counting(
                &shard.db,
                &format!(
                    "SELECT (SELECT COUNT(*) FROM reports WHERE status = '{transferred}' AND department = ?1) + \
                     (SELECT COUNT(*) FROM case_requests WHERE party = ?1 AND closed_at IS NULL) AS n"
                ),
                code,
            )?;
            Ok(count.first::<Count>(None).await?.map_or(0, |c| c.n))
        })
        .await?;
    Ok(DepartmentUse { categories: n[0], rules: n[1], liaisons: n[2], open_cases: open_cases.into_iter().sum() })
}

/// How many active posters (channels) fill in district `code`.
pub async fn district_channels(db: &D1Database, code: &str) -> Result<u32, ApiError> {
    let row: Option<Count> =
        counting(db, "SELECT COUNT(*) AS n FROM channels WHERE active = 1 AND district = ?1", code)?
            .first(None)
            .await?;
    Ok(row.map_or(0, |c| c.n))
}
