//! Edge caching of everything public about refutations: article pages, feeds and the public API.
//!
//! Every cached answer is stored in the data centre's cache (`caches.default`) under a key that
//! contains the current *public version*, a number kept in KV (`PUBLIC_CACHE`, key
//! [`VERSION_KEY`]) and set to the time of every publish, update and unpublish. A change therefore
//! never has to find and purge old entries: the next request asks under the new version, misses,
//! reads D1 once and stores the new answer; the old entries age out. In the data centre where the
//! editor acted the change is visible at once; elsewhere as soon as KV carries the new version
//! (normally well under a minute). Browsers get `no-cache` with an `ETag` of the version, so a
//! repeat visit costs a `304`.
//!
//! The Cache API does nothing on `*.workers.dev` hosts; on the office's own domain it works.

use worker::{Cache, Env, Headers, Request, Response};

use crate::error::ApiError;

/// The KV key of the public version.
pub const VERSION_KEY: &str = "refutations:version";

/// How long the edge keeps an entry. Entries of an old version are never asked for again, so this
/// only bounds how long they take up space.
const EDGE_MAX_AGE_S: u32 = 3600;

/// A complete answer, as built and as cached.
pub struct Page {
    /// HTTP status.
    pub status: u16,
    /// `content-type`.
    pub content_type: String,
    /// The body.
    pub body: Vec<u8>,
    /// The `server-timing` header of a miss (`db;dur=…, build;dur=…`), for the benchmark.
    pub server_timing: Option<String>,
}

impl Page {
    /// A 200 JSON page.
    pub fn json<T: serde::Serialize>(value: &T) -> Result<Page, ApiError> {
        Ok(Page {
            status: 200,
            content_type: "application/json; charset=utf-8".to_owned(),
            body: serde_json::to_vec(value)?,
            server_timing: None,
        })
    }
}

fn kv(env: &Env) -> Result<worker::KvStore, ApiError> {
    env.kv("PUBLIC_CACHE").map_err(|e| ApiError::Internal(format!("PUBLIC_CACHE binding: {e}")))
}

/// The current public version ("0" before the first publication).
pub async fn version(env: &Env) -> Result<String, ApiError> {
    let value = kv(env)?.get(VERSION_KEY).text().await.map_err(|e| ApiError::Internal(format!("kv get: {e}")))?;
    Ok(value.unwrap_or_else(|| "0".to_owned()))
}

/// Starts a new public version after a public change (`now` in milliseconds; never goes backwards).
pub async fn bump(env: &Env, now: i64) -> Result<(), ApiError> {
    let current: i64 = version(env).await?.parse().unwrap_or(0);
    let next = now.max(current + 1);
    kv(env)?
        .put(VERSION_KEY, next.to_string())
        .map_err(|e| ApiError::Internal(format!("kv put: {e}")))?
        .execute()
        .await
        .map_err(|e| ApiError::Internal(format!("kv put: {e}")))
}

fn respond(
    page_status: u16,
    content_type: &str,
    body: Vec<u8>,
    etag: &str,
    hit: bool,
    server_timing: Option<&str>,
) -> Result<Response, ApiError> {
    let headers = Headers::new();
    if let Some(value) = server_timing {
        headers.set("server-timing", value)?;
    }
    headers.set("content-type", content_type)?;
    headers.set("cache-control", "public, no-cache")?;
    headers.set("etag", etag)?;
    headers.set("x-qinglang-cache", if hit { "hit" } else { "miss" })?;
    Ok(Response::builder().with_status(page_status).with_headers(headers).fixed(body))
}

/// What [`cached`] found or built.
pub struct Found {
    /// The page.
    pub page: Page,
    /// Whether it came from the cache.
    pub hit: bool,
    /// The public version it belongs to.
    pub version: String,
}

