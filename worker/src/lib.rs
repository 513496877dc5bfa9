//! Qinglang's Cloudflare Worker: the JSON API in front of D1, and the route table.
//!
//! Entry point: [`fetch`]. Static files (the Leptos app) are served by Workers Static Assets
//! before the worker runs; only `/api/*` and the pages of the reader and console bundles
//! (`/refutations…`, `/stats`, `/admin…`, see app/src/bundle.rs) reach this code (`wrangler.toml`).
//!
//! Architecture invariant: handlers parse, ask `qinglang-domain` to decide, persist through
//! `store`, and present. Business rules live in the domain crate, never here.

mod auth;
mod error;
mod http;
mod random;
mod routes;
mod screening;
mod store;

use worker::{Context, Env, Method, Request, Response, event};

use crate::error::ApiError;
use crate::http::RequestContext;

/// The worker's version, reported by `/api/health`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> worker::Result<Response> {
    let cx = RequestContext::new(&req);
    let result = route(req, &env, &cx).await;
    let response = match result {
        Ok(response) => response,
        Err(err) => err.into_response(cx.lang),
    };
    http::with_security_headers(response)
}

/// The route table: method and path segments to handler.
async fn route(req: Request, env: &Env, cx: &RequestContext) -> Result<Response, ApiError> {
    let path = req.path();
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    match (req.method(), segments.as_slice()) {
        (Method::Get, ["api", "health"]) => routes::health::get(env).await,
        (Method::Get, ["api", "categories"]) => routes::categories::list(env).await,
        (Method::Get, ["api", "stats"]) => routes::stats::get(env).await,
        (Method::Post, ["api", "reports"]) => routes::reports::create(req, env, cx).await,
        (Method::Get, ["api", "reports", code]) => routes::reports::track(&req, env, code).await,
        (Method::Post, ["api", "reports", code, "reopen"]) => routes::reports::reopen(req, env, code).await,
        (Method::Post, ["api", "staff", "session"]) => routes::staff::sign_in(req, env).await,
        (Method::Delete, ["api", "staff", "session"]) => routes::staff::sign_out(&req, env).await,
        (Method::Get, ["api", "staff", "me"]) => routes::staff::me(&req, env).await,
        (Method::Get, ["api", "staff", "cases"]) => routes::cases::list(&req, env).await,
        (Method::Get, ["api", "staff", "cases", id]) => routes::cases::get(&req, env, id).await,
        (Method::Get, ["api", "staff", "cases", id, "contact"]) => routes::cases::contact(&req, env, id).await,
        (Method::Post, ["api", "staff", "cases", id, "actions"]) => routes::cases::act(req, env, id).await,
        (Method::Get, ["admin", ..]) => routes::pages::shell(&req, env, routes::pages::Shell::Console).await,
        (Method::Get, ["refutations" | "stats", ..]) => {
            routes::pages::shell(&req, env, routes::pages::Shell::Reader).await
        }
        (_, ["api", "health" | "categories" | "stats" | "reports"] | ["api", "reports", _])
        | (_, ["api", "staff", "session" | "me" | "cases"] | ["api", "staff", "cases", _])
        | (_, ["api", "staff", "cases", _, "contact" | "actions"] | ["api", "reports", _, "reopen"]) => {
            Err(ApiError::client(qinglang_domain::ErrorCode::MethodNotAllowed))
        }
        _ => Err(ApiError::client(qinglang_domain::ErrorCode::NotFound)),
    }
}
