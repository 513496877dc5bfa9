//! Cases sharded over D1 databases by office (issue 20): which database holds a case, reading every
//! shard at once, and moving a case between shards through the `HANDOVERS` queue.
//!
//! The control database (binding `DB`) holds the directory `case_index` (migration 0019): each
//! case's id, receipt code, idempotency key and the binding of the shard that holds it. A case is
//! found by id or receipt through the directory, so it is read from exactly one shard at any time.
//! Lists (the queue, the digest, the figures) ask every shard at once and merge the answers.
//!
//! **A move** (a hand-over to an office whose cases another shard holds): the action's guarded
//! write in the source shard also sets `moving_to`, which freezes the case (`case_moving`), and a
//! [`Move`] is queued. [`Shards::complete`] then (1) copies the case, its events, screening,
//! contact, requests and evidence rows into the target in one batch (a second copy fails on the
//! case's primary key as a whole, so nothing is doubled), (2) flips the directory, (3) deletes the
//! source rows, each guarded by `moving_to`. Every step may be repeated; a crash anywhere leaves a
//! frozen case in the source (still read from there) that the next delivery or the cron's
//! [`Shards::sweep`] completes. Until the flip, readers see the case in the source shard with its
//! new office; lists show it from the source too, and the merge drops the target's copy (same id)
//! until the source's is gone.

use futures_util::future::join_all;
use qinglang_domain::ReceiptCode;
use qinglang_domain::office::OfficeTree;
use qinglang_domain::office::shards::{CONTROL, ShardMap};
use qinglang_domain::workflow::CaseId;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement, Env};

use super::{int, text};
use crate::error::ApiError;

/// One shard: its binding's name and the database.
pub struct Shard {
    /// The binding (`DB`, `SHARD_1` …), as the directory names it.
    pub name: String,
    /// The database.
    pub db: D1Database,
}

/// The deployment's shards.
#[derive(Clone)]
pub struct Shards {
    env: Env,
    map: ShardMap,
}

/// A case on its way from one shard to another (the queue's message).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Move {
    /// The case.
    pub id: i64,
    /// The binding it leaves.
    pub from: String,
    /// The binding it goes to.
    pub to: String,
}

/// What [`Shards::complete`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Completed {
    /// The case arrived (now or at an earlier delivery).
    Arrived,
    /// Nothing to do: no case with that id is on that way.
    Stale,
}

/// A case found by receipt code ([`Shards::locate_code`]).
pub struct Located {
    /// The case.
    pub id: CaseId,
    /// Its shard.
    pub shard: Shard,
    /// The archive's stamp, if the directory says it is archived.
    pub archived: Option<i64>,
}

impl Located {
    /// Makes the case whole if it is archived (see `store::archive::thaw`).
    pub async fn thaw(&self, shards: &Shards) -> Result<(), ApiError> {
        match self.archived {
            Some(stamp) => super::archive::thaw(shards, &self.shard, self.id.0, stamp, crate::http::now_ms()).await,
            None => Ok(()),
        }
    }
}

/// What [`Shards::register`] did.
pub enum Registered {
    /// A new directory row: the case's id.
    New(CaseId),
    /// The idempotency key is registered already: that case's id, receipt code and shard.
    Existing(CaseId, String, String),
    /// The receipt code is taken (by another case): try another.
    CodeTaken,
}

/// What [`Shards::register_all`] did.
pub enum RegisteredAll {
    /// New directory rows: the cases' ids, in order.
    New(Vec<CaseId>),
    /// A receipt code is taken: nothing was registered; try other codes.
    CodeTaken,
    /// An idempotency key is taken: nothing was registered.
    KeyTaken,
}

#[derive(Deserialize)]
struct IndexRow {
    id: i64,
    receipt_code: String,
    shard: String,
    #[serde(default)]
    archived_at: Option<i64>,
}

impl Shards {
    /// The shards this deployment's `SHARDS` setting names, and the control database.
    pub fn open(env: &Env) -> Result<Shards, ApiError> {
        let spec = env.var("SHARDS").map(|v| v.to_string()).unwrap_or_default();
        let map = ShardMap::parse(&spec).map_err(|e| ApiError::Internal(format!("SHARDS: {}", e.0)))?;
        Ok(Shards { env: env.clone(), map })
    }

