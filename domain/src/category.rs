//! The report taxonomy: categories and districts are deployment data, not code.
//!
//! The defaults below follow the national reporting centre's classes plus the offline
//! "uncivil behaviour" board; a deployment stores its own set in D1 and the worker serves it.
//! `migrations/0002_default_taxonomy.sql` is generated from these defaults (see
//! `examples/default_taxonomy_sql.rs`) and a test keeps the two in step.

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

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

/// One kind of report, with what it asks of the reporter and how long staff have to handle it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    /// Stable machine code, e.g. `fraud`. Never shown to users.
    pub code: String,
    /// Online or offline.
    pub kind: CategoryKind,
    /// Name in simplified Chinese.
    pub name_zh_hans: String,
    /// Name in traditional Chinese.
    pub name_zh_hant: String,
    /// Name in English.
    pub name_en: String,
    /// Calendar days staff have to close a case of this category once accepted.
    pub deadline_days: u32,
    /// The reporter must give at least one link to the offending content.
    pub requires_link: bool,
    /// The reporter must say where it happened (a district).
    pub requires_location: bool,
    /// Code of the department that usually handles it, if any.
    pub default_department: Option<String>,
}

impl Category {
    /// The category's name in `lang`.
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::ZhHans => &self.name_zh_hans,
            Lang::ZhHant => &self.name_zh_hant,
            Lang::En => &self.name_en,
        }
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
}

impl District {
    /// The district's name in `lang`.
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::ZhHans => &self.name_zh_hans,
            Lang::ZhHant => &self.name_zh_hant,
            Lang::En => &self.name_en,
        }
    }
}

/// A deployment's categories and districts, in display order.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Taxonomy {
    /// Categories in display order.
    pub categories: Vec<Category>,
    /// Districts in display order.
    pub districts: Vec<District>,
}

