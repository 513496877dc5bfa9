//! Cases: the queue, one case with its history, and writing the workflow's result.
//!
//! A case is the report row plus the columns of `migrations/0004_staff_and_cases.sql`, which mirror
//! `workflow::Case` one for one. Architecture invariant: the only statement that changes those
//! columns is [`save`], and it writes exactly what `workflow::apply` returned, together with the audit
//! event, in one batch conditioned on the state the action was decided on.

use qinglang_domain::Taxonomy;
use qinglang_domain::api::{QueueFindings, StaffEvent};
use qinglang_domain::figures::counters;
use qinglang_domain::office::OfficeTree;
use qinglang_domain::workflow::{AuditEvent, AuditKind, Case, CaseId, SHANGHAI_UTC_OFFSET_MINUTES, StaffId};
use qinglang_domain::{Contact, ErrorCode, ReportStatus};
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::D1Database;

use super::figures;
use super::shards::{Move, Shard, Shards};
use super::{int, opt_int, opt_text, text};
use crate::error::ApiError;

/// Longest page of the queue.
pub const MAX_PAGE: u32 = 100;

/// One case with the report fields staff read.
pub struct CaseRecord {
    /// The workflow's view.
    pub case: Case,
    /// Receipt code (ungrouped).
    pub receipt_code: String,
    /// The engine's priority.
    pub priority: String,
    /// What the reporter wrote.
    pub description: String,
    /// Links, as stored (a JSON array).
    pub links: String,
    /// Platform.
    pub platform: Option<String>,
    /// Account.
    pub account: Option<String>,
    /// Place.
    pub location: Option<String>,
    /// Poster code.
    pub channel: Option<String>,
    /// The shard it is on its way to (`store::shards`): nothing is done to it until it arrives.
    pub moving_to: Option<String>,
    /// The shard it was read from.
    pub shard: String,
    /// How it reached the office (`intake::Source`'s name).
    pub source: String,
    /// The reporter's latest rating's name.
    pub rating: Option<String>,
    /// Queue sort keys, for the paging cursor.
    sort_keys: (i64, i64),
}

const CASE_COLUMNS: &str = "id, status, category, district, department, primary_handler, backup_handler, created_at, \
    accepted_at, due_at, resolved_at, feedback_at, supervised_at, primary_acted_at, transfer_count, reopen_count, \
    merged_into, rated_at, updated_at, return_count, returned_at, extension_until, extension_count, receipt_code, priority, description, links, platform, account, location, channel, \
    due_sort, priority_rank, office, referred_from, escalated_to, delegated_by, review_reply, moving_to, source, rating";

#[derive(Deserialize)]
struct CaseRow {
    id: i64,
    status: String,
    category: String,
    district: Option<String>,
    department: Option<String>,
    primary_handler: Option<i64>,
    backup_handler: Option<i64>,
    created_at: i64,
    accepted_at: Option<i64>,
    due_at: Option<i64>,
    resolved_at: Option<i64>,
    feedback_at: Option<i64>,
    supervised_at: Option<i64>,
    primary_acted_at: Option<i64>,
    transfer_count: u32,
    reopen_count: u32,
    merged_into: Option<i64>,
    rated_at: Option<i64>,
    updated_at: i64,
    return_count: u32,
    returned_at: Option<i64>,
    extension_until: Option<i64>,
    extension_count: u32,
    receipt_code: String,
    priority: String,
    description: String,
    links: String,
    platform: Option<String>,
    account: Option<String>,
    location: Option<String>,
    channel: Option<String>,
    due_sort: i64,
    priority_rank: i64,
    office: String,
    referred_from: Option<String>,
    escalated_to: Option<String>,
    delegated_by: Option<String>,
    review_reply: Option<String>,
    moving_to: Option<String>,
    source: String,
    rating: Option<String>,
}

fn status(name: &str) -> Result<ReportStatus, ApiError> {
    ReportStatus::from_name(name).ok_or_else(|| ApiError::Internal(format!("unknown status {name:?}")))
}

