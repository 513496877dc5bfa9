//! Reading the deployment's categories and districts.

use qinglang_domain::{Category, CategoryKind, District, Taxonomy};
use serde::Deserialize;
use worker::D1Database;

use crate::error::ApiError;

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

/// Loads active categories and districts in one round trip.
pub async fn load(db: &D1Database) -> Result<Taxonomy, ApiError> {
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
