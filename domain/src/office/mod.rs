//! The office network (一套系统、多点接入): a tree of offices — province → city → county/district →
//! street (街道/乡镇) → community (社区/村) — that one deployment serves. Every report lands at one
//! office; figures roll up the tree (an office's figures are its own cases plus its children's).
//!
//! Invariants: exactly one root, [`ROOT`], made by the migration; every other office names an
//! existing parent of a higher level; codes, parents and levels never change once created (cases,
//! figures and staff are filed by them); nothing is deleted. An [`OfficeTree`] is in
//! tree order (`crate::tree::tree_order`).

use serde::{Deserialize, Serialize};

use crate::error::ErrorCode;
use crate::i18n::Lang;
use crate::report::FieldError;
use crate::taxonomy::edit::{check_name, patch_names};

pub mod import;
pub mod shards;

/// The root office's code: the office at the top of the deployment (a province's or a city's).
pub const ROOT: &str = "root";

/// The most offices a deployment keeps (Tianjin: 16 districts, 281 streets, 6,126 communities).
pub const MAX_OFFICES: usize = 20_000;

/// An office's place in the administrative hierarchy.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OfficeLevel {
    /// 省级.
    Province,
    /// 市级.
    City,
    /// 县（区）级.
    County,
    /// 街道、乡镇.
    Street,
    /// 社区、村.
    Community,
}

impl OfficeLevel {
    /// The wire and database name.
    pub fn as_str(self) -> &'static str {
        match self {
            OfficeLevel::Province => "province",
            OfficeLevel::City => "city",
            OfficeLevel::County => "county",
            OfficeLevel::Street => "street",
            OfficeLevel::Community => "community",
        }
    }

    /// Reads a database name.
    pub fn from_name(name: &str) -> Option<OfficeLevel> {
        [OfficeLevel::Province, OfficeLevel::City, OfficeLevel::County, OfficeLevel::Street, OfficeLevel::Community]
            .into_iter()
            .find(|l| l.as_str() == name)
    }
}

/// One office, as `GET /api/offices` lists it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Office {
    /// Stable code (an administrative division code such as `120101` serves well).
    pub code: String,
    /// The office above it; none for the root.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Its level.
    pub level: OfficeLevel,
    /// Name in simplified Chinese, e.g. 和平区网信办.
    pub name_zh_hans: String,
    /// Name in traditional Chinese.
    pub name_zh_hant: String,
    /// Name in English.
    pub name_en: String,
}

impl Office {
    /// The office's name in `lang`.
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::ZhHans => &self.name_zh_hans,
            Lang::ZhHant => &self.name_zh_hant,
            Lang::En => &self.name_en,
        }
    }
}

/// `GET /api/offices`: the public office tree, in tree order.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct OfficeTree {
    /// Every office, each after its parent.
    pub offices: Vec<Office>,
    /// Each office's position and depth, built on first use: lookups stay O(1) at ~6,400 offices.
    /// `offices` is not changed after the tree is built (the tree is re-read when offices change).
    #[serde(skip)]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    index: std::sync::OnceLock<TreeIndex>,
}

impl PartialEq for OfficeTree {
    fn eq(&self, other: &OfficeTree) -> bool {
        self.offices == other.offices
    }
}

impl Eq for OfficeTree {}

/// Where each office is in [`OfficeTree::offices`], and how deep (the root is 0).
#[derive(Debug, Clone, Default)]
struct TreeIndex {
    position: std::collections::HashMap<String, usize>,
    depth: Vec<u16>,
}

impl OfficeTree {
    /// Builds the tree from rows (each with its position among its siblings).
    pub fn from_rows(rows: Vec<(Office, i64)>) -> OfficeTree {
        OfficeTree::from_ordered(crate::tree::tree_order(rows, |o| &o.code, |o| o.parent.as_deref()))
    }

    /// A tree from offices already in tree order (as `GET /api/offices` lists them).
    pub fn from_ordered(offices: Vec<Office>) -> OfficeTree {
        OfficeTree { offices, index: std::sync::OnceLock::new() }
    }

    fn index(&self) -> &TreeIndex {
        self.index.get_or_init(|| {
            let mut position = std::collections::HashMap::with_capacity(self.offices.len());
            let mut depth = Vec::with_capacity(self.offices.len());
            for (i, office) in self.offices.iter().enumerate() {
                position.entry(office.code.clone()).or_insert(i);
                // Tree order puts a parent first; an orphan (never stored) counts as a root.
                let d = office.parent.as_deref().and_then(|p| position.get(p)).map_or(0, |&p: &usize| depth[p] + 1);
                depth.push(d);
            }
            TreeIndex { position, depth }
        })
    }

    /// An office by code.
    pub fn get(&self, code: &str) -> Option<&Office> {
        self.index().position.get(code).map(|&i| &self.offices[i])
    }

    /// The child of `office` on the way down to `code` (`office` itself when `code` is `office`);
    /// `None` when `code` is not in `office`'s subtree. A figures line per child office counts each
    /// case under this.
    pub fn child_toward<'a>(&'a self, office: &str, code: &'a str) -> Option<&'a str> {
        if office == code {
            return self.get(code).map(|o| o.code.as_str());
        }
        let chain = self.ancestry(code);
        let at = chain.iter().position(|o| o.code == office)?;
        at.checked_sub(1).map(|i| chain[i].code.as_str())
    }