impl CaseRow {
    fn into_record(self) -> Result<CaseRecord, ApiError> {
        let case = Case {
            id: CaseId(self.id),
            status: status(&self.status)?,
            category: self.category,
            district: self.district,
            department: self.department,
            primary_handler: self.primary_handler.map(StaffId),
            backup_handler: self.backup_handler.map(StaffId),
            created_at: self.created_at,
            accepted_at: self.accepted_at,
            due_at: self.due_at,
            resolved_at: self.resolved_at,
            feedback_at: self.feedback_at,
            supervised_at: self.supervised_at,
            primary_acted_at: self.primary_acted_at,
            transfer_count: self.transfer_count,
            reopen_count: self.reopen_count,
            merged_into: self.merged_into.map(CaseId),
            rated_at: self.rated_at,
            updated_at: self.updated_at,
            return_count: self.return_count,
            returned_at: self.returned_at,
            extension_until: self.extension_until,
            extension_count: self.extension_count,
            requests: Vec::new(),
            office: self.office,
            referred_from: self.referred_from,
            escalated_to: self.escalated_to,
            delegated_by: self.delegated_by,
            review_reply: self.review_reply,
        };
        Ok(CaseRecord {
            case,
            receipt_code: self.receipt_code,
            priority: self.priority,
            description: self.description,
            links: self.links,
            platform: self.platform,
            account: self.account,
            location: self.location,
            channel: self.channel,
            moving_to: self.moving_to,
            shard: String::new(),
            source: self.source,
            rating: self.rating,
            sort_keys: (self.priority_rank, self.due_sort),
        })
    }
}

/// One case with its consultations and assistance requests (every action and the case page need
/// them), in one round trip; `None` if it does not exist.
pub async fn load(db: &D1Database, id: CaseId) -> Result<Option<CaseRecord>, ApiError> {
    let results = db
        .batch(vec![
            db.prepare(format!("SELECT {CASE_COLUMNS} FROM reports WHERE id = ?1")).bind(&[int(id.0)])?,
            super::requests::select(db, id)?,
        ])
        .await?;
    let [row, requests] = results.as_slice() else {
        return Err(ApiError::Internal("case load batch returned the wrong number of results".to_owned()));
    };
    let Some(row) = row.results::<CaseRow>()?.into_iter().next() else { return Ok(None) };
    let mut record = row.into_record()?;
    record.case.requests = requests
        .results::<super::requests::RequestRow>()?
        .into_iter()
        .map(super::requests::RequestRow::into_request)
        .collect::<Result<_, _>>()?;
    Ok(Some(record))
}

/// One case wherever it is (the directory names its shard), with that shard; `None` if it does not
/// exist.
pub async fn find(shards: &Shards, id: CaseId) -> Result<Option<(Shard, CaseRecord)>, ApiError> {
    let Some(shard) = shards.locate(id).await? else { return Ok(None) };
    let record = load(&shard.db, id).await?.map(|mut record| {
        record.shard = shard.name.clone();
        record
    });
    Ok(record.map(|record| (shard, record)))
}

/// A case's status, read for a merge target.
pub async fn status_of(shards: &Shards, id: CaseId) -> Result<Option<(ReportStatus, String)>, ApiError> {
    #[derive(Deserialize)]
    struct Row {
        status: String,
        office: String,
    }
    let Some(shard) = shards.locate(id).await? else { return Ok(None) };
    let row: Option<Row> =
        shard.db.prepare("SELECT status, office FROM reports WHERE id = ?1").bind(&[int(id.0)])?.first(None).await?;
    row.map(|r| Ok((status(&r.status)?, r.office))).transpose()
}

/// The queue's order.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum QueueSort {
    /// Soonest due first; cases without a deadline last.
    Due,
    /// Most urgent first, then soonest due.
    Priority,
}

/// Which hand-overs between offices the queue lists, seen from one office.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handover {
    /// Waiting on the office: referrals to accept or send back, escalations to answer, results of
    /// cases it delegated to review, and the cases delegated to it.
    In,
    /// Waiting on others: its referrals not yet taken up (wherever they are now), its escalations
    /// not yet answered, and the cases it delegated.
    Out,
}

/// What the queue is filtered by. Every filter is optional.
pub struct QueueFilter {
    /// Status.
    pub status: Option<ReportStatus>,
    /// Category codes: a category and its subcategories.
    pub category: Option<Vec<String>>,
    /// District code.
    pub district: Option<String>,
    /// Department code.
    pub department: Option<String>,
    /// Primary handler.
    pub handler: Option<StaffId>,
    /// A liaison's department: only the cases transferred to it or asking it something in an open
    /// request (`workflow::liaison_can_see`).
    pub liaison: Option<String>,
    /// Only the cases held by this office and the offices below it (none: every office's). With
    /// [`QueueFilter::handover`], the office whose hand-overs are listed.
    pub office: Option<String>,
    /// The codes of the office's subtree (itself first), when [`QueueFilter::office`] is set.
    pub subtree: Vec<String>,
    /// Only the office's open hand-overs, in or out (instead of its subtree).
    pub handover: Option<Handover>,
    /// The office's subtree is wide (a district's hundreds of offices and its whole history): the
    /// page walks the due-order index instead of reading and sorting every case the subtree held —
    /// in the shards named in [`QueueFilter::wide_in`] (those holding the subtree's offices). In a
    /// shard that holds none of them the walk would pass every case it has without a match, so
    /// there the offices' own index is read (and finds nothing, or a case left by a changed map).
    pub wide: bool,
    /// The shards where [`QueueFilter::wide`] applies.
    pub wide_in: Vec<String>,
    /// Only running cases past their due time.
    pub overdue: bool,
    /// Only running cases due within `[start, end)` (the console's "due today").
    pub due_within: Option<(i64, i64)>,
    /// Order.
    pub sort: QueueSort,
    /// The previous page's cursor.
    pub after: Option<String>,
    /// Page length (at most [`MAX_PAGE`]).
    pub limit: u32,
}

