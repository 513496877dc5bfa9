//! Refutations in D1: the rows, their audit trail, the public indexes (tags, search) and the push
//! outbox.
//!
//! Architecture invariant: a refutation changes only through [`insert_draft`] and [`save`], which write
//! exactly what the domain's transition returned — the row, its audit record with the content of that
//! revision, the tag and search index rows of published refutations, the linked cases and, for public
//! changes, one pending delivery per active partner — in one atomic batch. The audit record's
//! UNIQUE (refutation_id, revision) makes a concurrent save of the same revision fail as a whole.

use qinglang_domain::ErrorCode;
use qinglang_domain::refutation::api::{RefutationHistoryEntry, RefutationMatch, StaffRefutationSummary, TagCount};
use qinglang_domain::refutation::{
    NewDraft, Refutation, RefutationContent, RefutationEvent, RefutationEventKind, RefutationId, RefutationStatus,
    Verdict,
};
use qinglang_domain::workflow::StaffId;
use qinglang_domain::{District, Taxonomy};
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement, D1Result};

use super::{int, opt_int, opt_text, text};
use crate::error::ApiError;
use crate::search::{self, SearchQuery};

/// Longest page of any refutation list.
pub const MAX_PAGE: u32 = 100;

/// The columns [`Row`] reads.
const COLUMNS: &str = "id, status, revision, content, created_by, created_at, updated_at, published_at, revised_at, \
    update_note, unpublish_reason, pub_seq";

#[derive(Deserialize)]
struct Row {
    id: i64,
    status: String,
    revision: u32,
    content: String,
    created_by: i64,
    created_at: i64,
    updated_at: i64,
    published_at: Option<i64>,
    revised_at: Option<i64>,
    update_note: Option<String>,
    unpublish_reason: Option<String>,
    pub_seq: Option<i64>,
}

impl Row {
    fn into_refutation(self) -> Result<(Refutation, Option<i64>), ApiError> {
        let status = RefutationStatus::from_name(&self.status)
            .ok_or_else(|| ApiError::Internal(format!("unknown refutation status {:?}", self.status)))?;
        let content: RefutationContent = serde_json::from_str(&self.content)?;
        let refutation = Refutation {
            id: RefutationId(self.id),
            status,
            content,
            revision: self.revision,
            created_by: StaffId(self.created_by),
            created_at: self.created_at,
            updated_at: self.updated_at,
            published_at: self.published_at,
            revised_at: self.revised_at,
            update_note: self.update_note,
            unpublish_reason: self.unpublish_reason,
        };
        Ok((refutation, self.pub_seq))
    }
}

fn bad_query(field: &str) -> ApiError {
    ApiError::Client { code: ErrorCode::BadJson, field: Some(field.to_owned()) }
}

#[derive(Deserialize)]
struct VerdictRow {
    code: String,
    name_zh_hans: String,
    name_zh_hant: String,
    name_en: String,
    rating: u8,
}

/// The deployment's verdicts in display order.
pub async fn verdicts(db: &D1Database) -> Result<Vec<Verdict>, ApiError> {
    let rows = db
        .prepare("SELECT code, name_zh_hans, name_zh_hant, name_en, rating FROM refutation_verdicts ORDER BY position")
        .all()
        .await?
        .results::<VerdictRow>()?;
    Ok(rows
        .into_iter()
        .map(|r| Verdict {
            code: r.code,
            name_zh_hans: r.name_zh_hans,
            name_zh_hant: r.name_zh_hant,
            name_en: r.name_en,
            rating: r.rating,
        })
        .collect())
}

/// What the public view needs besides the rows: the verdicts and the districts.
pub struct Lists {
    /// The deployment's verdicts.
    pub verdicts: Vec<Verdict>,
    /// The districts (no categories: the public view names regions only).
    pub taxonomy: Taxonomy,
}

fn lists_statements(db: &D1Database) -> [D1PreparedStatement; 2] {
    [
        db.prepare(
            "SELECT code, name_zh_hans, name_zh_hant, name_en, rating FROM refutation_verdicts ORDER BY position",
        ),
        db.prepare("SELECT code, name_zh_hans, name_zh_hant, name_en, active FROM districts ORDER BY position"),
    ]
}

