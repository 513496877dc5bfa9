//! Routing rules: which department a case should be transferred to, by category and district.
//!
//! The console proposes the routed department when a handler opens the transfer dialog; the handler
//! may still pick another. Rules are deployment data edited by admins.

use serde::{Deserialize, Serialize};

use crate::taxonomy::Category;

/// One rule. A missing category or district matches any; a rule with neither is the default.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoutingRule {
    /// Category code the rule applies to, or any.
    #[serde(default)]
    pub category: Option<String>,
    /// District code the rule applies to, or any.
    #[serde(default)]
    pub district: Option<String>,
    /// Department code the matching cases go to.
    pub department: String,
}

impl RoutingRule {
    /// How specific the rule is for a case whose category is `ancestry[0]` (its parents after it),
    /// or `None` when it does not match. Higher ranks win: a rule on the case's own category beats
    /// one on its parent, which beats one on no category; at each level a rule naming the district
    /// beats one that does not. Category outranks district because the category decides which kind
    /// of authority acts (police, traffic, the office itself), the district only which branch of it.
    fn rank(&self, ancestry: &[&str], district: Option<&str>) -> Option<(usize, bool)> {
        if self.district.as_deref().is_some_and(|d| district != Some(d)) {
            return None;
        }
        let level = match self.category.as_deref() {
            None => 0,
            Some(c) => ancestry.len() - ancestry.iter().position(|a| *a == c)?,
        };
        Some((level, self.district.is_some()))
    }
}

/// The department the most specific matching rule names for a case of the category `ancestry[0]`
/// (a rule on one of its parents matches too); among equally specific rules the first in `rules`
/// wins, so the admin's ordering breaks ties.
pub fn route<'a>(rules: &'a [RoutingRule], ancestry: &[&str], district: Option<&str>) -> Option<&'a str> {
    best(rules.iter(), ancestry, district).map(|r| r.department.as_str())
}

/// The highest-ranked of `rules` (the first of equals).
fn best<'a>(
    rules: impl Iterator<Item = &'a RoutingRule>,
    ancestry: &[&str],
    district: Option<&str>,
) -> Option<&'a RoutingRule> {
    let mut best: Option<((usize, bool), &RoutingRule)> = None;
    for rule in rules {
        if let Some(rank) = rule.rank(ancestry, district)
            && best.is_none_or(|(b, _)| rank > b)
        {
            best = Some((rank, rule));
        }
    }
    best.map(|(_, r)| r)
}

/// The department to propose for a transfer of a case whose category and parents are `ancestry`
/// (the category first, `Taxonomy::ancestry`). Level by level from the category up: a rule on that
/// category, else its default department; then the rules on no category. So a subcategory an admin
/// gives its own department routes there even when its parent has a rule.
pub fn propose_department<'a>(
    rules: &'a [RoutingRule],
    ancestry: &[&'a Category],
    district: Option<&str>,
) -> Option<&'a str> {
    for category in ancestry {
        let code = category.code.as_str();
        let own = rules.iter().filter(|r| r.category.as_deref() == Some(code));
        if let Some(rule) = best(own, &[code], district) {
            return Some(&rule.department);
        }
        if let Some(department) = category.default_department.as_deref() {
            return Some(department);
        }
    }
    best(rules.iter().filter(|r| r.category.is_none()), &[], district).map(|r| r.department.as_str())
}