fn bad_cursor() -> ApiError {
    ApiError::Client { code: ErrorCode::BadJson, field: Some("after".to_owned()) }
}

/// One page of the queue and the cursor of the next, from every shard at once: each answers its
/// first `limit + 1` rows after the cursor in the queue's order, and the merge keeps the first
/// `limit` of them all. The key is global ((priority_rank,) due_sort, id; ids are unique across
/// shards), so the next page starts where this one ended in every shard. A case copied to its new
/// shard but not yet gone from the old one is listed once, from the copy that is not moving.
pub async fn queue(
    shards: &Shards,
    filter: &QueueFilter,
    now: i64,
) -> Result<(Vec<CaseRecord>, Option<String>), ApiError> {
    let limit = filter.limit.clamp(1, MAX_PAGE) as usize;
    let pages = shards
        .each(|shard| async move {
            let wide = filter.wide && filter.wide_in.contains(&shard.name);
            tagged(queue_in(&shard.db, filter, wide, now).await, &shard)
        })
        .await?;
    let more = pages.iter().any(|page| page.len() > limit);
    let mut records: Vec<CaseRecord> = pages.into_iter().flatten().collect();
    let key = |r: &CaseRecord| match filter.sort {
        QueueSort::Due => (0, r.sort_keys.1, r.case.id.0),
        QueueSort::Priority => (r.sort_keys.0, r.sort_keys.1, r.case.id.0),
    };
    // Same id twice: the row without `moving_to` first, so dedup keeps it.
    records.sort_by_key(|r| (key(r), r.moving_to.is_some()));
    records.dedup_by_key(|r| r.case.id);
    let next = if records.len() > limit || more {
        records.truncate(limit);
        records.last().map(|r| match filter.sort {
            QueueSort::Due => format!("{}.{}", r.sort_keys.1, r.case.id),
            QueueSort::Priority => format!("{}.{}.{}", r.sort_keys.0, r.sort_keys.1, r.case.id),
        })
    } else {
        None
    };
    Ok((records, next))
}

