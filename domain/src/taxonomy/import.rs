//! Importing categories and subcategories (Tianjin dispatches by 9 categories and 239
//! subcategories) from a CSV file or the same rows as JSON. Each row is checked as
//! `POST /api/admin/categories` would check it, against the stored taxonomy and the rows before it
//! in the tree — a subcategory's row may come before its parent's — and either every row is good or
//! every bad row is named, and nothing is stored.

use serde::{Deserialize, Serialize};

use super::edit::NewCategory;
use super::{Category, CategoryKind, Taxonomy};
use crate::error::ErrorCode;
use crate::i18n::Lang;
use crate::intake::import::{RowError, row_error};
use crate::report::FieldError;

/// The most rows one import takes.
pub const MAX_IMPORT_ROWS: usize = 1_000;

/// One category to import. Every field is text, as a spreadsheet has it; empty means absent.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryRow {
    /// Stable code: 2–40 of `a-z 0-9 _`, starting with a letter.
    #[serde(default)]
    pub code: String,
    /// The category it refines: a stored one or another row (empty: a top-level category).
    #[serde(default)]
    pub parent: String,
    /// `online` or `offline`: required for a top-level category, the parent's otherwise.
    #[serde(default)]
    pub kind: String,
    /// Name in simplified Chinese; required.
    #[serde(default)]
    pub name_zh_hans: String,
    /// Name in traditional Chinese (the simplified name when empty).
    #[serde(default)]
    pub name_zh_hant: String,
    /// Name in English (the simplified name when empty).
    #[serde(default)]
    pub name_en: String,
    /// Handling limit in days, 1–365 (the parent's, or the default, when empty).
    #[serde(default)]
    pub deadline_days: String,
    /// `1`/`true`/`是` or `0`/`false`/`否` (the parent's when empty).
    #[serde(default)]
    pub requires_link: String,
    /// As `requires_link`.
    #[serde(default)]
    pub requires_location: String,
    /// An active department's code (the parent's when empty).
    #[serde(default)]
    pub default_department: String,
}

/// `POST /api/admin/categories/import` with a JSON body.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryImport {
    /// The categories, at most [`MAX_IMPORT_ROWS`].
    pub rows: Vec<CategoryRow>,
}

/// `POST /api/admin/categories/import` answer: `201` with how many were added, or
/// `400 import_invalid` with every bad row (nothing stored).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CategoryImportAnswer {
    /// `import_invalid` when rows were bad.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorCode>,
    /// The error's sentence in the reader's language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Every bad row.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rows: Vec<RowError>,
    /// Categories added (0 when rows were bad; absent from other refusals).
    #[serde(default)]
    pub imported: usize,
}

fn flag(field: &'static str, text: &str) -> Result<Option<bool>, FieldError> {
    match text.trim() {
        "" => Ok(None),
        "1" | "true" | "是" | "yes" => Ok(Some(true)),
        "0" | "false" | "否" | "no" => Ok(Some(false)),
        _ => Err(FieldError::new(field, ErrorCode::BadJson)),
    }
}

impl CategoryRow {
    /// The row as the single-category form would send it.
    fn to_new(&self) -> Result<NewCategory, FieldError> {
        let or_hans = |given: &str| if given.trim().is_empty() { self.name_zh_hans.clone() } else { given.to_owned() };
        let some = |text: &str| Some(text.trim().to_owned()).filter(|t| !t.is_empty());
        let kind = match self.kind.trim() {
            "" => None,
            "online" => Some(CategoryKind::Online),
            "offline" => Some(CategoryKind::Offline),
            _ => return Err(FieldError::new("kind", ErrorCode::KindMismatch)),
        };
        let deadline_days = match self.deadline_days.trim() {
            "" => None,
            days => Some(days.parse().map_err(|_| FieldError::new("deadline_days", ErrorCode::NumberOutOfRange))?),
        };
        Ok(NewCategory {
            code: self.code.clone(),
            parent: some(&self.parent),
            kind,
            name_zh_hans: self.name_zh_hans.clone(),
            name_zh_hant: or_hans(&self.name_zh_hant),
            name_en: or_hans(&self.name_en),
            deadline_days,
            requires_link: flag("requires_link", &self.requires_link)?,
            requires_location: flag("requires_location", &self.requires_location)?,
            default_department: some(&self.default_department),
        })
    }
}

