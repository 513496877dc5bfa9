//! Per-client rate limits with the Workers rate-limiting binding (`[[ratelimits]]` in wrangler.toml).
//!
//! A client is a salted SHA-256 of its address (`CF-Connecting-IP`): the binding, its counters and
//! any log line see only that hash, never the address. The salt is the `RATE_LIMIT_SALT` secret (or,
//! when a deployment has not set one, `RECEIPT_KEY`, which is secret too).
//!
//! Chinese mobile carriers put many phones behind one address (carrier-grade NAT), so the citizen's
//! two writes — reports and evidence uploads — are counted per device *and* per address: the phone
//! sends a random per-device token in [`DEVICE_HEADER`] (made once, kept in localStorage), its
//! own counter (`RL_REPORTS`, `RL_UPLOADS`) is keyed on address + token, and a much larger
//! address-wide counter (`RL_REPORTS_ADDRESS`, `RL_UPLOADS_ADDRESS`) stops a flood that makes up
//! a new token per request. A busy neighbourhood's phones thus each get the device limit, while
//! one address can never send more than the address limit. A request without a well-formed token
//! counts as one shared "device" of its address (old clients, scripts).
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

/// The request header carrying the phone's per-device token (16–64 of `A-Z a-z 0-9 - _`).
pub const DEVICE_HEADER: &str = "x-qinglang-device";

impl Limit {
    fn binding(self) -> &'static str {
        match self {
            Limit::Reports => "RL_REPORTS",
            Limit::Lookups => "RL_LOOKUPS",
            Limit::SignIn => "RL_SIGN_IN",
            Limit::Uploads => "RL_UPLOADS",
        }
    }

    /// The address-wide counter of a limit that is counted per device, if it is one.
    fn address_binding(self) -> Option<&'static str> {
        match self {
            Limit::Reports => Some("RL_REPORTS_ADDRESS"),
            Limit::Uploads => Some("RL_UPLOADS_ADDRESS"),
            Limit::Lookups | Limit::SignIn => None,
        }
    }

    /// The binding's `period` in wrangler.toml, sent back as `Retry-After`: the counter has
    /// certainly moved on by then.
    fn period_s(self) -> u32 {
        60
    }
}

/// Counts this request against `limit` for its client; `rate_limited` (429, `Retry-After`) when the
/// client is over. A deployment without the binding is not limited (and says so in the log). For the
/// limits counted per device, the device's and the address's counters are asked side by side.
pub async fn check(req: &Request, env: &Env, limit: Limit) -> Result<(), ApiError> {
    let address = client_key(req, env, None)?;
    let within = match limit.address_binding() {
        Some(address_binding) => {
            let device = client_key(req, env, Some(device_token(req).as_deref().unwrap_or("-")))?;
            let (mine, everyone) =
                futures_join(count(env, limit.binding(), device), count(env, address_binding, address)).await;
            mine? && everyone?
        }
        None => count(env, limit.binding(), address).await?,
    };
    if within { Ok(()) } else { Err(ApiError::RateLimited { retry_after_s: limit.period_s() }) }
}

/// Counts one request under `key` in `binding`; whether it is within the limit.
async fn count(env: &Env, binding: &str, mut key: String) -> Result<bool, ApiError> {
    let limiter = match env.rate_limiter(binding) {
        Ok(limiter) => limiter,
        Err(_) => {
            worker::console_warn!("rate limit binding {binding} is not configured");
            return Ok(true);
        }
    };
    let scale = env.var("RATE_LIMIT_SCALE").ok().and_then(|v| v.to_string().parse::<u32>().ok()).unwrap_or(1);
    if scale > 1 {
        let draw = u32::from_le_bytes(random::bytes::<4>()?);
        key.push_str(&format!(":{}", draw % scale));
    }
    Ok(limiter.limit(key).await?.success)
}

/// Polls two futures together until both are done (the worker has no executor crate; two binding
/// calls side by side cost one round trip instead of two). Also used by `routes::reports::create`.
pub(crate) async fn futures_join<A: Future, B: Future>(a: A, b: B) -> (A::Output, B::Output) {
    use std::task::Poll;
    let (mut a, mut b) = (std::pin::pin!(a), std::pin::pin!(b));
    let (mut out_a, mut out_b) = (None, None);
    std::future::poll_fn(move |cx| {
        if out_a.is_none()
            && let Poll::Ready(v) = a.as_mut().poll(cx)
        {
            out_a = Some(v);
        }
        if out_b.is_none()
            && let Poll::Ready(v) = b.as_mut().poll(cx)
        {
            out_b = Some(v);
        }
        match (out_a.take(), out_b.take()) {
            (Some(x), Some(y)) => Poll::Ready((x, y)),
            (x, y) => {
                (out_a, out_b) = (x, y);
                Poll::Pending
            }
        }
    })
    .await
}

/// The device token the phone sent, if it is well-formed (16–64 of `A-Z a-z 0-9 - _`); anything
/// else counts as no token.
fn device_token(req: &Request) -> Option<String> {
    let token = req.headers().get(DEVICE_HEADER).ok().flatten()?;
    let ok =
        (16..=64).contains(&token.len()) && token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    ok.then_some(token)
}

/// The salted hash of the client's address (and, for a per-device counter, its device token): 32 hex
/// digits.
fn client_key(req: &Request, env: &Env, device: Option<&str>) -> Result<String, ApiError> {
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
    if let Some(device) = device {
        hasher.update(b"\0device\0");
        hasher.update(device.as_bytes());
    }
    let mut key = hex(&hasher.finalize());
    key.truncate(32);
    Ok(key)
}
