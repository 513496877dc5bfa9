//! Storing reports exactly once and reading them back for their reporter.

use qinglang_domain::api::{EventKind, ReportView, TimelineEntry};
use qinglang_domain::intake::Source;
use qinglang_domain::receipt::{ReceiptCode, ReceiptSecret, digests_equal, hex};
use qinglang_domain::refutation::api::RefutationMatch;
use qinglang_domain::workflow::{AuditEvent, AuditKind, Case, CaseId};
use qinglang_domain::{ErrorCode, Lang, Report, ReportStatus};
use qinglang_engine::Screening;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use worker::D1Database;

use super::shards::{Registered, RegisteredAll, Shard, Shards};
use super::{int, opt_int, opt_text, text};
use crate::error::ApiError;
use crate::random;
use qinglang_domain::figures::counters::{CounterKey, Counts};
use qinglang_domain::office::shards::CONTROL;

/// How many fresh receipt codes to try when one collides with an existing code.
/// With 31^8 codes a second collision in a row is beyond unlikely.
const CODE_ATTEMPTS: usize = 3;

/// A stored report's receipt.
pub struct StoredReceipt {
    /// Its receipt code.
    pub code: ReceiptCode,
    /// When it was first received.
    pub created_at: i64,
}

/// What [`insert_once`] did.
pub enum Stored {
    /// A new report was stored.
    Created(StoredReceipt),
    /// The same report was stored before under this idempotency key; nothing was added.
    Existing(StoredReceipt),
    /// A different report was stored before under this idempotency key; nothing was added.
    Conflict,
}

#[derive(Deserialize)]
struct KeyRow {
    receipt_code: String,
    request_hash: String,
    created_at: i64,
}

/// Stores `report` in `shard` unless a report with its idempotency key exists already.
///
/// Two writes: the directory row (`store::shards`, in the control database) gives the case its id
/// and its receipt code, unique across shards; then the shard's batch stores the report, its
/// screening, first events, contact and evidence together. A retry (or a concurrent send of the
/// same report) finds the key in the directory: the stored report is read and compared, or — when
/// the earlier attempt stopped between the two writes, so nothing was acknowledged — stored now
/// under that id and code. So a key maps to one report, always.
pub async fn insert_once(
    shards: &Shards,
    shard: &Shard,
    new: &NewCase<'_>,
    screening: &Screening,
    matches: &[RefutationMatch],
    secret: &ReceiptSecret,
) -> Result<Stored, ApiError> {
    let report = new.report;
    let now = new.first.1.at;
    let request_hash = request_hash(report)?;
    for _ in 0..CODE_ATTEMPTS {
        let code = ReceiptCode::from_random(random::bytes::<8>()?);
        let (id, code, shard) = match shards.register(&code, &report.idempotency_key, &shard.name, now).await? {
            Registered::CodeTaken => continue,
            Registered::New(id) => (id, code, shards.named(&shard.name)?),
            Registered::Existing(id, code, at) => {
                let at = shards.named(&at)?;
                if let Some(stored) = find_by_key(&at.db, report, &request_hash).await? {
                    return Ok(stored);
                }
                let code = ReceiptCode::parse(&code).map_err(|e| ApiError::Internal(format!("stored code: {e}")))?;
                (id, code, at)
            }
        };
        let staged = staged_evidence(shards, &shard, report).await?;
        let statements =
            insert_statements(&shard.db, id, new, screening, matches, &code, secret, &request_hash, staged.as_deref())?;
        return match shard.db.batch(statements).await {
            Ok(_) => {
                if staged.is_some() {
                    super::uploads::forget_staged(&shards.control()?, &report.idempotency_key).await;
                }
                Ok(Stored::Created(StoredReceipt { code, created_at: now }))
            }
            // A concurrent send of the same report stored it first: answer as a retry of it, or
            // refuse a different report.
            Err(e) if e.to_string().contains("reports.") => find_by_key(&shard.db, report, &request_hash)
                .await?
                .ok_or_else(|| ApiError::Internal(format!("insert report: {e}"))),
            Err(e) => Err(ApiError::Internal(format!("insert report: {e}"))),
        };
    }
    Err(ApiError::Internal("no free receipt code after several attempts".to_owned()))
}

