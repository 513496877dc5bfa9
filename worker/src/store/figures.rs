//! The rows the figures are computed from (`qinglang_domain::figures` does the arithmetic).

use std::collections::BTreeMap;

use qinglang_domain::figures::counters::{self, Counted, CounterKey, Counts, Dim};
use qinglang_domain::figures::{CaseLogRow, ClosedWork, OpenWork, PublicStats, STATUS_KINDS};
use qinglang_domain::office::OfficeTree;
use qinglang_domain::workflow::{Case, CaseId, FiguresScope, Rating, SHANGHAI_UTC_OFFSET_MINUTES, StaffId};
use qinglang_domain::{ReportStatus, Taxonomy};
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};

use super::shards::Shards;
use super::{int, text};

use crate::error::ApiError;

/// The name of the case's latest rating: the newest `rated` event of `r`, by the `events_report`
/// index (a case has a handful of events).
const LATEST_RATING: &str = "(SELECT y.body FROM events y WHERE y.report_id = r.id AND y.kind = 'rated' \
                             ORDER BY y.id DESC LIMIT 1)";

#[derive(Deserialize)]
struct LogRow {
    id: i64,
    moving: i64,
    category: String,
    received_at: i64,
    due_at: Option<i64>,
    last_kind: String,
    last_at: i64,
    rating: Option<String>,
    source: String,
    office: Option<String>,
}

/// One row per report, from every shard at once: category, receipt time, due time, the last
/// status-changing event of its audit log and the reporter's latest rating. Reads no text and
/// nothing about the reporter. A case copied to its new shard and not yet gone from the old one
/// counts once, from the copy that is not moving.
pub async fn case_log(shards: &Shards) -> Result<Vec<CaseLogRow>, ApiError> {
    let lists = shards.each(|shard| async move { case_log_in(&shard.db).await }).await?;
    let mut rows: Vec<LogRow> = lists.into_iter().flatten().collect();
    if rows.iter().any(|r| r.moving != 0) {
        rows.sort_by_key(|r| (r.id, r.moving));
        rows.dedup_by_key(|r| r.id);
    }
    Ok(rows
        .into_iter()
        .map(|r| CaseLogRow {
            category: r.category,
            received_at: r.received_at,
            due_at: r.due_at,
            last_kind: r.last_kind,
            last_at: r.last_at,
            rating: r.rating,
            source: r.source,
            office: r.office,
        })
        .collect())
}

async fn case_log_in(db: &D1Database) -> Result<Vec<LogRow>, ApiError> {
    let kinds: Vec<String> = STATUS_KINDS.iter().map(|(k, _)| format!("'{k}'")).collect();
    let sql = format!(
        "SELECT r.id, (r.moving_to IS NOT NULL) AS moving, r.category, r.created_at AS received_at, r.due_at, e.kind AS last_kind, e.created_at AS last_at, \
         {LATEST_RATING} AS rating, r.source, r.office \
         FROM reports r JOIN events e ON e.id = (SELECT MAX(x.id) FROM events x \
         WHERE x.report_id = r.id AND x.kind IN ({}))",
        kinds.join(", ")
    );
    Ok(db.prepare(sql).all().await?.results::<LogRow>()?)
}

#[derive(Deserialize)]
struct WorkloadRow {
    id: i64,
    status: String,
    category: String,
    department: Option<String>,
    primary_handler: Option<i64>,
    created_at: i64,
    accepted_at: Option<i64>,
    due_at: Option<i64>,
    resolved_at: Option<i64>,
    extension_count: u32,
    return_count: u32,
    rating: Option<String>,
    office: String,
}

/// The case columns the supervisors' figures need, for the cases `scope` may read (rejected and
/// merged cases count nowhere, so they are not read), and each rated case's latest rating, from
/// every shard at once.
///
/// With `offices` (an office's subtree), only the cases held there (an account below the root reads
/// its own office's figures and those of the offices below it).
pub async fn workload(
    shards: &Shards,
    scope: &FiguresScope,
    offices: Option<&[&str]>,
) -> Result<(Vec<Case>, BTreeMap<CaseId, Rating>), ApiError> {
    let parts = shards.each(|shard| async move { workload_in(&shard.db, scope, offices).await }).await?;
    let mut cases = Vec::new();
    let mut ratings = BTreeMap::new();
    for (c, r) in parts {
        cases.extend(c);
        ratings.extend(r);
    }
    // A case copied to its new shard and not yet gone from the old one: the copies are the same
    // case as of its hand-over; keep one.
    cases.sort_by_key(|c| c.id);
    cases.dedup_by_key(|c| c.id);
    Ok((cases, ratings))
}

