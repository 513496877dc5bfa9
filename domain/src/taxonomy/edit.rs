//! An admin's edits of the taxonomy: new categories, districts and departments, changes to them,
//! and retiring (never deleting) them. Pure: the worker passes in the taxonomy, the departments and
//! what it counted (which rules, accounts and open cases still use a department), and writes what
//! these functions return, with a [`ChangeAction`] row in the settings log.
//!
//! API boundary: requests deny unknown fields; every refusal is a [`FieldError`] naming the field.

use serde::{Deserialize, Serialize};

use crate::office::OfficeTree;

use super::{Category, CategoryKind, Department, District, MAX_DEPTH, Taxonomy};
use crate::error::ErrorCode;
use crate::report::FieldError;

/// The most categories a deployment keeps, retired ones included (Tianjin dispatches by 9
/// categories and 239 subcategories).
pub const MAX_CATEGORIES: usize = 2000;

/// The most districts (or departments) a deployment keeps, retired ones included.
pub const MAX_ENTRIES: usize = 2000;

/// The longest name, in characters.
pub const MAX_NAME_CHARS: usize = 40;

/// The longest handling limit, in days.
pub const MAX_DEADLINE_DAYS: u32 = 365;

/// A new category's handling limit when neither the request nor a parent gives one.
pub const DEFAULT_DEADLINE_DAYS: u32 = 15;

/// What the settings log says a change did.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeAction {
    /// Something new.
    Create,
    /// Names, limits or order changed.
    Update,
    /// Taken out of use; kept for the cases that name it.
    Retire,
    /// Back in use.
    Restore,
}

impl ChangeAction {
    /// The wire and database name.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeAction::Create => "create",
            ChangeAction::Update => "update",
            ChangeAction::Retire => "retire",
            ChangeAction::Restore => "restore",
        }
    }

    /// A change from `was_active` to `is_active`.
    pub fn of(was_active: bool, is_active: bool) -> ChangeAction {
        match (was_active, is_active) {
            (true, false) => ChangeAction::Retire,
            (false, true) => ChangeAction::Restore,
            _ => ChangeAction::Update,
        }
    }
}

/// `POST /api/admin/categories`: a category, or a subcategory when `parent` is given. What is left
/// out follows the parent (kind, limit, link and place requirements, department).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewCategory {
    /// Stable code: 2–40 of `a-z 0-9 _`, starting with a letter; never reused.
    pub code: String,
    /// The active category it refines (at most [`MAX_DEPTH`] levels).
    #[serde(default)]
    pub parent: Option<String>,
    /// Online or offline; required for a top-level category, the parent's for a subcategory.
    #[serde(default)]
    pub kind: Option<CategoryKind>,
    /// Name in simplified Chinese.
    pub name_zh_hans: String,
    /// Name in traditional Chinese.
    pub name_zh_hant: String,
    /// Name in English.
    pub name_en: String,
    /// Handling limit in days (1–365).
    #[serde(default)]
    pub deadline_days: Option<u32>,
    /// Reports must give a link.
    #[serde(default)]
    pub requires_link: Option<bool>,
    /// Reports must give a district.
    #[serde(default)]
    pub requires_location: Option<bool>,
    /// An active department's code.
    #[serde(default)]
    pub default_department: Option<String>,
}

/// `PATCH /api/admin/categories/{code}`: what changes. The code, parent and kind never change
/// (cases and figures are filed by them); `active: false` retires, `true` restores.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryPatch {
    /// New simplified-Chinese name.
    #[serde(default)]
    pub name_zh_hans: Option<String>,
    /// New traditional-Chinese name.
    #[serde(default)]
    pub name_zh_hant: Option<String>,
    /// New English name.
    #[serde(default)]
    pub name_en: Option<String>,
    /// New handling limit in days (1–365); cases already accepted keep their due time.
    #[serde(default)]
    pub deadline_days: Option<u32>,
    /// Whether reports must give a link.
    #[serde(default)]
    pub requires_link: Option<bool>,
    /// Whether reports must give a district.
    #[serde(default)]
    pub requires_location: Option<bool>,
    /// A new default department; the empty string clears it.
    #[serde(default)]
    pub default_department: Option<String>,
    /// New place among its siblings (0 first).
    #[serde(default)]
    pub position: Option<u32>,
    /// Retire (`false`) or restore (`true`).
    #[serde(default)]
    pub active: Option<bool>,
}

