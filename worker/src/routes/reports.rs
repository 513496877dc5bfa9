//! `POST /api/reports` (file a report), `GET /api/reports/{code}` (track it), and the reporter's two
//! actions on it: `POST /api/reports/{code}/reopen` and `POST /api/reports/{code}/rating`.

use qinglang_domain::api::{NewReport, RatingRequest, ReopenRequest, ReportCreated, ReportView, SECRET_HEADER};
use qinglang_domain::intake::Source;
use qinglang_domain::office;
use qinglang_domain::receipt::{ReceiptCode, ReceiptSecret};
use qinglang_domain::workflow::{self, Action, ActionKind, Actor, CaseId};
use qinglang_domain::{ErrorCode, Lang, Report};
use worker::{D1Database, Env, Request, Response};

use crate::error::ApiError;
use crate::http::{self, RequestContext};
use crate::limits::{self, Limit};
use crate::screening;
use crate::store::shards::{Shard, Shards};
use crate::store::{self, reports::Stored};

/// Largest report body read. A valid report is far smaller (2,000 characters of description, up to
/// 8 KB in UTF-8, plus links and short fields), but a pasted text of tens of thousands of
/// characters must reach the validator, so that the citizen hears `description_too_long` with its
/// field rather than a bare `body_too_large`; anything bigger than this is not a report at all.
const MAX_BODY_BYTES: usize = 256 * 1024;

/// Files a report. A retry with the same idempotency key answers 200 with the same receipt and
/// stores nothing; the same key with a different report answers 409.
pub async fn create(mut req: Request, env: &Env, _cx: &RequestContext) -> Result<Response, ApiError> {
    limits::check(&req, env, Limit::Reports).await?;
    let input: NewReport = http::read_json(&mut req, MAX_BODY_BYTES).await?;
    let db = store::db(env)?;
    let taxonomy = store::taxonomy::knowing(&db, &input.category).await?;
    let report = Report::validate(&input, &taxonomy)?;
    // The office it lands at: the one named (an office's own entry address), else the poster's, else
    // the locality's, else the root office.
    let offices = store::offices::knowing(&db, &[input.office.as_deref().unwrap_or_default()]).await?;
    let poster_office = match report.channel.as_deref() {
        Some(code) => store::channels::office(&db, code).await?,
        None => None,
    };
    let district_office =
        report.district.as_deref().and_then(|d| taxonomy.district(d)).and_then(|d| d.office.as_deref());
    let office =
        office::landing(&offices, input.office.as_deref(), poster_office.as_deref(), district_office)?.to_owned();
    let now = worker::Date::now().as_millis() as i64;
    // The case's first state (with its acceptance deadline) and event, as the workflow decides them.
    let mut first = workflow::submit(&report, now, &store::policy::load(&db).await?);
    first.0.office = office;
    let origin = req.url()?.origin().ascii_serialization();
    let counters = store::figures::new_case_counters(&first.0, Source::Web.as_str(), &taxonomy, &offices);
    file(
        env,
        &db,
        &origin,
        &store::reports::NewCase { report: &report, first: &first, source: Source::Web, reference: None, counters },
    )
    .await
}