/// An entry of the data centre's cache, with when it was built and whether somebody is building its
/// successor (see `routes::stats`).
pub struct Entry {
    /// The cached page.
    pub page: Page,
    /// When it was built (milliseconds), if the entry says.
    pub built_at: Option<i64>,
    /// When a request started building its successor, if one did.
    pub refreshing_since: Option<i64>,
}

const BUILT_AT: &str = "x-qinglang-built-at";
const REFRESHING_SINCE: &str = "x-qinglang-refreshing-since";

/// The entry stored under `key` (a URL on the site's own host — the cache is per zone — whose path
/// is never served), if any.
pub async fn get(key: &str) -> Result<Option<Entry>, ApiError> {
    let Some(mut response) = Cache::default().get(key, false).await? else { return Ok(None) };
    let header = |name: &str| response.headers().get(name).ok().flatten();
    let content_type = header("content-type").unwrap_or_default();
    let built_at = header(BUILT_AT).and_then(|v| v.parse().ok());
    let refreshing_since = header(REFRESHING_SINCE).and_then(|v| v.parse().ok());
    let page =
        Page { status: response.status_code(), content_type, body: response.bytes().await?, server_timing: None };
    Ok(Some(Entry { page, built_at, refreshing_since }))
}

/// Stores `page` under `key` for `keep_s` seconds. A cache that cannot store is slower, not wrong:
/// failures are logged, not returned.
pub async fn put(
    key: &str,
    page: &Page,
    keep_s: u32,
    built_at: i64,
    refreshing_since: Option<i64>,
) -> Result<(), ApiError> {
    let headers = Headers::new();
    headers.set("content-type", &page.content_type)?;
    headers.set("cache-control", &format!("public, max-age={keep_s}"))?;
    headers.set(BUILT_AT, &built_at.to_string())?;
    if let Some(since) = refreshing_since {
        headers.set(REFRESHING_SINCE, &since.to_string())?;
    }
    let stored = Response::builder().with_status(page.status).with_headers(headers).fixed(page.body.clone());
    if let Err(e) = Cache::default().put(key, stored).await {
        worker::console_warn!("edge cache put failed: {e}");
    }
    Ok(())
}

/// The page cached under `origin` + `path_and_query` for the current version, or `build(version)`'s,
/// which is then stored. `build` errors are returned and not cached.
pub async fn cached<F, Fut>(env: &Env, origin: &str, path_and_query: &str, build: F) -> Result<Found, ApiError>
where
    F: FnOnce(String) -> Fut,
    Fut: std::future::Future<Output = Result<Page, ApiError>>,
{
    let version = version(env).await?;
    let key = format!("{origin}/__edge-cache/v{version}{path_and_query}");
    if let Some(entry) = get(&key).await? {
        return Ok(Found { page: entry.page, hit: true, version });
    }
    let page = build(version.clone()).await?;
    put(&key, &page, EDGE_MAX_AGE_S, crate::http::now_ms(), None).await?;
    Ok(Found { page, hit: false, version })
}

/// Answers `req` from the edge cache, or builds the answer with `build(version)`, stores it and
/// answers with it; `304` when the browser already has this version.
pub async fn serve<F, Fut>(req: &Request, env: &Env, build: F) -> Result<Response, ApiError>
where
    F: FnOnce(String) -> Fut,
    Fut: std::future::Future<Output = Result<Page, ApiError>>,
{
    let url = req.url()?;
    let path_and_query = format!("{}{}", url.path(), url.query().map(|q| format!("?{q}")).unwrap_or_default());
    let found = cached(env, &url.origin().ascii_serialization(), &path_and_query, build).await?;
    let etag = format!("\"v{}\"", found.version);
    let if_none_match = req.headers().get("if-none-match")?.unwrap_or_default();
    let page = found.page;
    if page.status == 200 && if_none_match == etag {
        return respond(304, "text/plain", Vec::new(), &etag, found.hit, None);
    }
    respond(page.status, &page.content_type, page.body, &etag, found.hit, page.server_timing.as_deref())
}
