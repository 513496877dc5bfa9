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

use super::{int, opt_int, opt_text, text};
use crate::error::ApiError;
use crate::random;

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

/// Stores `report` unless a report with its idempotency key exists already.
///
/// The insert batch is tried first, without looking for the key: almost every submission is new,
/// and the UNIQUE index on `reports.idempotency_key` is the authority anyway. A retry (or a
/// concurrent send of the same report) fails that index as a whole batch, and only then is the
/// stored row read and compared. So a key maps to one report, always, and a new report costs one
/// round trip to D1.
pub async fn insert_once(
    db: &D1Database,
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
        match db.batch(insert_statements(db, new, screening, matches, &code, secret, &request_hash)?).await {
            Ok(_) => return Ok(Stored::Created(StoredReceipt { code, created_at: now })),
            Err(e) => {
                let message = e.to_string();
                if message.contains("reports.idempotency_key") {
                    // A report with this key is stored (an earlier send, or a concurrent one that
                    // committed first): answer as a retry of it, or refuse a different report.
                    return find_by_key(db, report, &request_hash)
                        .await?
                        .ok_or_else(|| ApiError::Internal("idempotency key vanished".to_owned()));
                }
                if !message.contains("reports.receipt_code") {
                    return Err(ApiError::Internal(format!("insert report: {message}")));
                }
            }
        }
    }
    Err(ApiError::Internal("no free receipt code after several attempts".to_owned()))
}

/// One row of [`insert_all`]: the report and its case, screening, secret and request hash.
pub type NewRow<'a> = (&'a NewCase<'a>, &'a Screening, &'a ReceiptSecret, &'a str);

