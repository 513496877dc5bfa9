//! The admin's settings: staff accounts, routing rules and the digest's webhooks — their request
//! bodies and the rules that decide whether a change is acceptable. Pure: the worker passes in what it
//! loaded (the departments, the taxonomy, the account being changed).
//!
//! API boundary: requests deny unknown fields; every refusal is a [`FieldError`] naming the field.

use serde::{Deserialize, Serialize};

use crate::error::ErrorCode;
use crate::report::FieldError;
use crate::taxonomy::Taxonomy;
use crate::workflow::{Role, RoutingRule, StaffId};

/// The shortest password the console accepts (the create-admin command uses the same).
pub const MIN_PASSWORD_CHARS: usize = 12;

/// The longest password: PBKDF2 hashes anything, but nobody types more.
pub const MAX_PASSWORD_CHARS: usize = 256;

/// The longest display name.
pub const MAX_DISPLAY_NAME_CHARS: usize = 40;

/// The most routing rules a deployment keeps (one per category and district is 120 by default).
pub const MAX_ROUTING_RULES: usize = 1000;

/// The most webhooks the digest posts to.
pub const MAX_WEBHOOKS: usize = 20;

pub use crate::taxonomy::Department;

/// A staff account as the admin's list shows it (`GET /api/admin/staff`). Never the password hash.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffAccount {
    /// Account id.
    pub id: StaffId,
    /// Sign-in name.
    pub username: String,
    /// Name shown in the console.
    pub display_name: String,
    /// What the account may do.
    pub role: Role,
    /// A liaison's department.
    #[serde(default)]
    pub department: Option<String>,
    /// Whether it may sign in.
    pub active: bool,
    /// When it was created.
    pub created_at: i64,
    /// The office it belongs to.
    #[serde(default = "root_office")]
    pub office: String,
}

fn root_office() -> String {
    crate::office::ROOT.to_owned()
}

/// `POST /api/admin/staff`: a new account with its initial password.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewStaff {
    /// Sign-in name: 3–32 of `a-z 0-9 . _ -`, starting with a letter.
    pub username: String,
    /// Name shown in the console and the audit trail.
    pub display_name: String,
    /// The role.
    pub role: Role,
    /// Required for a liaison, refused for every other role.
    #[serde(default)]
    pub department: Option<String>,
    /// The initial password, at least [`MIN_PASSWORD_CHARS`] characters.
    pub password: String,
    /// The office it belongs to (`GET /api/offices`); the root office when left out.
    #[serde(default)]
    pub office: Option<String>,
}

/// `PATCH /api/admin/staff/{id}`: enable or disable an account, change its role or department.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaffPatch {
    /// `false` disables the account (its sessions end at once).
    #[serde(default)]
    pub active: Option<bool>,
    /// A new role.
    #[serde(default)]
    pub role: Option<Role>,
    /// A new department (for a liaison).
    #[serde(default)]
    pub department: Option<String>,
}

/// Checks a sign-in name.
pub fn check_username(username: &str) -> Result<(), FieldError> {
    let ok = (3..=32).contains(&username.len())
        && username.starts_with(|c: char| c.is_ascii_lowercase())
        && username.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    if ok { Ok(()) } else { Err(FieldError::new("username", ErrorCode::UsernameInvalid)) }
}

/// Checks a password's length in characters.
pub fn check_password(password: &str) -> Result<(), FieldError> {
    let n = password.chars().count();
    if n < MIN_PASSWORD_CHARS {
        return Err(FieldError::new("password", ErrorCode::PasswordTooShort));
    }
    if n > MAX_PASSWORD_CHARS {
        return Err(FieldError::new("password", ErrorCode::FieldTooLong));
    }
    Ok(())
}

/// The department an account of `role` keeps: a liaison's must be one of `departments`; any other
/// role has none (a stale binding would be ignored by the workflow but would mislead the admin).
fn department_for(role: Role, department: Option<&str>, departments: &[&str]) -> Result<Option<String>, FieldError> {
    if role != Role::Liaison {
        return Ok(None);
    }
    let department = department.map(str::trim).filter(|d| !d.is_empty());
    let department = department.ok_or_else(|| FieldError::new("department", ErrorCode::DepartmentRequired))?;
    if !departments.contains(&department) {
        return Err(FieldError::new("department", ErrorCode::UnknownDepartment));
    }
    Ok(Some(department.to_owned()))
}

/// A new account's checked fields: trimmed display name and the department it keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedStaff {
    /// Sign-in name.
    pub username: String,
    /// Trimmed display name.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Department (liaisons only).
    pub department: Option<String>,
    /// Its office.
    pub office: String,
}