fn parse_lists(verdicts: &D1Result, districts: &D1Result) -> Result<Lists, ApiError> {
    let verdicts = verdicts
        .results::<VerdictRow>()?
        .into_iter()
        .map(|r| Verdict {
            code: r.code,
            name_zh_hans: r.name_zh_hans,
            name_zh_hant: r.name_zh_hant,
            name_en: r.name_en,
            rating: r.rating,
        })
        .collect();
    let districts = districts.results::<District>()?;
    Ok(Lists { verdicts, taxonomy: Taxonomy { categories: Vec::new(), districts } })
}

/// One published refutation with the lists its public view needs, in one round trip; `None` for
/// drafts, unpublished and unknown ids alike.
pub async fn published_with_lists(db: &D1Database, id: RefutationId) -> Result<Option<(Refutation, Lists)>, ApiError> {
    let [verdicts, districts] = lists_statements(db);
    let results = db
        .batch(vec![
            db.prepare(format!("SELECT {COLUMNS} FROM refutations WHERE id = ?1 AND status = 'published'"))
                .bind(&[int(id.0)])?,
            verdicts,
            districts,
        ])
        .await?;
    let [row, verdicts, districts] = results.as_slice() else {
        return Err(ApiError::Internal("refutation batch returned the wrong number of results".to_owned()));
    };
    let Some(row) = row.results::<Row>()?.into_iter().next() else { return Ok(None) };
    Ok(Some((row.into_refutation()?.0, parse_lists(verdicts, districts)?)))
}

/// One refutation, whatever its status.
pub async fn load(db: &D1Database, id: RefutationId) -> Result<Option<Refutation>, ApiError> {
    let row: Option<Row> =
        db.prepare(format!("SELECT {COLUMNS} FROM refutations WHERE id = ?1")).bind(&[int(id.0)])?.first(None).await?;
    row.map(|r| r.into_refutation().map(|(r, _)| r)).transpose()
}

/// The ids among `ids` that are not cases (the directory, `case_index`, knows every shard's).
pub async fn missing_cases(db: &D1Database, ids: &[i64]) -> Result<Vec<i64>, ApiError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    #[derive(Deserialize)]
    struct IdRow {
        id: i64,
    }
    let (marks, params) = super::in_list(ids);
    let found: Vec<i64> = db
        .prepare(format!("SELECT id FROM case_index WHERE id IN ({marks})"))
        .bind(&params)?
        .all()
        .await?
        .results::<IdRow>()?
        .into_iter()
        .map(|r| r.id)
        .collect();
    Ok(ids.iter().copied().filter(|id| !found.contains(id)).collect())
}

fn revision_statement(
    db: &D1Database,
    id_sql: &str,
    id: Option<i64>,
    event: &RefutationEvent,
    content: &str,
) -> Result<D1PreparedStatement, ApiError> {
    Ok(db
        .prepare(format!(
            "INSERT INTO refutation_revisions (refutation_id, revision, kind, status, actor, note, content, at) \
             VALUES ({id_sql}, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
        ))
        .bind(&[
            opt_int(id),
            int(i64::from(event.revision)),
            text(event.kind.as_str()),
            text(event.status.as_str()),
            text(&event.actor),
            opt_text(event.note.as_deref()),
            text(content),
            int(event.at),
        ])?)
}

/// Stores a new draft and its `created` record; returns its id.
pub async fn insert_draft(
    db: &D1Database,
    draft: &NewDraft,
    event: &RefutationEvent,
) -> Result<RefutationId, ApiError> {
    let content = serde_json::to_string(&draft.content)?;
    let c = &draft.content;
    let mut statements = vec![
        db.prepare(
            "INSERT INTO refutations (status, revision, content, title, verdict, region, created_by, created_at, \
             updated_at) VALUES ('draft', 1, ?1, ?2, ?3, ?4, ?5, ?6, ?6)",
        )
        .bind(&[
            text(&content),
            text(&c.title),
            opt_text(c.verdict.as_deref()),
            opt_text(c.region.as_deref()),
            int(draft.created_by.0),
            int(draft.created_at),
        ])?,
        // The statements of a batch run in order on one connection: last_insert_rowid() is the draft.
        revision_statement(db, "last_insert_rowid()", None, event, &content)?,
    ];
    for case_id in &c.case_ids {
        statements.push(
            db.prepare(
                "INSERT INTO refutation_cases (refutation_id, case_id) \
                 SELECT refutation_id, ?1 FROM refutation_revisions WHERE id = last_insert_rowid()",
            )
            .bind(&[int(*case_id)])?,
        );
    }
    let results = db.batch(statements).await?;
    let id = results
        .first()
        .and_then(|r| r.meta().ok().flatten())
        .and_then(|m| m.last_row_id)
        .ok_or_else(|| ApiError::Internal("insert refutation: no row id".to_owned()))?;
    Ok(RefutationId(id))
}

