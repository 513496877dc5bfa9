//! The daily digest, run by the Cron Trigger `0 0 * * *` (08:00 Asia/Shanghai; see `wrangler.toml`).
//!
//! One run: claim the day in `digest_runs` (a second firing the same day stops here), read the running
//! cases due before the end of today, escalate each overdue case whose primary handler has been idle
//! since it fell due to its backup handler — through `workflow::apply` as `Actor::System`, written by
//! `store::cases::save` like any other action — then build one digest per office
//! (`qinglang_domain::digest::per_office`: its own cases, and every hand-over between offices nobody
//! has taken up, in both offices' digests), post each to its office's webhooks in their robot's
//! format, and write the console notifications of each office's accounts.
//!
//! The claim comes first, so a day's digest is posted at most once; a run that fails half-way is
//! logged and not retried that day (the cases stay in the queue's overdue filter regardless).

use std::collections::BTreeMap;

use qinglang_domain::ReceiptCode;
use qinglang_domain::digest::{self, DigestCase};
use qinglang_domain::workflow::{self, Action, Actor, SHANGHAI_UTC_OFFSET_MINUTES};
use wasm_bindgen::JsValue;
use worker::{Env, Fetch, Headers, Method, Request, RequestInit};

use crate::error::ApiError;
use crate::{http, store};

/// What a run did.
pub enum Outcome {
    /// Another run had claimed the day already.
    AlreadyRan,
    /// This run did the day's digest.
    Ran(store::digest::RunCounts),
}

/// Runs the digest for the day `now` falls in.
pub async fn run(env: &Env, now: i64) -> Result<Outcome, ApiError> {
    let db = store::db(env)?;
    let day = digest::local_day(now, SHANGHAI_UTC_OFFSET_MINUTES);
    if !store::digest::claim_day(&db, &day, now).await? {
        return Ok(Outcome::AlreadyRan);
    }
    let policy = store::policy::load(&db).await?;
    let shards = store::shards::Shards::open(env)?;
    let records =
        store::digest::due_before(&shards, digest::end_of_local_day(now, SHANGHAI_UTC_OFFSET_MINUTES)).await?;
    let mut cases = Vec::with_capacity(records.len());
    // Escalations are decided case by case and written together (`save_many`: a few D1 calls for
    // a thousand of them, each still guarded by its own case's state).
    let mut changes = Vec::new();
    let mut changed_at = Vec::new();
    for record in records {
        let code = ReceiptCode::parse(&record.receipt_code).map(|c| c.grouped()).unwrap_or(record.receipt_code.clone());
        let case = record.case;
        // A case on its way to another shard is escalated there, if still due, at the next run.
        if workflow::needs_escalation(&case, now).is_some() && record.moving_to.is_none() {
            let at = now.max(case.updated_at + 1);
            let (after, event) = workflow::apply(&case, &Action::Escalate, &Actor::System, at, &policy)?;
            changed_at.push(cases.len());
            changes.push((record.shard.clone(), case.clone(), after, event));
        }
        cases.push(DigestCase { code, case });
    }
    let mut escalated = Vec::new();
    let written = store::cases::save_many(&shards, &changes).await?;
    for ((i, (_, _, after, _)), written) in changed_at.into_iter().zip(changes).zip(written) {
        // Not written: a handler acted on the case meanwhile, so it is no longer idle; it stays as it was.
        if written {
            cases[i].case = after;
            escalated.push(cases[i].code.clone());
        }
    }
    let in_transit: Vec<DigestCase> = store::digest::in_transit(&shards)
        .await?
        .into_iter()
        .map(|r| DigestCase {
            code: ReceiptCode::parse(&r.receipt_code).map(|c| c.grouped()).unwrap_or(r.receipt_code.clone()),
            case: r.case,
        })
        .collect();
    let recipients = store::digest::recipients(&db).await?;
    let names = digest::DigestNames {
        handlers: recipients.iter().map(|(r, name)| (r.id, name.clone())).collect(),
        departments: store::taxonomy::departments(&db).await?.into_iter().map(|d| (d.code, d.name_zh_hans)).collect(),
        offices: store::offices::tree(&db)
            .await?
            .offices
            .iter()
            .map(|o| (o.code.clone(), o.name_zh_hans.clone()))
            .collect::<BTreeMap<_, _>>(),
    };
    // One digest per office: its own cases, and the hand-overs it waits on or owes.
    let digests = digest::per_office(&day, &cases, &in_transit, &escalated, &names, now, SHANGHAI_UTC_OFFSET_MINUTES);
    let hooks = store::admin::webhooks(&db).await?;
    let recipients: Vec<_> = recipients.into_iter().map(|(r, _)| r).collect();
    let (mut posted, mut failed) = (0, 0);
    let mut notes = Vec::new();
    for digest in &digests {
        for hook in hooks.iter().filter(|h| digest.office.as_deref() == Some(h.office.as_str())) {
            let body = serde_json::to_string(&digest::payload(hook.kind()?, digest))?;
            match post(&hook.url, body).await {
                Ok(()) => posted += 1,
                Err(e) => {
                    failed += 1;
                    worker::console_error!("digest webhook {} failed: {e:?}", hook.id);
                }
            }
        }
        notes.extend(digest::notifications(digest, &recipients));
    }
    store::digest::notify(&db, &notes, now).await?;
    let counts = store::digest::RunCounts {
        due_today: digests.iter().map(|d| d.total.due_today.len()).sum(),
        overdue: digests.iter().map(|d| d.total.overdue.len()).sum(),
        escalated: escalated.len(),
        posted,
        failed,
    };
    store::digest::finish_day(&db, &day, http::now_ms(), &counts).await?;
    Ok(Outcome::Ran(counts))
}

/// POSTs a JSON body; an answer other than 2xx is a failure.
async fn post(url: &str, body: String) -> Result<(), ApiError> {
    let headers = Headers::new();
    headers.set("content-type", "application/json; charset=utf-8")?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post).with_headers(headers).with_body(Some(JsValue::from_str(&body)));
    let response = Fetch::Request(Request::new_with_init(url, &init)?).send().await?;
    let status = response.status_code();
    if (200..300).contains(&status) { Ok(()) } else { Err(ApiError::Internal(format!("HTTP {status}"))) }
}