    /// The office and the offices above it, the office first and the root last; empty for an
    /// unknown code.
    pub fn ancestry(&self, code: &str) -> Vec<&Office> {
        let mut chain: Vec<&Office> = Vec::new();
        let mut next = self.get(code);
        while let Some(office) = next {
            if chain.iter().any(|o| o.code == office.code) {
                break;
            }
            chain.push(office);
            next = office.parent.as_deref().and_then(|p| self.get(p));
        }
        chain
    }

    /// Whether `code` is `ancestor` or below it.
    pub fn within(&self, code: &str, ancestor: &str) -> bool {
        self.ancestry(code).iter().any(|o| o.code == ancestor)
    }

    /// `code` and every office below it, in tree order (a tree-ordered list keeps a subtree
    /// contiguous: it runs from the office to the next office that is not below it).
    pub fn subtree(&self, code: &str) -> Vec<&str> {
        let index = self.index();
        let Some(&start) = index.position.get(code) else { return Vec::new() };
        let depth = index.depth[start];
        let end = (start + 1..self.offices.len()).find(|&i| index.depth[i] <= depth).unwrap_or(self.offices.len());
        self.offices[start..end].iter().map(|o| o.code.as_str()).collect()
    }

    /// The direct children of `code`, in order.
    pub fn children<'a>(&'a self, code: &'a str) -> impl Iterator<Item = &'a Office> + 'a {
        self.offices.iter().filter(move |o| o.parent.as_deref() == Some(code))
    }
}

/// `POST /api/admin/offices`: an office under an existing one.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewOffice {
    /// Stable code: 2–40 of `a-z 0-9 _`; never reused.
    pub code: String,
    /// The office above it.
    pub parent: String,
    /// Its level: below its parent's.
    pub level: OfficeLevel,
    /// Name in simplified Chinese.
    pub name_zh_hans: String,
    /// Name in traditional Chinese.
    pub name_zh_hant: String,
    /// Name in English.
    pub name_en: String,
}

/// Checks an office code: 2–40 of `a-z 0-9 _` (a division code may start with a digit).
pub fn check_office_code(code: &str) -> Result<(), FieldError> {
    let ok = (2..=40).contains(&code.len())
        && code.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok { Ok(()) } else { Err(FieldError::new("code", ErrorCode::CodeInvalid)) }
}

impl NewOffice {
    /// The office to store, checked against the whole `tree` (retired offices' codes are taken too).
    pub fn check(&self, tree: &OfficeTree) -> Result<Office, FieldError> {
        let code = self.code.trim();
        check_office_code(code)?;
        if tree.get(code).is_some() {
            return Err(FieldError::new("code", ErrorCode::CodeTaken));
        }
        if tree.offices.len() >= MAX_OFFICES {
            return Err(FieldError::new("code", ErrorCode::TooManyItems));
        }
        let parent = tree.get(self.parent.trim()).ok_or_else(|| FieldError::new("parent", ErrorCode::UnknownOffice))?;
        if self.level <= parent.level {
            return Err(FieldError::new("level", ErrorCode::LevelInvalid));
        }
        Ok(Office {
            code: code.to_owned(),
            parent: Some(parent.code.clone()),
            level: self.level,
            name_zh_hans: check_name("name_zh_hans", &self.name_zh_hans)?,
            name_zh_hant: check_name("name_zh_hant", &self.name_zh_hant)?,
            name_en: check_name("name_en", &self.name_en)?,
        })
    }
}

/// `PATCH /api/admin/offices/{code}`: new names, or a new level that still sits below its parent's
/// and above every child's (a city deployment whose root grows into a province). The code and parent
/// never change.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfficePatch {
    /// New simplified-Chinese name.
    #[serde(default)]
    pub name_zh_hans: Option<String>,
    /// New traditional-Chinese name.
    #[serde(default)]
    pub name_zh_hant: Option<String>,
    /// New English name.
    #[serde(default)]
    pub name_en: Option<String>,
    /// New level.
    #[serde(default)]
    pub level: Option<OfficeLevel>,
}

impl OfficePatch {
    /// The office after the patch, checked against its place in `tree`.
    pub fn apply(&self, current: &Office, tree: &OfficeTree) -> Result<Office, FieldError> {
        let mut next = current.clone();
        if let Some(level) = self.level {
            let parent = current.parent.as_deref().and_then(|p| tree.get(p));
            if parent.is_some_and(|p| level <= p.level) || tree.children(&current.code).any(|c| c.level <= level) {
                return Err(FieldError::new("level", ErrorCode::LevelInvalid));
            }
            next.level = level;
        }
        patch_names(
            [&self.name_zh_hans, &self.name_zh_hant, &self.name_en],
            [&mut next.name_zh_hans, &mut next.name_zh_hant, &mut next.name_en],
        )?;
        Ok(next)
    }
}

/// The office a new report lands at: the one the reporter (or the office's own entry address,
/// `/report?o=CODE`) named, else the poster's (channel's), else the office of the locality chosen
/// (the district's, 属地), else the root. A named office must exist.
pub fn landing<'a>(
    tree: &'a OfficeTree,
    named: Option<&str>,
    channel_office: Option<&'a str>,
    district_office: Option<&'a str>,
) -> Result<&'a str, FieldError> {
    match named.map(str::trim).filter(|n| !n.is_empty()) {
        Some(code) => {
            tree.get(code).map(|o| o.code.as_str()).ok_or_else(|| FieldError::new("office", ErrorCode::UnknownOffice))
        }
        None => {
            Ok([channel_office, district_office].into_iter().flatten().find(|c| tree.get(c).is_some()).unwrap_or(ROOT))
        }
    }
}

#[cfg(test)]
pub(crate) mod tests;
