//! Staff accounts, sessions and failed sign-ins.

use qinglang_domain::api::{StaffName, StaffProfile};
use qinglang_domain::workflow::{Reach, Role, Staff, StaffId};
use serde::Deserialize;
use worker::D1Database;

use super::{int, opt_text, text};
use crate::auth::SignedIn;
use crate::error::ApiError;

/// A stored password hash (PBKDF2-HMAC-SHA256, hex).
pub struct PasswordHash {
    /// Derived key, hex.
    pub hash: String,
    /// Salt, hex.
    pub salt: String,
    /// Iterations it was derived with.
    pub iterations: u32,
}

/// An active account found by username, with its password hash.
pub struct Account {
    /// The account.
    pub profile: StaffProfile,
    /// Its password hash.
    pub password: PasswordHash,
}

#[derive(Deserialize)]
struct StaffRow {
    id: i64,
    username: String,
    display_name: String,
    role: String,
    department: Option<String>,
    office: String,
    password_hash: String,
    password_salt: String,
    password_iterations: u32,
}

#[derive(Deserialize)]
struct SessionRow {
    id: i64,
    username: String,
    display_name: String,
    role: String,
    department: Option<String>,
    office: String,
    csrf_token: String,
    expires_at: i64,
}

fn profile(
    id: i64,
    username: String,
    display_name: String,
    role: &str,
    department: Option<String>,
    office: String,
) -> Result<StaffProfile, ApiError> {
    let role = Role::from_name(role).ok_or_else(|| ApiError::Internal(format!("unknown role {role:?}")))?;
    Ok(StaffProfile { id: StaffId(id), username, display_name, role, department, office })
}

/// The active account called `username`.
pub async fn find_active(db: &D1Database, username: &str) -> Result<Option<Account>, ApiError> {
    let row: Option<StaffRow> = db
        .prepare(
            "SELECT id, username, display_name, role, department, office, password_hash, password_salt, \
             password_iterations FROM staff WHERE username = ?1 AND active = 1",
        )
        .bind(&[text(username)])?
        .first(None)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let password =
        PasswordHash { hash: row.password_hash, salt: row.password_salt, iterations: row.password_iterations };
    let profile = profile(row.id, row.username, row.display_name, &row.role, row.department, row.office)?;
    Ok(Some(Account { profile, password }))
}

/// Failed sign-ins for `username` since `since`.
pub async fn recent_failures(db: &D1Database, username: &str, since: i64) -> Result<u32, ApiError> {
    let n: Option<u32> = db
        .prepare("SELECT COUNT(*) AS n FROM staff_signin_failures WHERE username = ?1 AND created_at >= ?2")
        .bind(&[text(username), int(since)])?
        .first(Some("n"))
        .await?;
    Ok(n.unwrap_or(0))
}

/// Records a failed sign-in, and forgets those older than `forget_before`.
pub async fn record_failure(db: &D1Database, username: &str, now: i64, forget_before: i64) -> Result<(), ApiError> {
    db.batch(vec![
        db.prepare("INSERT INTO staff_signin_failures (username, created_at) VALUES (?1, ?2)")
            .bind(&[text(username), int(now)])?,
        db.prepare("DELETE FROM staff_signin_failures WHERE created_at < ?1").bind(&[int(forget_before)])?,
    ])
    .await?;
    Ok(())
}

