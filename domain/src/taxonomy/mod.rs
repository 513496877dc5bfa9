//! The taxonomy: categories (a tree: category → subcategory → …), districts and departments are
//! deployment data, not code. Admins edit them through the API and the console ([`edit`]); nothing
//! is ever deleted, only retired, so every case keeps a category, district and department that
//! still has a name.
//!
//! The defaults ([`defaults`]) follow the national reporting centre's classes plus the offline
//! "uncivil behaviour" board, with subcategories where they send a case to another department.
//!
//! Invariant: a [`Taxonomy`]'s categories are in tree order — every category comes after its parent
//! and before its parent's next sibling (depth first, siblings by position) — so a list drawn in
//! order is the tree, and `GET /api/categories` serves it like that, each category naming its
//! `parent`.

mod defaults;
pub mod edit;
pub mod import;

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

/// The deepest a category may sit: category (1), subcategory (2), and one more level (3).
pub const MAX_DEPTH: usize = 3;

fn yes() -> bool {
    true
}

/// Reads `active` as JSON's `true`/`false` or as the 1/0 a database row holds, so D1 rows
/// deserialize straight into these types (a small visitor, not an untagged enum: the citizen bundle
/// reads these too).
fn flag<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    struct Flag;
    impl serde::de::Visitor<'_> for Flag {
        type Value = bool;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a boolean or 0/1")
        }
        fn visit_bool<E>(self, v: bool) -> Result<bool, E> {
            Ok(v)
        }
        fn visit_i64<E>(self, v: i64) -> Result<bool, E> {
            Ok(v != 0)
        }
        fn visit_u64<E>(self, v: u64) -> Result<bool, E> {
            Ok(v != 0)
        }
        fn visit_f64<E>(self, v: f64) -> Result<bool, E> {
            Ok(v != 0.0)
        }
    }
    deserializer.deserialize_any(Flag)
}

fn is_true(b: &bool) -> bool {
    *b
}

/// Whether a category is about something online (a post, an account) or in the street.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CategoryKind {
    /// Harmful information or behaviour on the internet.
    Online,
    /// Uncivil behaviour in a physical place (随手拍).
    Offline,
}

impl CategoryKind {
    /// The wire and database name.
    pub fn as_str(self) -> &'static str {
        match self {
            CategoryKind::Online => "online",
            CategoryKind::Offline => "offline",
        }
    }
}

/// One kind of report, with what it asks of the reporter and how long staff have to handle it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    /// Stable machine code, e.g. `fraud`. Never shown to users.
    pub code: String,
    /// The category this one refines (a subcategory's parent); none for a top-level category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Online or offline (a subcategory's is its parent's).
    pub kind: CategoryKind,
    /// Name in simplified Chinese.
    pub name_zh_hans: String,
    /// Name in traditional Chinese.
    pub name_zh_hant: String,
    /// Name in English.
    pub name_en: String,
    /// Days staff have to close a case of this category once accepted.
    pub deadline_days: u32,
    /// The reporter must give at least one link to the offending content.
    pub requires_link: bool,
    /// The reporter must say where it happened (a district).
    pub requires_location: bool,
    /// Code of the department that usually handles it, if any.
    pub default_department: Option<String>,
    /// `false` once retired: kept for the cases filed under it, offered for no new report.
    /// Absent (true) on the wire for an active category.
    #[serde(default = "yes", skip_serializing_if = "is_true", deserialize_with = "flag")]
    pub active: bool,
}

impl Category {
    /// The category's name in `lang`.
    pub fn name(&self, lang: Lang) -> &str {
        pick(lang, &self.name_zh_hans, &self.name_zh_hant, &self.name_en)
    }
}

fn pick<'a>(lang: Lang, hans: &'a str, hant: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::ZhHans => hans,
        Lang::ZhHant => hant,
        Lang::En => en,
    }
}

/// A district of the city, used for routing and for offline reports.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct District {
    /// Stable machine code, e.g. `nanshan`.
    pub code: String,
    /// Name in simplified Chinese.
    pub name_zh_hans: String,
    /// Name in traditional Chinese.
    pub name_zh_hant: String,
    /// Name in English.
    pub name_en: String,
    /// `false` once retired (absent, true, on the wire for an active one).
    #[serde(default = "yes", skip_serializing_if = "is_true", deserialize_with = "flag")]
    pub active: bool,
    /// The office a report from this locality lands at (属地), when no office or poster names one;
    /// absent: the root office.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub office: Option<String>,
}

impl District {
    /// The district's name in `lang`.
    pub fn name(&self, lang: Lang) -> &str {
        pick(lang, &self.name_zh_hans, &self.name_zh_hant, &self.name_en)
    }
}