/// One shard's part of [`queue`]: at most `limit + 1` rows, using the `reports_queue_*` indexes,
/// so a page costs the same at the 100,000th case as at the first.
async fn queue_in(db: &D1Database, filter: &QueueFilter, wide: bool, now: i64) -> Result<Vec<CaseRecord>, ApiError> {
    let mut conditions: Vec<String> = Vec::new();
    let mut params: Vec<JsValue> = Vec::new();
    let mut add = |sql: &str, value: JsValue| {
        params.push(value);
        conditions.push(sql.replace('?', &format!("?{}", params.len())));
    };
    if let Some(status) = filter.status {
        add("status = ?", text(status.as_str()));
    }
    if let Some(codes) = &filter.category {
        // The category and everything below it (at most three levels, `taxonomy::MAX_DEPTH`); the
        // shards have no taxonomy, so the codes come bound as one JSON list.
        add("category IN (SELECT value FROM json_each(?))", text(&serde_json::to_string(codes)?));
    }
    if let (Some(handover), Some(office)) = (filter.handover, &filter.office) {
        // Each branch is a partial-index lookup (migration 0016) or the office's own rows.
        let open = ReportStatus::sql_list(&ReportStatus::OPEN);
        let which = match handover {
            Handover::In => {
                "(office = ? AND (referred_from IS NOT NULL OR delegated_by IS NOT NULL)) OR escalated_to = ? \
                 OR (delegated_by = ? AND review_reply IS NOT NULL)"
            }
            Handover::Out => "referred_from = ? OR (office = ? AND escalated_to IS NOT NULL) OR delegated_by = ?",
        };
        add(&format!("status IN ({open}) AND ({which})"), text(office));
    } else if let Some(office) = &filter.office {
        // The office's subtree as one bound JSON list (the shards hold no offices), so a
        // province's thousands of offices need no bound parameter each.
        let codes = if filter.subtree.is_empty() { vec![office.clone()] } else { filter.subtree.clone() };
        add("office IN (SELECT value FROM json_each(?))", text(&serde_json::to_string(&codes)?));
    }
    for (column, value) in [("district", &filter.district), ("department", &filter.department)] {
        if let Some(value) = value {
            add(&format!("{column} = ?"), text(value));
        }
    }
    if let Some(handler) = filter.handler {
        add("primary_handler = ?", int(handler.0));
    }
    if let Some(department) = &filter.liaison {
        // Both sides are index lookups: reports_queue_department, and case_requests_open_party.
        add(
            &format!(
                "((status = '{}' AND department = ?) OR id IN \
                 (SELECT report_id FROM case_requests WHERE party = ? AND closed_at IS NULL))",
                ReportStatus::Transferred.as_str()
            ),
            text(department),
        );
    }
    if filter.overdue {
        // due_sort is the due time of running cases only (see migration 0004): this is is_overdue.
        add("due_sort < ?", int(now));
    }
    if let Some((start, end)) = filter.due_within {
        add("due_sort >= ?", int(start));
        add("due_sort < ?", int(end));
    }
    let keys: Vec<i64> = match &filter.after {
        Some(cursor) => {
            cursor.split('.').map(|k| k.parse::<i64>().map_err(|_| bad_cursor())).collect::<Result<_, _>>()?
        }
        None => Vec::new(),
    };
    let (order, key_columns) = match filter.sort {
        QueueSort::Due => ("due_sort, id", "(due_sort, id)"),
        QueueSort::Priority => ("priority_rank, due_sort, id", "(priority_rank, due_sort, id)"),
    };
    let n_keys = if filter.sort == QueueSort::Due { 2 } else { 3 };
    if !keys.is_empty() {
        if keys.len() != n_keys {
            return Err(bad_cursor());
        }
        let first = params.len() + 1;
        params.extend(keys.iter().map(|&k| int(k)));
        let placeholders: Vec<String> = (first..first + n_keys).map(|i| format!("?{i}")).collect();
        conditions.push(format!("{key_columns} > ({})", placeholders.join(", ")));
    }
    let limit = filter.limit.clamp(1, MAX_PAGE);
    params.push(int(i64::from(limit) + 1));
    let filter_sql = if conditions.is_empty() { String::new() } else { format!("WHERE {}", conditions.join(" AND ")) };
    // A wide subtree with nothing else to narrow it: walk the queue's order and stop at the page, a
    // cost that does not grow with the subtree's history (BENCHMARKS.md, "Office network at
    // Tianjin scale"). SQLite would otherwise read every case the subtree held and sort them.
    let only_office = filter.status.is_none()
        && filter.category.is_none()
        && filter.district.is_none()
        && filter.department.is_none()
        && filter.handler.is_none()
        && filter.liaison.is_none()
        && filter.handover.is_none()
        && filter.due_within.is_none()
        && !filter.overdue;
    let index = match filter.sort {
        _ if !(wide && only_office && filter.office.is_some()) => "",
        QueueSort::Due => " INDEXED BY reports_queue_all_due",
        QueueSort::Priority => " INDEXED BY reports_queue_all_priority",
    };
    let sql =
        format!("SELECT {CASE_COLUMNS} FROM reports{index} {filter_sql} ORDER BY {order} LIMIT ?{}", params.len());
    let rows = db.prepare(sql).bind(&params)?.all().await?.results::<CaseRow>()?;
    rows.into_iter().map(CaseRow::into_record).collect()
}

/// Marks each record of a shard's answer with the shard.
fn tagged(records: Result<Vec<CaseRecord>, ApiError>, shard: &Shard) -> Result<Vec<CaseRecord>, ApiError> {
    let mut records = records?;
    for r in &mut records {
        r.shard = shard.name.clone();
    }
    Ok(records)
}

/// Every shard's rows of one read, as one list without a case twice (the copy that is not moving
/// kept), ordered by `key`.
fn merged<K: Ord>(lists: Vec<Vec<CaseRecord>>, key: impl Fn(&CaseRecord) -> K) -> Vec<CaseRecord> {
    let mut records: Vec<CaseRecord> = lists.into_iter().flatten().collect();
    records.sort_by(|a, b| a.case.id.cmp(&b.case.id).then(a.moving_to.is_some().cmp(&b.moving_to.is_some())));
    records.dedup_by_key(|r| r.case.id);
    records.sort_by_key(|r| key(r));
    records
}

/// Running cases waiting on a hand-over between offices (`digest::handovers_of`), from every shard.
pub async fn in_transit(shards: &Shards) -> Result<Vec<CaseRecord>, ApiError> {
    let lists = shards.each(|shard| async move { tagged(in_transit_in(&shard.db).await, &shard) }).await?;
    Ok(merged(lists, |r| r.case.id))
}

