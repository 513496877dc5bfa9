//! The admin's settings and the console's reference lists: `GET /api/staff/departments`,
//! `GET|PUT /api/admin/routing-rules`, `GET|POST /api/admin/staff`, `PATCH /api/admin/staff/{id}`,
//! `GET|POST /api/admin/webhooks`, `DELETE /api/admin/webhooks/{id}`.
//!
//! Every handler checks the session (and, for changes, the CSRF token) and then the permission from
//! `workflow::require` before it reads the body, so a forbidden request reads and changes nothing.

use qinglang_domain::ErrorCode;
use qinglang_domain::admin::{self, MAX_WEBHOOKS, NewStaff, NewWebhook, RoutingRules, StaffPatch, WebhookView};
use qinglang_domain::receipt::hex;
use qinglang_domain::workflow::{self, Permission, StaffId};
use worker::{D1Database, Env, Request, Response};

use crate::auth::{self, Csrf, SignedIn};
use crate::error::ApiError;
use crate::{http, random, store};

/// A full routing table of 1,000 rules fits.
const MAX_RULES_BODY_BYTES: usize = 128 * 1024;

/// An account or a webhook fits in far less.
const MAX_BODY_BYTES: usize = 8 * 1024;

/// The signed-in staff member if they have `permission`.
pub(crate) async fn allowed(
    req: &Request,
    db: &D1Database,
    csrf: Csrf,
    permission: Permission,
) -> Result<SignedIn, ApiError> {
    let me = auth::signed_in(req, db, http::now_ms(), csrf).await?;
    workflow::require(&me.staff, permission)?;
    Ok(me)
}

/// The signed-in admin of the root office: the deployment-wide settings (taxonomy, routing rules,
/// deadlines, calendar, campaigns) apply to every office, so only the root office's admins change
/// them. An admin below the root is `403 forbidden` here.
pub(crate) async fn allowed_everywhere(req: &Request, db: &D1Database, csrf: Csrf) -> Result<SignedIn, ApiError> {
    let me = allowed(req, db, csrf, Permission::Administer).await?;
    if me.staff.office != qinglang_domain::office::ROOT {
        return Err(ApiError::client(ErrorCode::Forbidden));
    }
    Ok(me)
}

async fn department_codes(db: &D1Database) -> Result<Vec<String>, ApiError> {
    store::taxonomy::active_department_codes(db).await
}

/// Every department, retired ones marked (`"active": false`: shown on their old cases, offered for
/// nothing new), for the transfer dialog and the settings (every staff role).
pub async fn departments(req: &Request, env: &Env) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    allowed(req, &db, Csrf::NotNeeded, Permission::ListDepartments).await?;
    Ok(http::json(200, &store::taxonomy::departments(&db).await?))
}

/// The routing rules of the admin's office, or of `?office=` in its subtree, in order.
pub async fn routing_rules(req: &Request, env: &Env) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    let me = allowed(req, &db, Csrf::NotNeeded, Permission::Administer).await?;
    let office = super::offices::viewed(&req.url()?, &me.staff, &*store::offices::tree(&db).await?)?;
    Ok(http::json(200, &RoutingRules { rules: store::admin::routing_rules(&db, &office).await? }))
}

/// Replaces the routing rules of the admin's office (or of `?office=` in its subtree) with a
/// checked list; every department a rule names must serve that office.
pub async fn put_routing_rules(mut req: Request, env: &Env) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    let me = allowed(&req, &db, Csrf::Required, Permission::Administer).await?;
    let tree = store::offices::tree(&db).await?;
    let office = super::offices::viewed(&req.url()?, &me.staff, &tree)?;
    let input: RoutingRules = http::read_json(&mut req, MAX_RULES_BODY_BYTES).await?;
    let taxonomy = store::taxonomy::load(&db).await?;
    let departments = store::taxonomy::departments(&db).await?;
    let codes: Vec<&str> =
        departments.iter().filter(|d| d.active && d.serves(&tree, &office)).map(|d| d.code.as_str()).collect();
    let rules = admin::check_routing_rules(&input.rules, &taxonomy, &codes)?;
    store::admin::replace_routing_rules(&db, &office, &rules).await?;
    Ok(http::json(200, &RoutingRules { rules }))
}

/// Every staff account of the admin's office and those below it (never a password hash).
pub async fn staff_list(req: &Request, env: &Env) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    let me = allowed(req, &db, Csrf::NotNeeded, Permission::Administer).await?;
    let tree = store::offices::tree(&db).await?;
    let mut accounts = store::admin::accounts(&db).await?;
    accounts.retain(|a| tree.within(&a.office, &me.staff.office));
    Ok(http::json(200, &accounts))
}