async fn workload_in(
    db: &D1Database,
    scope: &FiguresScope,
    offices: Option<&[&str]>,
) -> Result<(Vec<Case>, BTreeMap<CaseId, Rating>), ApiError> {
    let uncounted = ReportStatus::sql_list(&[ReportStatus::Rejected, ReportStatus::Merged]);
    let mut conditions = vec![format!("r.status NOT IN ({uncounted})")];
    let mut params = Vec::new();
    if let Some(offices) = offices {
        params.push(text(&serde_json::to_string(offices)?));
        conditions.push(format!("r.office IN (SELECT value FROM json_each(?{}))", params.len()));
    }
    if let FiguresScope::Department(d) = scope {
        params.push(text(d));
        conditions.push(format!("r.department = ?{}", params.len()));
    }
    let statement = db
        .prepare(format!(
            "SELECT r.id, r.status, r.category, r.department, r.primary_handler, r.created_at, r.accepted_at, \
             r.due_at, r.resolved_at, r.extension_count, r.return_count, {LATEST_RATING} AS rating, r.office \
             FROM reports r WHERE {}",
            conditions.join(" AND ")
        ))
        .bind(&params)?;
    let rows = statement.all().await?.results::<WorkloadRow>()?;
    let mut cases = Vec::with_capacity(rows.len());
    let mut ratings = BTreeMap::new();
    for r in rows {
        let mut case = Case::new(CaseId(r.id), &r.category, None, r.created_at);
        case.status = ReportStatus::from_name(&r.status)
            .ok_or_else(|| ApiError::Internal(format!("unknown status {:?}", r.status)))?;
        case.department = r.department;
        case.primary_handler = r.primary_handler.map(StaffId);
        case.accepted_at = r.accepted_at;
        case.due_at = r.due_at;
        case.resolved_at = r.resolved_at;
        case.extension_count = r.extension_count;
        case.return_count = r.return_count;
        case.office = r.office;
        if let Some(rating) = r.rating.as_deref().and_then(Rating::from_name) {
            ratings.insert(case.id, rating);
        }
        cases.push(case);
    }
    Ok((cases, ratings))
}

/// A case as the counters see it (`figures::counters`): its top-level category and channel given.
pub fn counted<'a>(case: &'a Case, category_root: &'a str, source: &'a str, rating: Option<&str>) -> Counted<'a> {
    Counted {
        office: &case.office,
        category: category_root,
        received_at: case.created_at,
        source,
        status: case.status,
        due_at: case.due_at,
        resolved_at: case.resolved_at,
        rating: rating.and_then(Rating::from_name),
        department: case.department.as_deref(),
        handler: case.primary_handler.map(|h| h.0),
        accepted_at: case.accepted_at,
        extended: case.extension_count > 0,
        returned: case.return_count > 0,
    }
}

/// The office and every office above it, whose counters a case of `office` is part of.
pub fn offices_up<'a>(tree: &'a OfficeTree, office: &'a str) -> Vec<&'a str> {
    let chain: Vec<&str> = tree.ancestry(office).into_iter().map(|o| o.code.as_str()).collect();
    if chain.is_empty() { vec![office] } else { chain }
}

/// The counter rows a new case adds (its first state, at its office and above).
pub fn new_case_counters(
    case: &Case,
    source: &str,
    taxonomy: &Taxonomy,
    tree: &OfficeTree,
) -> Vec<(CounterKey, Counts)> {
    let c = counted(case, taxonomy.root_of(&case.category), source, None);
    counters::delta(None, Some((&c, &offices_up(tree, &case.office))), SHANGHAI_UTC_OFFSET_MINUTES)
}

/// Counter rows per statement: 11 bound values each, under D1's 100 with a guard's few.
const COUNTER_ROWS_PER_STATEMENT: usize = 8;