/// Checks a new account against the active `departments` and the `offices`. The username's
/// uniqueness is D1's job.
pub fn check_new_staff(
    input: &NewStaff,
    departments: &[&str],
    offices: &crate::office::OfficeTree,
) -> Result<CheckedStaff, FieldError> {
    check_username(&input.username)?;
    let display_name = crate::text::written(&input.display_name);
    if display_name.is_empty() || display_name.chars().count() > MAX_DISPLAY_NAME_CHARS {
        return Err(FieldError::new("display_name", ErrorCode::DisplayNameInvalid));
    }
    let department = department_for(input.role, input.department.as_deref(), departments)?;
    check_password(&input.password)?;
    let office = match input.office.as_deref().map(str::trim).filter(|o| !o.is_empty()) {
        None => crate::office::ROOT.to_owned(),
        Some(code) => offices
            .get(code)
            .map(|o| o.code.clone())
            .ok_or_else(|| FieldError::new("office", ErrorCode::UnknownOffice))?,
    };
    Ok(CheckedStaff { username: input.username.clone(), display_name, role: input.role, department, office })
}

/// The account after `patch`, as `me` asked for it. An admin cannot disable or re-role their own
/// account, so the last admin can never lock everyone out by accident.
pub fn patch_staff(
    current: &StaffAccount,
    patch: &StaffPatch,
    me: StaffId,
    departments: &[&str],
) -> Result<StaffAccount, FieldError> {
    let role = patch.role.unwrap_or(current.role);
    let active = patch.active.unwrap_or(current.active);
    if current.id == me && (role != current.role || !active) {
        return Err(FieldError::new(if active { "role" } else { "active" }, ErrorCode::OwnAccount));
    }
    let department = patch.department.as_deref().or(current.department.as_deref());
    let department = department_for(role, department, departments)?;
    Ok(StaffAccount { role, active, department, ..current.clone() })
}

/// `PUT /api/admin/routing-rules`: the whole rule list, in the admin's order.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoutingRules {
    /// The rules; among equally specific matches the first wins.
    pub rules: Vec<RoutingRule>,
}

/// Checks a rule list: every code exists, and no two rules have the same category and district
/// (the second could never win, which is always a mistake). Codes are trimmed; empty means any.
pub fn check_routing_rules(
    rules: &[RoutingRule],
    taxonomy: &Taxonomy,
    departments: &[&str],
) -> Result<Vec<RoutingRule>, FieldError> {
    if rules.len() > MAX_ROUTING_RULES {
        return Err(FieldError::new("rules", ErrorCode::TooManyItems));
    }
    let mut checked: Vec<RoutingRule> = Vec::with_capacity(rules.len());
    for (i, rule) in rules.iter().enumerate() {
        let clean = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
        let category = clean(&rule.category);
        let district = clean(&rule.district);
        let department = rule.department.trim().to_owned();
        if category.as_deref().is_some_and(|c| taxonomy.category(c).is_none()) {
            return Err(FieldError::new(format!("rules.{i}.category"), ErrorCode::UnknownCategory));
        }
        if district.as_deref().is_some_and(|d| !taxonomy.districts.iter().any(|x| x.code == d)) {
            return Err(FieldError::new(format!("rules.{i}.district"), ErrorCode::UnknownDistrict));
        }
        if !departments.contains(&department.as_str()) {
            return Err(FieldError::new(format!("rules.{i}.department"), ErrorCode::UnknownDepartment));
        }
        if checked.iter().any(|r| r.category == category && r.district == district) {
            return Err(FieldError::new(format!("rules.{i}"), ErrorCode::DuplicateRule));
        }
        checked.push(RoutingRule { category, district, department });
    }
    Ok(checked)
}

/// What the settings log records changes of.
pub const SETTINGS_SUBJECTS: [&str; 7] =
    ["category", "district", "department", "deadlines", "calendar", "campaign", "office"];

/// The most log rows one page of `GET /api/admin/changes` answers.
pub const MAX_CHANGES_PAGE: u32 = 100;

/// One row of the settings log (`GET /api/admin/changes`): who changed which setting, when, and
/// the row before and after.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsChange {
    /// Row id; newer changes have larger ids.
    pub id: i64,
    /// When (ms since the epoch).
    pub at: i64,
    /// The admin's display name.
    pub by: String,
    /// One of [`SETTINGS_SUBJECTS`].
    pub subject: String,
    /// The code (or id, or year) of what changed.
    pub code: String,
    /// Created, changed, retired or restored.
    pub action: crate::taxonomy::edit::ChangeAction,
    /// The row before, as JSON text (none for a creation).
    #[serde(default)]
    pub before: Option<String>,
    /// The row after, as JSON text.
    pub after: String,
}

