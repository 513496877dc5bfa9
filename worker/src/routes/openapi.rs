//! `GET /api/openapi.json`: the OpenAPI 3.1 document. It is generated natively from the domain
//! crate's API types by `openapi/` (scripts/build.sh runs it before this crate is built) and
//! embedded here, so the worker never carries utoipa.

use worker::{Headers, Response};

use crate::error::ApiError;

/// The generated document (see `openapi/src/lib.rs`).
const DOCUMENT: &str = include_str!("../../openapi.json");

/// Serves the document; it changes only with a new deployment, so caches may keep it for an hour.
pub fn get() -> Result<Response, ApiError> {
    let headers = Headers::new();
    headers.set("content-type", "application/json; charset=utf-8")?;
    headers.set("cache-control", "public, max-age=3600")?;
    Ok(Response::builder().with_status(200).with_headers(headers).fixed(DOCUMENT.as_bytes().to_vec()))
}
