//! Routing rules, staff accounts (the admin's view) and webhooks.

use qinglang_domain::admin::{CheckedStaff, StaffAccount, WebhookKind};
use qinglang_domain::workflow::{Role, RoutingRule, StaffId};
use serde::Deserialize;
use worker::D1Database;

use super::{int, opt_text, text};
use crate::error::ApiError;

/// The routing rules in the admin's order.
pub async fn routing_rules(db: &D1Database, office: &str) -> Result<Vec<RoutingRule>, ApiError> {
    Ok(db
        .prepare("SELECT category, district, department FROM routing_rules WHERE office = ?1 ORDER BY position, id")
        .bind(&[text(office)])?
        .all()
        .await?
        .results::<RoutingRule>()?)
}

#[derive(Deserialize)]
struct OfficeRuleRow {
    office: String,
    category: Option<String>,
    district: Option<String>,
    department: String,
}

/// The routing rules of each of `offices` (one read), in the same order; an office without rules
/// gets an empty list.
pub async fn routing_rules_of(db: &D1Database, offices: &[&str]) -> Result<Vec<Vec<RoutingRule>>, ApiError> {
    let (list, params) = (
        (1..=offices.len()).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", "),
        offices.iter().map(|o| text(o)).collect::<Vec<_>>(),
    );
    let rows = db
        .prepare(format!(
            "SELECT office, category, district, department FROM routing_rules WHERE office IN ({list}) \
             ORDER BY position, id"
        ))
        .bind(&params)?
        .all()
        .await?
        .results::<OfficeRuleRow>()?;
    Ok(offices
        .iter()
        .map(|office| {
            rows.iter()
                .filter(|r| r.office == *office)
                .map(|r| RoutingRule {
                    category: r.category.clone(),
                    district: r.district.clone(),
                    department: r.department.clone(),
                })
                .collect()
        })
        .collect())
}

/// Replaces `office`'s routing rules with `rules`, atomically (one batch).
pub async fn replace_routing_rules(db: &D1Database, office: &str, rules: &[RoutingRule]) -> Result<(), ApiError> {
    let mut statements = vec![db.prepare("DELETE FROM routing_rules WHERE office = ?1").bind(&[text(office)])?];
    for (i, rule) in rules.iter().enumerate() {
        statements.push(
            db.prepare(
                "INSERT INTO routing_rules (category, district, department, position, office) VALUES (?1, ?2, ?3, ?4, ?5)",
            )
            .bind(&[
                opt_text(rule.category.as_deref()),
                opt_text(rule.district.as_deref()),
                text(&rule.department),
                int(i as i64),
                text(office),
            ])?,
        );
    }
    db.batch(statements).await?;
    Ok(())
}

#[derive(Deserialize)]
struct AccountRow {
    id: i64,
    username: String,
    display_name: String,
    role: String,
    department: Option<String>,
    active: u8,
    created_at: i64,
    office: String,
}

impl AccountRow {
    fn into_account(self) -> Result<StaffAccount, ApiError> {
        let role =
            Role::from_name(&self.role).ok_or_else(|| ApiError::Internal(format!("unknown role {:?}", self.role)))?;
        Ok(StaffAccount {
            id: StaffId(self.id),
            username: self.username,
            display_name: self.display_name,
            role,
            department: self.department,
            active: self.active == 1,
            created_at: self.created_at,
            office: self.office,
        })
    }
}

const ACCOUNT_COLUMNS: &str = "id, username, display_name, role, department, active, created_at, office";

/// Every staff account, oldest first.
pub async fn accounts(db: &D1Database) -> Result<Vec<StaffAccount>, ApiError> {
    let rows =
        db.prepare(format!("SELECT {ACCOUNT_COLUMNS} FROM staff ORDER BY id")).all().await?.results::<AccountRow>()?;
    rows.into_iter().map(AccountRow::into_account).collect()
}

/// One staff account.
pub async fn account(db: &D1Database, id: StaffId) -> Result<Option<StaffAccount>, ApiError> {
    let row: Option<AccountRow> = db
        .prepare(format!("SELECT {ACCOUNT_COLUMNS} FROM staff WHERE id = ?1"))
        .bind(&[int(id.0)])?
        .first(None)
        .await?;
    row.map(AccountRow::into_account).transpose()
}