/// `POST /api/admin/districts` and `POST /api/admin/departments`: a code and three names.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewEntry {
    /// Stable code: 2–40 of `a-z 0-9 _`, starting with a letter; never reused.
    pub code: String,
    /// Name in simplified Chinese.
    pub name_zh_hans: String,
    /// Name in traditional Chinese.
    pub name_zh_hant: String,
    /// Name in English.
    pub name_en: String,
    /// A district: the office its reports land at (none: the root). A department: the office it
    /// belongs to (none: the root), whose cases and those below may be sent to it.
    #[serde(default)]
    pub office: Option<String>,
}

/// `PATCH /api/admin/districts/{code}` and `PATCH /api/admin/departments/{code}`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntryPatch {
    /// New simplified-Chinese name.
    #[serde(default)]
    pub name_zh_hans: Option<String>,
    /// New traditional-Chinese name.
    #[serde(default)]
    pub name_zh_hant: Option<String>,
    /// New English name.
    #[serde(default)]
    pub name_en: Option<String>,
    /// New place in the list (0 first).
    #[serde(default)]
    pub position: Option<u32>,
    /// Retire (`false`) or restore (`true`).
    #[serde(default)]
    pub active: Option<bool>,
    /// A new office (a district's `""` clears it: its reports land at the root).
    #[serde(default)]
    pub office: Option<String>,
}

/// The office an entry names, checked against `offices`: `None` for none (or `""`).
fn entry_office(given: Option<&str>, offices: &OfficeTree) -> Result<Option<String>, FieldError> {
    match given.map(str::trim).filter(|o| !o.is_empty()) {
        None => Ok(None),
        Some(code) => offices
            .get(code)
            .map(|o| Some(o.code.clone()))
            .ok_or_else(|| FieldError::new("office", ErrorCode::UnknownOffice)),
    }
}

/// What still uses a department, counted by the worker before it may be retired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DepartmentUse {
    /// Active categories naming it as their default department.
    pub categories: u32,
    /// Routing rules sending cases to it.
    pub rules: u32,
    /// Active liaison accounts bound to it.
    pub liaisons: u32,
    /// Open cases transferred to it or waiting for its answer.
    pub open_cases: u32,
}

impl DepartmentUse {
    fn any(self) -> bool {
        self.categories + self.rules + self.liaisons + self.open_cases > 0
    }
}

/// Checks a code: 2–40 of `a-z 0-9 _`, starting with a letter.
pub fn check_code(code: &str) -> Result<(), FieldError> {
    let ok = (2..=40).contains(&code.len())
        && code.starts_with(|c: char| c.is_ascii_lowercase())
        && code.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok { Ok(()) } else { Err(FieldError::new("code", ErrorCode::CodeInvalid)) }
}

/// A name as stored: cleaned, 1–[`MAX_NAME_CHARS`] visible characters (offices' names too).
pub(crate) fn check_name(field: &str, name: &str) -> Result<String, FieldError> {
    let name = crate::text::written(name);
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(FieldError::new(field, ErrorCode::NameInvalid));
    }
    Ok(name)
}

fn check_days(days: u32) -> Result<u32, FieldError> {
    if (1..=MAX_DEADLINE_DAYS).contains(&days) {
        Ok(days)
    } else {
        Err(FieldError::new("deadline_days", ErrorCode::NumberOutOfRange))
    }
}

fn check_department(code: &str, departments: &[&str]) -> Result<String, FieldError> {
    let code = code.trim();
    if departments.contains(&code) {
        Ok(code.to_owned())
    } else {
        Err(FieldError::new("default_department", ErrorCode::UnknownDepartment))
    }
}