/// What a public change sends to partners: the event name and the JSON body.
pub struct Push {
    /// `refutation.published` …
    pub event: &'static str,
    /// The payload (signed and sent as is on every attempt).
    pub payload: String,
}

/// Writes a transition's result: `after` and `event`, based on `before`. The search and tag indexes
/// follow the public state; `push` queues one delivery per active partner. A concurrent change of the
/// same revision makes the whole batch fail with `refutation_changed`.
pub async fn save(
    db: &D1Database,
    before: &Refutation,
    after: &Refutation,
    event: &RefutationEvent,
    fingerprint: Option<&str>,
    push: Option<&Push>,
) -> Result<(), ApiError> {
    let id = after.id.0;
    let content = serde_json::to_string(&after.content)?;
    let c = &after.content;
    let mut statements = vec![
        revision_statement(db, "?1", Some(id), event, &content)?,
        db.prepare(
            "UPDATE refutations SET status = ?2, revision = ?3, content = ?4, title = ?5, verdict = ?6, region = ?7, \
             updated_at = ?8, published_at = ?9, revised_at = ?10, update_note = ?11, unpublish_reason = ?12, \
             fingerprint = ?13 WHERE id = ?1 AND revision = ?14",
        )
        .bind(&[
            int(id),
            text(after.status.as_str()),
            int(i64::from(after.revision)),
            text(&content),
            text(&c.title),
            opt_text(c.verdict.as_deref()),
            opt_text(c.region.as_deref()),
            int(after.updated_at),
            opt_int(after.published_at),
            opt_int(after.revised_at),
            opt_text(after.update_note.as_deref()),
            opt_text(after.unpublish_reason.as_deref()),
            opt_text(fingerprint),
            int(i64::from(before.revision)),
        ])?,
    ];
    let was_public = before.status == RefutationStatus::Published;
    let is_public = after.status == RefutationStatus::Published;
    if is_public {
        statements.push(
            db.prepare(
                "UPDATE refutations SET pub_seq = (SELECT COALESCE(MAX(pub_seq), 0) + 1 FROM refutations) \
                 WHERE id = ?1 AND pub_seq IS NULL",
            )
            .bind(&[int(id)])?,
        );
    }
    if was_public {
        for sql in [
            "DELETE FROM refutation_search WHERE rowid = (SELECT pub_seq FROM refutations WHERE id = ?1)",
            "DELETE FROM refutation_grams WHERE rowid = (SELECT pub_seq FROM refutations WHERE id = ?1)",
            "DELETE FROM refutation_tags WHERE refutation_id = ?1",
        ] {
            statements.push(db.prepare(sql).bind(&[int(id)])?);
        }
    }
    if is_public {
        statements.push(
            db.prepare(
                "INSERT INTO refutation_search (rowid, title, claim, body, authority) \
                 SELECT pub_seq, ?2, ?3, ?4, ?5 FROM refutations WHERE id = ?1",
            )
            .bind(&[
                int(id),
                text(&search::fold(&c.title)),
                text(&search::fold(&c.claim)),
                text(&search::fold(&c.plain_body())),
                text(&search::fold(&c.authority)),
            ])?,
        );
        statements.push(
            db.prepare("INSERT INTO refutation_grams (rowid, grams) SELECT pub_seq, ?2 FROM refutations WHERE id = ?1")
                .bind(&[int(id), text(&search::grams(&format!("{}\n{}", c.title, c.claim)))])?,
        );
        for tag in &c.tags {
            statements.push(
                db.prepare(
                    "INSERT INTO refutation_tags (tag, pub_seq, refutation_id) \
                     SELECT ?2, pub_seq, id FROM refutations WHERE id = ?1",
                )
                .bind(&[int(id), text(tag)])?,
            );
        }
    }
    if before.content.case_ids != c.case_ids {
        statements.push(db.prepare("DELETE FROM refutation_cases WHERE refutation_id = ?1").bind(&[int(id)])?);
        for case_id in &c.case_ids {
            statements.push(
                db.prepare("INSERT INTO refutation_cases (refutation_id, case_id) VALUES (?1, ?2)")
                    .bind(&[int(id), int(*case_id)])?,
            );
        }
    }
    if let Some(push) = push {
        statements.push(
            db.prepare(
                "INSERT INTO webhook_deliveries (partner_id, refutation_id, revision, event, payload, status, attempts, \
                 next_attempt_at, created_at) SELECT id, ?1, ?2, ?3, ?4, 'pending', 0, ?5, ?5 FROM partners \
                 WHERE active = 1",
            )
            .bind(&[int(id), int(i64::from(after.revision)), text(push.event), text(&push.payload), int(event.at)])?,
        );
    }
    match db.batch(statements).await {
        Ok(_) => Ok(()),
        Err(e) if e.to_string().contains("refutation_revisions.refutation_id") => {
            Err(ApiError::Client { code: ErrorCode::RefutationChanged, field: Some("revision".to_owned()) })
        }
        Err(e) => Err(ApiError::Internal(format!("save refutation: {e}"))),
    }
}

