//! Routing rules: which department a case should be transferred to, by category and district.
//!
//! The console proposes the routed department when a handler opens the transfer dialog; the handler
//! may still pick another. Rules are deployment data edited by admins.

use serde::{Deserialize, Serialize};

use crate::category::Category;

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
    /// How specific the rule is: category and district (3) > category (2) > district (1) > default (0).
    /// Category outranks district because the category decides which kind of authority acts (police,
    /// traffic, the office itself), the district only which branch of it.
    fn specificity(&self) -> u8 {
        match (&self.category, &self.district) {
            (Some(_), Some(_)) => 3,
            (Some(_), None) => 2,
            (None, Some(_)) => 1,
            (None, None) => 0,
        }
    }

    fn matches(&self, category: &str, district: Option<&str>) -> bool {
        let category_ok = self.category.as_deref().is_none_or(|c| c == category);
        let district_ok = match self.district.as_deref() {
            None => true,
            Some(d) => district == Some(d),
        };
        category_ok && district_ok
    }
}

/// The department the most specific matching rule names; among equally specific rules the first in
/// `rules` wins, so the admin's ordering breaks ties.
pub fn route<'a>(rules: &'a [RoutingRule], category: &str, district: Option<&str>) -> Option<&'a str> {
    let mut best: Option<&RoutingRule> = None;
    for rule in rules.iter().filter(|r| r.matches(category, district)) {
        if best.is_none_or(|b| rule.specificity() > b.specificity()) {
            best = Some(rule);
        }
    }
    best.map(|r| r.department.as_str())
}

/// The department to propose for a transfer: the routed one, else the category's default department.
pub fn propose_department<'a>(
    rules: &'a [RoutingRule],
    category: &'a Category,
    district: Option<&str>,
) -> Option<&'a str> {
    route(rules, &category.code, district).or(category.default_department.as_deref())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::category::Taxonomy;

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
            assert_eq!(route(&rules, category, district), want, "{category} {district:?}");
            let mut reversed = rules.to_vec();
            reversed.reverse();
            let got = route(&reversed, category, district);
            // Reversing changes only which of two equally specific rules wins.
            if want != Some("nanshan_traffic") && want != Some("futian_office") {
                assert_eq!(got, want, "reversed {category} {district:?}");
            }
        }
    }

    #[test]
    fn no_rule_means_no_route_and_the_category_default_is_proposed() {
        let rules = [rule(Some("fraud"), None, "police")];
        assert_eq!(route(&rules, "rumor", Some("nanshan")), None);
        assert_eq!(route(&[], "rumor", None), None);
        let taxonomy = Taxonomy::default_set();
        let rumor = taxonomy.category("rumor").expect("default category");
        assert_eq!(propose_department(&rules, rumor, None), Some("cac"));
        let fraud = taxonomy.category("fraud").expect("default category");
        assert_eq!(propose_department(&[rule(Some("fraud"), None, "anti_fraud")], fraud, None), Some("anti_fraud"));
    }
}