/// Files a validated report as the case `new.first` describes: screens it, checks its evidence and
/// looks up "already refuted" side by side, and stores it once, in the shard that holds its office's
/// cases. Answers its receipt: 201, or 200 for a retry of the same report. The public form and staff
/// intake (`routes::intake`) both file here.
pub(crate) async fn file(
    env: &Env,
    db: &D1Database,
    origin: &str,
    new: &store::reports::NewCase<'_>,
) -> Result<Response, ApiError> {
    let report = new.report;
    let screening = screening::screen(report)?;
    // "Already refuted": published refutations close to the report's description, for the case
    // view. They are looked up side by side with the evidence check (a KV read and, only when the
    // report names pictures, a D1 read). A failure of the lookup must not lose the report, so it
    // only leaves the matches empty.
    let fingerprint = screening::description_fingerprint(report, &screening);
    let (evidence, matches) = limits::futures_join(
        crate::routes::uploads::check_evidence(db, report),
        crate::routes::refutations::report_matches(env, origin, fingerprint),
    )
    .await;
    evidence?;
    let matches = matches.unwrap_or_else(|e| {
        worker::console_error!("refutation matches: {e:?}");
        Vec::new()
    });
    let secret = ReceiptSecret::derive(&receipt_key(env)?, &report.idempotency_key);
    let shards = store::shards::Shards::open(env)?;
    let shard = shards.for_office(&*store::offices::tree(db).await?, &new.first.0.office)?;
    let (status, stored) =
        match store::reports::insert_once(&shards, &shard, new, &screening, &matches, &secret).await? {
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
pub async fn track(req: &Request, env: &Env, code: &str, cx: &RequestContext) -> Result<Response, ApiError> {
    limits::check(req, env, Limit::Lookups).await?;
    let code = ReceiptCode::parse(code).map_err(|_| ApiError::client(ErrorCode::ReceiptCodeInvalid))?;
    let secret = typed_secret(req)?;
    let shards = store::shards::Shards::open(env)?;
    Ok(http::json(200, &present(&shards, &code, secret.as_ref(), cx.lang).await?))
}

/// The secret from the header: `secret_missing` when there is none; `None` when it cannot be a secret
/// (which then matches no report, answered like a wrong one).
fn typed_secret(req: &Request) -> Result<Option<ReceiptSecret>, ApiError> {
    let typed = req.headers().get(SECRET_HEADER)?.unwrap_or_default();
    if typed.trim().is_empty() {
        return Err(ApiError::client(ErrorCode::SecretMissing));
    }
    Ok(ReceiptSecret::parse(&typed))
}

/// The tracking view, with what the reporter may do now decided by the workflow.
async fn present(
    shards: &Shards,
    code: &ReceiptCode,
    secret: Option<&ReceiptSecret>,
    lang: Lang,
) -> Result<ReportView, ApiError> {
    let found = match secret {
        Some(secret) => store::reports::view(shards, code, secret, lang).await?,
        None => None,
    };
    let (shard, id, mut view) = found.ok_or(ApiError::client(ErrorCode::ReceiptNotFound))?;
    let record = store::cases::load(&shard.db, id).await?.ok_or(ApiError::client(ErrorCode::ReceiptNotFound))?;
    let db = &shards.control()?;
    let policy = store::policy::load(db).await?;
    let allowed = workflow::allowed_actions(&record.case, &Actor::Reporter, http::now_ms(), &policy);
    view.can_rate = allowed.contains(&ActionKind::Rate);
    view.reopen_until =
        record.case.resolved_at.filter(|_| allowed.contains(&ActionKind::Reopen)).map(|at| policy.reopen_deadline(at));
    view.office = store::offices::tree(db).await?.get(&record.case.office).cloned();
    Ok(view)
}

/// The receipt code and secret of a reporter's request; `receipt_not_found` when they do not match.
async fn reporter_case(req: &Request, shards: &Shards, code: &ReceiptCode) -> Result<(Shard, CaseId), ApiError> {
    let found = match typed_secret(req)? {
        Some(secret) => store::reports::case_id(shards, code, &secret).await?,
        None => None,
    };
    found.ok_or(ApiError::client(ErrorCode::ReceiptNotFound))
}

/// Applies a reporter's action through `workflow::apply` and answers with the tracking view.
async fn reporter_action(
    req: &Request,
    shards: &Shards,
    code: &ReceiptCode,
    (shard, id): (Shard, CaseId),
    action: Action,
    lang: Lang,
) -> Result<Response, ApiError> {
    let record = store::cases::load(&shard.db, id).await?.ok_or(ApiError::client(ErrorCode::ReceiptNotFound))?;
    if record.moving_to.is_some() {
        return Err(ApiError::client(ErrorCode::CaseMoving));
    }
    let db = shards.control()?;
    let policy = store::policy::load(&db).await?;
    let at = http::now_ms().max(record.case.updated_at + 1);
    let (case, event) = workflow::apply(&record.case, &action, &Actor::Reporter, at, &policy)?;
    let tree = store::offices::tree(&db).await?;
    let taxonomy = store::taxonomy::shared(&db).await?;
    store::cases::save(shards, &shard, (&tree, &taxonomy), &record, &case, &event).await?;
    Ok(http::json(200, &present(shards, code, typed_secret(req)?.as_ref(), lang).await?))
}

/// The reporter says the case was not resolved: `workflow::apply` reopens it (within the window, a
/// limited number of times) and the answer is the tracking view.
pub async fn reopen(mut req: Request, env: &Env, code: &str, cx: &RequestContext) -> Result<Response, ApiError> {
    limits::check(&req, env, Limit::Lookups).await?;
    let code = ReceiptCode::parse(code).map_err(|_| ApiError::client(ErrorCode::ReceiptCodeInvalid))?;
    let shards = store::shards::Shards::open(env)?;
    let found = reporter_case(&req, &shards, &code).await?;
    let input: ReopenRequest = http::read_json(&mut req, MAX_BODY_BYTES).await?;
    reporter_action(&req, &shards, &code, found, Action::Reopen { reason: input.reason }, cx.lang).await
}

/// The reporter rates the outcome of a resolved case, once per resolution; the rating is a public
/// audit event on the timeline.
pub async fn rate(mut req: Request, env: &Env, code: &str, cx: &RequestContext) -> Result<Response, ApiError> {
    limits::check(&req, env, Limit::Lookups).await?;
    let code = ReceiptCode::parse(code).map_err(|_| ApiError::client(ErrorCode::ReceiptCodeInvalid))?;
    let shards = store::shards::Shards::open(env)?;
    let found = reporter_case(&req, &shards, &code).await?;
    let input: RatingRequest = http::read_json(&mut req, MAX_BODY_BYTES).await?;
    let action = Action::Rate { rating: input.rating, comment: input.comment };
    reporter_action(&req, &shards, &code, found, action, cx.lang).await
}

/// The server key that receipt secrets are derived with (a Worker secret, `RECEIPT_KEY`).
pub(crate) fn receipt_key(env: &Env) -> Result<Vec<u8>, ApiError> {
    let key = env
        .secret("RECEIPT_KEY")
        .map_err(|_| ApiError::Internal("RECEIPT_KEY is not configured".to_owned()))?
        .to_string();
    if key.len() < 32 {
        return Err(ApiError::Internal("RECEIPT_KEY must have at least 32 characters".to_owned()));
    }
    Ok(key.into_bytes())
}