/// The draft's evidence rows to copy into a shard other than the control database, where they wait
/// (`None`: attach them in place).
async fn staged_evidence(
    shards: &Shards,
    shard: &Shard,
    report: &Report,
) -> Result<Option<Vec<serde_json::Map<String, serde_json::Value>>>, ApiError> {
    if shard.name == CONTROL || report.evidence.is_empty() {
        return Ok(None);
    }
    Ok(Some(super::uploads::staged(&shards.control()?, &report.idempotency_key, &report.evidence).await?))
}

/// One row of [`insert_all`]: the report and its case, screening, secret and request hash.
pub type NewRow<'a> = (&'a NewCase<'a>, &'a Screening, &'a ReceiptSecret, &'a str);

/// Stores every report of `rows` in `shard` in one batch, or none (an import): answers their
/// receipt codes in order. Their directory rows come first, all or none; a receipt code that
/// collides with a stored one fails them, which are tried again with fresh codes. A source
/// reference or idempotency key stored meanwhile by a concurrent import answers
/// `duplicate_reference` (nothing of this batch was stored, its directory rows are removed; sending
/// it again names the rows). Imported reports carry no evidence.
pub async fn insert_all(shards: &Shards, shard: &Shard, rows: &[NewRow<'_>]) -> Result<Vec<ReceiptCode>, ApiError> {
    let now = rows.first().map_or(0, |(new, ..)| new.first.1.at);
    for _ in 0..CODE_ATTEMPTS {
        let codes: Vec<ReceiptCode> = (0..rows.len())
            .map(|_| Ok(ReceiptCode::from_random(random::bytes::<8>()?)))
            .collect::<Result<_, ApiError>>()?;
        let wanted: Vec<(&ReceiptCode, &str)> =
            codes.iter().zip(rows).map(|(code, (new, ..))| (code, new.report.idempotency_key.as_str())).collect();
        let ids = match shards.register_all(&wanted, &shard.name, now).await? {
            RegisteredAll::New(ids) => ids,
            RegisteredAll::CodeTaken => continue,
            RegisteredAll::KeyTaken => return Err(ApiError::client(ErrorCode::DuplicateReference)),
        };
        let mut statements = Vec::new();
        for ((&(new, screening, secret, hash), code), &id) in rows.iter().zip(&codes).zip(&ids) {
            statements.extend(insert_statements(&shard.db, id, new, screening, &[], code, secret, hash, None)?);
        }
        return match shard.db.batch(statements).await {
            Ok(_) => Ok(codes),
            Err(e) => {
                shards.unregister(&ids).await?;
                let message = e.to_string();
                if message.contains("reports.source") || message.contains("reports.idempotency_key") {
                    Err(ApiError::client(ErrorCode::DuplicateReference))
                } else {
                    Err(ApiError::Internal(format!("import: {message}")))
                }
            }
        };
    }
    Err(ApiError::Internal("no free receipt codes after several attempts".to_owned()))
}

async fn find_by_key(db: &D1Database, report: &Report, request_hash: &str) -> Result<Option<Stored>, ApiError> {
    let row: Option<KeyRow> = db
        .prepare("SELECT receipt_code, request_hash, created_at FROM reports WHERE idempotency_key = ?1")
        .bind(&[text(&report.idempotency_key)])?
        .first(None)
        .await?;
    let Some(row) = row else { return Ok(None) };
    if row.request_hash != request_hash {
        return Ok(Some(Stored::Conflict));
    }
    let code = ReceiptCode::parse(&row.receipt_code).map_err(|e| ApiError::Internal(format!("stored code: {e}")))?;
    Ok(Some(Stored::Existing(StoredReceipt { code, created_at: row.created_at })))
}

/// A report to store with the case the workflow made of it and how it reached the office.
pub struct NewCase<'a> {
    /// The validated report.
    pub report: &'a Report,
    /// `workflow::submit`'s (or `intake::enter`'s) first state and event.
    pub first: &'a (Case, AuditEvent),
    /// The channel.
    pub source: Source,
    /// Its reference (a transfer number), if any.
    pub reference: Option<&'a str>,
    /// The public figures' counter rows it adds (`store::figures::new_case_counters`).
    pub counters: Vec<(CounterKey, Counts)>,
}