    /// The control database (offices, staff, taxonomy, the directory).
    pub fn control(&self) -> Result<D1Database, ApiError> {
        Ok(self.env.d1(CONTROL)?)
    }

    /// The shard with this binding; a name the setting does not know is a deployment mistake.
    pub fn named(&self, name: &str) -> Result<Shard, ApiError> {
        if !self.map.knows(name) {
            return Err(ApiError::Internal(format!("shard {name:?} is not in SHARDS")));
        }
        Ok(Shard { name: name.to_owned(), db: self.env.d1(name)? })
    }

    /// Every shard, the control database first.
    pub fn all(&self) -> Result<Vec<Shard>, ApiError> {
        self.map.bindings().iter().map(|name| self.named(name)).collect()
    }

    /// The shard that holds the new cases of `office`.
    pub fn for_office(&self, tree: &OfficeTree, office: &str) -> Result<Shard, ApiError> {
        self.named(self.map.of_office(tree, office))
    }

    /// The binding that holds the new cases of `office`.
    pub fn name_for_office<'a>(&'a self, tree: &OfficeTree, office: &str) -> &'a str {
        self.map.of_office(tree, office)
    }

    /// The bindings that hold the new cases of any of `offices` (a subtree): where its cases are,
    /// once every move has arrived and unless `SHARDS` changed since.
    pub fn holding(&self, tree: &OfficeTree, offices: &[String]) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for office in offices {
            let name = self.map.of_office(tree, office);
            if !names.iter().any(|n| n == name) {
                names.push(name.to_owned());
            }
        }
        names
    }

    /// Runs `read` on every shard at once; the answers in the shards' order.
    pub async fn each<T, F, Fut>(&self, read: F) -> Result<Vec<T>, ApiError>
    where
        F: Fn(Shard) -> Fut,
        Fut: std::future::Future<Output = Result<T, ApiError>>,
    {
        join_all(self.all()?.into_iter().map(read)).await.into_iter().collect()
    }

    /// The shard that holds case `id` now, if the case exists; an archived case is thawed first
    /// (`store::archive`), so its rows are all there.
    pub async fn locate(&self, id: CaseId) -> Result<Option<Shard>, ApiError> {
        #[derive(Deserialize)]
        struct Row {
            shard: String,
            archived_at: Option<i64>,
        }
        let row: Option<Row> = self
            .control()?
            .prepare("SELECT shard, archived_at FROM case_index WHERE id = ?1")
            .bind(&[int(id.0)])?
            .first(None)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let shard = self.named(&row.shard)?;
        if let Some(stamp) = row.archived_at {
            super::archive::thaw(self, &shard, id.0, stamp, crate::http::now_ms()).await?;
        }
        Ok(Some(shard))
    }

    /// The case with this receipt code, if any: where it is and, if it is archived, the archive's
    /// stamp — the caller checks the reporter's password on the small row, then [`Located::thaw`]s.
    pub async fn locate_code(&self, code: &ReceiptCode) -> Result<Option<Located>, ApiError> {
        let row: Option<IndexRow> = self
            .control()?
            .prepare("SELECT id, receipt_code, shard, archived_at FROM case_index WHERE receipt_code = ?1")
            .bind(&[text(code.as_str())])?
            .first(None)
            .await?;
        row.map(|r| Ok(Located { id: CaseId(r.id), shard: self.named(&r.shard)?, archived: r.archived_at })).transpose()
    }

    /// The bucket of archived cases' records.
    pub fn archive_bucket(&self) -> Result<worker::Bucket, ApiError> {
        Ok(self.env.bucket("ARCHIVE")?)
    }

    /// Whether a case was filed with this idempotency key (a draft's key).
    pub async fn key_registered(&self, key: &str) -> Result<bool, ApiError> {
        let row: Option<Value> = self
            .control()?
            .prepare("SELECT 1 AS one FROM case_index WHERE idempotency_key = ?1")
            .bind(&[text(key)])?
            .first(None)
            .await?;
        Ok(row.is_some())
    }

    /// Gives a new case its id: a directory row with its receipt code and shard. The directory's
    /// UNIQUE indexes make ids, codes and keys unique across shards.
    pub async fn register(&self, code: &ReceiptCode, key: &str, shard: &str, now: i64) -> Result<Registered, ApiError> {
        let db = self.control()?;
        let inserted = db
            .prepare(
                "INSERT INTO case_index (receipt_code, idempotency_key, shard, created_at) VALUES (?1, ?2, ?3, ?4) \
                 RETURNING id",
            )
            .bind(&[text(code.as_str()), text(key), text(shard), int(now)])?
            .first::<i64>(Some("id"))
            .await;
        match inserted {
            Ok(Some(id)) => Ok(Registered::New(CaseId(id))),
            Ok(None) => Err(ApiError::Internal("case_index insert returned no id".to_owned())),
            Err(e) if e.to_string().contains("case_index.idempotency_key") => {
                let row: Option<IndexRow> = db
                    .prepare("SELECT id, receipt_code, shard FROM case_index WHERE idempotency_key = ?1")
                    .bind(&[text(key)])?
                    .first(None)
                    .await?;
                let row = row.ok_or_else(|| ApiError::Internal("idempotency key vanished".to_owned()))?;
                Ok(Registered::Existing(CaseId(row.id), row.receipt_code, row.shard))
            }
            Err(e) if e.to_string().contains("case_index.receipt_code") => Ok(Registered::CodeTaken),
            Err(e) => Err(ApiError::Internal(format!("register case: {e}"))),
        }
    }

    /// Registers many new cases at once (an import), all or none.
    pub async fn register_all(
        &self,
        rows: &[(&ReceiptCode, &str)],
        shard: &str,
        now: i64,
    ) -> Result<RegisteredAll, ApiError> {
        let db = self.control()?;
        let mut statements = Vec::with_capacity(rows.len());
        for (code, key) in rows {
            statements.push(
                db.prepare(
                    "INSERT INTO case_index (receipt_code, idempotency_key, shard, created_at) VALUES (?1, ?2, ?3, ?4) \
                     RETURNING id",
                )
                .bind(&[text(code.as_str()), text(key), text(shard), int(now)])?,
            );
        }
        match db.batch(statements).await {
            Ok(results) => {
                #[derive(Deserialize)]
                struct Id {
                    id: i64,
                }
                let mut ids = Vec::with_capacity(rows.len());
                for result in results {
                    let id = result.results::<Id>()?.into_iter().next().map(|r| CaseId(r.id));
                    ids.push(id.ok_or_else(|| ApiError::Internal("case_index insert returned no id".to_owned()))?);
                }
                Ok(RegisteredAll::New(ids))
            }
            Err(e) if e.to_string().contains("case_index.idempotency_key") => Ok(RegisteredAll::KeyTaken),
            Err(e) if e.to_string().contains("case_index.receipt_code") => Ok(RegisteredAll::CodeTaken),
            Err(e) => Err(ApiError::Internal(format!("register cases: {e}"))),
        }
    }

    /// Removes directory rows whose cases were never stored (an import whose shard batch failed).
    pub async fn unregister(&self, ids: &[CaseId]) -> Result<(), ApiError> {
        let db = self.control()?;
        for page in ids.chunks(90) {
            let ids: Vec<i64> = page.iter().map(|c| c.0).collect();
            let (marks, binds) = super::in_list(&ids);
            db.prepare(format!("DELETE FROM case_index WHERE id IN ({marks})")).bind(&binds)?.run().await?;
        }
        Ok(())
    }

    /// Queues `moved`; a failure is logged and left to [`Shards::sweep`] (the case stays frozen in
    /// its source shard, `moving_to` set, until it is completed).
    pub async fn send(&self, moved: &Move) {
        let sent = match self.env.queue("HANDOVERS") {
            Ok(queue) => queue.send(moved).await,
            Err(e) => Err(e),
        };
        if let Err(e) = sent {
            worker::console_error!("queue move of case {}: {e:?}", moved.id);
        }
    }

    /// Completes a move (the queue's consumer and the sweep): copy, flip, delete, each repeatable.
    pub async fn complete(&self, moved: &Move) -> Result<Completed, ApiError> {
        let (source, target) = (self.named(&moved.from)?, self.named(&moved.to)?);
        let control = self.control()?;
        let at: Option<String> = control
            .prepare("SELECT shard FROM case_index WHERE id = ?1")
            .bind(&[int(moved.id)])?
            .first(Some("shard"))
            .await?;
        match at.as_deref() {
            Some(name) if name == moved.to => {
                // Flipped before (a crash after the flip, or a second delivery): finish the delete.
                delete_source(&source.db, moved).await?;
                return Ok(Completed::Arrived);
            }
            Some(name) if name == moved.from => {}
            _ => return Ok(Completed::Stale),
        }
        let Some(rows) = read_case(&source.db, moved).await? else { return Ok(Completed::Stale) };
        // The figures' rows it took along when it left (`store::cases::save`) are added here, in the
        // copy's batch.
        let taxonomy = super::taxonomy::shared(&control).await?;
        let tree = super::offices::tree(&control).await?;
        let counters = super::figures::row_counters(&rows.report, &taxonomy, &tree)?;
        let mut statements = copy_statements(&target.db, &rows)?;
        statements.extend(super::figures::counter_statements(&target.db, &counters, "1", &[], moved.id)?);
        match target.db.batch(statements).await {
            Ok(_) => {}
            // Copied at an earlier delivery that did not get as far as the flip.
            Err(e) if e.to_string().contains("reports.id") => {}
            Err(e) => return Err(ApiError::Internal(format!("copy case {}: {e}", moved.id))),
        }
        control
            .prepare("UPDATE case_index SET shard = ?3 WHERE id = ?1 AND shard = ?2")
            .bind(&[int(moved.id), text(&moved.from), text(&moved.to)])?
            .run()
            .await?;
        delete_source(&source.db, moved).await?;
        Ok(Completed::Arrived)
    }

    /// Completes every move that started before `before` (ms) and has not arrived: a lost queue
    /// message, a crash between the action and its send. Answers how many arrived.
    pub async fn sweep(&self, before: i64) -> Result<usize, ApiError> {
        #[derive(Deserialize)]
        struct Row {
            id: i64,
            moving_to: String,
        }
        let mut arrived = 0;
        for shard in self.all()? {
            let rows = shard
                .db
                .prepare("SELECT id, moving_to FROM reports WHERE moving_to IS NOT NULL AND updated_at < ?1 LIMIT 100")
                .bind(&[int(before)])?
                .all()
                .await?
                .results::<Row>()?;
            for row in rows {
                let moved = Move { id: row.id, from: shard.name.clone(), to: row.moving_to };
                if self.complete(&moved).await? == Completed::Arrived {
                    arrived += 1;
                }
            }
        }
        Ok(arrived)
    }
}

