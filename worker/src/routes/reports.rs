//! `POST /api/reports` (file a report) and `GET /api/reports/{code}` (track it).

use qinglang_domain::api::{NewReport, ReopenRequest, ReportCreated, SECRET_HEADER};
use qinglang_domain::receipt::{ReceiptCode, ReceiptSecret};
use qinglang_domain::workflow::{self, Action, Actor, CaseId, Policy};
use qinglang_domain::{ErrorCode, Report};
use worker::{D1Database, Env, Request, Response};

use crate::error::ApiError;
use crate::http::{self, RequestContext};
use crate::limits::{self, Limit};
use crate::screening;
use crate::store::{self, reports::Stored};

/// Largest report body: 2,000 characters of description (up to 8 KB in UTF-8) plus links and
/// short fields fit comfortably; anything bigger is not a report.
const MAX_BODY_BYTES: usize = 32 * 1024;

/// Files a report. A retry with the same idempotency key answers 200 with the same receipt and
/// stores nothing; the same key with a different report answers 409.
pub async fn create(mut req: Request, env: &Env, _cx: &RequestContext) -> Result<Response, ApiError> {
    limits::check(&req, env, Limit::Reports).await?;
    let input: NewReport = http::read_json(&mut req, MAX_BODY_BYTES).await?;
    let db = store::db(env)?;
    let taxonomy = store::taxonomy::load(&db).await?;
    let report = Report::validate(&input, &taxonomy)?;
    let screening = screening::screen(&report)?;
    // "Already refuted": published refutations close to the report's text, for the case view. A failure
    // here must not lose the report, so it only leaves the matches empty.
    let origin = req.url()?.origin().ascii_serialization();
    // The description alone: the screened text also holds the links, whose characters would dilute it.
    let fingerprint = qinglang_engine::fingerprint(&report.description);
    let matches = match crate::routes::refutations::report_matches(env, &origin, fingerprint).await {
        Ok(matches) => matches,
        Err(e) => {
            worker::console_error!("refutation matches: {e:?}");
            Vec::new()
        }
    };
    let secret = ReceiptSecret::derive(&receipt_key(env)?, &report.idempotency_key);
    let now = worker::Date::now().as_millis() as i64;
    let (status, stored) = match store::reports::insert_once(&db, &report, &screening, &matches, &secret, now).await? {
        Stored::Created(stored) => (201, stored),
        Stored::Existing(stored) => (200, stored),
        Stored::Conflict => return Err(ApiError::client(ErrorCode::IdempotencyConflict)),
    };
    let created =
        ReportCreated { receipt_code: stored.code.grouped(), secret: secret.grouped(), created_at: stored.created_at };
    Ok(http::json(status, &created))
}

/// Shows a report's status and public timeline to whoever holds its code and secret.
/// An unknown code and a wrong secret get the same answer, so codes cannot be enumerated.
pub async fn track(req: &Request, env: &Env, code: &str) -> Result<Response, ApiError> {
    limits::check(req, env, Limit::Lookups).await?;
    let code = ReceiptCode::parse(code).map_err(|_| ApiError::client(ErrorCode::ReceiptCodeInvalid))?;
    let typed = req.headers().get(SECRET_HEADER)?.unwrap_or_default();
    if typed.trim().is_empty() {
        return Err(ApiError::client(ErrorCode::SecretMissing));
    }
    let view = match ReceiptSecret::parse(&typed) {
        Some(secret) => store::reports::view(&store::db(env)?, &code, &secret).await?,
        None => None,
    };
    let view = view.ok_or(ApiError::client(ErrorCode::ReceiptNotFound))?;
    Ok(http::json(200, &view))
}

/// The receipt code and secret of a reporter's request; `receipt_not_found` when they do not match.
async fn reporter_case(req: &Request, db: &D1Database, code: &ReceiptCode) -> Result<CaseId, ApiError> {
    let typed = req.headers().get(SECRET_HEADER)?.unwrap_or_default();
    if typed.trim().is_empty() {
        return Err(ApiError::client(ErrorCode::SecretMissing));
    }
    let id = match ReceiptSecret::parse(&typed) {
        Some(secret) => store::reports::case_id(db, code, &secret).await?,
        None => None,
    };
    id.ok_or(ApiError::client(ErrorCode::ReceiptNotFound))
}

/// The reporter says the case was not resolved: `workflow::apply` reopens it (within the window, a
/// limited number of times) and the answer is the tracking view.
pub async fn reopen(mut req: Request, env: &Env, code: &str) -> Result<Response, ApiError> {
    limits::check(&req, env, Limit::Lookups).await?;
    let code = ReceiptCode::parse(code).map_err(|_| ApiError::client(ErrorCode::ReceiptCodeInvalid))?;
    let db = store::db(env)?;
    let id = reporter_case(&req, &db, &code).await?;
    let input: ReopenRequest = http::read_json(&mut req, MAX_BODY_BYTES).await?;
    let record = store::cases::load(&db, id).await?.ok_or(ApiError::client(ErrorCode::ReceiptNotFound))?;
    let policy = Policy::from_taxonomy(&store::taxonomy::load(&db).await?);
    let at = http::now_ms().max(record.case.updated_at + 1);
    let action = Action::Reopen { reason: input.reason };
    let (case, event) = workflow::apply(&record.case, &action, &Actor::Reporter, at, &policy)?;
    store::cases::save(&db, &record.case, &case, &event).await?;
    let secret = req.headers().get(SECRET_HEADER)?.and_then(|s| ReceiptSecret::parse(&s));
    let view = match secret {
        Some(secret) => store::reports::view(&db, &code, &secret).await?,
        None => None,
    };
    Ok(http::json(200, &view.ok_or(ApiError::client(ErrorCode::ReceiptNotFound))?))
}

/// The server key that receipt secrets are derived with (a Worker secret, `RECEIPT_KEY`).
fn receipt_key(env: &Env) -> Result<Vec<u8>, ApiError> {
    let key = env
        .secret("RECEIPT_KEY")
        .map_err(|_| ApiError::Internal("RECEIPT_KEY is not configured".to_owned()))?
        .to_string();
    if key.len() < 32 {
        return Err(ApiError::Internal("RECEIPT_KEY must have at least 32 characters".to_owned()));
    }
    Ok(key.into_bytes())
}