impl NewCategory {
    /// The category to store, checked against the whole `taxonomy` (retired codes are taken too)
    /// and the active `departments`.
    pub fn check(&self, taxonomy: &Taxonomy, departments: &[&str]) -> Result<Category, FieldError> {
        let code = self.code.trim();
        check_code(code)?;
        if taxonomy.category(code).is_some() {
            return Err(FieldError::new("code", ErrorCode::CodeTaken));
        }
        if taxonomy.categories.len() >= MAX_CATEGORIES {
            return Err(FieldError::new("code", ErrorCode::TooManyItems));
        }
        let parent = match self.parent.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
            None => None,
            Some(p) => {
                let parent =
                    taxonomy.selectable(p).ok_or_else(|| FieldError::new("parent", ErrorCode::ParentInvalid))?;
                if taxonomy.depth(p) >= MAX_DEPTH {
                    return Err(FieldError::new("parent", ErrorCode::ParentInvalid));
                }
                Some(parent)
            }
        };
        let kind = match (parent, self.kind) {
            (Some(p), Some(k)) if k != p.kind => return Err(FieldError::new("kind", ErrorCode::KindMismatch)),
            (Some(p), _) => p.kind,
            (None, Some(k)) => k,
            (None, None) => return Err(FieldError::new("kind", ErrorCode::FieldRequired)),
        };
        let name_zh_hans = check_name("name_zh_hans", &self.name_zh_hans)?;
        let name_zh_hant = check_name("name_zh_hant", &self.name_zh_hant)?;
        let name_en = check_name("name_en", &self.name_en)?;
        let deadline_days =
            check_days(self.deadline_days.or(parent.map(|p| p.deadline_days)).unwrap_or(DEFAULT_DEADLINE_DAYS))?;
        let default_department = match (&self.default_department, parent) {
            (Some(d), _) if !d.trim().is_empty() => Some(check_department(d, departments)?),
            (_, Some(p)) => p.default_department.clone().filter(|d| departments.contains(&d.as_str())),
            _ => None,
        };
        Ok(Category {
            code: code.to_owned(),
            parent: parent.map(|p| p.code.clone()),
            kind,
            name_zh_hans,
            name_zh_hant,
            name_en,
            deadline_days,
            requires_link: self.requires_link.or(parent.map(|p| p.requires_link)).unwrap_or(false),
            requires_location: self
                .requires_location
                .or(parent.map(|p| p.requires_location))
                .unwrap_or(kind == CategoryKind::Offline),
            default_department,
            active: true,
        })
    }
}

impl CategoryPatch {
    /// The category after the patch, checked against `taxonomy` and the active `departments`.
    /// Retiring a category with an active subcategory, or restoring one under a retired parent,
    /// is refused.
    pub fn apply(&self, current: &Category, taxonomy: &Taxonomy, departments: &[&str]) -> Result<Category, FieldError> {
        let mut next = current.clone();
        if let Some(name) = &self.name_zh_hans {
            next.name_zh_hans = check_name("name_zh_hans", name)?;
        }
        if let Some(name) = &self.name_zh_hant {
            next.name_zh_hant = check_name("name_zh_hant", name)?;
        }
        if let Some(name) = &self.name_en {
            next.name_en = check_name("name_en", name)?;
        }
        if let Some(days) = self.deadline_days {
            next.deadline_days = check_days(days)?;
        }
        if let Some(link) = self.requires_link {
            next.requires_link = link;
        }
        if let Some(location) = self.requires_location {
            next.requires_location = location;
        }
        if let Some(department) = &self.default_department {
            next.default_department =
                if department.trim().is_empty() { None } else { Some(check_department(department, departments)?) };
        }
        if let Some(active) = self.active {
            if current.active && !active && taxonomy.children(&current.code).any(|c| c.active) {
                return Err(FieldError::new("active", ErrorCode::StillInUse));
            }
            if !current.active && active && current.parent.as_deref().is_some_and(|p| taxonomy.selectable(p).is_none())
            {
                return Err(FieldError::new("active", ErrorCode::ParentInvalid));
            }
            next.active = active;
        }
        Ok(next)
    }
}

