//! The languages Qinglang speaks and how a request picks one.

use serde::{Deserialize, Serialize};

/// A user-facing language. Simplified Chinese is the default everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Lang {
    /// 简体中文.
    #[default]
    #[serde(rename = "zh-Hans")]
    ZhHans,
    /// 繁體中文.
    #[serde(rename = "zh-Hant")]
    ZhHant,
    /// English.
    #[serde(rename = "en")]
    En,
}

impl Lang {
    /// Every language, in the order the language switch shows them.
    pub const ALL: [Lang; 3] = [Lang::ZhHans, Lang::ZhHant, Lang::En];

    /// The BCP 47 tag used in `lang` attributes and in settings.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::ZhHans => "zh-Hans",
            Lang::ZhHant => "zh-Hant",
            Lang::En => "en",
        }
    }

    /// Reads one language tag (`zh-TW`, `zh-Hant-HK`, `en-GB`, `zh-CN` …).
    /// Returns `None` for languages we do not speak.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let tag = tag.trim().to_ascii_lowercase();
        if tag.starts_with("en") {
            return Some(Lang::En);
        }
        if !tag.starts_with("zh") {
            return None;
        }
        // Traditional script is used in Taiwan, Hong Kong and Macau unless a script says otherwise.
        let traditional = tag.contains("hant")
            || ((tag.contains("-tw") || tag.contains("-hk") || tag.contains("-mo")) && !tag.contains("hans"));
        Some(if traditional { Lang::ZhHant } else { Lang::ZhHans })
    }

    /// Picks the first language we speak from an `Accept-Language` header or a
    /// `navigator.languages` list joined by commas, ignoring quality weights' order
    /// (browsers already list them by preference).
    pub fn negotiate(header: &str) -> Lang {
        header.split(',').filter_map(|part| part.split(';').next()).find_map(Lang::from_tag).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiates_from_browser_lists() {
        let table = [
            ("zh-CN,zh;q=0.9,en;q=0.8", Lang::ZhHans),
            ("zh-TW,zh;q=0.9", Lang::ZhHant),
            ("zh-Hant-HK", Lang::ZhHant),
            ("zh-Hans-HK", Lang::ZhHans),
            ("en-GB,en;q=0.9", Lang::En),
            ("fr-FR,de;q=0.5", Lang::ZhHans),
            ("", Lang::ZhHans),
            ("fr, zh-HK;q=0.5", Lang::ZhHant),
        ];
        for (header, want) in table {
            assert_eq!(Lang::negotiate(header), want, "{header}");
        }
    }
}