async fn in_transit_in(db: &D1Database) -> Result<Vec<CaseRecord>, ApiError> {
    let open = ReportStatus::sql_list(&ReportStatus::OPEN);
    let rows = db
        .prepare(format!(
            "SELECT {CASE_COLUMNS} FROM reports WHERE id IN (SELECT id FROM reports WHERE referred_from IS NOT NULL \
             UNION SELECT id FROM reports WHERE escalated_to IS NOT NULL \
             UNION SELECT id FROM reports WHERE delegated_by IS NOT NULL) AND status IN ({open}) ORDER BY id"
        ))
        .all()
        .await?
        .results::<CaseRow>()?;
    rows.into_iter().map(CaseRow::into_record).collect()
}

/// Running cases whose due time is before `before`, soonest first, from every shard (the daily
/// digest's read; the `reports_queue_all_due` index makes it a range scan).
pub async fn due_before(shards: &Shards, before: i64) -> Result<Vec<CaseRecord>, ApiError> {
    let lists = shards.each(|shard| async move { tagged(due_before_in(&shard.db, before).await, &shard) }).await?;
    Ok(merged(lists, |r| (r.sort_keys.1, r.case.id)))
}

async fn due_before_in(db: &D1Database, before: i64) -> Result<Vec<CaseRecord>, ApiError> {
    let rows = db
        .prepare(format!("SELECT {CASE_COLUMNS} FROM reports WHERE due_sort < ?1 ORDER BY due_sort, id"))
        .bind(&[int(before)])?
        .all()
        .await?
        .results::<CaseRow>()?;
    rows.into_iter().map(CaseRow::into_record).collect()
}

/// How many open cases, newest first, the duplicate check compares a case against.
pub const DUPLICATE_CANDIDATES: i64 = 5_000;

/// A case the duplicate check kept, as the case page shows it (`excerpt`: its description, which
/// the route masks and shortens).
#[derive(Deserialize)]
pub struct DuplicateCandidate {
    pub id: i64,
    pub category: String,
    pub status: String,
    pub created_at: i64,
    pub excerpt: String,
    #[serde(default)]
    pub moving: i64,
}

#[derive(Deserialize)]
struct ScreeningSummaryRow {
    report_id: i64,
    suggested_category: Option<String>,
    junk: i64,
    findings: String,
}

/// A piece of personal data in a report's text: character span and masked rendering.
#[derive(Deserialize)]
pub struct PiiSpan {
    pub start: usize,
    pub end: usize,
    pub masked: String,
}

/// `text` with every span of `pii` replaced by its masked rendering (what staff read).
pub fn masked(text: &str, pii: &[PiiSpan]) -> String {
    qinglang_domain::mask::mask_spans(text, pii.iter().map(|p| (p.start, p.end, p.masked.as_str())))
}

/// What the queue shows of one case's screening: the counts, and the personal data to mask in its
/// excerpt.
pub struct QueueScreening {
    pub id: i64,
    pub findings: QueueFindings,
    pub pii: Vec<PiiSpan>,
}

/// The screening counts of the cases `ids` (one queue page: at most 100 ids, read by primary key in
/// every shard at once; a case's screening moves with it).
pub async fn queue_findings(shards: &Shards, ids: &[i64]) -> Result<Vec<QueueScreening>, ApiError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let lists = shards.each(|shard| async move { queue_findings_in(&shard.db, ids).await }).await?;
    let mut all: Vec<QueueScreening> = lists.into_iter().flatten().collect();
    all.sort_by_key(|s| s.id);
    all.dedup_by_key(|s| s.id);
    Ok(all)
}

async fn queue_findings_in(db: &D1Database, ids: &[i64]) -> Result<Vec<QueueScreening>, ApiError> {
    let (marks, binds) = super::in_list(ids);
    let rows = db
        .prepare(format!(
            "SELECT report_id, suggested_category, junk, findings FROM report_screenings WHERE report_id IN ({marks})"
        ))
        .bind(&binds)?
        .all()
        .await?
        .results::<ScreeningSummaryRow>()?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let findings: serde_json::Value = serde_json::from_str(&r.findings).unwrap_or_default();
            let count = |key: &str| findings.get(key).and_then(|v| v.as_array()).map_or(0, |a| a.len() as u32);
            let pii: Vec<PiiSpan> =
                findings.get("pii").and_then(|v| serde_json::from_value(v.clone()).ok()).unwrap_or_default();
            let summary = QueueFindings {
                matches: count("matches"),
                pii: count("pii"),
                suggested_category: r.suggested_category,
                junk: r.junk != 0,
            };
            QueueScreening { id: r.report_id, findings: summary, pii }
        })
        .collect())
}

