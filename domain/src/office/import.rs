//! Importing an office tree (一套系统、多点接入 at a province's or Tianjin's size: 16 districts, 281
//! streets, 6,126 communities) from a CSV file or the same rows as JSON. Every row is checked
//! against the stored tree and the other rows — in any order, a parent may come after its child —
//! and either every row is good or every bad row is named, and nothing is stored.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::{MAX_OFFICES, Office, OfficeLevel, OfficeTree, check_office_code};
use crate::error::ErrorCode;
use crate::i18n::Lang;
use crate::intake::import::{RowError, row_error};
use crate::taxonomy::edit::check_name;

/// The most rows one import takes (Tianjin's units with room to spare).
pub const MAX_IMPORT_ROWS: usize = 10_000;

/// One office to import. Every field is text, as a spreadsheet has it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfficeRow {
    /// Stable code (a division code such as `120101001` serves well).
    #[serde(default)]
    pub code: String,
    /// The parent's code: a stored office, or another row of the file.
    #[serde(default)]
    pub parent: String,
    /// `city`, `county`, `street` or `community` (below the parent's).
    #[serde(default)]
    pub level: String,
    /// Name in simplified Chinese; required.
    #[serde(default)]
    pub name_zh_hans: String,
    /// Name in traditional Chinese (the simplified name when empty).
    #[serde(default)]
    pub name_zh_hant: String,
    /// Name in English (the simplified name when empty).
    #[serde(default)]
    pub name_en: String,
}

/// `POST /api/admin/offices/import` with a JSON body.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfficeImport {
    /// The offices, at most [`MAX_IMPORT_ROWS`].
    pub rows: Vec<OfficeRow>,
}

/// `POST /api/admin/offices/import` answer: `201` with how many offices were added, or
/// `400 import_invalid` with every bad row (and nothing stored).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct OfficeImportAnswer {
    /// `import_invalid` when rows were bad.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorCode>,
    /// The error's sentence in the reader's language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Every bad row.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rows: Vec<RowError>,
    /// Offices added (0 when rows were bad; absent from other refusals).
    #[serde(default)]
    pub imported: usize,
    /// Offices in the tree now (0 when rows were bad; absent from other refusals).
    #[serde(default)]
    pub offices: usize,
}

/// Checks every row against `tree` and the other rows. The offices to store, each with its position
/// among its siblings (after the stored ones, in file order), parents before children; or every bad
/// row, numbered from 1 (the first row under the header).
pub fn check_rows(rows: &[OfficeRow], tree: &OfficeTree, lang: Lang) -> Result<Vec<(Office, i64)>, Vec<RowError>> {
    if rows.is_empty() {
        return Err(vec![row_error(0, "rows", ErrorCode::FieldRequired, lang)]);
    }
    if rows.len() > MAX_IMPORT_ROWS || tree.offices.len() + rows.len() > MAX_OFFICES {
        return Err(vec![row_error(rows.len().min(MAX_IMPORT_ROWS + 1), "rows", ErrorCode::TooManyItems, lang)]);
    }
    // The file's own offices by code (the first row of a code; a repeat is refused below).
    let mut in_file: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, row) in rows.iter().enumerate() {
        in_file.entry(row.code.trim()).or_insert(i);
    }
    let level_of = |code: &str| -> Option<OfficeLevel> {
        tree.get(code)
            .map(|o| o.level)
            .or_else(|| in_file.get(code).and_then(|&i| OfficeLevel::from_name(rows[i].level.trim())))
    };
    let mut errors = Vec::new();
    let mut offices = Vec::with_capacity(rows.len());
    let mut seen = BTreeSet::new();
    for (i, row) in rows.iter().enumerate() {
        match check_row(row, tree, &in_file, &level_of, &mut seen) {
            Ok(office) => offices.push(office),
            Err((field, code)) => errors.push(row_error(i + 1, field, code, lang)),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    // Parents first (the tree order of the file's offices under the stored ones); positions follow
    // the stored siblings.
    let mut next_position: BTreeMap<String, i64> = BTreeMap::new();
    let mut ordered: Vec<(Office, i64)> = Vec::with_capacity(offices.len());
    let mut placed: BTreeSet<String> = BTreeSet::new();
    let mut waiting = offices;
    while !waiting.is_empty() {
        let before = waiting.len();
        let (ready, rest): (Vec<Office>, Vec<Office>) = waiting
            .into_iter()
            .partition(|o| o.parent.as_deref().is_some_and(|p| tree.get(p).is_some() || placed.contains(p)));
        for office in ready {
            let parent = office.parent.clone().unwrap_or_default();
            let position = next_position
                .entry(parent.clone())
                .or_insert_with(|| i64::try_from(tree.children(&parent).count()).unwrap_or(i64::MAX));
            let at = *position;
            *position += 1;
            placed.insert(office.code.clone());
            ordered.push((office, at));
        }
        waiting = rest;
        // Levels strictly fall down every chain, so every row is placed; this guards the loop anyway.
        if waiting.len() == before {
            return Err(vec![row_error(0, "parent", ErrorCode::UnknownOffice, lang)]);
        }
    }
    Ok(ordered)
}

fn check_row<'a>(
    row: &'a OfficeRow,
    tree: &OfficeTree,
    in_file: &BTreeMap<&str, usize>,
    level_of: &dyn Fn(&str) -> Option<OfficeLevel>,
    seen: &mut BTreeSet<&'a str>,
) -> Result<Office, (&'static str, ErrorCode)> {
    let code = row.code.trim();
    check_office_code(code).map_err(|_| ("code", ErrorCode::CodeInvalid))?;
    if tree.get(code).is_some() || !seen.insert(code) {
        return Err(("code", ErrorCode::CodeTaken));
    }
    let level = OfficeLevel::from_name(row.level.trim()).ok_or(("level", ErrorCode::LevelInvalid))?;
    let parent = row.parent.trim();
    if parent.is_empty() || (tree.get(parent).is_none() && !in_file.contains_key(parent)) {
        return Err(("parent", ErrorCode::UnknownOffice));
    }
    // Below its parent's level: this also makes a cycle among the file's rows impossible.
    if level_of(parent).is_none_or(|p| level <= p) {
        return Err(("level", ErrorCode::LevelInvalid));
    }
    let name = |field: &'static str, given: &str| check_name(field, given).map_err(|e| (field, e.code));
    let hans = name("name_zh_hans", &row.name_zh_hans)?;
    let or_hans = |given: &str| if given.trim().is_empty() { hans.clone() } else { given.to_owned() };
    Ok(Office {
        code: code.to_owned(),
        parent: Some(parent.to_owned()),
        level,
        name_zh_hant: name("name_zh_hant", &or_hans(&row.name_zh_hant))?,
        name_en: name("name_en", &or_hans(&row.name_en))?,
        name_zh_hans: hans,
    })
}
