//! The result of screening one text: plain data, serialisable, stored with the report.
//!
//! *API boundary:* these types are what the app shows and the worker stores; every offset is
//! in Unicode scalar values (Rust `char`s) of the original text, end exclusive. JavaScript
//! strings count UTF-16 units, so a browser caller that highlights spans must convert (only
//! characters outside the BMP differ).

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::fingerprint::Fingerprint;

/// Everything the engine found in one text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Screening {
    /// Dictionary hits, in text order, non-overlapping.
    pub matches: Vec<TermMatch>,
    /// Personal information, in text order.
    pub pii: Vec<PiiFinding>,
    /// Links, in text order.
    pub links: Vec<Link>,
    /// Suggested category code (from the matched terms), if any term matched.
    pub category: Option<String>,
    /// Suggested handling priority.
    pub priority: Priority,
    /// Whether the text looks like junk (see [`JunkReason`]).
    pub junk: bool,
    /// Why it looks like junk.
    pub junk_reason: Option<JunkReason>,
    /// Near-duplicate fingerprint of the folded text: only from
    /// [`Engine::screen_with_fingerprint`](crate::Engine::screen_with_fingerprint) (what the
    /// worker stores); [`Engine::screen`](crate::Engine::screen) leaves it out (`None`, and absent
    /// from the JSON).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<Fingerprint>,
    /// Version of the engine that screened the text ([`crate::ENGINE_VERSION`]).
    pub engine_version: String,
    /// Version of the rule pack (`label@contenthash`).
    pub rule_pack_version: String,
}

/// A dictionary hit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermMatch {
    /// The term as matched, in folded form (simplified, lower-case, separators removed).
    /// Shared with the engine's per-rule cache (`Arc<str>`, serialised as a plain string): a
    /// rule's spelling is allocated on its first hit only, later hits share it.
    pub term: Arc<str>,
    /// Category code of the term. Shared with the engine's category table (`Arc<str>`, serialised
    /// as a plain string) so that a hit costs no allocation for it: dense texts have a hit every
    /// few characters.
    pub category: Arc<str>,
    /// 1 (mild) to 5 (most severe).
    pub severity: u8,
    /// First character of the hit in the original text.
    pub start: u32,
    /// One past the last character of the hit in the original text.
    pub end: u32,
    /// The term is on the protected list.
    pub protected: bool,
    /// The term is a threat of violence or self-harm cue.
    pub urgent: bool,
}

/// Kinds of personal information.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PiiKind {
    /// Mainland mobile number (11 digits, 1[3-9]…), optionally with 86.
    Mobile,
    /// 18-digit resident identity card number with a valid date and check digit.
    IdNumber,
    /// Bank card number, 16–19 digits, passing the Luhn check.
    BankCard,
    /// E-mail address.
    Email,
}

/// Personal information found in the text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PiiFinding {
    /// What it is.
    pub kind: PiiKind,
    /// First character in the original text.
    pub start: u32,
    /// One past the last character in the original text.
    pub end: u32,
    /// A masked rendering safe to show staff (e.g. `138****5678`).
    pub masked: String,
}

/// Platforms a link can point to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Platform {
    /// 微博
    Weibo,
    /// 抖音
    Douyin,
    /// 微信 (公众号 articles, channels)
    Wechat,
    /// 快手
    Kuaishou,
    /// 哔哩哔哩
    Bilibili,
    /// 小红书
    Xiaohongshu,
    /// 知乎
    Zhihu,
    /// 百度 (incl. 贴吧, 百家号)
    Baidu,
    /// QQ / QQ 空间
    Qq,
    /// 今日头条
    Toutiao,
    /// 豆瓣
    Douban,
    /// 西瓜视频
    Ixigua,
    /// 拼多多
    Pinduoduo,
    /// 淘宝 / 天猫
    Taobao,
    /// 京东
    Jd,
}

/// A link found in the text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    /// The link as written (full-width characters narrowed).
    pub url: String,
    /// Host name, lower-case, if one could be read.
    pub host: Option<String>,
    /// Platform the host belongs to.
    pub platform: Option<Platform>,
    /// The host is a URL shortener: the target is unknown until followed.
    pub shortener: bool,
    /// The link is malformed (bad scheme, missing or invalid host).
    pub malformed: bool,
    /// First character in the original text.
    pub start: u32,
    /// One past the last character in the original text.
    pub end: u32,
}

/// Handling priority.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    /// Junk or nothing found.
    Low,
    /// Something found.
    Normal,
    /// A severe term (severity 4 or 5).
    High,
    /// A threat of violence or a self-harm cue: handle first.
    Urgent,
}

/// Why a text counts as junk.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JunkReason {
    /// No letters, digits or ideographs at all.
    NoContent,
    /// Fewer than [`crate::JUNK_MIN_CHARS`] letters, digits or ideographs.
    TooShort,
    /// Mostly one or two characters repeated (啊啊啊啊, 哈哈哈哈哈).
    Repeated,
}

/// Renders `text` with every PII finding replaced by its masked form, for showing the
/// reporter what would be sent if they choose to mask, or for public-facing copies.
pub fn mask_pii(text: &str, pii: &[PiiFinding]) -> String {
    let mut findings: Vec<&PiiFinding> = pii.iter().collect();
    findings.sort_by_key(|f| f.start);
    let mut out = String::with_capacity(text.len());
    let mut next = findings.into_iter().peekable();
    let mut skip_until = 0u32;
    for (idx, c) in (0u32..).zip(text.chars()) {
        if let Some(finding) = next.peek()
            && finding.start == idx
        {
            out.push_str(&finding.masked);
            skip_until = finding.end;
            next.next();
        }
        if idx >= skip_until {
            out.push(c);
        }
    }
    out
}