/// The fingerprint of a case's text, from the worker's screening of it.
pub async fn fingerprint(db: &D1Database, id: CaseId) -> Result<Option<qinglang_engine::Fingerprint>, ApiError> {
    let hex: Option<String> = db
        .prepare("SELECT fingerprint FROM report_screenings WHERE report_id = ?1")
        .bind(&[int(id.0)])?
        .first(Some("fingerprint"))
        .await?;
    Ok(hex.as_deref().and_then(qinglang_engine::Fingerprint::from_hex))
}

/// The fingerprints of the newest open cases of every shard but case `id` (the case page's
/// duplicate check; only open cases can be merged into), newest first: the open cases' index and
/// the screenings' primary key only, no case row read. [`duplicate_details`] reads the few kept.
pub async fn duplicate_candidates(shards: &Shards, id: CaseId) -> Result<Vec<(i64, String)>, ApiError> {
    let lists = shards.each(|shard| async move { duplicate_candidates_in(&shard.db, id).await }).await?;
    let mut all: Vec<(i64, String)> = lists.into_iter().flatten().map(|c| (c.id, c.fingerprint)).collect();
    all.sort_by_key(|c| std::cmp::Reverse(c.0));
    all.dedup_by_key(|c| c.0);
    all.truncate(DUPLICATE_CANDIDATES as usize);
    Ok(all)
}

#[derive(Deserialize)]
struct FingerprintRow {
    id: i64,
    fingerprint: String,
}

async fn duplicate_candidates_in(db: &D1Database, id: CaseId) -> Result<Vec<FingerprintRow>, ApiError> {
    let open = ReportStatus::sql_list(&ReportStatus::OPEN);
    Ok(db
        .prepare(format!(
            "SELECT r.id, s.fingerprint FROM reports r INDEXED BY reports_open_newest \
             JOIN report_screenings s ON s.report_id = r.id \
             WHERE r.status IN ({open}) AND r.id <> ?1 ORDER BY r.id DESC LIMIT ?2"
        ))
        .bind(&[int(id.0), int(DUPLICATE_CANDIDATES)])?
        .all()
        .await?
        .results::<FingerprintRow>()?)
}

/// What the case page shows of the duplicates kept (a handful of ids), from every shard at once.
pub async fn duplicate_details(shards: &Shards, ids: &[i64]) -> Result<Vec<DuplicateCandidate>, ApiError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let lists = shards
        .each(|shard| async move {
            let (marks, binds) = super::in_list(ids);
            Ok::<_, ApiError>(
                shard
                    .db
                    .prepare(format!(
                        "SELECT id, category, status, created_at, description AS excerpt, \
                         (moving_to IS NOT NULL) AS moving FROM reports WHERE id IN ({marks})"
                    ))
                    .bind(&binds)?
                    .all()
                    .await?
                    .results::<DuplicateCandidate>()?,
            )
        })
        .await?;
    let mut all: Vec<DuplicateCandidate> = lists.into_iter().flatten().collect();
    // A case met in two shards mid-move: the copy without `moving_to` is the one that stays.
    all.sort_by_key(|c| (c.id, c.moving));
    all.dedup_by_key(|c| c.id);
    Ok(all)
}

/// What the case page shows besides the case itself.
pub struct CaseExtras {
    /// The engine's screening JSON.
    pub screening: Option<String>,
    /// Every event, oldest first.
    pub timeline: Vec<StaffEvent>,
    /// Whether contact details exist.
    pub has_contact: bool,
}

#[derive(Deserialize)]
struct EventRow {
    id: i64,
    kind: String,
    actor: String,
    is_public: u8,
    body: Option<String>,
    detail: Option<String>,
    created_at: i64,
}

#[derive(Deserialize)]
struct FindingsRow {
    findings: String,
}

#[derive(Deserialize)]
struct CountRow {
    n: u32,
}

/// Screening, full timeline and whether a contact exists, in one round trip.
pub async fn extras(db: &D1Database, id: CaseId) -> Result<CaseExtras, ApiError> {
    let results = db
        .batch(vec![
            db.prepare("SELECT findings FROM report_screenings WHERE report_id = ?1").bind(&[int(id.0)])?,
            db.prepare(
                "SELECT id, kind, actor, is_public, body, detail, created_at FROM events WHERE report_id = ?1 ORDER BY id",
            )
            .bind(&[int(id.0)])?,
            db.prepare("SELECT COUNT(*) AS n FROM report_contacts WHERE report_id = ?1").bind(&[int(id.0)])?,
        ])
        .await?;
    let [screening, events, contacts] = results.as_slice() else {
        return Err(ApiError::Internal("case extras batch returned the wrong number of results".to_owned()));
    };
    let screening = screening.results::<FindingsRow>()?.into_iter().next().map(|r| r.findings);
    let timeline = events
        .results::<EventRow>()?
        .into_iter()
        .map(|e| StaffEvent {
            id: e.id,
            kind: e.kind,
            actor: e.actor,
            public: e.is_public == 1,
            body: e.body,
            detail: e.detail,
            at: e.created_at,
        })
        .collect();
    let has_contact = contacts.results::<CountRow>()?.first().is_some_and(|r| r.n > 0);
    Ok(CaseExtras { screening, timeline, has_contact })
}