/// A page of the settings log, newest first.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SettingsChanges {
    /// The changes, newest first.
    pub changes: Vec<SettingsChange>,
    /// Pass as `before` for the next (older) page; absent on the last page.
    #[serde(default)]
    pub next: Option<i64>,
}

/// Which robot a webhook feeds, and so the JSON it is sent.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WebhookKind {
    /// 企业微信 group robot: `{"msgtype":"markdown","markdown":{"content":…}}`.
    Wecom,
    /// 钉钉 robot: `{"msgtype":"markdown","markdown":{"title":…,"text":…}}`.
    Dingtalk,
    /// 飞书 bot: `{"msg_type":"text","content":{"text":…}}`.
    Feishu,
    /// Our own JSON: the digest itself.
    Generic,
}

impl WebhookKind {
    /// Every kind.
    pub const ALL: [WebhookKind; 4] =
        [WebhookKind::Wecom, WebhookKind::Dingtalk, WebhookKind::Feishu, WebhookKind::Generic];

    /// The snake_case name stored in D1.
    pub fn as_str(self) -> &'static str {
        match self {
            WebhookKind::Wecom => "wecom",
            WebhookKind::Dingtalk => "dingtalk",
            WebhookKind::Feishu => "feishu",
            WebhookKind::Generic => "generic",
        }
    }

    /// Reads the stored name back.
    pub fn from_name(name: &str) -> Option<WebhookKind> {
        WebhookKind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

/// `POST /api/admin/webhooks`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewWebhook {
    /// Which robot.
    pub kind: WebhookKind,
    /// Where to post: `https://…`, or `http://127.0.0.1:<port>/…` where loopback is allowed (local dev).
    pub url: String,
    /// A name for the list.
    #[serde(default)]
    pub label: String,
    /// The office whose daily digest it is sent (its own office or one below it); the admin's
    /// own office when absent.
    #[serde(default)]
    pub office: Option<String>,
}

/// A webhook as `GET /api/admin/webhooks` lists it: the URL masked, since it carries the token.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookView {
    /// Id, for deleting.
    pub id: i64,
    /// Which robot.
    pub kind: WebhookKind,
    /// Scheme, host and path; the query string's values replaced by `***`.
    pub url: String,
    /// The admin's name for it.
    pub label: String,
    /// The office whose digest it is sent.
    #[serde(default = "root_office")]
    pub office: String,
    /// When it was added.
    pub created_at: i64,
}

/// The longest webhook URL.
pub const MAX_WEBHOOK_URL_CHARS: usize = 1000;

/// Checks a webhook URL: `https://host/…` with a plausible host name, or — only when
/// `allow_loopback` (local development and tests) — `http://127.0.0.1[:port]/…`. No credentials,
/// no spaces, no fragments. Returns the URL as given.
pub fn check_webhook_url(url: &str, allow_loopback: bool) -> Result<String, FieldError> {
    let bad = || FieldError::new("url", ErrorCode::WebhookUrlInvalid);
    if url.len() > MAX_WEBHOOK_URL_CHARS
        || url.chars().any(|c| c.is_whitespace() || c.is_control())
        || url.contains('#')
    {
        return Err(bad());
    }
    let (rest, loopback_only) = if let Some(rest) = url.strip_prefix("https://") {
        (rest, false)
    } else if let Some(rest) = url.strip_prefix("http://") {
        (rest, true)
    } else {
        return Err(bad());
    };
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    if authority.contains('@') {
        return Err(bad());
    }
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    };
    if port.is_some_and(|p| p.is_empty() || p.len() > 5 || !p.bytes().all(|b| b.is_ascii_digit())) {
        return Err(bad());
    }
    if loopback_only {
        return if allow_loopback && host == "127.0.0.1" { Ok(url.to_owned()) } else { Err(bad()) };
    }
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    let labels: Vec<&str> = host.split('.').collect();
    let tld_ok = labels.last().is_some_and(|t| t.bytes().any(|b| b.is_ascii_alphabetic()));
    if labels.len() < 2 || !labels.iter().all(|l| label_ok(l)) || !tld_ok {
        return Err(bad());
    }
    Ok(url.to_owned())
}