/// Statements that add `rows` (a change of case `case_id`) to the counters, each applying only
/// while `guard` (an SQL condition over `?1 … ?k`, bound to `guard_params`) holds, as the case's own
/// write does. While a rebuild runs ([`rebuild_step`]) and has counted the case already, they add
/// the rows to its table too.
pub fn counter_statements(
    db: &D1Database,
    rows: &[(CounterKey, Counts)],
    guard: &str,
    guard_params: &[JsValue],
    case_id: i64,
) -> Result<Vec<D1PreparedStatement>, ApiError> {
    let mut statements = upsert_statements(db, "figure_counts", rows, guard, guard_params)?;
    let counted = format!(
        "({guard}) AND EXISTS (SELECT 1 FROM figure_meta WHERE key = 'rebuild_after' AND CAST(value AS INTEGER) >= {case_id})"
    );
    statements.extend(upsert_statements(db, "figure_counts_next", rows, &counted, guard_params)?);
    Ok(statements)
}

/// `rows` added to `table` (`figure_counts` or the rebuild's `figure_counts_next`) where `guard` holds.
fn upsert_statements(
    db: &D1Database,
    table: &str,
    rows: &[(CounterKey, Counts)],
    guard: &str,
    guard_params: &[JsValue],
) -> Result<Vec<D1PreparedStatement>, ApiError> {
    let mut statements = Vec::new();
    for chunk in rows.chunks(COUNTER_ROWS_PER_STATEMENT) {
        let mut params = guard_params.to_vec();
        let mut tuples = Vec::with_capacity(chunk.len());
        for (key, c) in chunk {
            let first = params.len() + 1;
            tuples.push(format!("({})", (first..first + 11).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ")));
            params.extend([
                text(&key.office),
                text(key.dim.as_str()),
                text(&key.value),
                text(key.state),
                int(key.bucket),
                int(c.n),
                int(c.on_time),
                int(c.rated),
                int(c.satisfied),
                int(c.extended),
                int(c.returned),
            ]);
        }
        statements.push(
            db.prepare(format!(
                "INSERT INTO {table} (office, dim, value, state, bucket, n, on_time, rated, satisfied, \
                 extended, returned) \
                 SELECT column1, column2, column3, column4, column5, column6, column7, column8, column9, column10, \
                 column11 FROM (VALUES {}) WHERE {guard} \
                 ON CONFLICT (office, dim, value, state, bucket) DO UPDATE SET n = n + excluded.n, \
                 on_time = on_time + excluded.on_time, rated = rated + excluded.rated, \
                 satisfied = satisfied + excluded.satisfied, extended = extended + excluded.extended, \
                 returned = returned + excluded.returned",
                tuples.join(", ")
            ))
            .bind(&params)?,
        );
    }
    Ok(statements)
}

#[derive(Deserialize)]
struct CountRow {
    office: String,
    dim: String,
    value: String,
    state: String,
    bucket: i64,
    n: i64,
    on_time: i64,
    rated: i64,
    satisfied: i64,
    extended: i64,
    returned: i64,
}

impl CountRow {
    fn counts(&self) -> Counts {
        Counts {
            n: self.n,
            on_time: self.on_time,
            rated: self.rated,
            satisfied: self.satisfied,
            extended: self.extended,
            returned: self.returned,
        }
    }
}

/// The counter rows `sql` (bound to `params`) selects in every shard, or `None` while a shard's
/// counters are not ready (`figure_meta`: waiting for a rebuild, or being rebuilt).
async fn counter_rows(shards: &Shards, sql: &str, params: &[JsValue]) -> Result<Option<Vec<CountRow>>, ApiError> {
    #[derive(Deserialize)]
    struct Meta {
        value: String,
    }
    let parts = shards
        .each(|shard| async move {
            let results = shard
                .db
                .batch(vec![
                    shard.db.prepare("SELECT value FROM figure_meta WHERE key = 'counters'"),
                    shard.db.prepare(sql).bind(params)?,
                ])
                .await?;
            let meta = results.first().map(|r| r.results::<Meta>()).transpose()?.unwrap_or_default();
            let ready = meta.first().is_some_and(|m| m.value == "ready");
            let rows = results.get(1).map(|r| r.results::<CountRow>()).transpose()?.unwrap_or_default();
            Ok::<_, ApiError>((ready, rows))
        })
        .await?;
    if parts.iter().any(|(ready, _)| !ready) {
        return Ok(None);
    }
    Ok(Some(parts.into_iter().flat_map(|(_, rows)| rows).collect()))
}

/// An office's public figures from the counters of every shard, or `None` while a shard's counters
/// wait for a rebuild (`figure_meta`).
pub async fn from_counters(shards: &Shards, office: &str) -> Result<Option<PublicStats>, ApiError> {
    let sql = "SELECT office, dim, value, state, bucket, n, on_time, rated, satisfied, extended, returned \
               FROM figure_counts WHERE office = ?1 AND dim IN ('t', 'c', 'm', 's') AND n <> 0";
    let Some(rows) = counter_rows(shards, sql, &[text(office)]).await? else { return Ok(None) };
    let mut sum: BTreeMap<(Dim, String, String, i64), Counts> = BTreeMap::new();
    for row in rows {
        let Some(dim) = Dim::from_name(&row.dim) else { continue };
        if dim.is_workload() {
            continue;
        }
        let counts = row.counts();
        sum.entry((dim, row.value, row.state, row.bucket)).or_default().add(counts, 1);
    }
    let states = ["pending", "in_progress", "closed", "rejected", "merged"];
    Ok(Some(counters::stats(sum.iter().filter_map(|((dim, value, state, bucket), c)| {
        let state = states.iter().find(|s| **s == state.as_str())?;
        Some((*dim, value.as_str(), *state, *bucket, *c))
    }))))
}

/// The open cases `scope` may read (with `offices`, only those held there), counted by office,
/// department and primary handler in each shard (`figures::OpenWork`): the database reads the open
/// cases, the worker gets a few hundred lines. A case between shards counts where it arrived
/// (`moving_to IS NULL`), or nowhere for the moment it takes.
pub async fn open_work(
    shards: &Shards,
    scope: &FiguresScope,
    offices: Option<&[&str]>,
    now: i64,
) -> Result<Vec<OpenWork>, ApiError> {
    #[derive(Deserialize)]
    struct Row {
        office: String,
        department: Option<String>,
        primary_handler: Option<i64>,
        open: u64,
        overdue: u64,
        extended: u64,
        returned: u64,
    }
    let parts = shards
        .each(|shard| async move {
            let mut conditions = vec![
                format!("status IN ({})", ReportStatus::sql_list(&ReportStatus::OPEN)),
                "moving_to IS NULL".to_owned(),
            ];
            let mut params = vec![int(now)];
            if let Some(offices) = offices {
                params.push(text(&serde_json::to_string(offices)?));
                conditions.push(format!("office IN (SELECT value FROM json_each(?{}))", params.len()));
            }
            if let FiguresScope::Department(d) = scope {
                params.push(text(d));
                conditions.push(format!("department = ?{}", params.len()));
            }
            // `due_sort` is the due time of exactly the running cases (migration 0009), so
            // `due_sort < now` is `workflow::is_overdue`.
            Ok::<_, ApiError>(
                shard
                    .db
                    .prepare(format!(
                        "SELECT office, department, primary_handler, COUNT(*) AS open, SUM(due_sort < ?1) AS overdue, \
                         SUM(extension_count > 0) AS extended, SUM(return_count > 0) AS returned FROM reports \
                         WHERE {} GROUP BY office, department, primary_handler",
                        conditions.join(" AND ")
                    ))
                    .bind(&params)?
                    .all()
                    .await?
                    .results::<Row>()?,
            )
        })
        .await?;
    Ok(parts
        .into_iter()
        .flatten()
        .map(|r| OpenWork {
            office: r.office,
            department: r.department,
            handler: r.primary_handler.map(StaffId),
            open: r.open,
            overdue: r.overdue,
            extended: r.extended,
            returned: r.returned,
        })
        .collect())
}

/// The supervisors' closed work at `office` and its `children` from the counters of every shard
/// (`figures::staff_figures_counted`), or `None` while a shard's counters wait for a rebuild.
pub async fn closed_work(shards: &Shards, office: &str, children: &[&str]) -> Result<Option<ClosedWork>, ApiError> {
    let sql = "SELECT office, dim, value, state, bucket, n, on_time, rated, satisfied, extended, returned \
               FROM figure_counts WHERE office = ?1 AND dim IN ('o', 'd', 'h') AND n <> 0 \
               UNION ALL SELECT office, dim, value, state, bucket, n, on_time, rated, satisfied, extended, returned \
               FROM figure_counts WHERE office IN (SELECT value FROM json_each(?2)) AND dim = 'o' AND value = '' \
               AND n <> 0";
    let params = [text(office), text(&serde_json::to_string(&children)?)];
    let Some(rows) = counter_rows(shards, sql, &params).await? else { return Ok(None) };
    let mut own: BTreeMap<(Dim, String, i64), Counts> = BTreeMap::new();
    let mut below: BTreeMap<(String, i64), Counts> = BTreeMap::new();
    for row in rows {
        let Some(dim) = Dim::from_name(&row.dim) else { continue };
        let counts = row.counts();
        if row.office == office {
            own.entry((dim, row.value, row.bucket)).or_default().add(counts, 1);
        } else {
            below.entry((row.office, row.bucket)).or_default().add(counts, 1);
        }
    }
    Ok(Some(ClosedWork {
        office: own.into_iter().map(|((dim, value, bucket), c)| (dim, value, bucket, c)).collect(),
        children: below.into_iter().map(|((child, bucket), c)| (child, bucket, c)).collect(),
    }))
}

#[derive(Deserialize)]
struct CountedRow {
    office: String,
    category: String,
    created_at: i64,
    source: String,
    status: String,
    due_at: Option<i64>,
    resolved_at: Option<i64>,
    rating: Option<String>,
    department: Option<String>,
    primary_handler: Option<i64>,
    accepted_at: Option<i64>,
    extension_count: i64,
    return_count: i64,
}

/// The counter rows of one stored case row (a case arriving in a shard: `store::shards`).
pub fn row_counters(
    row: &serde_json::Map<String, serde_json::Value>,
    taxonomy: &Taxonomy,
    tree: &OfficeTree,
) -> Result<Vec<(CounterKey, Counts)>, ApiError> {
    let r: CountedRow = serde_json::from_value(serde_json::Value::Object(row.clone()))?;
    Ok(case_row_counters(&r, taxonomy, tree))
}

fn case_row_counters(r: &CountedRow, taxonomy: &Taxonomy, tree: &OfficeTree) -> Vec<(CounterKey, Counts)> {
    let Some(status) = ReportStatus::from_name(&r.status) else { return Vec::new() };
    let c = Counted {
        office: &r.office,
        category: taxonomy.root_of(&r.category),
        received_at: r.created_at,
        source: &r.source,
        status,
        due_at: r.due_at,
        resolved_at: r.resolved_at,
        rating: r.rating.as_deref().and_then(Rating::from_name),
        department: r.department.as_deref(),
        handler: r.primary_handler,
        accepted_at: r.accepted_at,
        extended: r.extension_count > 0,
        returned: r.return_count > 0,
    };
    counters::delta(None, Some((&c, &offices_up(tree, &r.office))), SHANGHAI_UTC_OFFSET_MINUTES)
}

/// The counters' repair job, one shard, in steps a request or a cron run can take: every case is
/// counted anew, `page_size` cases a page and at most `pages` pages a step, into
/// `figure_counts_next` (the cursor in `figure_meta`), which replaces the counters when the last
/// page is counted; until then `figure_meta` says `rebuilding` and the figures come from the cases.
/// A case counted already that changes meanwhile changes there too ([`counter_statements`]), so the
/// result is exact however long the job takes. Each page's batch is guarded by the cursor, so two
/// steps at once count each page once.
pub async fn rebuild_step(
    shard: &super::shards::Shard,
    taxonomy: &Taxonomy,
    tree: &OfficeTree,
    pages: u32,
    page_size: u32,
) -> Result<RebuildStep, ApiError> {
    #[derive(Deserialize)]
    struct Meta {
        key: String,
        value: String,
    }
    let db = &shard.db;
    let meta = db.prepare("SELECT key, value FROM figure_meta").all().await?.results::<Meta>()?;
    let value = |key: &str| meta.iter().find(|m| m.key == key).map(|m| m.value.clone());
    let mut after = match (value("counters").as_deref(), value("rebuild_after")) {
        (Some("rebuilding"), Some(cursor)) => cursor.parse::<i64>().unwrap_or_default(),
        // Not rebuilding (finished meanwhile by another step).
        _ => return Ok(RebuildStep { counted: 0, pages: 0, done: true }),
    };
    let at_cursor = "EXISTS (SELECT 1 FROM figure_meta WHERE key = 'rebuild_after' AND value = ?1)";
    let mut counted = 0u64;
    let mut used = 0u32;
    for _ in 0..pages {
        let rows = db
            .prepare(
                "SELECT id, office, category, created_at, source, status, due_at, resolved_at, rating, department, \
                 primary_handler, accepted_at, extension_count, return_count FROM reports \
                 WHERE id > ?1 AND moving_to IS NULL ORDER BY id LIMIT ?2",
            )
            .bind(&[int(after), int(i64::from(page_size.max(1)))])?
            .all()
            .await?
            .results::<serde_json::Map<String, serde_json::Value>>()?;
        let cursor = text(&after.to_string());
        let Some(last) = rows.last() else {
            // Every case counted: the new counters replace the old in one batch.
            let guarded =
                |sql: &str| db.prepare(format!("{sql} WHERE {at_cursor}")).bind(std::slice::from_ref(&cursor));
            db.batch(vec![
                guarded("DELETE FROM figure_counts")?,
                guarded(
                    "INSERT INTO figure_counts (office, dim, value, state, bucket, n, on_time, rated, satisfied, \
                     extended, returned) SELECT office, dim, value, state, bucket, n, on_time, rated, satisfied, \
                     extended, returned FROM figure_counts_next",
                )?,
                guarded("DELETE FROM figure_counts_next")?,
                db.prepare(format!("UPDATE figure_meta SET value = 'ready' WHERE key = 'counters' AND {at_cursor}"))
                    .bind(std::slice::from_ref(&cursor))?,
                db.prepare("DELETE FROM figure_meta WHERE key = 'rebuild_after' AND value = ?1")
                    .bind(std::slice::from_ref(&cursor))?,
            ])
            .await?;
            return Ok(RebuildStep { counted, pages: used + 1, done: true });
        };
        let next = last.get("id").and_then(serde_json::Value::as_f64).unwrap_or_default() as i64;
        let mut sum: BTreeMap<CounterKey, Counts> = BTreeMap::new();
        for row in &rows {
            for (key, c) in row_counters(row, taxonomy, tree)? {
                sum.entry(key).or_default().add(c, 1);
            }
        }
        let sum: Vec<(CounterKey, Counts)> = sum.into_iter().collect();
        let mut statements =
            upsert_statements(db, "figure_counts_next", &sum, at_cursor, std::slice::from_ref(&cursor))?;
        statements.push(
            db.prepare("UPDATE figure_meta SET value = ?2 WHERE key = 'rebuild_after' AND value = ?1")
                .bind(&[cursor, text(&next.to_string())])?,
        );
        db.batch(statements).await?;
        counted += rows.len() as u64;
        used += 1;
        after = next;
    }
    Ok(RebuildStep { counted, pages: used, done: false })
}

/// Starts the repair job in `shard` ([`rebuild_step`] takes it on): an empty table to count into,
/// the cursor at the start, the figures from the cases until it is done.
pub async fn rebuild_start(shard: &super::shards::Shard) -> Result<(), ApiError> {
    let db = &shard.db;
    db.batch(vec![
        db.prepare("DELETE FROM figure_counts_next"),
        db.prepare("INSERT OR REPLACE INTO figure_meta (key, value) VALUES ('rebuild_after', '0')"),
        db.prepare("UPDATE figure_meta SET value = 'rebuilding' WHERE key = 'counters'"),
    ])
    .await?;
    Ok(())
}

/// What a [`rebuild_step`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RebuildStep {
    /// Cases counted in this step.
    pub counted: u64,
    /// Pages read (the last, empty one included).
    pub pages: u32,
    /// Whether the shard's counters are complete (ready) now.
    pub done: bool,
}

/// Whether the shard's counters are being rebuilt (the cron continues the job).
pub async fn rebuilding(shard: &super::shards::Shard) -> Result<bool, ApiError> {
    let state: Option<String> =
        shard.db.prepare("SELECT value FROM figure_meta WHERE key = 'counters'").first(Some("value")).await?;
    Ok(state.as_deref() == Some("rebuilding"))
}