impl NewEntry {
    /// The district to store; `taken` says whether a code exists already (retired ones too).
    pub fn district(&self, taken: bool, count: usize, offices: &OfficeTree) -> Result<District, FieldError> {
        let (code, [name_zh_hans, name_zh_hant, name_en]) = self.check(taken, count)?;
        let office = entry_office(self.office.as_deref(), offices)?;
        Ok(District { code, name_zh_hans, name_zh_hant, name_en, active: true, office })
    }

    /// The department to store; `taken` says whether a code exists already (retired ones too).
    pub fn department(&self, taken: bool, count: usize, offices: &OfficeTree) -> Result<Department, FieldError> {
        let (code, [name_zh_hans, name_zh_hant, name_en]) = self.check(taken, count)?;
        let office = entry_office(self.office.as_deref(), offices)?.unwrap_or_else(|| crate::office::ROOT.to_owned());
        Ok(Department { code, name_zh_hans, name_zh_hant, name_en, active: true, office })
    }

    fn check(&self, taken: bool, count: usize) -> Result<(String, [String; 3]), FieldError> {
        let code = self.code.trim();
        check_code(code)?;
        if taken {
            return Err(FieldError::new("code", ErrorCode::CodeTaken));
        }
        if count >= MAX_ENTRIES {
            return Err(FieldError::new("code", ErrorCode::TooManyItems));
        }
        Ok((
            code.to_owned(),
            [
                check_name("name_zh_hans", &self.name_zh_hans)?,
                check_name("name_zh_hant", &self.name_zh_hant)?,
                check_name("name_en", &self.name_en)?,
            ],
        ))
    }
}

/// Writes the names a patch gives (simplified, traditional, English) into `slots`, each checked.
pub(crate) fn patch_names(given: [&Option<String>; 3], slots: [&mut String; 3]) -> Result<(), FieldError> {
    for ((field, given), slot) in ["name_zh_hans", "name_zh_hant", "name_en"].into_iter().zip(given).zip(slots) {
        if let Some(name) = given {
            *slot = check_name(field, name)?;
        }
    }
    Ok(())
}

impl EntryPatch {
    fn names(&self, names: [&mut String; 3]) -> Result<(), FieldError> {
        patch_names([&self.name_zh_hans, &self.name_zh_hant, &self.name_en], names)
    }

    /// The district after the patch. Routing rules naming a retired district stop matching new
    /// reports and its old cases keep its name, but a poster (channel) that fills it in would
    /// send every scan into a refusal: retiring one that `channels` active channels name is refused.
    pub fn district(&self, current: &District, channels: u32, offices: &OfficeTree) -> Result<District, FieldError> {
        let mut next = current.clone();
        self.names([&mut next.name_zh_hans, &mut next.name_zh_hant, &mut next.name_en])?;
        if let Some(office) = &self.office {
            next.office = entry_office(Some(office), offices)?;
        }
        if let Some(active) = self.active {
            if current.active && !active && channels > 0 {
                return Err(FieldError::new("active", ErrorCode::StillInUse));
            }
            next.active = active;
        }
        Ok(next)
    }

    /// The department after the patch. Retiring one that something still uses (`in_use`) is
    /// refused: its open cases would have nobody to answer them, its rules and categories would
    /// route new cases to nobody.
    ///
    /// Its office moves only while nothing uses it: cases below the old office would be left with
    /// a department they may no longer reach.
    pub fn department(
        &self,
        current: &Department,
        in_use: DepartmentUse,
        offices: &OfficeTree,
    ) -> Result<Department, FieldError> {
        let mut next = current.clone();
        self.names([&mut next.name_zh_hans, &mut next.name_zh_hant, &mut next.name_en])?;
        if let Some(office) = &self.office {
            let office = entry_office(Some(office), offices)?.unwrap_or_else(|| crate::office::ROOT.to_owned());
            if office != current.office && in_use.any() {
                return Err(FieldError::new("office", ErrorCode::StillInUse));
            }
            next.office = office;
        }
        if let Some(active) = self.active {
            if current.active && !active && in_use.any() {
                return Err(FieldError::new("active", ErrorCode::StillInUse));
            }
            next.active = active;
        }
        Ok(next)
    }
}
