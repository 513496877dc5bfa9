//! Staff sign-in: `POST /api/staff/session`, `DELETE /api/staff/session`, `GET /api/staff/me`; and the
//! staff directory, `GET /api/staff/directory` (names for the assign form and the queue's filter).

use qinglang_domain::ErrorCode;
use qinglang_domain::api::{DirectoryQuery, SignIn, StaffDirectory, StaffSession};
use qinglang_domain::receipt::hex;
use qinglang_domain::workflow::{self, Permission};
use worker::{Env, Request, Response};

use crate::auth::{self, Csrf, SignedIn};
use crate::error::ApiError;
use crate::http;
use crate::limits::{self, Limit};
use crate::{random, store};

/// A username and password fit in far less.
const MAX_BODY_BYTES: usize = 4 * 1024;

/// Failed sign-ins allowed per username within [`FAILURE_WINDOW_MS`] before `rate_limited`.
const MAX_FAILURES: u32 = 10;

/// The window failed sign-ins are counted in: 15 minutes.
const FAILURE_WINDOW_MS: i64 = 15 * 60 * 1000;

fn session_body(me: SignedIn) -> StaffSession {
    StaffSession { staff: me.profile, csrf_token: me.csrf_token, expires_at: me.expires_at }
}

/// Signs in. A wrong username and a wrong password get the same answer after the same work.
pub async fn sign_in(mut req: Request, env: &Env) -> Result<Response, ApiError> {
    limits::check(&req, env, Limit::SignIn).await?;
    let input: SignIn = http::read_json(&mut req, MAX_BODY_BYTES).await?;
    let db = store::db(env)?;
    let now = http::now_ms();
    let since = now - FAILURE_WINDOW_MS;
    if store::staff::recent_failures(&db, &input.username, since).await? >= MAX_FAILURES {
        return Err(ApiError::RateLimited { retry_after_s: (FAILURE_WINDOW_MS / 1000) as u32 });
    }
    let account = store::staff::find_active(&db, &input.username).await?;
    let matches = auth::password_matches(&input.password, account.as_ref().map(|a| &a.password)).await?;
    let Some(account) = account.filter(|_| matches) else {
        store::staff::record_failure(&db, &input.username, now, since).await?;
        return Err(ApiError::client(ErrorCode::InvalidCredentials));
    };
    let token = hex(&random::bytes::<32>()?);
    let csrf_token = hex(&random::bytes::<32>()?);
    let expires_at = now + auth::SESSION_MS;
    store::staff::create_session(&db, account.profile.id, &auth::token_hash(&token), &csrf_token, now, expires_at)
        .await?;
    let body = StaffSession { staff: account.profile, csrf_token, expires_at };
    http::with_cookie(http::json(200, &body), &auth::session_cookie(&token))
}

/// Signs out: the session is deleted and the cookie cleared.
pub async fn sign_out(req: &Request, env: &Env) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    auth::signed_in(req, &db, http::now_ms(), Csrf::Required).await?;
    if let Some(token) = auth::cookie_token(req) {
        store::staff::delete_session(&db, &auth::token_hash(&token)).await?;
    }
    http::with_cookie(Response::empty()?.with_status(204), &auth::cleared_cookie())
}

/// Who is signed in, with the CSRF token (so a reloaded console can keep working).
pub async fn me(req: &Request, env: &Env) -> Result<Response, ApiError> {
    let me = auth::signed_in(req, &store::db(env)?, http::now_ms(), Csrf::NotNeeded).await?;
    Ok(http::json(200, &session_body(me)))
}

/// The active staff accounts' names, roles and departments, optionally of one role (`?role=handler`).
/// The permission is checked before the query is read, so a refused caller learns nothing.
pub async fn directory(req: &Request, env: &Env) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    let me = auth::signed_in(req, &db, http::now_ms(), Csrf::NotNeeded).await?;
    workflow::require(&me.staff, Permission::ReadStaffDirectory)?;
    let url = req.url()?;
    let pairs: Vec<(String, String)> = url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    let query = DirectoryQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
    let items = store::staff::directory(&db, query.role).await?;
    Ok(http::json(200, &StaffDirectory { items }))
}