/// A staff list filter.
pub struct StaffFilter {
    /// Only this status.
    pub status: Option<RefutationStatus>,
    /// The previous page's cursor (`updated_at.id`).
    pub after: Option<String>,
    /// Page length.
    pub limit: u32,
}

#[derive(Deserialize)]
struct SummaryRow {
    id: i64,
    status: String,
    title: String,
    verdict: Option<String>,
    revision: u32,
    updated_at: i64,
    published_at: Option<i64>,
}

/// The console's list: most recently changed first, drafts included.
pub async fn staff_list(
    db: &D1Database,
    filter: &StaffFilter,
) -> Result<(Vec<StaffRefutationSummary>, Option<String>), ApiError> {
    let mut conditions = Vec::new();
    let mut params: Vec<JsValue> = Vec::new();
    if let Some(status) = filter.status {
        params.push(text(status.as_str()));
        conditions.push(format!("status = ?{}", params.len()));
    }
    if let Some(cursor) = &filter.after {
        let (at, id) = cursor.split_once('.').ok_or_else(|| bad_query("after"))?;
        let at: i64 = at.parse().map_err(|_| bad_query("after"))?;
        let id: i64 = id.parse().map_err(|_| bad_query("after"))?;
        params.push(int(at));
        params.push(int(id));
        conditions.push(format!("(updated_at, id) < (?{}, ?{})", params.len() - 1, params.len()));
    }
    let limit = filter.limit.clamp(1, MAX_PAGE);
    params.push(int(i64::from(limit) + 1));
    let filter_sql = if conditions.is_empty() { String::new() } else { format!("WHERE {}", conditions.join(" AND ")) };
    let rows = db
        .prepare(format!(
            "SELECT id, status, title, verdict, revision, updated_at, published_at FROM refutations {filter_sql} \
             ORDER BY updated_at DESC, id DESC LIMIT ?{}",
            params.len()
        ))
        .bind(&params)?
        .all()
        .await?
        .results::<SummaryRow>()?;
    let mut items = rows
        .into_iter()
        .map(|r| {
            let status = RefutationStatus::from_name(&r.status)
                .ok_or_else(|| ApiError::Internal(format!("unknown refutation status {:?}", r.status)))?;
            Ok(StaffRefutationSummary {
                id: RefutationId(r.id),
                status,
                title: r.title,
                verdict: r.verdict,
                revision: r.revision,
                updated_at: r.updated_at,
                published_at: r.published_at,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    let next = if items.len() > limit as usize {
        items.truncate(limit as usize);
        items.last().map(|r| format!("{}.{}", r.updated_at, r.id))
    } else {
        None
    };
    Ok((items, next))
}

#[derive(Deserialize)]
struct HistoryRow {
    kind: String,
    actor: String,
    actor_name: Option<String>,
    note: Option<String>,
    revision: u32,
    status: String,
    at: i64,
    content: String,
}

/// Every audit record of a refutation, oldest first, with the content of each revision.
pub async fn history(db: &D1Database, id: RefutationId) -> Result<Vec<RefutationHistoryEntry>, ApiError> {
    let rows = db
        .prepare(
            "SELECT r.kind, r.actor, s.display_name AS actor_name, r.note, r.revision, r.status, r.at, r.content \
             FROM refutation_revisions r LEFT JOIN staff s ON r.actor = 'staff:' || s.id \
             WHERE r.refutation_id = ?1 ORDER BY r.revision",
        )
        .bind(&[int(id.0)])?
        .all()
        .await?
        .results::<HistoryRow>()?;
    rows.into_iter()
        .map(|r| {
            let kind = [
                RefutationEventKind::Created,
                RefutationEventKind::Saved,
                RefutationEventKind::Published,
                RefutationEventKind::Updated,
                RefutationEventKind::Unpublished,
            ]
            .into_iter()
            .find(|k| k.as_str() == r.kind)
            .ok_or_else(|| ApiError::Internal(format!("unknown refutation event {:?}", r.kind)))?;
            let status = RefutationStatus::from_name(&r.status)
                .ok_or_else(|| ApiError::Internal(format!("unknown refutation status {:?}", r.status)))?;
            Ok(RefutationHistoryEntry {
                kind,
                actor_name: r.actor_name.unwrap_or_else(|| r.actor.clone()),
                actor: r.actor,
                note: r.note,
                revision: r.revision,
                status,
                at: r.at,
                content: serde_json::from_str(&r.content)?,
            })
        })
        .collect()
}

/// A public list filter.
#[derive(Default)]
pub struct PublicFilter {
    /// Only refutations with this tag.
    pub tag: Option<String>,
    /// Only this district.
    pub region: Option<String>,
    /// A search.
    pub query: Option<SearchQuery>,
    /// The previous page's cursor (a publication sequence number).
    pub after: Option<i64>,
    /// Page length.
    pub limit: u32,
}

/// A page of published refutations, newest first, and the next page's cursor; with the time D1 spent,
/// in milliseconds (for `server-timing`).
pub async fn public_page(
    db: &D1Database,
    filter: &PublicFilter,
) -> Result<(Vec<Refutation>, Lists, Option<String>, f64), ApiError> {
    let mut params: Vec<JsValue> = Vec::new();
    let mut next_param = |value: JsValue| {
        params.push(value);
        format!("?{}", params.len())
    };
    // The driving table decides which index answers: a search index, the tag table, or refutations.
    let mut conditions = vec!["r.status = 'published'".to_owned()];
    let (from, seq) = match &filter.query {
        Some(SearchQuery { trigram: Some(expr), grams }) => {
            let p = next_param(text(expr));
            let from = "refutation_search s JOIN refutations r ON r.pub_seq = s.rowid".to_owned();
            conditions.push(format!("refutation_search MATCH {p}"));
            if let Some(grams) = grams {
                let p = next_param(text(grams));
                // The unary + keeps SQLite from pushing the list into the trigram table as rowid = …,
                // which would run the trigram query once per listed row (15 s at 100,000 rows).
                conditions
                    .push(format!("+s.rowid IN (SELECT rowid FROM refutation_grams WHERE refutation_grams MATCH {p})"));
            }
            (from, "s.rowid")
        }
        Some(SearchQuery { trigram: None, grams: Some(expr) }) => {
            let p = next_param(text(expr));
            conditions.push(format!("refutation_grams MATCH {p}"));
            ("refutation_grams g JOIN refutations r ON r.pub_seq = g.rowid".to_owned(), "g.rowid")
        }
        _ => match &filter.tag {
            Some(_) => ("refutation_tags t JOIN refutations r ON r.pub_seq = t.pub_seq".to_owned(), "t.pub_seq"),
            None => ("refutations r".to_owned(), "r.pub_seq"),
        },
    };
    if let Some(tag) = &filter.tag {
        let p = next_param(text(tag));
        if seq == "t.pub_seq" {
            conditions.push(format!("t.tag = {p}"));
        } else {
            conditions
                .push(format!("EXISTS (SELECT 1 FROM refutation_tags t WHERE t.tag = {p} AND t.pub_seq = {seq})"));
        }
    }
    if let Some(region) = &filter.region {
        let p = next_param(text(region));
        conditions.push(format!("r.region = {p}"));
    }
    if let Some(after) = filter.after {
        let p = next_param(int(after));
        conditions.push(format!("{seq} < {p}"));
    }
    let limit = filter.limit.clamp(1, MAX_PAGE);
    let p = next_param(int(i64::from(limit) + 1));
    let columns: Vec<String> = COLUMNS.split(", ").map(|c| format!("r.{c}")).collect();
    let sql = format!(
        "SELECT {} FROM {from} WHERE {} ORDER BY {seq} DESC LIMIT {p}",
        columns.join(", "),
        conditions.join(" AND ")
    );
    // The page and the lists its view needs travel in one round trip.
    let [verdicts, districts] = lists_statements(db);
    let results = db.batch(vec![db.prepare(sql).bind(&params)?, verdicts, districts]).await?;
    let [result, verdicts, districts] = results.as_slice() else {
        return Err(ApiError::Internal("public page batch returned the wrong number of results".to_owned()));
    };
    let lists = parse_lists(verdicts, districts)?;
    let duration = result.meta().ok().flatten().and_then(|m| m.duration).unwrap_or_default();
    let rows = result.results::<Row>()?;
    let mut items = rows.into_iter().map(Row::into_refutation).collect::<Result<Vec<_>, _>>()?;
    let next = if items.len() > limit as usize {
        items.truncate(limit as usize);
        items.last().and_then(|(_, seq)| seq.map(|s| s.to_string()))
    } else {
        None
    };
    Ok((items.into_iter().map(|(r, _)| r).collect(), lists, next, duration))
}

#[derive(Deserialize)]
struct TagRow {
    tag: String,
    n: u32,
}

/// Tags of published refutations, most used first (at most 100).
pub async fn tags(db: &D1Database) -> Result<Vec<TagCount>, ApiError> {
    let rows = db
        .prepare("SELECT tag, COUNT(*) AS n FROM refutation_tags GROUP BY tag ORDER BY n DESC, tag LIMIT 100")
        .all()
        .await?
        .results::<TagRow>()?;
    Ok(rows.into_iter().map(|r| TagCount { tag: r.tag, count: r.n }).collect())
}

/// One line of the match index.
#[derive(Deserialize)]
pub struct MatchRow {
    /// The refutation.
    pub id: i64,
    /// Its fingerprint (16 hex digits).
    pub fingerprint: String,
}

/// Every published refutation's fingerprint.
pub async fn match_rows(db: &D1Database) -> Result<Vec<MatchRow>, ApiError> {
    Ok(db
        .prepare("SELECT id, fingerprint FROM refutations WHERE status = 'published' AND fingerprint IS NOT NULL")
        .all()
        .await?
        .results::<MatchRow>()?)
}

#[derive(Deserialize)]
struct TitleRow {
    id: i64,
    title: String,
}

/// The titles of those of `ids` that are published now (at most a handful of ids).
pub async fn published_titles(db: &D1Database, ids: &[i64]) -> Result<Vec<(i64, String)>, ApiError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let (marks, binds) = super::in_list(ids);
    let rows = db
        .prepare(format!("SELECT id, title FROM refutations WHERE status = 'published' AND id IN ({marks})"))
        .bind(&binds)?
        .all()
        .await?
        .results::<TitleRow>()?;
    Ok(rows.into_iter().map(|r| (r.id, r.title)).collect())
}

#[derive(Deserialize)]
struct MatchesRow {
    refutation_matches: Option<String>,
}

/// The "already refuted" matches stored with a report's screening.
pub async fn case_matches(db: &D1Database, case_id: i64) -> Result<Vec<RefutationMatch>, ApiError> {
    let row: Option<MatchesRow> = db
        .prepare("SELECT refutation_matches FROM report_screenings WHERE report_id = ?1")
        .bind(&[int(case_id)])?
        .first(None)
        .await?;
    match row.and_then(|r| r.refutation_matches) {
        Some(json) => Ok(serde_json::from_str(&json)?),
        None => Ok(Vec::new()),
    }
}

#[derive(Deserialize)]
struct CountRow {
    n: u64,
}

/// How many refutations are published now (the sitemap's number of files; one index range count).
pub async fn published_count(db: &D1Database) -> Result<u64, ApiError> {
    let row: Option<CountRow> =
        db.prepare("SELECT COUNT(*) AS n FROM refutations WHERE status = 'published'").first(None).await?;
    Ok(row.map(|r| r.n).unwrap_or(0))
}

#[derive(Deserialize)]
struct SitemapRow {
    id: i64,
    changed_at: i64,
}

/// `limit` published refutations from the `skip`-th in publication order: id and the time of the
/// last public change (update or first publication), for a sitemap file. Walks the
/// `refutations_public` index; the skip costs at most 100,000 index steps, and the answer is
/// edge-cached by public version.
pub async fn sitemap_rows(db: &D1Database, skip: u32, limit: u32) -> Result<Vec<(i64, i64)>, ApiError> {
    let rows = db
        .prepare(
            "SELECT id, COALESCE(revised_at, published_at, updated_at) AS changed_at FROM refutations \
             WHERE status = 'published' ORDER BY pub_seq LIMIT ?1 OFFSET ?2",
        )
        .bind(&[int(i64::from(limit)), int(i64::from(skip))])?
        .all()
        .await?
        .results::<SitemapRow>()?;
    Ok(rows.into_iter().map(|r| (r.id, r.changed_at)).collect())
}
