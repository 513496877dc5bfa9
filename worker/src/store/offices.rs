//! The office tree (`offices`, migration 0014): read (each isolate keeps a copy for
//! [`CACHE_TTL_MS`], forgotten at once in the isolate that changes it) and an admin's changes, each
//! written with its row in the settings log in one batch.

use std::rc::Rc;

use qinglang_domain::office::{Office, OfficeLevel, OfficeTree};
use qinglang_domain::taxonomy::edit::ChangeAction;
use qinglang_domain::workflow::StaffId;
use serde::Deserialize;
use worker::D1Database;

use super::{int, opt_text, settings_log, text};
use crate::error::ApiError;

/// How long an isolate trusts the office tree it read (milliseconds).
const CACHE_TTL_MS: i64 = 60_000;

thread_local! {
    static CACHED: super::IsolateCache<Rc<OfficeTree>> = const { super::IsolateCache::new() };
}

#[derive(Deserialize)]
struct Row {
    code: String,
    parent: Option<String>,
    level: String,
    name_zh_hans: String,
    name_zh_hant: String,
    name_en: String,
    position: i64,
}

/// The office tree: this isolate's copy if younger than [`CACHE_TTL_MS`], else read in one query.
pub async fn tree(db: &D1Database) -> Result<Rc<OfficeTree>, ApiError> {
    let now = crate::http::now_ms();
    if let Some(tree) = CACHED.with(|c| c.fresh(now, CACHE_TTL_MS)) {
        return Ok(tree);
    }
    let rows = db
        .prepare("SELECT code, parent, level, name_zh_hans, name_zh_hant, name_en, position FROM offices")
        .all()
        .await?
        .results::<Row>()?;
    let mut offices = Vec::with_capacity(rows.len());
    for r in rows {
        let level = OfficeLevel::from_name(&r.level)
            .ok_or_else(|| ApiError::Internal(format!("office {} has level {:?}", r.code, r.level)))?;
        let office = Office {
            code: r.code,
            parent: r.parent,
            level,
            name_zh_hans: r.name_zh_hans,
            name_zh_hant: r.name_zh_hant,
            name_en: r.name_en,
        };
        offices.push((office, r.position));
    }
    let tree = Rc::new(OfficeTree::from_rows(offices));
    CACHED.with(|c| c.keep(now, tree.clone()));
    Ok(tree)
}

/// How old this isolate's copy must be before an office it lacks makes it read the tree again.
const RECHECK_AFTER_MS: i64 = 2_000;

/// The tree, read again first when it lacks every code of `codes` that is named (non-empty) and is
/// older than [`RECHECK_AFTER_MS`]: an admin may have just added the office in another isolate (a
/// report naming it, a referral or delegation to it).
pub async fn knowing(db: &D1Database, codes: &[&str]) -> Result<Rc<OfficeTree>, ApiError> {
    let tree = tree(db).await?;
    let named = codes.iter().map(|c| c.trim()).filter(|c| !c.is_empty());
    if named.clone().all(|c| tree.get(c).is_some()) {
        return Ok(tree);
    }
    let now = crate::http::now_ms();
    if CACHED.with(|c| c.fresh(now, RECHECK_AFTER_MS)).is_some() {
        return Ok(tree);
    }
    forget();
    self::tree(db).await
}

/// Drops this isolate's copy after an admin changed the tree.
pub fn forget() {
    CACHED.with(super::IsolateCache::forget);
}

/// Adds an office after its last sibling, and its log row.
pub async fn create(db: &D1Database, office: &Office, by: StaffId, now: i64) -> Result<(), ApiError> {
    let insert = db
        .prepare(
            "INSERT INTO offices (code, parent, level, name_zh_hans, name_zh_hant, name_en, created_at, position) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, (SELECT COALESCE(MAX(position) + 1, 0) FROM offices WHERE parent IS ?2))",
        )
        .bind(&[
            text(&office.code),
            opt_text(office.parent.as_deref()),
            text(office.level.as_str()),
            text(&office.name_zh_hans),
            text(&office.name_zh_hant),
            text(&office.name_en),
            int(now),
        ])?;
    let after = serde_json::to_string(office)?;
    let log = settings_log::entry(db, "office", &office.code, ChangeAction::Create, None, &after, by, now)?;
    db.batch(vec![insert, log]).await.map_err(super::taxonomy::taken)?;
    forget();
    Ok(())
}

/// Writes an office's new names and level, and its log row.
pub async fn update(db: &D1Database, before: &Office, after: &Office, by: StaffId, now: i64) -> Result<(), ApiError> {
    let update = db
        .prepare("UPDATE offices SET level = ?2, name_zh_hans = ?3, name_zh_hant = ?4, name_en = ?5 WHERE code = ?1")
        .bind(&[
            text(&after.code),
            text(after.level.as_str()),
            text(&after.name_zh_hans),
            text(&after.name_zh_hant),
            text(&after.name_en),
        ])?;
    let (before_json, after_json) = (serde_json::to_string(before)?, serde_json::to_string(after)?);
    let log =
        settings_log::entry(db, "office", &after.code, ChangeAction::Update, Some(&before_json), &after_json, by, now)?;
    db.batch(vec![update, log]).await?;
    forget();
    Ok(())
}

/// Adds imported offices (parents first, each with its position) and one log row each, in one batch:
/// all or none. Two statements whatever the count: the rows travel as one JSON parameter.
pub async fn import(db: &D1Database, offices: &[(Office, i64)], by: StaffId, now: i64) -> Result<(), ApiError> {
    let rows: Vec<serde_json::Value> = offices
        .iter()
        .map(|(office, position)| serde_json::json!({ "office": office, "position": position }))
        .collect();
    let rows = serde_json::to_string(&rows)?;
    let insert = db
        .prepare(
            "INSERT INTO offices (code, parent, level, name_zh_hans, name_zh_hant, name_en, position, created_at) \
             SELECT json_extract(value, '$.office.code'), json_extract(value, '$.office.parent'), \
             json_extract(value, '$.office.level'), json_extract(value, '$.office.name_zh_hans'), \
             json_extract(value, '$.office.name_zh_hant'), json_extract(value, '$.office.name_en'), \
             json_extract(value, '$.position'), ?2 FROM json_each(?1)",
        )
        .bind(&[text(&rows), int(now)])?;
    let log = db
        .prepare(
            "INSERT INTO settings_changes (at, staff_id, subject, code, action, before, after) \
             SELECT ?2, ?3, 'office', json_extract(value, '$.office.code'), ?4, NULL, json_extract(value, '$.office') \
             FROM json_each(?1)",
        )
        .bind(&[text(&rows), int(now), int(by.0), text(ChangeAction::Create.as_str())])?;
    db.batch(vec![insert, log]).await.map_err(super::taxonomy::taken)?;
    forget();
    Ok(())
}