/// The hash that tells a retry of a report from a different report under the same key.
pub fn request_hash(report: &Report) -> Result<String, ApiError> {
    Ok(hex(&Sha256::digest(serde_json::to_vec(report)?)))
}

/// Every statement that stores one new report as case `id`: the row, its screening, first event,
/// position, contact and evidence (attached in place, or copied from `staged` rows), each finding
/// the row by its receipt code.
#[allow(clippy::too_many_arguments)] // one case's parts
fn insert_statements(
    db: &D1Database,
    id: CaseId,
    new: &NewCase<'_>,
    screening: &Screening,
    matches: &[RefutationMatch],
    code: &ReceiptCode,
    secret: &ReceiptSecret,
    request_hash: &str,
    staged: Option<&[serde_json::Map<String, serde_json::Value>]>,
) -> Result<Vec<worker::D1PreparedStatement>, ApiError> {
    let NewCase { report, first: (case, event), source, reference, counters } = new;
    let now = event.at;
    let links = serde_json::to_string(&report.links)?;
    // Priority's serde name (`low` … `urgent`) is what the CHECK constraint lists.
    let priority = serde_json::to_value(screening.priority)?.as_str().unwrap_or("normal").to_owned();
    let mut statements = vec![
        db.prepare(
            "INSERT INTO reports (receipt_code, secret_hash, idempotency_key, request_hash, category, description, \
             links, platform, account, location, district, channel, status, priority, created_at, updated_at, due_at, \
             source, source_reference, office, id) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?15, ?14, ?13, ?13, ?16, ?17, ?18, ?19, ?20)",
        )
        .bind(&[
            text(code.as_str()),
            text(&secret.digest(code)),
            text(&report.idempotency_key),
            text(request_hash),
            text(&report.category),
            text(&report.description),
            text(&links),
            opt_text(report.platform.as_deref()),
            opt_text(report.account.as_deref()),
            opt_text(report.location.as_deref()),
            opt_text(report.district.as_deref()),
            opt_text(report.channel.as_deref()),
            int(now),
            text(&priority),
            text(case.status.as_str()),
            opt_int(case.due_at),
            text(source.as_str()),
            opt_text(*reference),
            text(&case.office),
            int(id.0),
        ])?,
        db.prepare(
            "INSERT INTO report_screenings (report_id, engine_version, rule_pack_version, suggested_category, junk, \
             findings, fingerprint, refutation_matches) SELECT id, ?2, ?3, ?4, ?5, ?6, ?7, ?8 FROM reports \
             WHERE receipt_code = ?1",
        )
        .bind(&[
            text(code.as_str()),
            text(&screening.engine_version),
            text(&screening.rule_pack_version),
            opt_text(screening.category.as_deref()),
            int(i64::from(screening.junk)),
            text(&serde_json::to_string(screening)?),
            // Always set: the worker screens with `screen_with_fingerprint`.
            text(&screening.fingerprint.unwrap_or_default().to_hex()),
            text(&serde_json::to_string(matches)?),
        ])?,
        db.prepare(
            "INSERT INTO events (report_id, kind, actor, is_public, body, detail, created_at) \
             SELECT id, ?3, ?4, ?5, ?6, ?7, ?2 FROM reports WHERE receipt_code = ?1",
        )
        .bind(&[
            text(code.as_str()),
            int(event.at),
            text(event.kind.as_str()),
            text(&event.actor),
            int(i64::from(event.public)),
            opt_text(event.body.as_deref()),
            opt_text(event.detail.as_deref()),
        ])?,
    ];
    // The phone's coarse position is staff-only like the contact: a staff-only event of the
    // submission (never in the reporter's or the public's view, which read public events only).
    if let Some(position) = report.position {
        statements.push(
            db.prepare(
                "INSERT INTO events (report_id, kind, actor, is_public, body, detail, created_at) \
                 SELECT id, 'device_position', 'reporter', 0, NULL, ?2, ?3 FROM reports WHERE receipt_code = ?1",
            )
            .bind(&[text(code.as_str()), text(&position.degrees()), int(now)])?,
        );
    }
    if let Some(contact) = &report.contact {
        statements.push(
            db.prepare(
                "INSERT INTO report_contacts (report_id, name, phone) SELECT id, ?2, ?3 FROM reports WHERE receipt_code = ?1",
            )
            .bind(&[text(code.as_str()), opt_text(contact.name.as_deref()), opt_text(contact.phone.as_deref())])?,
        );
    }
    statements.extend(super::figures::counter_statements(
        db,
        counters,
        "EXISTS (SELECT 1 FROM reports WHERE receipt_code = ?1)",
        &[text(code.as_str())],
        id.0,
    )?);
    match staged {
        None => statements.extend(super::uploads::attach_statements(
            db,
            code.as_str(),
            &report.idempotency_key,
            &report.evidence,
        )?),
        Some(rows) => {
            for (position, upload) in report.evidence.iter().enumerate() {
                let Some(row) = rows.iter().find(|r| r.get("id").and_then(|v| v.as_str()) == Some(upload)) else {
                    return Err(ApiError::Client {
                        code: ErrorCode::EvidenceMissing,
                        field: Some(format!("evidence.{position}")),
                    });
                };
                let mut row = row.clone();
                row.insert("report_id".to_owned(), id.0.into());
                row.insert("position".to_owned(), position.into());
                statements.push(super::shards::insert_row(db, "uploads", &row)?);
            }
        }
    }
    Ok(statements)
}

