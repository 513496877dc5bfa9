//! Staff intake: `POST /api/staff/reports` (one report taken by phone, letter, in person, from a
//! self-media clue or passed down) and `POST /api/staff/reports/import` (many passed down, as CSV or
//! JSON rows: all stored, or none and every bad row named).
//!
//! Both go through the public form's validation, the same screening, `intake::enter` (which is
//! `workflow::submit` with the entering staff member as the actor) and `store::reports`, so an
//! entered report is a case like any other and counts in the same figures, by channel.

use std::collections::BTreeSet;

use qinglang_domain::intake::import::{self, ImportAnswer, Imported};
use qinglang_domain::intake::{self, StaffReportRequest};
use qinglang_domain::receipt::ReceiptSecret;
use qinglang_domain::workflow::{self, Actor, Permission};
use qinglang_domain::{ErrorCode, Lang};
use worker::{Env, Request, Response};

use crate::auth::{self, Csrf};
use crate::error::ApiError;
use crate::http::{self, RequestContext};
use crate::screening;
use crate::store::{self, reports::NewCase};

/// One entered report's body: as the public form's.
const MAX_BODY_BYTES: usize = 256 * 1024;
/// An import's body: 200 rows of up to 2,000 characters each, with room for the other columns.
const MAX_IMPORT_BYTES: usize = 2 * 1024 * 1024;

/// Enters one report for a caller, writer or visitor. Answers its receipt code and secret (to read
/// out or write back to them), 201, or 200 for a retry with the same idempotency key.
pub async fn enter(mut req: Request, env: &Env) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    let now = http::now_ms();
    let me = auth::signed_in(&req, &db, now, Csrf::Required).await?;
    workflow::require(&me.staff, Permission::EnterReports)?;
    let input: StaffReportRequest = http::read_json(&mut req, MAX_BODY_BYTES).await?;
    let taxonomy = store::taxonomy::knowing(&db, &input.report.category).await?;
    let (report, intake) = intake::validate(&input, now, &taxonomy)?;
    let office = me.staff.office.clone();
    let mut first =
        intake::enter(&report, &intake, &Actor::Staff(me.staff).audit_name(), &store::policy::load(&db).await?);
    // A report staff enter lands at their own office.
    first.0.office = office;
    let tree = store::offices::tree(&db).await?;
    let counters = store::figures::new_case_counters(&first.0, intake.source.as_str(), &taxonomy, &tree);
    let new = NewCase {
        report: &report,
        first: &first,
        source: intake.source,
        reference: intake.reference.as_deref(),
        counters,
    };
    let origin = req.url()?.origin().ascii_serialization();
    crate::routes::reports::file(env, &db, &origin, &new).await.map_err(duplicate_reference)
}

/// A source reference stored already (the UNIQUE index) is the caller's mistake, named as such.
fn duplicate_reference(e: ApiError) -> ApiError {
    match e {
        ApiError::Internal(message) if message.contains("reports.source") => {
            ApiError::Client { code: ErrorCode::DuplicateReference, field: Some("source_reference".to_owned()) }
        }
        other => other,
    }
}

fn refused(rows: Vec<import::RowError>, lang: Lang) -> Response {
    let code = ErrorCode::ImportInvalid;
    let answer =
        ImportAnswer { error: Some(code), message: Some(code.message(lang).to_owned()), rows, imported: Vec::new() };
    http::json(code.http_status(), &answer)
}

/// Imports rows passed down: `text/csv` (a header row, then one row per case) or JSON
/// `{"rows": [...]}`. All rows are stored in one D1 batch, or none: a bad row anywhere answers 400
/// `import_invalid` listing every bad row (row number, field, error, message).
pub async fn import(mut req: Request, env: &Env, cx: &RequestContext) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    let now = http::now_ms();
    let me = auth::signed_in(&req, &db, now, Csrf::Required).await?;
    workflow::require(&me.staff, Permission::EnterReports)?;
    let content_type = req.headers().get("content-type")?.unwrap_or_default().to_ascii_lowercase();
    let rows = if content_type.starts_with("text/csv") {
        let bytes = http::read_body(&mut req, MAX_IMPORT_BYTES).await?;
        let text = String::from_utf8(bytes).map_err(|_| ApiError::client(ErrorCode::BadJson))?;
        match import::parse_csv(&text, cx.lang) {
            Ok(rows) => rows,
            Err(errors) => return Ok(refused(errors, cx.lang)),
        }
    } else {
        http::read_json::<import::ImportRequest>(&mut req, MAX_IMPORT_BYTES).await?.rows
    };
    let taxonomy = store::taxonomy::shared(&db).await?;
    let references: Vec<String> = rows.iter().map(|r| r.source_reference.trim().to_owned()).collect();
    let shards = store::shards::Shards::open(env)?;
    let stored: BTreeSet<String> = store::reports::stored_references(&shards, &references).await?;
    let valid = match import::validate_rows(&rows, now, &taxonomy, &stored, cx.lang) {
        Ok(valid) => valid,
        Err(errors) => return Ok(refused(errors, cx.lang)),
    };
    let office = me.staff.office.clone();
    let tree = store::offices::tree(&db).await?;
    let actor = Actor::Staff(me.staff).audit_name();
    let policy = store::policy::load(&db).await?;
    let key = crate::routes::reports::receipt_key(env)?;
    let mut prepared = Vec::with_capacity(valid.len());
    for row in &valid {
        let screening = screening::screen(&row.report)?;
        let mut first = intake::enter(&row.report, &row.intake, &actor, &policy);
        // Cases passed down land at the importing office.
        first.0.office.clone_from(&office);
        let secret = ReceiptSecret::derive(&key, &row.report.idempotency_key);
        let hash = store::reports::request_hash(&row.report)?;
        prepared.push((screening, first, secret, hash));
    }
    let news: Vec<NewCase> = valid
        .iter()
        .zip(&prepared)
        .map(|(row, (_, first, _, _))| NewCase {
            report: &row.report,
            first,
            source: row.intake.source,
            reference: row.intake.reference.as_deref(),
            counters: store::figures::new_case_counters(&first.0, row.intake.source.as_str(), &taxonomy, &tree),
        })
        .collect();
    let rows: Vec<_> = news
        .iter()
        .zip(&prepared)
        .map(|(new, (screening, _, secret, hash))| (new, screening, secret, hash.as_str()))
        .collect();
    let shard = shards.for_office(&tree, &office)?;
    let codes = store::reports::insert_all(&shards, &shard, &rows).await?;
    let imported = valid
        .iter()
        .zip(&prepared)
        .zip(codes)
        .enumerate()
        .map(|(i, ((row, (_, _, secret, _)), code))| Imported {
            row: i + 1,
            source_reference: row.intake.reference.clone().unwrap_or_default(),
            receipt_code: code.grouped(),
            secret: secret.grouped(),
        })
        .collect();
    Ok(http::json(201, &ImportAnswer { error: None, message: None, rows: Vec::new(), imported }))
}
