//! Verdicts: what a refutation concludes about a claim (谣言, 不实, 误导, 片面, 属实 …).
//!
//! Verdicts are data, like categories: a deployment keeps its list in D1 (`refutation_verdicts`,
//! seeded by migration 0006 from [`Verdict::default_set`]). Each carries the rating that schema.org
//! `ClaimReview` wants, from [`WORST_RATING`] (false) to [`BEST_RATING`] (true).

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

/// The rating of a completely false claim.
pub const WORST_RATING: u8 = 1;
/// The rating of a true claim.
pub const BEST_RATING: u8 = 5;

/// One verdict an editor may choose.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    /// Stable machine code, e.g. `rumour`.
    pub code: String,
    /// Name in simplified Chinese.
    pub name_zh_hans: String,
    /// Name in traditional Chinese.
    pub name_zh_hant: String,
    /// Name in English.
    pub name_en: String,
    /// `ClaimReview` rating, [`WORST_RATING`]..=[`BEST_RATING`].
    pub rating: u8,
}

impl Verdict {
    /// The verdict's name in `lang`.
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::ZhHans => &self.name_zh_hans,
            Lang::ZhHant => &self.name_zh_hant,
            Lang::En => &self.name_en,
        }
    }

    /// The default list, worst rating first: 谣言, 不实, 误导, 片面, 属实.
    pub fn default_set() -> Vec<Verdict> {
        let rows = [
            ("rumour", "谣言", "謠言", "Rumour", 1),
            ("false", "不实", "不實", "False", 2),
            ("misleading", "误导", "誤導", "Misleading", 3),
            ("one_sided", "片面", "片面", "One-sided", 4),
            ("true", "属实", "屬實", "True", 5),
        ];
        rows.into_iter()
            .map(|(code, hans, hant, en, rating)| Verdict {
                code: code.to_owned(),
                name_zh_hans: hans.to_owned(),
                name_zh_hant: hant.to_owned(),
                name_en: en.to_owned(),
                rating,
            })
            .collect()
    }

    /// The `INSERT` that seeds `verdicts` into `refutation_verdicts` (migration 0006 holds its output).
    pub fn to_sql(verdicts: &[Verdict]) -> String {
        let q = |s: &str| format!("'{}'", s.replace('\'', "''"));
        let mut sql = String::new();
        for (position, v) in verdicts.iter().enumerate() {
            sql.push_str(&format!(
                "INSERT INTO refutation_verdicts (code, name_zh_hans, name_zh_hant, name_en, rating, position) VALUES ({}, {}, {}, {}, {}, {position});\n",
                q(&v.code),
                q(&v.name_zh_hans),
                q(&v.name_zh_hant),
                q(&v.name_en),
                v.rating
            ));
        }
        sql
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_migration_seeds_the_default_set() {
        let migration = include_str!("../../../migrations/0006_refutations.sql");
        for line in Verdict::to_sql(&Verdict::default_set()).lines() {
            assert!(migration.contains(line), "migration 0006 lacks: {line}");
        }
    }

    #[test]
    fn ratings_span_worst_to_best() {
        let set = Verdict::default_set();
        assert_eq!(set.first().map(|v| v.rating), Some(WORST_RATING));
        assert_eq!(set.last().map(|v| v.rating), Some(BEST_RATING));
        assert!(set.iter().all(|v| (WORST_RATING..=BEST_RATING).contains(&v.rating)));
    }
}