#[derive(Deserialize)]
struct ContactRow {
    name: Option<String>,
    phone: Option<String>,
}

/// The reporter's contact details, logging the reading as a staff-only `contact_viewed` event in the
/// same batch, so no reading goes unrecorded.
pub async fn read_contact(db: &D1Database, id: CaseId, actor: &str, now: i64) -> Result<Option<Contact>, ApiError> {
    let results = db
        .batch(vec![
            db.prepare(
                "INSERT INTO events (report_id, kind, actor, is_public, body, created_at) \
                 SELECT report_id, 'contact_viewed', ?2, 0, NULL, ?3 FROM report_contacts WHERE report_id = ?1",
            )
            .bind(&[int(id.0), text(actor), int(now)])?,
            db.prepare("SELECT name, phone FROM report_contacts WHERE report_id = ?1").bind(&[int(id.0)])?,
        ])
        .await?;
    let row = results.get(1).map(|r| r.results::<ContactRow>()).transpose()?.and_then(|rows| rows.into_iter().next());
    Ok(row.map(|r| Contact { name: r.name, phone: r.phone }))
}

/// Writes the workflow's result: the audit event and the new case, in one batch that applies only
/// if the case still has the status and `updated_at` that `before` was read with. Answers
/// `case_wrong_state` when another action got there first; then nothing was written.
///
/// A case handed to an office whose cases another shard holds is marked as moving in the same
/// batch and its move queued (`store::shards`).
///
/// The public figures' counters change in the same batch (`store::figures`): the case's rows before
/// are taken away and its rows after added; a case leaving the shard takes its rows along (they are
/// added where it arrives).
pub async fn save(
    shards: &Shards,
    shard: &Shard,
    (tree, taxonomy): (&OfficeTree, &Taxonomy),
    record: &CaseRecord,
    after: &Case,
    event: &AuditEvent,
) -> Result<(), ApiError> {
    let before = &record.case;
    let to = shards.name_for_office(tree, &after.office);
    let moving = (after.office != before.office && to != shard.name).then_some(to);
    let rating_after = if event.kind == AuditKind::Rated { event.body.as_deref() } else { record.rating.as_deref() };
    let counted_before =
        figures::counted(before, taxonomy.root_of(&before.category), &record.source, record.rating.as_deref());
    let counted_after = figures::counted(after, taxonomy.root_of(&after.category), &record.source, rating_after);
    let offices_before = figures::offices_up(tree, &before.office);
    let offices_after = figures::offices_up(tree, &after.office);
    let delta = counters::delta(
        Some((&counted_before, &offices_before)),
        moving.is_none().then_some((&counted_after, offices_after.as_slice())),
        SHANGHAI_UTC_OFFSET_MINUTES,
    );
    let mut statements = save_statements(&shard.db, before, after, event, moving)?;
    let update = statements.pop().ok_or_else(|| ApiError::Internal("no case update".to_owned()))?;
    statements.extend(figures::counter_statements(
        &shard.db,
        &delta,
        "EXISTS (SELECT 1 FROM reports WHERE id = ?1 AND status = ?2 AND updated_at = ?3 AND moving_to IS NULL AND archived_at IS NULL)",
        &[int(before.id.0), text(before.status.as_str()), int(before.updated_at)],
        before.id.0,
    )?);
    // The rating is kept on the case for the counters.
    if let (AuditKind::Rated, Some(rating)) = (event.kind, event.body.as_deref()) {
        statements.push(
            shard
                .db
                .prepare(
                    "UPDATE reports SET rating = ?4 WHERE id = ?1 AND status = ?2 AND updated_at = ?3 \
                     AND moving_to IS NULL AND archived_at IS NULL",
                )
                .bind(&[int(before.id.0), text(before.status.as_str()), int(before.updated_at), text(rating)])?,
        );
    }
    statements.push(update);
    let results = shard.db.batch(statements).await?;
    if !case_changed(results.last()) {
        return Err(ApiError::client(ErrorCode::CaseWrongState));
    }
    if let Some(to) = moving {
        shards.send(&Move { id: before.id.0, from: shard.name.clone(), to: to.to_owned() }).await;
    }
    Ok(())
}

/// How many cases [`save_many`] writes per D1 call: 2 statements each for an escalation, well
/// within a batch's size, and a thousand escalations cost 25 calls, not a thousand.
const SAVE_MANY_CHUNK: usize = 40;