/// Checks every row against `taxonomy`, the active `departments` and the other rows: the categories
/// to store, parents first, each with its position among its siblings (after the stored ones, in
/// the order accepted), or every bad row (numbered from 1, the first row under the header).
pub fn check_rows(
    rows: &[CategoryRow],
    taxonomy: &Taxonomy,
    departments: &[&str],
    lang: Lang,
) -> Result<Vec<(Category, i64)>, Vec<RowError>> {
    if rows.is_empty() {
        return Err(vec![row_error(0, "rows", ErrorCode::FieldRequired, lang)]);
    }
    if rows.len() > MAX_IMPORT_ROWS {
        return Err(vec![row_error(MAX_IMPORT_ROWS + 1, "rows", ErrorCode::TooManyItems, lang)]);
    }
    let in_file = |code: &str| rows.iter().any(|r| r.code.trim() == code);
    // The taxonomy as it grows row by row; a row whose parent is a later row waits for it.
    let mut working = taxonomy.clone();
    let mut accepted: Vec<Category> = Vec::new();
    let mut errors: Vec<RowError> = Vec::new();
    let mut pending: Vec<usize> = (0..rows.len()).collect();
    loop {
        let mut waiting = Vec::new();
        for &i in &pending {
            let row = &rows[i];
            let parent = row.parent.trim();
            if !parent.is_empty() && working.category(parent).is_none() && in_file(parent) {
                waiting.push(i);
                continue;
            }
            match row.to_new().and_then(|new| new.check(&working, departments)) {
                Ok(category) => {
                    working.categories.push(category.clone());
                    accepted.push(category);
                }
                Err(e) => errors.push(row_error(i + 1, &e.field, e.code, lang)),
            }
        }
        if waiting.is_empty() {
            break;
        }
        if waiting.len() == pending.len() {
            // Their parents never arrived (a bad row, or a loop): each is refused for it.
            errors.extend(waiting.iter().map(|&i| row_error(i + 1, "parent", ErrorCode::ParentInvalid, lang)));
            break;
        }
        pending = waiting;
    }
    if errors.is_empty() {
        let mut next: std::collections::BTreeMap<Option<String>, i64> = std::collections::BTreeMap::new();
        Ok(accepted
            .into_iter()
            .map(|category| {
                let position = next.entry(category.parent.clone()).or_insert_with(|| {
                    let stored = taxonomy.categories.iter().filter(|c| c.parent == category.parent).count();
                    i64::try_from(stored).unwrap_or(i64::MAX)
                });
                let at = *position;
                *position += 1;
                (category, at)
            })
            .collect())
    } else {
        errors.sort_by_key(|e| e.row);
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEPARTMENTS: [&str; 3] = ["cac", "police", "urban"];

    fn row(code: &str, parent: &str, kind: &str, name: &str) -> CategoryRow {
        CategoryRow {
            code: code.to_owned(),
            parent: parent.to_owned(),
            kind: kind.to_owned(),
            name_zh_hans: name.to_owned(),
            ..CategoryRow::default()
        }
    }

    #[test]
    fn nine_categories_and_239_subcategories_import_in_any_order() {
        let t = Taxonomy::default_set();
        let mut rows = Vec::new();
        // Subcategories first: each waits for its category's row.
        for c in 0..9 {
            for s in 0..(if c < 5 { 27 } else { 26 }) {
                let mut sub = row(&format!("tj{c}_{s:02}"), &format!("tj{c}"), "", &format!("事项{c}-{s}"));
                sub.deadline_days = if s % 2 == 0 { String::new() } else { "5".to_owned() };
                rows.push(sub);
            }
        }
        for c in 0..9 {
            let mut top =
                row(&format!("tj{c}"), "", if c % 2 == 0 { "offline" } else { "online" }, &format!("类别{c}"));
            top.default_department = "urban".to_owned();
            top.deadline_days = "10".to_owned();
            rows.push(top);
        }
        assert_eq!(rows.len(), 9 + 239);
        let categories = check_rows(&rows, &t, &DEPARTMENTS, Lang::ZhHans).expect("a valid file");
        assert_eq!(categories.len(), 248);
        let first_sub = categories.iter().position(|(c, _)| c.parent.is_some()).expect("subcategories");
        assert!(categories[..first_sub].iter().all(|(c, _)| c.parent.is_none()), "parents first");
        let roots = t.categories.iter().filter(|c| c.parent.is_none()).count() as i64;
        assert_eq!(categories[0].1, roots, "after the stored top-level categories");
        let sub = categories.iter().find(|(c, _)| c.code == "tj2_00").expect("there");
        assert_eq!(
            (sub.0.kind, sub.0.deadline_days, sub.0.default_department.as_deref(), sub.1),
            (CategoryKind::Offline, 10, Some("urban"), 0)
        );
        assert!(sub.0.requires_location, "an offline category asks for a place");
        assert_eq!(categories.iter().find(|(c, _)| c.code == "tj2_01").map(|(c, _)| c.deadline_days), Some(5));
    }

    #[test]
    fn every_bad_category_row_is_named() {
        let t = Taxonomy::default_set();
        let mut days = row("bad_days", "", "online", "天数错");
        days.deadline_days = "many".to_owned();
        let mut link = row("bad_link", "", "online", "链接错");
        link.requires_link = "maybe".to_owned();
        let rows = vec![
            row("new_top", "", "online", "新类别"),
            row("new_sub", "new_top", "offline", "线下子类"), // 2: kind differs from its parent
            row("fraud", "", "online", "重复"),               // 3: taken
            row("orphan", "nowhere", "", "孤儿"),             // 4: no such parent
            row("no_kind", "", "", "无类型"),                 // 5: a top-level needs a kind
            days,                                             // 6
            link,                                             // 7
            row("child_of_bad", "bad_days", "", "坏父"),      // 8: its parent row is bad
            row("x", "", "online", "码太短"),                 // 9
        ];
        let errors = check_rows(&rows, &t, &DEPARTMENTS, Lang::En).expect_err("bad rows");
        let got: Vec<(usize, &str, ErrorCode)> = errors.iter().map(|e| (e.row, e.field.as_str(), e.error)).collect();
        assert_eq!(
            got,
            [
                (2, "kind", ErrorCode::KindMismatch),
                (3, "code", ErrorCode::CodeTaken),
                (4, "parent", ErrorCode::ParentInvalid),
                (5, "kind", ErrorCode::FieldRequired),
                (6, "deadline_days", ErrorCode::NumberOutOfRange),
                (7, "requires_link", ErrorCode::BadJson),
                (8, "parent", ErrorCode::ParentInvalid),
                (9, "code", ErrorCode::CodeInvalid),
            ]
        );
    }
}