#[derive(Deserialize)]
struct ViewRow {
    id: i64,
    secret_hash: String,
    category: String,
    status: String,
    description: String,
    created_at: i64,
}

#[derive(Deserialize)]
struct EventRow {
    kind: String,
    body: Option<String>,
    detail: Option<String>,
    created_at: i64,
}

/// The reporter's view of a report with its case id and shard, if `secret` opens it. Transfers show
/// the department's name in `lang`, hand-overs the office's; a rating's comment is the only `detail`
/// read, since every other kind's detail is staff-only. `can_rate` and `reopen_until` are left for
/// the caller, who has the case and the policy.
pub async fn view(
    shards: &Shards,
    code: &ReceiptCode,
    secret: &ReceiptSecret,
    lang: Lang,
) -> Result<Option<(Shard, CaseId, ReportView)>, ApiError> {
    // The digest is computed whether or not the code exists, so both refusals take the same work.
    let digest = secret.digest(code);
    let Some(located) = shards.locate_code(code).await? else { return Ok(None) };
    let read = || async {
        let row: Option<ViewRow> = located
            .shard
            .db
            .prepare(
                "SELECT id, secret_hash, category, status, description, created_at FROM reports WHERE receipt_code = ?1",
            )
            .bind(&[text(code.as_str())])?
            .first(None)
            .await?;
        Ok::<_, ApiError>(row.filter(|r| digests_equal(&r.secret_hash, &digest)))
    };
    let Some(mut row) = read().await? else { return Ok(None) };
    // An archived case: the password checked on its small row, it is read back whole.
    if located.archived.is_some() {
        located.thaw(shards).await?;
        let Some(whole) = read().await? else { return Ok(None) };
        row = whole;
    }
    let shard = located.shard;
    let status = ReportStatus::from_name(&row.status)
        .ok_or_else(|| ApiError::Internal(format!("unknown status {:?}", row.status)))?;
    let events = shard
        .db
        .prepare("SELECT kind, body, detail, created_at FROM events WHERE report_id = ?1 AND is_public = 1 ORDER BY id")
        .bind(&[int(row.id)])?
        .all()
        .await?
        .results::<EventRow>()?;
    // A transfer's body is the department code, a hand-over's the office code: the reporter reads
    // their names, from the control database. Every hand-over between offices reads as "now with
    // office X" (`AuditKind::HAND_OVERS`).
    let control = shards.control()?;
    let departments = if events.iter().any(|e| e.kind == AuditKind::Transferred.as_str()) {
        super::taxonomy::departments(&control).await?
    } else {
        Vec::new()
    };
    let offices = super::offices::tree(&control).await?;
    let mut timeline = Vec::with_capacity(events.len());
    for e in events {
        let hand_over = AuditKind::HAND_OVERS.iter().any(|k| k.as_str() == e.kind);
        let body = match e.body {
            Some(code) if hand_over => Some(offices.get(&code).map_or(code.clone(), |o| o.name(lang).to_owned())),
            Some(code) if e.kind == AuditKind::Transferred.as_str() => {
                Some(departments.iter().find(|d| d.code == code).map_or(code.clone(), |d| d.name(lang).to_owned()))
            }
            body => body,
        };
        let kind = if hand_over { "referred" } else { e.kind.as_str() };
        let kind: EventKind = serde_json::from_value(serde_json::Value::String(kind.to_owned()))?;
        let detail = e.detail.filter(|_| kind == EventKind::Rated);
        timeline.push(TimelineEntry::from_stored(kind, e.created_at, body, detail));
    }
    Ok(Some((
        shard,
        CaseId(row.id),
        ReportView {
            receipt_code: code.grouped(),
            category: row.category,
            status,
            description: row.description,
            created_at: row.created_at,
            timeline,
            can_rate: false,
            reopen_until: None,
            office: None,
        },
    )))
}