/// Stores every report of `rows` in one batch, or none (an import): answers their receipt codes in
/// order. A receipt code that collides with a stored one fails the batch, which is tried again with
/// fresh codes; a source reference or idempotency key stored meanwhile by a concurrent import
/// answers `duplicate_reference` (nothing of this batch was stored; sending it again names the rows).
pub async fn insert_all(db: &D1Database, rows: &[NewRow<'_>]) -> Result<Vec<ReceiptCode>, ApiError> {
    for _ in 0..CODE_ATTEMPTS {
        let mut statements = Vec::new();
        let mut codes = Vec::with_capacity(rows.len());
        for &(new, screening, secret, hash) in rows {
            let code = ReceiptCode::from_random(random::bytes::<8>()?);
            statements.extend(insert_statements(db, new, screening, &[], &code, secret, hash)?);
            codes.push(code);
        }
        match db.batch(statements).await {
            Ok(_) => return Ok(codes),
            Err(e) => {
                let message = e.to_string();
                if message.contains("reports.source") || message.contains("reports.idempotency_key") {
                    return Err(ApiError::client(ErrorCode::DuplicateReference));
                }
                if !message.contains("reports.receipt_code") {
                    return Err(ApiError::Internal(format!("import: {message}")));
                }
            }
        }
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
}

/// The hash that tells a retry of a report from a different report under the same key.
pub fn request_hash(report: &Report) -> Result<String, ApiError> {
    Ok(hex(&Sha256::digest(serde_json::to_vec(report)?)))
}

/// Every statement that stores one new report: the row, its screening, first event, position,
/// contact and evidence, each finding the row by its receipt code.
pub fn insert_statements(
    db: &D1Database,
    new: &NewCase<'_>,
    screening: &Screening,
    matches: &[RefutationMatch],
    code: &ReceiptCode,
    secret: &ReceiptSecret,
    request_hash: &str,
) -> Result<Vec<worker::D1PreparedStatement>, ApiError> {
    let NewCase { report, first: (case, event), source, reference } = new;
    let now = event.at;
    let links = serde_json::to_string(&report.links)?;
    // Priority's serde name (`low` … `urgent`) is what the CHECK constraint lists.
    let priority = serde_json::to_value(screening.priority)?.as_str().unwrap_or("normal").to_owned();
    let mut statements = vec![
        db.prepare(
            "INSERT INTO reports (receipt_code, secret_hash, idempotency_key, request_hash, category, description, \
             links, platform, account, location, district, channel, status, priority, created_at, updated_at, due_at, \
             source, source_reference, office) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?15, ?14, ?13, ?13, ?16, ?17, ?18, ?19)",
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
    statements.extend(super::uploads::attach_statements(db, code.as_str(), &report.idempotency_key, &report.evidence)?);
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
    kind: EventKind,
    body: Option<String>,
    detail: Option<String>,
    created_at: i64,
}

/// The reporter's view of a report with its case id, if `secret` opens it. Transfers show the
/// department's name in `lang`; a rating's comment is the only `detail` read, since every other
/// kind's detail is staff-only. `can_rate` and `reopen_until` are left for the caller, who has the
/// case and the policy.
pub async fn view(
    db: &D1Database,
    code: &ReceiptCode,
    secret: &ReceiptSecret,
    lang: Lang,
) -> Result<Option<(CaseId, ReportView)>, ApiError> {
    let row: Option<ViewRow> = db
        .prepare(
            "SELECT id, secret_hash, category, status, description, created_at FROM reports WHERE receipt_code = ?1",
        )
        .bind(&[text(code.as_str())])?
        .first(None)
        .await?;
    // The digest is computed whether or not the code exists, so both refusals take the same work.
    let digest = secret.digest(code);
    let Some(row) = row.filter(|r| digests_equal(&r.secret_hash, &digest)) else { return Ok(None) };
    let status = ReportStatus::from_name(&row.status)
        .ok_or_else(|| ApiError::Internal(format!("unknown status {:?}", row.status)))?;
    let name_column = match lang {
        Lang::ZhHans => "name_zh_hans",
        Lang::ZhHant => "name_zh_hant",
        Lang::En => "name_en",
    };
    // Every hand-over between offices reads as "now with office X" (`AuditKind::HAND_OVERS`).
    let hand_overs: Vec<String> = AuditKind::HAND_OVERS.iter().map(|k| format!("'{}'", k.as_str())).collect();
    let hand_overs = hand_overs.join(", ");
    let events = db
        // A transfer's body is the department code, a hand-over's the office code; the reporter reads
        // their names.
        .prepare(format!(
            "SELECT CASE WHEN e.kind IN ({hand_overs}) THEN 'referred' ELSE e.kind END AS kind, \
             COALESCE(d.{name_column}, o.{name_column}, e.body) AS body, \
             CASE WHEN e.kind = 'rated' THEN e.detail END AS detail, e.created_at FROM events e \
             LEFT JOIN departments d ON e.kind = 'transferred' AND d.code = e.body \
             LEFT JOIN offices o ON e.kind IN ({hand_overs}) AND o.code = e.body \
             WHERE e.report_id = ?1 AND e.is_public = 1 ORDER BY e.id"
        ))
        .bind(&[int(row.id)])?
        .all()
        .await?
        .results::<EventRow>()?;
    let timeline =
        events.into_iter().map(|e| TimelineEntry::from_stored(e.kind, e.created_at, e.body, e.detail)).collect();
    Ok(Some((
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

/// The case id of the report `secret` opens, if it does (same work whether or not the code exists).
pub async fn case_id(db: &D1Database, code: &ReceiptCode, secret: &ReceiptSecret) -> Result<Option<CaseId>, ApiError> {
    let row: Option<SecretRow> = db
        .prepare("SELECT id, secret_hash FROM reports WHERE receipt_code = ?1")
        .bind(&[text(code.as_str())])?
        .first(None)
        .await?;
    let digest = secret.digest(code);
    Ok(row.filter(|r| digests_equal(&r.secret_hash, &digest)).map(|r| CaseId(r.id)))
}

#[derive(Deserialize)]
struct ReferenceRow {
    source: String,
    source_reference: String,
}

/// Which of `references` are stored already, as `"<source> <reference>"` (what
/// `intake::import::identity` makes of a row); read in pages of 90 by the UNIQUE index on
/// (source, source_reference), which the `source IN (…)` lets SQLite seek rather than scan.
pub async fn stored_references(
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
