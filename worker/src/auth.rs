//! Staff authentication: password hashing, session cookies and CSRF tokens. Who may read what is
//! decided by `qinglang_domain::workflow::{require, Permission}`.
//!
//! Passwords are hashed with PBKDF2-HMAC-SHA256 through the runtime's WebCrypto (`crypto.subtle`),
//! at 100,000 iterations, the most Cloudflare's runtime allows. `scripts/create-admin.mjs` computes
//! the same hash with Node's crypto. A session is a random 32-byte token in an HttpOnly, Secure,
//! SameSite=Strict cookie; D1 keeps only its SHA-256, next to a CSRF token that state-changing
//! requests must echo in `x-csrf-token`.

use js_sys::{Array, Object, Reflect, Uint8Array};
use qinglang_domain::ErrorCode;
use qinglang_domain::api::{CSRF_HEADER, StaffProfile};
use qinglang_domain::receipt::{digests_equal, hex};
use qinglang_domain::workflow::Staff;
use sha2::{Digest, Sha256};
use wasm_bindgen::{JsCast, JsValue};
use worker::wasm_bindgen_futures::JsFuture;
use worker::{D1Database, Request};

use crate::error::ApiError;
use crate::store;

/// PBKDF2 iterations for new hashes: Cloudflare's WebCrypto refuses more than this.
pub const PBKDF2_ITERATIONS: u32 = 100_000;

/// The session cookie's name.
pub const COOKIE_NAME: &str = "ql_staff";

/// How long a session lasts: one working day.
pub const SESSION_MS: i64 = 12 * 60 * 60 * 1000;

/// The signed-in staff member behind a request.
pub struct SignedIn {
    /// The workflow's view of the account.
    pub staff: Staff,
    /// The console's view of the account.
    pub profile: StaffProfile,
    /// The session's CSRF token.
    pub csrf_token: String,
    /// When the session ends.
    pub expires_at: i64,
}

fn js_error(what: &str) -> impl Fn(JsValue) -> ApiError + '_ {
    move |e| ApiError::Internal(format!("{what}: {e:?}"))
}

fn set(target: &Object, key: &str, value: &JsValue) -> Result<(), ApiError> {
    Reflect::set(target, &JsValue::from_str(key), value).map_err(js_error("Reflect.set"))?;
    Ok(())
}

/// PBKDF2-HMAC-SHA256 of `password` with `salt`, 32 bytes, as lowercase hex.
pub async fn pbkdf2_hex(password: &str, salt: &[u8], iterations: u32) -> Result<String, ApiError> {
    let scope: web_sys::WorkerGlobalScope = js_sys::global().unchecked_into();
    let subtle = scope.crypto().map_err(js_error("crypto"))?.subtle();
    let name = Object::new();
    set(&name, "name", &JsValue::from_str("PBKDF2"))?;
    let usages = Array::of1(&JsValue::from_str("deriveBits"));
    let raw = Uint8Array::from(password.as_bytes());
    let import = subtle.import_key_with_object("raw", &raw, &name, false, &usages).map_err(js_error("importKey"))?;
    let key: web_sys::CryptoKey = JsFuture::from(import).await.map_err(js_error("importKey"))?.unchecked_into();
    let params = Object::new();
    set(&params, "name", &JsValue::from_str("PBKDF2"))?;
    set(&params, "hash", &JsValue::from_str("SHA-256"))?;
    set(&params, "salt", &Uint8Array::from(salt))?;
    set(&params, "iterations", &JsValue::from_f64(f64::from(iterations)))?;
    let derive = subtle.derive_bits_with_object(&params, &key, 256).map_err(js_error("deriveBits"))?;
    let bits = JsFuture::from(derive).await.map_err(js_error("deriveBits"))?;
    Ok(hex(&Uint8Array::new(&bits).to_vec()))
}

/// Whether `password` matches the stored hash. Runs the full derivation even when the account does
/// not exist (`stored` is `None`), so a wrong username and a wrong password take the same time.
pub async fn password_matches(password: &str, stored: Option<&store::staff::PasswordHash>) -> Result<bool, ApiError> {
    let dummy = store::staff::PasswordHash {
        hash: String::new(),
        salt: "00000000000000000000000000000000".to_owned(),
        iterations: PBKDF2_ITERATIONS,
    };
    let target = stored.unwrap_or(&dummy);
    let salt = decode_hex(&target.salt).ok_or_else(|| ApiError::Internal("stored salt is not hex".to_owned()))?;
    let derived = pbkdf2_hex(password, &salt, target.iterations).await?;
    Ok(stored.is_some() && digests_equal(&derived, &target.hash))
}

fn decode_hex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| s.get(i..i + 2).and_then(|b| u8::from_str_radix(b, 16).ok())).collect()
}

/// SHA-256 of a session token, as stored.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// The `Set-Cookie` value that starts a session.
pub fn session_cookie(token: &str) -> String {
    format!("{COOKIE_NAME}={token}; Path=/api; HttpOnly; Secure; SameSite=Strict; Max-Age={}", SESSION_MS / 1000)
}

/// The `Set-Cookie` value that ends a session in the browser.
pub fn cleared_cookie() -> String {
    format!("{COOKIE_NAME}=; Path=/api; HttpOnly; Secure; SameSite=Strict; Max-Age=0")
}

/// The session token from the request's cookie, if any.
pub fn cookie_token(req: &Request) -> Option<String> {
    let header = req.headers().get("cookie").ok().flatten()?;
    header.split(';').find_map(|pair| {
        let (name, value) = pair.trim().split_once('=')?;
        (name == COOKIE_NAME && !value.is_empty()).then(|| value.to_owned())
    })
}

/// Whether the request changes state and so must carry the CSRF token.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Csrf {
    /// A read: the SameSite=Strict cookie is protection enough.
    NotNeeded,
    /// A change: `x-csrf-token` must equal the session's token.
    Required,
}

/// The signed-in staff member, or `not_signed_in`; with [`Csrf::Required`], also `csrf_token_invalid`
/// unless the header matches.
pub async fn signed_in(req: &Request, db: &D1Database, now: i64, csrf: Csrf) -> Result<SignedIn, ApiError> {
    let token = cookie_token(req).ok_or(ApiError::client(ErrorCode::NotSignedIn))?;
    let session =
        store::staff::session(db, &token_hash(&token), now).await?.ok_or(ApiError::client(ErrorCode::NotSignedIn))?;
    if csrf == Csrf::Required {
        let sent = req.headers().get(CSRF_HEADER)?.unwrap_or_default();
        if !digests_equal(&sent, &session.csrf_token) {
            return Err(ApiError::client(ErrorCode::CsrfTokenInvalid));
        }
    }
    Ok(session)
}