/// Writes many results at once (the digest's escalations, none of which changes a case's office):
/// each case's statements are guarded by its own state as in [`save`], so one case changed
/// meanwhile (or moving to another shard) leaves the others untouched. `changes` name each case's
/// shard ([`CaseRecord::shard`]). Answers, per case, whether it was written.
pub async fn save_many(shards: &Shards, changes: &[(String, Case, Case, AuditEvent)]) -> Result<Vec<bool>, ApiError> {
    let mut written = vec![false; changes.len()];
    for shard in shards.all()? {
        let mine: Vec<usize> = (0..changes.len()).filter(|&i| changes[i].0 == shard.name).collect();
        for chunk in mine.chunks(SAVE_MANY_CHUNK) {
            let mut statements = Vec::new();
            let mut last_of_case = Vec::with_capacity(chunk.len());
            for &i in chunk {
                let (_, before, after, event) = &changes[i];
                statements.extend(save_statements(&shard.db, before, after, event, None)?);
                last_of_case.push((i, statements.len() - 1));
            }
            let results = shard.db.batch(statements).await?;
            for (i, last) in last_of_case {
                written[i] = case_changed(results.get(last));
            }
        }
    }
    Ok(written)
}

/// Whether a case's guarded UPDATE changed its row.
fn case_changed(result: Option<&worker::D1Result>) -> bool {
    result.and_then(|r| r.meta().ok().flatten()).and_then(|m| m.changes).unwrap_or(0) == 1
}

/// The statements of [`save`]: the event and request rows first, each guarded by the state read, and
/// the case's update last, since it moves that state (and marks the case as `moving` to a shard).
fn save_statements(
    db: &D1Database,
    before: &Case,
    after: &Case,
    event: &AuditEvent,
    moving: Option<&str>,
) -> Result<Vec<worker::D1PreparedStatement>, ApiError> {
    let guard = [int(before.id.0), text(before.status.as_str()), int(before.updated_at)];
    let mut event_params = guard.to_vec();
    event_params.extend([
        text(event.kind.as_str()),
        text(&event.actor),
        int(i64::from(event.public)),
        opt_text(event.body.as_deref()),
        opt_text(event.detail.as_deref()),
        int(event.at),
    ]);
    let mut case_params = guard.to_vec();
    case_params.extend([
        text(after.status.as_str()),
        opt_text(after.department.as_deref()),
        opt_int(after.primary_handler.map(|s| s.0)),
        opt_int(after.backup_handler.map(|s| s.0)),
        opt_int(after.accepted_at),
        opt_int(after.due_at),
        opt_int(after.resolved_at),
        opt_int(after.feedback_at),
        opt_int(after.supervised_at),
        opt_int(after.primary_acted_at),
        int(i64::from(after.transfer_count)),
        int(i64::from(after.reopen_count)),
        opt_int(after.merged_into.map(|c| c.0)),
        int(after.updated_at),
        opt_int(after.rated_at),
        int(i64::from(after.return_count)),
        opt_int(after.returned_at),
        opt_int(after.extension_until),
        int(i64::from(after.extension_count)),
        text(&after.office),
        opt_text(after.referred_from.as_deref()),
        opt_text(after.escalated_to.as_deref()),
        opt_text(after.delegated_by.as_deref()),
        opt_text(after.review_reply.as_deref()),
        opt_text(moving),
    ]);
    let mut statements = vec![
        db.prepare(
            "INSERT INTO events (report_id, kind, actor, is_public, body, detail, created_at) \
             SELECT id, ?4, ?5, ?6, ?7, ?8, ?9 FROM reports WHERE id = ?1 AND status = ?2 AND updated_at = ?3 \
             AND moving_to IS NULL AND archived_at IS NULL",
        )
        .bind(&event_params)?,
    ];
    statements.extend(super::requests::writes(db, &before.requests, &after.requests, &guard)?);
    statements.push(
        db.prepare(
            "UPDATE reports SET status = ?4, department = ?5, primary_handler = ?6, backup_handler = ?7, \
             accepted_at = ?8, due_at = ?9, resolved_at = ?10, feedback_at = ?11, supervised_at = ?12, \
             primary_acted_at = ?13, transfer_count = ?14, reopen_count = ?15, merged_into = ?16, updated_at = ?17, \
             rated_at = ?18, return_count = ?19, returned_at = ?20, extension_until = ?21, extension_count = ?22, \
             office = ?23, referred_from = ?24, escalated_to = ?25, delegated_by = ?26, review_reply = ?27, \
             moving_to = ?28 WHERE id = ?1 AND status = ?2 AND updated_at = ?3 AND moving_to IS NULL AND archived_at IS NULL",
        )
        .bind(&case_params)?,
    );
    Ok(statements)
}