#[derive(Deserialize)]
struct SecretRow {
    id: i64,
    secret_hash: String,
}

/// The case id and shard of the report `secret` opens, if it does (same work whether or not the code
/// exists).
pub async fn case_id(
    shards: &Shards,
    code: &ReceiptCode,
    secret: &ReceiptSecret,
) -> Result<Option<(Shard, CaseId)>, ApiError> {
    let digest = secret.digest(code);
    let Some(located) = shards.locate_code(code).await? else { return Ok(None) };
    let row: Option<SecretRow> = located
        .shard
        .db
        .prepare("SELECT id, secret_hash FROM reports WHERE receipt_code = ?1")
        .bind(&[text(code.as_str())])?
        .first(None)
        .await?;
    let Some(row) = row.filter(|r| digests_equal(&r.secret_hash, &digest)) else { return Ok(None) };
    // The reporter acts on the case (rates, reopens): it must be whole.
    located.thaw(shards).await?;
    Ok(Some((located.shard, CaseId(row.id))))
}

#[derive(Deserialize)]
struct ReferenceRow {
    source: String,
    source_reference: String,
}

/// Which of `references` are stored already in any shard, as `"<source> <reference>"` (what
/// `intake::import::identity` makes of a row).
pub async fn stored_references(
    shards: &Shards,
    references: &[String],
) -> Result<std::collections::BTreeSet<String>, ApiError> {
    let found = shards.each(|shard| async move { stored_references_in(&shard.db, references).await }).await?;
    Ok(found.into_iter().flatten().collect())
}

/// One shard's part of [`stored_references`]: read in pages of 90 by the UNIQUE index on
/// (source, source_reference), which the `source IN (…)` lets SQLite seek rather than scan.
async fn stored_references_in(
    db: &D1Database,
    references: &[String],
) -> Result<std::collections::BTreeSet<String>, ApiError> {
    let mut stored = std::collections::BTreeSet::new();
    let wanted: Vec<&String> = references.iter().filter(|r| !r.is_empty()).collect();
    for page in wanted.chunks(90) {
        let marks: Vec<String> = (1..=page.len()).map(|n| format!("?{n}")).collect();
        let binds: Vec<_> = page.iter().map(|r| text(r)).collect();
        let rows = db
            .prepare(format!(
                "SELECT source, source_reference FROM reports WHERE source IN ({}) AND source_reference IN ({})",
                Source::ALL.iter().map(|s| format!("'{}'", s.as_str())).collect::<Vec<_>>().join(", "),
                marks.join(", ")
            ))
            .bind(&binds)?
            .all()
            .await?
            .results::<ReferenceRow>()?;
        stored.extend(rows.into_iter().map(|r| format!("{} {}", r.source, r.source_reference)));
    }
    Ok(stored)
}