/// Stores a new session (by its token's hash) and drops this account's expired ones.
pub async fn create_session(
    db: &D1Database,
    staff: StaffId,
    token_hash: &str,
    csrf_token: &str,
    now: i64,
    expires_at: i64,
) -> Result<(), ApiError> {
    db.batch(vec![
        db.prepare("DELETE FROM staff_sessions WHERE staff_id = ?1 AND expires_at <= ?2")
            .bind(&[int(staff.0), int(now)])?,
        db.prepare(
            "INSERT INTO staff_sessions (token_hash, staff_id, csrf_token, created_at, expires_at) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )
        .bind(&[text(token_hash), int(staff.0), text(csrf_token), int(now), int(expires_at)])?,
    ])
    .await?;
    Ok(())
}

/// The live session with this token hash, with its (active) account.
pub async fn session(db: &D1Database, token_hash: &str, now: i64) -> Result<Option<SignedIn>, ApiError> {
    let row: Option<SessionRow> = db
        .prepare(
            "SELECT s.id, s.username, s.display_name, s.role, s.department, s.office, x.csrf_token, x.expires_at \
             FROM staff_sessions x JOIN staff s ON s.id = x.staff_id \
             WHERE x.token_hash = ?1 AND x.expires_at > ?2 AND s.active = 1",
        )
        .bind(&[text(token_hash), int(now)])?
        .first(None)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let profile = profile(row.id, row.username, row.display_name, &row.role, row.department, row.office)?;
    let staff = Staff {
        id: profile.id,
        role: profile.role,
        department: profile.department.clone(),
        office: profile.office.clone(),
        reach: Reach::Own,
    };
    Ok(Some(SignedIn { staff, profile, csrf_token: row.csrf_token, expires_at: row.expires_at }))
}

/// Ends the session with this token hash.
pub async fn delete_session(db: &D1Database, token_hash: &str) -> Result<(), ApiError> {
    db.prepare("DELETE FROM staff_sessions WHERE token_hash = ?1").bind(&[text(token_hash)])?.run().await?;
    Ok(())
}

/// The role of `id` if it is an active account (a handler being assigned).
pub async fn active_role(db: &D1Database, id: StaffId) -> Result<Option<Role>, ApiError> {
    let role: Option<String> = db
        .prepare("SELECT role FROM staff WHERE id = ?1 AND active = 1")
        .bind(&[int(id.0)])?
        .first(Some("role"))
        .await?;
    role.map(|r| Role::from_name(&r).ok_or_else(|| ApiError::Internal(format!("unknown role {r:?}")))).transpose()
}

#[derive(Deserialize)]
struct NameRow {
    id: i64,
    display_name: String,
    role: String,
    department: Option<String>,
    active: u8,
}

impl NameRow {
    fn into_name(self) -> Result<StaffName, ApiError> {
        let role =
            Role::from_name(&self.role).ok_or_else(|| ApiError::Internal(format!("unknown role {:?}", self.role)))?;
        Ok(StaffName {
            id: StaffId(self.id),
            display_name: self.display_name,
            role,
            department: self.department,
            active: self.active == 1,
        })
    }
}

/// The staff directory: the active accounts (of `role`, if given), by name. The columns are chosen
/// here, so no sign-in name or password material can reach the answer.
pub async fn directory(db: &D1Database, role: Option<Role>) -> Result<Vec<StaffName>, ApiError> {
    let rows = db
        .prepare(
            "SELECT id, display_name, role, department, active FROM staff \
             WHERE active = 1 AND (?1 IS NULL OR role = ?1) ORDER BY display_name, id",
        )
        .bind(&[opt_text(role.map(Role::as_str))])?
        .all()
        .await?
        .results::<NameRow>()?;
    rows.into_iter().map(NameRow::into_name).collect()
}

/// The names of the accounts `ids`, active or not (a case page names whoever acted on it). One
/// bound parameter however many ids (a JSON array read by `json_each`).
pub async fn names(db: &D1Database, ids: &[StaffId]) -> Result<Vec<StaffName>, ApiError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = serde_json::to_string(&ids.iter().map(|id| id.0).collect::<Vec<_>>())?;
    let rows = db
        .prepare(
            "SELECT id, display_name, role, department, active FROM staff \
             WHERE id IN (SELECT value FROM json_each(?1)) ORDER BY id",
        )
        .bind(&[text(&list)])?
        .all()
        .await?
        .results::<NameRow>()?;
    rows.into_iter().map(NameRow::into_name).collect()
}

/// The office an active department belongs to; `None` when there is no such active department.
pub async fn department_office(db: &D1Database, code: &str) -> Result<Option<String>, ApiError> {
    Ok(db
        .prepare("SELECT office FROM departments WHERE code = ?1 AND active = 1")
        .bind(&[opt_text(Some(code))])?
        .first(Some("office"))
        .await?)
}
