//! Per-client rate limits with the Workers rate-limiting binding (`[[ratelimits]]` in wrangler.toml).
//!
//! A client is a salted SHA-256 of its address (`CF-Connecting-IP`): the binding, its counters and
//! any log line see only that hash, never the address. The salt is the `RATE_LIMIT_SALT` secret (or,
//! when a deployment has not set one, `RECEIPT_KEY`, which is secret too).
//!
//! The limits themselves (requests per 10 s or 60 s) are deployment configuration in wrangler.toml.
//! `RATE_LIMIT_SCALE` (a plain var, default 1) multiplies them: each client's requests are spread at
//! random over that many counters. Production leaves it at 1; the test workers run with a large
//! scale so that suites filing hundreds of reports from 127.0.0.1 are not limited, while
//! `tests/limits.test.mjs` drives every limit past its threshold at scale 1.

use qinglang_domain::receipt::hex;
use sha2::{Digest, Sha256};
use worker::{Env, Request};

use crate::error::ApiError;
use crate::random;

/// What is being limited; each has its own binding and counter.
#[derive(Clone, Copy, Debug)]
pub enum Limit {
    /// `POST /api/reports`.
    Reports,
    /// Receipt lookups and the reporter's actions on a report (`GET /api/reports/{code}`, reopen,
    /// rating): each one tries a code and secret, so they share one counter.
    Lookups,
    /// `POST /api/staff/session`, on top of the per-username failure count.
    SignIn,
    /// `POST /api/uploads`: evidence pictures (up to six per report), counted before the body is read.
    Uploads,
}

impl Limit {
    fn binding(self) -> &'static str {
        match self {
            Limit::Reports => "RL_REPORTS",
            Limit::Lookups => "RL_LOOKUPS",
            Limit::SignIn => "RL_SIGN_IN",
            Limit::Uploads => "RL_UPLOADS",
        }
    }

    /// The binding's `period` in wrangler.toml, sent back as `Retry-After`: the counter has
    /// certainly moved on by then.
    fn period_s(self) -> u32 {
        60
    }
}

/// Counts this request against `limit` for its client; `rate_limited` (429, `Retry-After`) when the
/// client is over. A deployment without the binding is not limited (and says so in the log).
pub async fn check(req: &Request, env: &Env, limit: Limit) -> Result<(), ApiError> {
    let limiter = match env.rate_limiter(limit.binding()) {
        Ok(limiter) => limiter,
        Err(_) => {
            worker::console_warn!("rate limit binding {} is not configured", limit.binding());
            return Ok(());
        }
    };
    let mut key = client_key(req, env)?;
    let scale = env.var("RATE_LIMIT_SCALE").ok().and_then(|v| v.to_string().parse::<u32>().ok()).unwrap_or(1);
    if scale > 1 {
        let draw = u32::from_le_bytes(random::bytes::<4>()?);
        key.push_str(&format!(":{}", draw % scale));
    }
    let outcome = limiter.limit(key).await?;
    if outcome.success { Ok(()) } else { Err(ApiError::RateLimited { retry_after_s: limit.period_s() }) }
}

/// The salted hash of the client's address: 32 hex digits.
fn client_key(req: &Request, env: &Env) -> Result<String, ApiError> {
    let address = req.headers().get("cf-connecting-ip")?.unwrap_or_default();
    let salt = env
        .secret("RATE_LIMIT_SALT")
        .or_else(|_| env.secret("RECEIPT_KEY"))
        .map_err(|_| ApiError::Internal("neither RATE_LIMIT_SALT nor RECEIPT_KEY is configured".to_owned()))?
        .to_string();
    let mut hasher = Sha256::new();
    hasher.update(salt.as_bytes());
    hasher.update(b"\0rate-limit\0");
    hasher.update(address.trim().as_bytes());
    let mut key = hex(&hasher.finalize());
    key.truncate(32);
    Ok(key)
}