/// A department cases are transferred to (`GET /api/staff/departments`, the transfer dialog).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Department {
    /// Stable code.
    pub code: String,
    /// Name in simplified Chinese.
    pub name_zh_hans: String,
    /// Name in traditional Chinese.
    pub name_zh_hant: String,
    /// Name in English.
    pub name_en: String,
    /// `false` once retired (absent, true, on the wire for an active one).
    #[serde(default = "yes", skip_serializing_if = "is_true", deserialize_with = "flag")]
    pub active: bool,
    /// The office it belongs to (a county's own 公安分局, the province's 公安厅): the cases of that
    /// office and of every office below it may be sent to it, no others.
    #[serde(default = "root_office")]
    pub office: String,
}

fn root_office() -> String {
    crate::office::ROOT.to_owned()
}

impl Department {
    /// The department's name in `lang`.
    pub fn name(&self, lang: Lang) -> &str {
        pick(lang, &self.name_zh_hans, &self.name_zh_hant, &self.name_en)
    }

    /// Whether a case held by `case_office` may be sent to it: it belongs to that office or one
    /// above it in `tree`.
    pub fn serves(&self, tree: &crate::office::OfficeTree, case_office: &str) -> bool {
        tree.within(case_office, &self.office)
    }
}

/// A deployment's categories (in tree order) and districts (in display order), retired ones
/// included and marked, so an old case still finds its category's name.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Taxonomy {
    /// Categories in tree order: each after its parent, siblings in display order.
    pub categories: Vec<Category>,
    /// Districts in display order.
    pub districts: Vec<District>,
}

impl Taxonomy {
    /// Looks a category up by its code, retired or not (to show a case's category).
    pub fn category(&self, code: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.code == code)
    }

    /// An active category: one a new report, a rule or a campaign may name.
    pub fn selectable(&self, code: &str) -> Option<&Category> {
        self.category(code).filter(|c| c.active)
    }

    /// Looks a district up by its code, retired or not.
    pub fn district(&self, code: &str) -> Option<&District> {
        self.districts.iter().find(|d| d.code == code)
    }

    /// An active district.
    pub fn selectable_district(&self, code: &str) -> Option<&District> {
        self.district(code).filter(|d| d.active)
    }

    /// The category and its ancestors, the category first and its top-level category last; empty
    /// for an unknown code. Bounded by [`MAX_DEPTH`] (and a cycle, which validation never lets in).
    pub fn ancestry(&self, code: &str) -> Vec<&Category> {
        let mut chain = Vec::new();
        let mut next = self.category(code);
        while let Some(category) = next {
            if chain.len() > MAX_DEPTH {
                break;
            }
            chain.push(category);
            next = category.parent.as_deref().and_then(|p| self.category(p));
        }
        chain
    }

    /// How deep the category sits: 1 for a top-level category, 0 for an unknown code.
    pub fn depth(&self, code: &str) -> usize {
        self.ancestry(code).len()
    }

    /// The top-level category a code belongs to (the figures count by it); an unknown code is its
    /// own root.
    pub fn root_of<'a>(&'a self, code: &'a str) -> &'a str {
        self.ancestry(code).last().map_or(code, |c| c.code.as_str())
    }

    /// The direct subcategories of `code`, active or not, in display order.
    pub fn children<'a>(&'a self, code: &'a str) -> impl Iterator<Item = &'a Category> + 'a {
        self.categories.iter().filter(move |c| c.parent.as_deref() == Some(code))
    }

    /// `code` and every category below it, retired ones too (a queue filter on a category shows its
    /// subcategories' cases).
    pub fn subtree(&self, code: &str) -> Vec<&str> {
        let mut codes: Vec<&str> = self.category(code).map(|c| vec![c.code.as_str()]).unwrap_or_default();
        let mut i = 0;
        while i < codes.len() {
            let parent = codes[i];
            codes.extend(self.children(parent).map(|c| c.code.as_str()));
            i += 1;
        }
        codes
    }

    /// Puts `categories` (each with its position among its siblings) in tree order. A category
    /// whose parent is missing is treated as top-level, so a bad row never hides its cases.
    pub fn tree_order(categories: Vec<(Category, i64)>) -> Vec<Category> {
        crate::tree::tree_order(categories, |c| &c.code, |c| c.parent.as_deref())
    }

    /// The default taxonomy shipped with Qinglang: the national classes with subcategories, and a
    /// demo city's districts.
    pub fn default_set() -> Taxonomy {
        defaults::taxonomy()
    }

    /// The default departments (the ones the default categories name).
    pub fn default_departments() -> Vec<Department> {
        defaults::departments()
    }

    /// SQL that loads this taxonomy's top-level categories and its districts into the D1 tables of
    /// `migrations/0001_init.sql` (the content of `migrations/0002_default_taxonomy.sql`).
    pub fn to_sql(&self) -> String {
        defaults::roots_sql(self)
    }

    /// SQL that adds this taxonomy's subcategories (part of `migrations/0013_taxonomy_tree.sql`).
    pub fn subcategories_sql(&self) -> String {
        defaults::subcategories_sql(self)
    }
}

#[cfg(test)]
mod tests;
