//! Reading the deployment's categories and districts.
//!
//! No route changes them: they come from the migrations (`0002_default_taxonomy.sql`) or from SQL
//! an operator runs. So each isolate keeps the last copy it read for [`CACHE_TTL_MS`] and every
//! request within that window, a report's validation above all, reuses it instead of asking D1;
//! an operator's change reaches every isolate within that time.

use std::rc::Rc;

use qinglang_domain::{Category, CategoryKind, District, Taxonomy};
use serde::Deserialize;
use worker::D1Database;

use crate::error::ApiError;

/// How long an isolate trusts the taxonomy it read (milliseconds).
const CACHE_TTL_MS: i64 = 60_000;

thread_local! {
    /// The taxonomy this isolate last read, with when it read it.
    static CACHED: super::IsolateCache<Rc<Taxonomy>> = const { super::IsolateCache::new() };
}

#[derive(Deserialize)]
struct CategoryRow {
    code: String,
    kind: String,
    name_zh_hans: String,
    name_zh_hant: String,
    name_en: String,
    deadline_days: u32,
    requires_link: u8,
    requires_location: u8,
    default_department: Option<String>,
}

/// The active categories and districts, as a copy the caller may keep or change (see [`shared`]).
pub async fn load(db: &D1Database) -> Result<Taxonomy, ApiError> {
    Ok(Taxonomy::clone(&*shared(db).await?))
}

/// The active categories and districts: this isolate's copy if it is younger than
/// [`CACHE_TTL_MS`], else read from D1 (in one round trip) and kept. Shared rather than copied,
/// since a request that only reads it need not clone every name.
pub async fn shared(db: &D1Database) -> Result<Rc<Taxonomy>, ApiError> {
    let now = crate::http::now_ms();
    if let Some(taxonomy) = CACHED.with(|c| c.fresh(now, CACHE_TTL_MS)) {
        return Ok(taxonomy);
    }
    let taxonomy = Rc::new(read(db).await?);
    CACHED.with(|c| c.keep(now, taxonomy.clone()));
    Ok(taxonomy)
}

/// Reads active categories and districts in one round trip.
async fn read(db: &D1Database) -> Result<Taxonomy, ApiError> {
    let results = db
        .batch(vec![
            db.prepare(
                "SELECT code, kind, name_zh_hans, name_zh_hant, name_en, deadline_days, requires_link, \
                 requires_location, default_department FROM categories WHERE active = 1 ORDER BY position",
            ),
            db.prepare(
                "SELECT code, name_zh_hans, name_zh_hant, name_en FROM districts WHERE active = 1 ORDER BY position",
            ),
        ])
        .await?;
    let [categories, districts] = results.as_slice() else {
        return Err(ApiError::Internal("taxonomy batch returned the wrong number of results".to_owned()));
    };
    let categories = categories
        .results::<CategoryRow>()?
        .into_iter()
        .map(|row| Category {
            code: row.code,
            kind: if row.kind == "offline" { CategoryKind::Offline } else { CategoryKind::Online },
            name_zh_hans: row.name_zh_hans,
            name_zh_hant: row.name_zh_hant,
            name_en: row.name_en,
            deadline_days: row.deadline_days,
            requires_link: row.requires_link != 0,
            requires_location: row.requires_location != 0,
            default_department: row.default_department,
        })
        .collect();
    let districts = districts.results::<District>()?;
    Ok(Taxonomy { categories, districts })
}