/// A case's rows as its shard has them, each a column → value map.
pub(crate) struct CaseRows {
    /// The `reports` row.
    pub report: Map<String, Value>,
    /// The rows of each of [`CHILDREN`], in its order.
    pub children: Vec<(&'static str, Vec<Map<String, Value>>)>,
}

/// The tables that hang off a case, with the column that names it and the order rows are copied in.
pub(crate) const CHILDREN: [(&str, &str); 5] = [
    ("report_screenings", "report_id"),
    ("report_contacts", "report_id"),
    ("events", "id"),
    ("case_requests", "id"),
    ("uploads", "position"),
];

/// Columns never written: computed from others (`reports`), or given anew by the target
/// (`events.id`, `case_requests.id`: each shard numbers its own rows; the order is kept).
fn skipped(table: &str, column: &str) -> bool {
    matches!(
        (table, column),
        ("reports", "priority_rank" | "due_sort" | "moving_to") | ("events", "id") | ("case_requests", "id")
    )
}

async fn read_case(db: &D1Database, moved: &Move) -> Result<Option<CaseRows>, ApiError> {
    read_rows(db, moved.id, "moving_to = ?2", vec![text(&moved.to)]).await
}

/// Case `id`'s rows in one batch, if its `reports` row also meets `condition` (SQL on `reports`
/// whose parameters `params` are numbered from `?2`; `?1` is the id).
pub(crate) async fn read_rows(
    db: &D1Database,
    id: i64,
    condition: &str,
    params: Vec<JsValue>,
) -> Result<Option<CaseRows>, ApiError> {
    let id = int(id);
    let mut binds = vec![id.clone()];
    binds.extend(params);
    let mut statements = vec![db.prepare(format!("SELECT * FROM reports WHERE id = ?1 AND {condition}")).bind(&binds)?];
    for (table, order) in CHILDREN {
        statements.push(
            db.prepare(format!("SELECT * FROM {table} WHERE report_id = ?1 ORDER BY {order}"))
                .bind(std::slice::from_ref(&id))?,
        );
    }
    let results = db.batch(statements).await?;
    let mut results = results.into_iter();
    let report = match results.next() {
        Some(r) => r.results::<Map<String, Value>>()?.into_iter().next(),
        None => None,
    };
    let Some(report) = report else { return Ok(None) };
    let mut children = Vec::with_capacity(CHILDREN.len());
    for ((table, _), result) in CHILDREN.into_iter().zip(results) {
        children.push((table, result.results::<Map<String, Value>>()?));
    }
    Ok(Some(CaseRows { report, children }))
}

pub(crate) fn js(value: &Value) -> JsValue {
    match value {
        Value::Null => JsValue::NULL,
        Value::Bool(b) => JsValue::from_f64(f64::from(u8::from(*b))),
        Value::Number(n) => JsValue::from_f64(n.as_f64().unwrap_or_default()),
        Value::String(s) => JsValue::from_str(s),
        other => JsValue::from_str(&other.to_string()),
    }
}

/// `INSERT INTO table (columns) VALUES (…)` for one row, leaving out the [`skipped`] columns.
pub(crate) fn insert_row(
    db: &D1Database,
    table: &str,
    row: &Map<String, Value>,
) -> Result<D1PreparedStatement, ApiError> {
    insert_row_where(db, table, row, None)
}

/// [`insert_row`], or with `guard` = `(condition, params)` the row is inserted only where the SQL
/// `condition` holds; it names its parameters `$1`, `$2` … in the order of `params`.
pub(crate) fn insert_row_where(
    db: &D1Database,
    table: &str,
    row: &Map<String, Value>,
    guard: Option<(&str, &[JsValue])>,
) -> Result<D1PreparedStatement, ApiError> {
    let columns: Vec<&String> = row.keys().filter(|c| !skipped(table, c)).collect();
    let marks: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
    let mut values: Vec<JsValue> = columns.iter().map(|c| js(&row[c.as_str()])).collect();
    let names: Vec<&str> = columns.iter().map(|c| c.as_str()).collect();
    let (names, marks) = (names.join(", "), marks.join(", "));
    let sql = match guard {
        None => format!("INSERT INTO {table} ({names}) VALUES ({marks})"),
        Some((condition, params)) => {
            let mut condition = condition.to_owned();
            // From the highest, so `$1` does not rewrite the start of `$10`.
            for i in (1..=params.len()).rev() {
                condition = condition.replace(&format!("${i}"), &format!("?{}", columns.len() + i));
            }
            values.extend(params.iter().cloned());
            format!("INSERT INTO {table} ({names}) SELECT {marks} WHERE {condition}")
        }
    };
    Ok(db.prepare(sql).bind(&values)?)
}

/// The target's batch: the case first (its primary key makes a second copy fail as a whole), then
/// its rows. A draft's uploads waiting in the control database under the same ids give way.
fn copy_statements(db: &D1Database, rows: &CaseRows) -> Result<Vec<D1PreparedStatement>, ApiError> {
    let mut statements = vec![insert_row(db, "reports", &rows.report)?];
    for (table, list) in &rows.children {
        for row in list {
            if *table == "uploads" {
                let id = row.get("id").map(js).unwrap_or(JsValue::NULL);
                statements.push(db.prepare("DELETE FROM uploads WHERE id = ?1 AND report_id IS NULL").bind(&[id])?);
            }
            statements.push(insert_row(db, table, row)?);
        }
    }
    Ok(statements)
}

/// Deletes the case's rows from the shard it left, only while it is marked as moving there.
async fn delete_source(db: &D1Database, moved: &Move) -> Result<(), ApiError> {
    let params = [int(moved.id), text(&moved.to)];
    let guard = "EXISTS (SELECT 1 FROM reports WHERE id = ?1 AND moving_to = ?2)";
    let mut statements = Vec::new();
    for (table, _) in CHILDREN {
        statements.push(db.prepare(format!("DELETE FROM {table} WHERE report_id = ?1 AND {guard}")).bind(&params)?);
    }
    statements.push(db.prepare("DELETE FROM reports WHERE id = ?1 AND moving_to = ?2").bind(&params)?);
    db.batch(statements).await?;
    Ok(())
}
