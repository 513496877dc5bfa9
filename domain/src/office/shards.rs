//! Which D1 database holds the cases of which offices (issue 20). A deployment names, in the
//! worker's `SHARDS` setting, the offices whose subtrees live in a shard of their own:
//! `qingshan=SHARD_1,linhai=SHARD_2`. An office's cases go to the shard of the nearest office at or
//! above it that is named, the control database ([`CONTROL`]) for the rest. A binding named alone
//! (`SHARD_3`) holds no office's new cases but is still read (its cases stay until they move).

use super::OfficeTree;

/// The control database's binding: offices, staff, the taxonomy, refutations, the case directory,
/// and the cases no other shard is named for.
pub const CONTROL: &str = "DB";

/// The parsed `SHARDS` setting.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShardMap {
    /// (office code, binding), in the order given.
    offices: Vec<(String, String)>,
    /// Every binding: [`CONTROL`] first, then each other one once, in the order given.
    bindings: Vec<String>,
}

/// Why a `SHARDS` setting was refused (a deployment's mistake, reported at start-up).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShardMapError(pub String);

fn binding_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

impl ShardMap {
    /// Reads `spec`: comma-separated `office=BINDING` pairs or lone `BINDING`s; blanks are ignored.
    pub fn parse(spec: &str) -> Result<ShardMap, ShardMapError> {
        let mut map = ShardMap { offices: Vec::new(), bindings: vec![CONTROL.to_owned()] };
        for entry in spec.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let (office, binding) = match entry.split_once('=') {
                Some((office, binding)) => (Some(office.trim()), binding.trim()),
                None => (None, entry),
            };
            if !binding_name(binding) {
                return Err(ShardMapError(format!("{entry:?}: a binding is upper-case letters, digits and _")));
            }
            if let Some(office) = office {
                if office.is_empty() || map.offices.iter().any(|(o, _)| o == office) {
                    return Err(ShardMapError(format!("{entry:?}: an office is named once")));
                }
                map.offices.push((office.to_owned(), binding.to_owned()));
            }
            if !map.bindings.iter().any(|b| b == binding) {
                map.bindings.push(binding.to_owned());
            }
        }
        Ok(map)
    }

    /// Every binding to read, [`CONTROL`] first.
    pub fn bindings(&self) -> &[String] {
        &self.bindings
    }

    /// Whether `binding` is one of this map's.
    pub fn knows(&self, binding: &str) -> bool {
        self.bindings.iter().any(|b| b == binding)
    }

    /// The binding that holds the new cases of `office`: that of the nearest office at or above it
    /// named in the map, [`CONTROL`] if none is (an office unknown to `tree` too).
    pub fn of_office<'a>(&'a self, tree: &OfficeTree, office: &str) -> &'a str {
        let chain = tree.ancestry(office);
        let codes = chain.iter().map(|o| o.code.as_str());
        let codes: Vec<&str> = if chain.is_empty() { vec![office] } else { codes.collect() };
        codes
            .into_iter()
            .find_map(|code| self.offices.iter().find(|(o, _)| o == code).map(|(_, b)| b.as_str()))
            .unwrap_or(CONTROL)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::office::{Office, OfficeLevel};

    fn office(code: &str, parent: Option<&str>, level: OfficeLevel) -> Office {
        Office {
            code: code.to_owned(),
            parent: parent.map(str::to_owned),
            level,
            name_zh_hans: code.to_owned(),
            name_zh_hant: code.to_owned(),
            name_en: code.to_owned(),
        }
    }

    fn tree() -> OfficeTree {
        OfficeTree::from_ordered(vec![
            office("root", None, OfficeLevel::Province),
            office("city1", Some("root"), OfficeLevel::City),
            office("county1", Some("city1"), OfficeLevel::County),
            office("city2", Some("root"), OfficeLevel::City),
            office("county2", Some("city2"), OfficeLevel::County),
        ])
    }

    #[test]
    fn an_office_goes_to_the_shard_of_the_nearest_named_office_at_or_above_it() {
        let map = ShardMap::parse(" city1=SHARD_1, county2 = SHARD_2 ,SHARD_3,").expect("a valid setting");
        let t = tree();
        assert_eq!(map.of_office(&t, "county1"), "SHARD_1");
        assert_eq!(map.of_office(&t, "city1"), "SHARD_1");
        assert_eq!(map.of_office(&t, "county2"), "SHARD_2");
        assert_eq!(map.of_office(&t, "city2"), CONTROL);
        assert_eq!(map.of_office(&t, "root"), CONTROL);
        assert_eq!(map.of_office(&t, "nowhere"), CONTROL);
        assert_eq!(map.bindings(), ["DB", "SHARD_1", "SHARD_2", "SHARD_3"]);
        assert!(map.knows("SHARD_3") && !map.knows("SHARD_4"));
    }

    #[test]
    fn the_control_database_can_be_named_and_an_empty_setting_is_one_shard() {
        assert_eq!(ShardMap::parse("").expect("a valid setting").bindings(), ["DB"]);
        let map = ShardMap::parse("city1=SHARD_1,county1=DB").expect("a valid setting");
        assert_eq!(map.of_office(&tree(), "county1"), CONTROL);
        assert_eq!(map.bindings(), ["DB", "SHARD_1"]);
    }

    #[test]
    fn mistakes_are_refused() {
        for bad in ["city1=shard_1", "city1=", "=SHARD_1", "city1=SHARD_1,city1=SHARD_2", "1SHARD", "city1=SHARD-1"] {
            assert!(ShardMap::parse(bad).is_err(), "{bad}");
        }
    }
}