impl Taxonomy {
    /// Looks a category up by its code.
    pub fn category(&self, code: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.code == code)
    }

    /// Looks a district up by its code.
    pub fn district(&self, code: &str) -> Option<&District> {
        self.districts.iter().find(|d| d.code == code)
    }

    /// The default taxonomy shipped with Qinglang: the national classes and a demo city's districts.
    pub fn default_set() -> Taxonomy {
        use CategoryKind::{Offline, Online};
        // (code, kind, 简, 繁, English, deadline days, link?, location?, department)
        // (code, kind, 简, 繁, English, deadline days, link?, location?, department)
        type Row =
            (&'static str, CategoryKind, &'static str, &'static str, &'static str, u32, bool, bool, &'static str);
        let rows: [Row; 20] = [
            ("political", Online, "政治有害", "政治有害", "Politically harmful", 7, true, false, "cac"),
            ("terror", Online, "暴恐", "暴恐", "Violence and terrorism", 3, true, false, "police"),
            ("fraud", Online, "诈骗", "詐騙", "Fraud", 7, false, false, "police"),
            ("porn", Online, "色情", "色情", "Pornography", 7, true, false, "cac"),
            ("vulgar", Online, "低俗", "低俗", "Vulgar content", 15, true, false, "cac"),
            ("gambling", Online, "赌博", "賭博", "Gambling", 7, true, false, "police"),
            (
                "infringement",
                Online,
                "侵权（个人、企业）",
                "侵權（個人、企業）",
                "Infringement (people and companies)",
                15,
                true,
                false,
                "cac",
            ),
            ("rumor", Online, "谣言", "謠言", "Rumour", 7, true, false, "cac"),
            ("cyberbullying", Online, "网络暴力", "網路暴力", "Cyberbullying", 7, true, false, "cac"),
            ("fandom", Online, "饭圈乱象", "飯圈亂象", "Toxic fan culture", 15, true, false, "cac"),
            ("minors", Online, "侵害未成年人", "侵害未成年人", "Harm to minors", 3, false, false, "police"),
            ("privacy", Online, "个人信息泄露", "個人資訊洩露", "Personal data leak", 7, false, false, "cac"),
            ("water_army", Online, "网络水军", "網路水軍", "Paid posting (water army)", 15, true, false, "cac"),
            ("other_online", Online, "其他", "其他", "Other online", 15, false, false, "cac"),
            ("spitting", Offline, "随地吐痰", "隨地吐痰", "Spitting", 10, false, true, "urban"),
            ("red_light", Offline, "闯红灯", "闖紅燈", "Running a red light", 10, false, true, "traffic"),
            ("no_helmet", Offline, "不戴头盔", "不戴頭盔", "Riding without a helmet", 10, false, true, "traffic"),
            ("environment", Offline, "破坏环境", "破壞環境", "Damaging the environment", 10, false, true, "ecology"),
            (
                "minors_netcafe",
                Offline,
                "网吧接纳未成年人",
                "網咖接納未成年人",
                "Internet café admitting minors",
                5,
                false,
                true,
                "culture",
            ),
            (
                "other_offline",
                Offline,
                "其他不文明行为",
                "其他不文明行為",
                "Other uncivil behaviour",
                10,
                false,
                true,
                "urban",
            ),
        ];
        let categories = rows
            .into_iter()
            .map(|(code, kind, hans, hant, en, days, link, location, dept)| Category {
                code: code.to_owned(),
                kind,
                name_zh_hans: hans.to_owned(),
                name_zh_hant: hant.to_owned(),
                name_en: en.to_owned(),
                deadline_days: days,
                requires_link: link,
                requires_location: location,
                default_department: Some(dept.to_owned()),
            })
            .collect();
        let districts = [
            ("dongcheng", "东城区", "東城區", "Dongcheng"),
            ("xicheng", "西城区", "西城區", "Xicheng"),
            ("nanshan", "南山区", "南山區", "Nanshan"),
            ("beihu", "北湖区", "北湖區", "Beihu"),
            ("gaoxin", "高新区", "高新區", "Hi-tech Zone"),
            ("binhai", "滨海新区", "濱海新區", "Binhai New Area"),
        ]
        .into_iter()
        .map(|(code, hans, hant, en)| District {
            code: code.to_owned(),
            name_zh_hans: hans.to_owned(),
            name_zh_hant: hant.to_owned(),
            name_en: en.to_owned(),
        })
        .collect();
        Taxonomy { categories, districts }
    }

    /// SQL that loads this taxonomy into the D1 tables of `migrations/0001_init.sql`.
    /// Quotes are doubled, so any name is safe inside the literal.
    pub fn to_sql(&self) -> String {
        fn lit(s: &str) -> String {
            format!("'{}'", s.replace('\'', "''"))
        }
        let mut sql = String::from(
            "-- Generated by `cargo run -p qinglang-domain --example default_taxonomy_sql`; do not edit.\n",
        );
        for (position, c) in self.categories.iter().enumerate() {
            let kind = match c.kind {
                CategoryKind::Online => "online",
                CategoryKind::Offline => "offline",
            };
            let dept = c.default_department.as_deref().map_or_else(|| "NULL".to_owned(), lit);
            sql.push_str(&format!(
                "INSERT INTO categories (code, kind, name_zh_hans, name_zh_hant, name_en, deadline_days, requires_link, requires_location, default_department, position) VALUES ({}, '{kind}', {}, {}, {}, {}, {}, {}, {dept}, {position});\n",
                lit(&c.code),
                lit(&c.name_zh_hans),
                lit(&c.name_zh_hant),
                lit(&c.name_en),
                c.deadline_days,
                u8::from(c.requires_link),
                u8::from(c.requires_location),
            ));
        }
        for (position, d) in self.districts.iter().enumerate() {
            sql.push_str(&format!(
                "INSERT INTO districts (code, name_zh_hans, name_zh_hant, name_en, position) VALUES ({}, {}, {}, {}, {position});\n",
                lit(&d.code),
                lit(&d.name_zh_hans),
                lit(&d.name_zh_hant),
                lit(&d.name_en),
            ));
        }
        sql
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_set_has_unique_codes_and_all_names() {
        let t = Taxonomy::default_set();
        assert_eq!(t.categories.len(), 20);
        let mut codes: Vec<&str> = t.categories.iter().map(|c| c.code.as_str()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), t.categories.len());
        for c in &t.categories {
            for lang in Lang::ALL {
                assert!(!c.name(lang).is_empty(), "{} lacks a {lang:?} name", c.code);
            }
            assert!(c.deadline_days > 0);
            // Offline behaviours happen somewhere; the reporter must say where.
            assert_eq!(c.kind == CategoryKind::Offline, c.requires_location, "{}", c.code);
        }
    }

    #[test]
    fn migration_matches_default_set() {
        let committed = include_str!("../../migrations/0002_default_taxonomy.sql");
        assert_eq!(
            committed,
            Taxonomy::default_set().to_sql(),
            "regenerate with: cargo run -p qinglang-domain --example default_taxonomy_sql > migrations/0002_default_taxonomy.sql"
        );
    }

    #[test]
    fn sql_literals_escape_quotes() {
        let mut t = Taxonomy::default_set();
        t.districts[0].name_en = "O'Brien'); DROP TABLE reports; --".to_owned();
        assert!(t.to_sql().contains("'O''Brien''); DROP TABLE reports; --'"));
    }
}