/// Creates an account; `None` when the username is taken (the UNIQUE index decides, so two admins
/// creating the same name at once cannot both succeed).
pub async fn create_account(
    db: &D1Database,
    account: &CheckedStaff,
    hash: &str,
    salt: &str,
    iterations: u32,
    now: i64,
) -> Result<Option<StaffAccount>, ApiError> {
    let result = db
        .prepare(
            "INSERT INTO staff (username, display_name, role, department, password_hash, password_salt, \
             password_iterations, created_at, office) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) \
             ON CONFLICT (username) DO NOTHING",
        )
        .bind(&[
            text(&account.username),
            text(&account.display_name),
            text(account.role.as_str()),
            opt_text(account.department.as_deref()),
            text(hash),
            text(salt),
            int(i64::from(iterations)),
            int(now),
            text(&account.office),
        ])?
        .run()
        .await?;
    let changes = result.meta()?.and_then(|m| m.changes).unwrap_or(0);
    if changes == 0 {
        return Ok(None);
    }
    let row: Option<AccountRow> = db
        .prepare(format!("SELECT {ACCOUNT_COLUMNS} FROM staff WHERE username = ?1"))
        .bind(&[text(&account.username)])?
        .first(None)
        .await?;
    row.map(AccountRow::into_account).transpose()
}

/// Writes an account's role, department and active flag; a disabled account's sessions end in the
/// same batch, so it cannot keep working from an open console.
pub async fn update_account(db: &D1Database, account: &StaffAccount) -> Result<(), ApiError> {
    let mut statements =
        vec![db.prepare("UPDATE staff SET role = ?2, department = ?3, active = ?4 WHERE id = ?1").bind(&[
            int(account.id.0),
            text(account.role.as_str()),
            opt_text(account.department.as_deref()),
            int(i64::from(account.active)),
        ])?];
    if !account.active {
        statements.push(db.prepare("DELETE FROM staff_sessions WHERE staff_id = ?1").bind(&[int(account.id.0)])?);
    }
    db.batch(statements).await?;
    Ok(())
}

/// A stored webhook.
#[derive(Deserialize)]
pub struct WebhookRow {
    /// Id.
    pub id: i64,
    /// `wecom`, `dingtalk`, `feishu` or `generic`.
    pub kind: String,
    /// Full URL, with its token.
    pub url: String,
    /// The admin's name for it.
    pub label: String,
    /// The office whose digest it is sent.
    pub office: String,
    /// When it was added.
    pub created_at: i64,
}

impl WebhookRow {
    /// The kind, checked.
    pub fn kind(&self) -> Result<WebhookKind, ApiError> {
        WebhookKind::from_name(&self.kind)
            .ok_or_else(|| ApiError::Internal(format!("unknown webhook kind {:?}", self.kind)))
    }
}

/// Every webhook, oldest first.
pub async fn webhooks(db: &D1Database) -> Result<Vec<WebhookRow>, ApiError> {
    Ok(db
        .prepare("SELECT id, kind, url, label, office, created_at FROM webhooks ORDER BY id")
        .all()
        .await?
        .results::<WebhookRow>()?)
}

/// A webhook to add, checked.
pub struct NewHook<'a> {
    /// Which robot.
    pub kind: WebhookKind,
    /// The checked URL.
    pub url: &'a str,
    /// The admin's name for it.
    pub label: &'a str,
    /// The office whose digest it is sent.
    pub office: &'a str,
}

/// Adds a webhook unless its office has `max` already; its id, or `None` when full.
pub async fn add_webhook(
    db: &D1Database,
    hook: &NewHook<'_>,
    by: StaffId,
    now: i64,
    max: usize,
) -> Result<Option<i64>, ApiError> {
    let result = db
        .prepare(
            "INSERT INTO webhooks (kind, url, label, office, created_by, created_at) \
             SELECT ?1, ?2, ?3, ?7, ?4, ?5 WHERE (SELECT COUNT(*) FROM webhooks WHERE office = ?7) < ?6",
        )
        .bind(&[
            text(hook.kind.as_str()),
            text(hook.url),
            text(hook.label),
            int(by.0),
            int(now),
            int(max as i64),
            text(hook.office),
        ])?
        .run()
        .await?;
    let meta = result.meta()?;
    if meta.as_ref().and_then(|m| m.changes).unwrap_or(0) == 0 {
        return Ok(None);
    }
    Ok(meta.and_then(|m| m.last_row_id))
}

/// Deletes a webhook; whether it existed.
pub async fn delete_webhook(db: &D1Database, id: i64) -> Result<bool, ApiError> {
    let result = db.prepare("DELETE FROM webhooks WHERE id = ?1").bind(&[int(id)])?.run().await?;
    Ok(result.meta()?.and_then(|m| m.changes).unwrap_or(0) > 0)
}
