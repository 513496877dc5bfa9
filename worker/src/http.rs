//! HTTP plumbing shared by the handlers: reading bounded JSON bodies, writing JSON answers,
//! picking the response language and adding security headers.

use qinglang_domain::{ErrorCode, Lang};
use serde::Serialize;
use serde::de::DeserializeOwned;
use worker::{Headers, Request, Response};

use crate::error::ApiError;

/// What every handler may want to know about the request besides its body.
pub struct RequestContext {
    /// The language error messages are written in.
    pub lang: Lang,
}

impl RequestContext {
    /// Reads the language from `Accept-Language`.
    pub fn new(req: &Request) -> RequestContext {
        let header = req.headers().get("accept-language").ok().flatten().unwrap_or_default();
        RequestContext { lang: Lang::negotiate(&header) }
    }
}

/// Reads a JSON body of at most `max_bytes`, refusing other media types, oversize bodies and
/// anything serde refuses (bad syntax, unknown fields, wrong types).
pub async fn read_json<T: DeserializeOwned>(req: &mut Request, max_bytes: usize) -> Result<T, ApiError> {
    let content_type = req.headers().get("content-type")?.unwrap_or_default();
    if !content_type.to_ascii_lowercase().starts_with("application/json") {
        return Err(ApiError::client(ErrorCode::UnsupportedMediaType));
    }
    let bytes = read_body(req, max_bytes).await?;
    serde_json::from_slice(&bytes).map_err(|_| ApiError::client(ErrorCode::BadJson))
}

/// Reads a body of at most `max_bytes` (`body_too_large` beyond), whatever its media type.
pub async fn read_body(req: &mut Request, max_bytes: usize) -> Result<Vec<u8>, ApiError> {
    // Refuse early on the declared length; the real length is checked again below because a
    // client may lie or stream without declaring one.
    let declared = req.headers().get("content-length")?.and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > max_bytes) {
        return Err(ApiError::client(ErrorCode::BodyTooLarge));
    }
    let bytes = req.bytes().await.map_err(|_| ApiError::client(ErrorCode::BadJson))?;
    if bytes.len() > max_bytes {
        return Err(ApiError::client(ErrorCode::BodyTooLarge));
    }
    Ok(bytes)
}

/// A JSON response with `status`. Serialising our own types cannot fail; if it somehow does,
/// the answer is a bare 500 rather than a panic.
pub fn json<T: Serialize>(status: u16, body: &T) -> Response {
    let headers = Headers::new();
    let _ = headers.set("content-type", "application/json; charset=utf-8");
    let _ = headers.set("cache-control", "no-store");
    match serde_json::to_vec(body) {
        Ok(bytes) => Response::builder().with_status(status).with_headers(headers).fixed(bytes),
        Err(_) => Response::builder().with_status(500).empty(),
    }
}

/// The policy of every answer that is not a page: JSON, feeds, sitemaps, images and text load
/// nothing and run nothing, and nobody may frame them.
const NON_PAGE_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// Adds the headers every answer carries. Pages already carry the policy of `public/_headers`
/// (`routes::pages`); everything else — the API above all — gets [`NON_PAGE_CSP`] and the same
/// transport and isolation headers as the pages.
pub fn with_security_headers(mut response: Response) -> worker::Result<Response> {
    let headers = response.headers_mut();
    if !headers.has("content-security-policy")? {
        headers.set("content-security-policy", NON_PAGE_CSP)?;
    }
    headers.set("x-content-type-options", "nosniff")?;
    headers.set("referrer-policy", "no-referrer")?;
    headers.set("x-frame-options", "DENY")?;
    headers.set("strict-transport-security", "max-age=31536000; includeSubDomains")?;
    headers.set("cross-origin-opener-policy", "same-origin")?;
    if !headers.has("permissions-policy")? {
        headers.set("permissions-policy", "camera=(), geolocation=(), microphone=()")?;
    }
    Ok(response)
}

/// The current time in milliseconds since the Unix epoch (the runtime's clock; the domain crate
/// never reads one).
pub fn now_ms() -> i64 {
    worker::Date::now().as_millis() as i64
}

/// Adds a `Set-Cookie` header.
pub fn with_cookie(mut response: Response, cookie: &str) -> Result<Response, ApiError> {
    response.headers_mut().set("set-cookie", cookie)?;
    Ok(response)
}
