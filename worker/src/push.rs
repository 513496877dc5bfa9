//! Sending partner pushes from the outbox (`store::partners`): signing, one HTTP attempt per due
//! delivery, and the backoff of `refutation::partner::retry_delay_ms`.
//!
//! A public change queues its deliveries in the same batch as the change; the handler then sends
//! them after answering (`ctx.wait_until`), and the cron (`scheduled` in `lib.rs`) retries whatever
//! is still pending and due.

use qinglang_domain::refutation::RefutationId;
use qinglang_domain::refutation::partner::{
    self, DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, retry_delay_ms,
};
use wasm_bindgen::JsValue;
use worker::{Env, Fetch, Headers, Method, Request, RequestInit};

use crate::error::ApiError;
use crate::http;
use crate::store::{self, partners::Due, partners::Outcome};

/// Most deliveries one run sends (a cron run or one publication).
const BATCH: u32 = 50;

/// Longest error text kept for the console.
const ERROR_CHARS: usize = 200;

/// The server key partner secrets are derived from: the receipt key, under its own label.
pub fn server_key(env: &Env) -> Result<Vec<u8>, ApiError> {
    let key = env
        .secret("RECEIPT_KEY")
        .map_err(|_| ApiError::Internal("RECEIPT_KEY is not configured".to_owned()))?
        .to_string();
    Ok(key.into_bytes())
}

/// Sends the due deliveries: of one refutation revision right after it changed, or all (the cron).
/// Returns how many were delivered.
pub async fn send_due(env: &Env, only: Option<(RefutationId, u32)>) -> Result<u32, ApiError> {
    let db = store::db(env)?;
    let key = server_key(env)?;
    let now = http::now_ms();
    let mut delivered = 0;
    for due in store::partners::due(&db, now, only, BATCH).await? {
        if !store::partners::claim(&db, &due, now).await? {
            continue;
        }
        let outcome = attempt(&key, &due).await;
        if matches!(outcome, Outcome::Delivered { .. }) {
            delivered += 1;
        }
        store::partners::record(&db, due.id, &outcome, http::now_ms()).await?;
    }
    Ok(delivered)
}

/// One signed POST.
async fn attempt(key: &[u8], due: &Due) -> Outcome {
    let secret = partner::partner_secret(key, &due.secret_nonce);
    let timestamp = http::now_ms() / 1000;
    let signature = partner::signature(&secret, timestamp, due.payload.as_bytes());
    let attempt_no = due.attempts + 1;
    let failed = |status: Option<u16>, error: String| Outcome::Failed {
        status,
        error: error.chars().take(ERROR_CHARS).collect(),
        retry_at: retry_delay_ms(attempt_no).map(|d| http::now_ms() + d),
    };
    let request = (|| -> worker::Result<Request> {
        let headers = Headers::new();
        headers.set("content-type", "application/json; charset=utf-8")?;
        headers.set("user-agent", "Qinglang-Push/1")?;
        headers.set(TIMESTAMP_HEADER, &timestamp.to_string())?;
        headers.set(SIGNATURE_HEADER, &signature)?;
        headers.set(EVENT_HEADER, &due.event)?;
        headers.set(DELIVERY_HEADER, &due.id.to_string())?;
        let mut init = RequestInit::new();
        init.with_method(Method::Post).with_headers(headers).with_body(Some(JsValue::from_str(&due.payload)));
        Request::new_with_init(&due.url, &init)
    })();
    let request = match request {
        Ok(request) => request,
        Err(e) => return failed(None, format!("request: {e}")),
    };
    match Fetch::Request(request).send().await {
        Ok(response) if (200..300).contains(&response.status_code()) => {
            Outcome::Delivered { status: response.status_code() }
        }
        Ok(response) => failed(Some(response.status_code()), format!("HTTP {}", response.status_code())),
        Err(e) => failed(None, format!("network: {e}")),
    }
}