/// Creates an account with its initial password, hashed like create-admin does.
pub async fn create_staff(mut req: Request, env: &Env) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    let me = allowed(&req, &db, Csrf::Required, Permission::Administer).await?;
    let mut input: NewStaff = http::read_json(&mut req, MAX_BODY_BYTES).await?;
    let codes = department_codes(&db).await?;
    let codes: Vec<&str> = codes.iter().map(String::as_str).collect();
    // An admin makes accounts at its own office (the default) or one below it.
    if input.office.as_deref().is_none_or(|o| o.trim().is_empty()) {
        input.office = Some(me.staff.office.clone());
    }
    let tree = store::offices::tree(&db).await?;
    let checked = admin::check_new_staff(&input, &codes, &tree)?;
    if !tree.within(&checked.office, &me.staff.office) {
        return Err(ApiError::Client { code: ErrorCode::Forbidden, field: Some("office".to_owned()) });
    }
    let salt = random::bytes::<16>()?;
    let hash = auth::pbkdf2_hex(&input.password, &salt, auth::PBKDF2_ITERATIONS).await?;
    let created =
        store::admin::create_account(&db, &checked, &hash, &hex(&salt), auth::PBKDF2_ITERATIONS, http::now_ms())
            .await?
            .ok_or(ApiError::Client { code: ErrorCode::UsernameTaken, field: Some("username".to_owned()) })?;
    Ok(http::json(201, &created))
}

/// Disables or enables an account, or changes its role or department.
pub async fn patch_staff(mut req: Request, env: &Env, id: &str) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    let me = allowed(&req, &db, Csrf::Required, Permission::Administer).await?;
    let id = StaffId(id.parse().map_err(|_| ApiError::client(ErrorCode::NotFound))?);
    let input: StaffPatch = http::read_json(&mut req, MAX_BODY_BYTES).await?;
    let tree = store::offices::tree(&db).await?;
    // Another office's account is as unknown as a missing one.
    let current = store::admin::account(&db, id)
        .await?
        .filter(|a| tree.within(&a.office, &me.staff.office))
        .ok_or(ApiError::client(ErrorCode::NotFound))?;
    let codes = department_codes(&db).await?;
    let codes: Vec<&str> = codes.iter().map(String::as_str).collect();
    let after = admin::patch_staff(&current, &input, me.staff.id, &codes)?;
    store::admin::update_account(&db, &after).await?;
    Ok(http::json(200, &after))
}

fn view(row: store::admin::WebhookRow) -> Result<WebhookView, ApiError> {
    Ok(WebhookView {
        id: row.id,
        kind: row.kind()?,
        url: admin::mask_webhook_url(&row.url),
        label: row.label,
        office: row.office,
        created_at: row.created_at,
    })
}

/// The webhooks of the admin's office and those below it, URLs masked.
pub async fn webhooks(req: &Request, env: &Env) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    let me = allowed(req, &db, Csrf::NotNeeded, Permission::Administer).await?;
    let tree = store::offices::tree(&db).await?;
    let views = store::admin::webhooks(&db)
        .await?
        .into_iter()
        .filter(|w| tree.within(&w.office, &me.staff.office))
        .map(view)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(http::json(200, &views))
}

/// Whether webhooks may point at `http://127.0.0.1` (local development and tests only): the
/// `WEBHOOK_ALLOW_LOOPBACK` variable set to `1`, never set in `wrangler.toml`.
pub fn loopback_allowed(env: &Env) -> bool {
    env.var("WEBHOOK_ALLOW_LOOPBACK").map(|v| v.to_string() == "1").unwrap_or(false)
}

/// Adds a webhook after checking its URL.
pub async fn add_webhook(mut req: Request, env: &Env) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    let me = allowed(&req, &db, Csrf::Required, Permission::Administer).await?;
    let input: NewWebhook = http::read_json(&mut req, MAX_BODY_BYTES).await?;
    let url = admin::check_webhook_url(input.url.trim(), loopback_allowed(env))?;
    let label: String = input.label.trim().chars().take(40).collect();
    let tree = store::offices::tree(&db).await?;
    let office = match input.office.as_deref().map(str::trim) {
        None | Some("") => me.staff.office.clone(),
        Some(code) if tree.get(code).is_none() => {
            return Err(ApiError::Client { code: ErrorCode::UnknownOffice, field: Some("office".to_owned()) });
        }
        Some(code) if !tree.within(code, &me.staff.office) => {
            return Err(ApiError::Client { code: ErrorCode::Forbidden, field: Some("office".to_owned()) });
        }
        Some(code) => code.to_owned(),
    };
    let now = http::now_ms();
    let hook = store::admin::NewHook { kind: input.kind, url: &url, label: &label, office: &office };
    let id = store::admin::add_webhook(&db, &hook, me.staff.id, now, MAX_WEBHOOKS)
        .await?
        .ok_or(ApiError::Client { code: ErrorCode::TooManyItems, field: Some("url".to_owned()) })?;
    let view = WebhookView { id, kind: input.kind, url: admin::mask_webhook_url(&url), label, office, created_at: now };
    Ok(http::json(201, &view))
}

/// Removes a webhook.
pub async fn delete_webhook(req: &Request, env: &Env, id: &str) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    let me = allowed(req, &db, Csrf::Required, Permission::Administer).await?;
    let id: i64 = id.parse().map_err(|_| ApiError::client(ErrorCode::NotFound))?;
    // Another office's webhook is as unknown as a missing one.
    let tree = store::offices::tree(&db).await?;
    let mine =
        store::admin::webhooks(&db).await?.iter().any(|w| w.id == id && tree.within(&w.office, &me.staff.office));
    if !mine || !store::admin::delete_webhook(&db, id).await? {
        return Err(ApiError::client(ErrorCode::NotFound));
    }
    Ok(Response::empty()?.with_status(204))
}