/// The URL without its secrets: every query value becomes `***` (WeCom, DingTalk and Feishu carry the
/// token in the query or the last path segment, which is shortened to its first 4 characters).
pub fn mask_webhook_url(url: &str) -> String {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let base = match base.rsplit_once('/') {
        Some((head, last)) if last.len() > 8 => {
            format!("{head}/{}***", &last[..last.char_indices().nth(4).map_or(last.len(), |(i, _)| i)])
        }
        _ => base.to_owned(),
    };
    if query.is_empty() {
        return base;
    }
    let masked: Vec<String> = query.split('&').map(|p| format!("{}=***", p.split('=').next().unwrap_or(""))).collect();
    format!("{base}?{}", masked.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEPARTMENTS: [&str; 3] = ["cac", "police", "traffic"];

    fn new_staff(username: &str, role: Role, department: Option<&str>, password: &str) -> NewStaff {
        NewStaff {
            username: username.to_owned(),
            display_name: " 王小明 ".to_owned(),
            role,
            department: department.map(str::to_owned),
            password: password.to_owned(),
            office: None,
        }
    }

    #[test]
    fn new_accounts() {
        let pw = "correct horse battery";
        let ok = check_new_staff(
            &new_staff("wang.xm", Role::Liaison, Some("police"), pw),
            &DEPARTMENTS,
            &crate::office::OfficeTree::default(),
        )
        .expect("ok");
        assert_eq!((ok.display_name.as_str(), ok.department.as_deref()), ("王小明", Some("police")));
        let handler = check_new_staff(
            &new_staff("h1", Role::Handler, Some("police"), pw),
            &DEPARTMENTS,
            &crate::office::OfficeTree::default(),
        );
        assert_eq!(handler.map(|s| s.department), Err(FieldError::new("username", ErrorCode::UsernameInvalid)));
        let handler = check_new_staff(
            &new_staff("h01", Role::Handler, Some("police"), pw),
            &DEPARTMENTS,
            &crate::office::OfficeTree::default(),
        )
        .expect("ok");
        assert_eq!(handler.department, None, "only liaisons keep a department");
        // (username, role, department, password, refused field, code)
        let table = [
            ("Wang", Role::Handler, None, pw, "username", ErrorCode::UsernameInvalid),
            ("1abc", Role::Handler, None, pw, "username", ErrorCode::UsernameInvalid),
            ("ab", Role::Handler, None, pw, "username", ErrorCode::UsernameInvalid),
            ("a b c", Role::Handler, None, pw, "username", ErrorCode::UsernameInvalid),
            ("liaison", Role::Liaison, None, pw, "department", ErrorCode::DepartmentRequired),
            ("liaison", Role::Liaison, Some(" "), pw, "department", ErrorCode::DepartmentRequired),
            ("liaison", Role::Liaison, Some("mars"), pw, "department", ErrorCode::UnknownDepartment),
            ("handler", Role::Handler, None, "short", "password", ErrorCode::PasswordTooShort),
            ("handler", Role::Handler, None, "一二三四五六七八九十十", "password", ErrorCode::PasswordTooShort),
        ];
        for (username, role, department, password, field, code) in table {
            let got = check_new_staff(
                &new_staff(username, role, department, password),
                &DEPARTMENTS,
                &crate::office::OfficeTree::default(),
            );
            assert_eq!(got, Err(FieldError::new(field, code)), "{username} {role:?} {department:?}");
        }
        let mut blank = new_staff("blank", Role::Editor, None, pw);
        blank.display_name = "  ".to_owned();
        assert_eq!(
            check_new_staff(&blank, &DEPARTMENTS, &crate::office::OfficeTree::default()),
            Err(FieldError::new("display_name", ErrorCode::DisplayNameInvalid))
        );
        assert!(check_password(&"字".repeat(12)).is_ok(), "characters, not bytes");
    }

    fn account(id: i64, role: Role, department: Option<&str>) -> StaffAccount {
        StaffAccount {
            id: StaffId(id),
            username: format!("user{id}"),
            display_name: "x".to_owned(),
            role,
            department: department.map(str::to_owned),
            active: true,
            created_at: 0,
            office: crate::office::ROOT.to_owned(),
        }
    }

    #[test]
    fn patches() {
        let me = StaffId(1);
        let liaison = account(2, Role::Liaison, Some("police"));
        let to_handler = StaffPatch { role: Some(Role::Handler), ..StaffPatch::default() };
        let after = patch_staff(&liaison, &to_handler, me, &DEPARTMENTS).expect("ok");
        assert_eq!((after.role, after.department), (Role::Handler, None));
        let moved = StaffPatch { department: Some("traffic".to_owned()), ..StaffPatch::default() };
        assert_eq!(patch_staff(&liaison, &moved, me, &DEPARTMENTS).expect("ok").department.as_deref(), Some("traffic"));
        let to_liaison = StaffPatch { role: Some(Role::Liaison), ..StaffPatch::default() };
        assert_eq!(
            patch_staff(&account(3, Role::Handler, None), &to_liaison, me, &DEPARTMENTS),
            Err(FieldError::new("department", ErrorCode::DepartmentRequired))
        );
        let disable = StaffPatch { active: Some(false), ..StaffPatch::default() };
        assert!(!patch_staff(&liaison, &disable, me, &DEPARTMENTS).expect("ok").active);
        let admin = account(1, Role::Admin, None);
        assert_eq!(
            patch_staff(&admin, &disable, me, &DEPARTMENTS),
            Err(FieldError::new("active", ErrorCode::OwnAccount))
        );
        assert_eq!(
            patch_staff(&admin, &to_handler, me, &DEPARTMENTS),
            Err(FieldError::new("role", ErrorCode::OwnAccount))
        );
        assert!(patch_staff(&admin, &StaffPatch::default(), me, &DEPARTMENTS).is_ok(), "a no-op on oneself is fine");
    }

    fn rule(category: Option<&str>, district: Option<&str>, department: &str) -> RoutingRule {
        RoutingRule {
            category: category.map(str::to_owned),
            district: district.map(str::to_owned),
            department: department.to_owned(),
        }
    }

    #[test]
    fn routing_rule_lists() {
        let taxonomy = Taxonomy::default_set();
        let rules =
            [rule(Some(" fraud "), Some(""), "police"), rule(None, Some("nanshan"), "cac"), rule(None, None, "cac")];
        let checked = check_routing_rules(&rules, &taxonomy, &DEPARTMENTS).expect("ok");
        assert_eq!(checked[0], rule(Some("fraud"), None, "police"));
        // (rules, refused field, code)
        let table = [
            (vec![rule(Some("nope"), None, "cac")], "rules.0.category", ErrorCode::UnknownCategory),
            (
                vec![rule(None, None, "cac"), rule(None, Some("mars"), "cac")],
                "rules.1.district",
                ErrorCode::UnknownDistrict,
            ),
            (vec![rule(Some("fraud"), None, "fbi")], "rules.0.department", ErrorCode::UnknownDepartment),
            (
                vec![rule(Some("fraud"), None, "police"), rule(Some("fraud"), Some(" "), "cac")],
                "rules.1",
                ErrorCode::DuplicateRule,
            ),
        ];
        for (rules, field, code) in table {
            assert_eq!(
                check_routing_rules(&rules, &taxonomy, &DEPARTMENTS),
                Err(FieldError::new(field, code)),
                "{rules:?}"
            );
        }
        let too_many = vec![rule(None, None, "cac"); MAX_ROUTING_RULES + 1];
        assert_eq!(
            check_routing_rules(&too_many, &taxonomy, &DEPARTMENTS),
            Err(FieldError::new("rules", ErrorCode::TooManyItems))
        );
    }

    #[test]
    fn webhook_urls() {
        let ok = [
            ("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc", false),
            ("https://oapi.dingtalk.com/robot/send?access_token=x", false),
            ("https://open.feishu.cn/open-apis/bot/v2/hook/1234-abcd", false),
            ("https://hooks.example.org:8443/x", false),
            ("http://127.0.0.1:8787/hook", true),
        ];
        for (url, loopback) in ok {
            assert_eq!(check_webhook_url(url, loopback).as_deref(), Ok(url), "{url}");
        }
        let bad = [
            ("http://127.0.0.1:8787/hook", false),
            ("http://example.com/hook", true),
            ("http://localhost:1/x", true),
            ("http://127.0.0.2/x", true),
            ("ftp://example.com/x", true),
            ("https://user:pw@example.com/x", false),
            ("https://example/x", false),
            ("https://192.168.1.1/x", false),
            ("https://exa mple.com/x", false),
            ("https://example.com:99999x/x", false),
            ("https://-bad.com/x", false),
            ("https://example.com/x#frag", false),
            ("javascript:alert(1)", true),
        ];
        for (url, loopback) in bad {
            assert_eq!(
                check_webhook_url(url, loopback),
                Err(FieldError::new("url", ErrorCode::WebhookUrlInvalid)),
                "{url}"
            );
        }
    }

    #[test]
    fn masked_urls_keep_no_token() {
        assert_eq!(
            mask_webhook_url("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx"),
            "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***"
        );
        assert_eq!(
            mask_webhook_url("https://open.feishu.cn/open-apis/bot/v2/hook/1234abcd-5678-efgh"),
            "https://open.feishu.cn/open-apis/bot/v2/hook/1234***"
        );
        assert_eq!(mask_webhook_url("http://127.0.0.1:9/hook"), "http://127.0.0.1:9/hook");
    }
}