/// The department to propose in an office network: the rules of the office holding the case, then
/// of each office above it (`local`, nearest first, the root excluded) — the first office with a
/// matching rule decides, its most specific rule winning — and last [`propose_department`] with the
/// root office's rules and the categories' default departments.
pub fn propose_in_network<'a>(
    local: &[&'a [RoutingRule]],
    root_rules: &'a [RoutingRule],
    ancestry: &[&'a Category],
    district: Option<&str>,
) -> Option<&'a str> {
    let codes: Vec<&str> = ancestry.iter().map(|c| c.code.as_str()).collect();
    for rules in local {
        if let Some(rule) = best(rules.iter(), &codes, district) {
            return Some(&rule.department);
        }
    }
    propose_department(root_rules, ancestry, district)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::taxonomy::Taxonomy;

    fn rule(category: Option<&str>, district: Option<&str>, department: &str) -> RoutingRule {
        RoutingRule {
            category: category.map(str::to_owned),
            district: district.map(str::to_owned),
            department: department.to_owned(),
        }
    }

    #[test]
    fn the_most_specific_rule_wins_whatever_the_order() {
        let rules = [
            rule(None, None, "office"),
            rule(None, Some("nanshan"), "nanshan_office"),
            rule(Some("red_light"), None, "traffic"),
            rule(Some("red_light"), Some("nanshan"), "nanshan_traffic"),
            rule(Some("red_light"), Some("nanshan"), "shadowed"),
            rule(None, Some("futian"), "futian_office"),
            rule(None, Some("futian"), "shadowed_too"),
        ];
        // (category, district, department)
        let table = [
            ("red_light", Some("nanshan"), Some("nanshan_traffic")),
            ("red_light", Some("futian"), Some("traffic")),
            ("red_light", None, Some("traffic")),
            ("spitting", Some("nanshan"), Some("nanshan_office")),
            ("spitting", Some("futian"), Some("futian_office")),
            ("spitting", Some("luohu"), Some("office")),
            ("spitting", None, Some("office")),
        ];
        for (category, district, want) in table {
            assert_eq!(route(&rules, &[category], district), want, "{category} {district:?}");
            let mut reversed = rules.to_vec();
            reversed.reverse();
            let got = route(&reversed, &[category], district);
            // Reversing changes only which of two equally specific rules wins.
            if want != Some("nanshan_traffic") && want != Some("futian_office") {
                assert_eq!(got, want, "reversed {category} {district:?}");
            }
        }
    }

    #[test]
    fn no_rule_means_no_route_and_the_category_default_is_proposed() {
        let rules = [rule(Some("fraud"), None, "police")];
        assert_eq!(route(&rules, &["rumor"], Some("nanshan")), None);
        assert_eq!(route(&[], &["rumor"], None), None);
        let taxonomy = Taxonomy::default_set();
        assert_eq!(propose_department(&rules, &taxonomy.ancestry("rumor"), None), Some("cac"));
        let fraud = taxonomy.ancestry("fraud");
        assert_eq!(propose_department(&[rule(Some("fraud"), None, "anti_fraud")], &fraud, None), Some("anti_fraud"));
    }

    #[test]
    fn a_subcategory_routes_by_its_own_rule_then_its_own_department_then_its_parents() {
        let taxonomy = Taxonomy::default_set();
        // 食品药品谣言 goes to market regulation although 谣言 (its parent) has a rule for the office.
        let food = taxonomy.ancestry("rumor_food");
        assert_eq!(food.iter().map(|c| c.code.as_str()).collect::<Vec<_>>(), ["rumor_food", "rumor"]);
        let parent_rule = [rule(Some("rumor"), None, "cac"), rule(None, None, "cac")];
        assert_eq!(propose_department(&parent_rule, &food, None), Some("market"));
        // Its own rule (here for one district) beats its default department.
        let own = [rule(Some("rumor_food"), Some("nanshan"), "nanshan_market"), rule(Some("rumor"), None, "cac")];
        assert_eq!(propose_department(&own, &food, Some("nanshan")), Some("nanshan_market"));
        assert_eq!(propose_department(&own, &food, Some("beihu")), Some("market"));
        // Without a department of its own a subcategory follows its parent's rule.
        let mut bare = Taxonomy::default_set();
        bare.categories.iter_mut().filter(|c| c.code == "rumor_food").for_each(|c| c.default_department = None);
        assert_eq!(propose_department(&parent_rule, &bare.ancestry("rumor_food"), None), Some("cac"));
        // route(): a rule on the subcategory beats one on its parent, which beats a district-only rule.
        let rules = [rule(None, Some("nanshan"), "district"), rule(Some("rumor"), None, "parent")];
        assert_eq!(route(&rules, &["rumor_food", "rumor"], Some("nanshan")), Some("parent"));
        let rules = [rule(Some("rumor"), Some("nanshan"), "parent_here"), rule(Some("rumor_food"), None, "own")];
        assert_eq!(route(&rules, &["rumor_food", "rumor"], Some("nanshan")), Some("own"));
        assert_eq!(route(&rules, &["rumor_health", "rumor"], Some("nanshan")), Some("parent_here"));
    }

    #[test]
    fn the_nearest_office_with_a_matching_rule_decides() {
        let t = Taxonomy::default_set();
        let ancestry = t.ancestry("red_light");
        let street = [rule(None, Some("beihu"), "beihu_street_office")];
        let county = [rule(Some("red_light"), None, "county_traffic"), rule(None, None, "county_office")];
        let root = [rule(Some("red_light"), Some("nanshan"), "nanshan_traffic")];
        // The street's rule does not match a nanshan case; the county's does, before the root's
        // more specific one.
        assert_eq!(propose_in_network(&[&street, &county], &root, &ancestry, Some("nanshan")), Some("county_traffic"));
        assert_eq!(
            propose_in_network(&[&street, &county], &root, &ancestry, Some("beihu")),
            Some("beihu_street_office")
        );
        // No office below the root has a rule: the root's rules, then the category's department.
        assert_eq!(propose_in_network(&[&[]], &root, &ancestry, Some("nanshan")), Some("nanshan_traffic"));
        assert_eq!(propose_in_network(&[], &[], &ancestry, None), Some("traffic"));
    }
}
