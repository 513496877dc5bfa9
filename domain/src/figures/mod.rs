//! Figures: the public ones (`GET /api/stats`, from the audit log) and the supervisors' ones
//! (`GET /api/staff/figures`, per department and handler). Pure functions over rows the worker reads.
//!
//! Public figures classify every case once, by the status its audit log ends in, so that
//! `received = pending + accepted + rejected + merged` and `accepted = in_progress + closed` hold in the
//! total, in every category and in every month (the month a report was received, Asia/Shanghai).
//!
//! **One definition, shown as it is.** `pending` (待受理: received, not yet accepted or refused) and
//! `in_progress` (办理中: accepted, not yet closed) are disjoint. Every page that shows the public
//! figures — the home page's headline ([`HEADLINE`], drawn by `public/figures.js`) and `/stats` —
//! shows these fields under the same labels and never adds one to another, so no two pages can
//! disagree (tests/e2e.test.mjs compares them).

pub mod counters;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::office::OfficeTree;
use crate::workflow::ReportStatus;
use crate::workflow::{self, Case, CaseId, DAY_MS, FiguresScope, Rating, StaffId};

/// The fields of [`PublicStats`] the home page shows, in order: received, awaiting review, in
/// progress, closed.
pub const HEADLINE: [&str; 4] = ["received", "pending", "in_progress", "closed"];

/// One case as the public figures read it: the report's category and receipt time, its due time, and
/// the last status-changing event of its audit log.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CaseLogRow {
    /// Category code.
    pub category: String,
    /// When the report was received.
    pub received_at: i64,
    /// The case's due time, if it was ever accepted.
    #[serde(default)]
    pub due_at: Option<i64>,
    /// The `events.kind` of the last status-changing event (`submitted` … `merged`).
    pub last_kind: String,
    /// When that event happened.
    pub last_at: i64,
    /// The name of the reporter's latest rating ([`crate::workflow::Rating`]), if they rated it.
    #[serde(default)]
    pub rating: Option<String>,
    /// How it reached the office ([`crate::intake::Source`]'s name; `web` for the public form).
    #[serde(default = "web")]
    pub source: String,
    /// The office that holds the case (`crate::office`); the root office when not read.
    #[serde(default)]
    pub office: Option<String>,
}

fn web() -> String {
    "web".to_owned()
}

/// A row's event kind is not one that changes status.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("event kind {0:?} does not set a status")]
pub struct UnknownKind(pub String);

/// The event kinds that set a status, and the status each sets; the worker selects exactly these.
pub const STATUS_KINDS: [(&str, ReportStatus); 9] = [
    ("submitted", ReportStatus::Submitted),
    // A referral waits at the receiving office, and one sent back at the sender's, to be accepted.
    ("referred", ReportStatus::Submitted),
    ("handed_back", ReportStatus::Submitted),
    ("accepted", ReportStatus::Accepted),
    ("rejected", ReportStatus::Rejected),
    ("transferred", ReportStatus::Transferred),
    ("resolved", ReportStatus::Resolved),
    ("reopened", ReportStatus::Reopened),
    ("merged", ReportStatus::Merged),
];

/// The status an event of `kind` leaves a case in.
pub fn status_after(kind: &str) -> Option<ReportStatus> {
    STATUS_KINDS.iter().find(|(k, _)| *k == kind).map(|(_, s)| *s)
}

/// One set of counts and rates.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Figures {
    /// Reports received.
    pub received: u64,
    /// Taken on: being handled or closed (`in_progress + closed`).
    pub accepted: u64,
    /// Not accepted.
    pub rejected: u64,
    /// Waiting to be accepted or rejected.
    pub pending: u64,
    /// Accepted, transferred or reopened: being handled.
    pub in_progress: u64,
    /// Closed with a reply.
    pub closed: u64,
    /// Merged into another case.
    pub merged: u64,
    /// Closed no later than their due time.
    pub closed_on_time: u64,
    /// `closed_on_time / closed`, absent when nothing is closed.
    #[serde(default)]
    pub on_time_rate: Option<f64>,
    /// Median calendar days from receipt to closing, to one decimal; absent when nothing is closed.
    #[serde(default)]
    pub median_days_to_close: Option<f64>,
    /// Closed cases the reporter rated (the latest rating of a case that is closed now).
    #[serde(default)]
    pub rated: u64,
    /// Of those, rated 满意 or 基本满意.
    #[serde(default)]
    pub satisfied: u64,
    /// 满意率: `satisfied / rated`, absent when nothing is rated.
    #[serde(default)]
    pub satisfaction_rate: Option<f64>,
}

/// Figures for one category.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryFigures {
    /// Category code.
    pub category: String,
    /// Its figures.
    pub figures: Figures,
}

/// Figures for one month of receipt.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthFigures {
    /// `YYYY-MM`, Asia/Shanghai.
    pub month: String,
    /// Its figures.
    pub figures: Figures,
}

/// `GET /api/stats` answer: the totals as top-level fields, and the same figures by category and by
/// month. No personal data: counts, rates and durations only.
///
/// The totals are spelled out rather than `#[serde(flatten)]`ed: flatten makes serde buffer every
/// value through its generic `Content` type, which costs the citizen app several KB of WASM.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PublicStats {
    /// Reports received.
    pub received: u64,
    /// Taken on: being handled or closed (`in_progress + closed`).
    #[serde(default)]
    pub accepted: u64,
    /// Not accepted.
    pub rejected: u64,
    /// Waiting to be accepted or rejected.
    pub pending: u64,
    /// Accepted, transferred or reopened: being handled.
    pub in_progress: u64,
    /// Closed with a reply.
    pub closed: u64,
    /// Merged into another case.
    pub merged: u64,
    /// Closed no later than their due time.
    #[serde(default)]
    pub closed_on_time: u64,
    /// `closed_on_time / closed`, absent when nothing is closed.
    #[serde(default)]
    pub on_time_rate: Option<f64>,
    /// Median calendar days from receipt to closing, to one decimal; absent when nothing is closed.
    #[serde(default)]
    pub median_days_to_close: Option<f64>,
    /// Closed cases the reporter rated (the latest rating of a case that is closed now).
    #[serde(default)]
    pub rated: u64,
    /// Of those, rated 满意 or 基本满意.
    #[serde(default)]
    pub satisfied: u64,
    /// 满意率: `satisfied / rated`, absent when nothing is rated.
    #[serde(default)]
    pub satisfaction_rate: Option<f64>,
    /// By category code, in code order.
    #[serde(default)]
    pub by_category: Vec<CategoryFigures>,
    /// By month of receipt, oldest first.
    #[serde(default)]
    pub by_month: Vec<MonthFigures>,
    /// By intake channel (`web`, `phone`, `letter`, `visit`, `self_media`, `higher_office`), every
    /// channel in that order, zeros included.
    #[serde(default)]
    pub by_source: Vec<SourceFigures>,
}

/// One intake channel's figures.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceFigures {
    /// The channel's name ([`crate::intake::Source`]).
    pub source: String,
    /// Its figures.
    pub figures: Figures,
}

impl PublicStats {
    /// The totals as one [`Figures`].
    pub fn total(&self) -> Figures {
        Figures {
            received: self.received,
            accepted: self.accepted,
            rejected: self.rejected,
            pending: self.pending,
            in_progress: self.in_progress,
            closed: self.closed,
            merged: self.merged,
            closed_on_time: self.closed_on_time,
            on_time_rate: self.on_time_rate,
            median_days_to_close: self.median_days_to_close,
            rated: self.rated,
            satisfied: self.satisfied,
            satisfaction_rate: self.satisfaction_rate,
        }
    }
}

/// The counts of `GET /api/stats` only, for the citizen home page: it ignores the rest of the answer,
/// so the first-load bundle carries no float parsing and no per-category or per-month types.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PublicTotals {
    /// Reports received.
    pub received: u64,
    /// Taken on.
    #[serde(default)]
    pub accepted: u64,
    /// Not accepted.
    pub rejected: u64,
    /// Waiting to be accepted or rejected.
    pub pending: u64,
    /// Being handled.
    pub in_progress: u64,
    /// Closed with a reply.
    pub closed: u64,
    /// Merged into another case.
    pub merged: u64,
}

/// Counts and close durations, before rates and medians are derived.
#[derive(Default)]
struct Tally {
    figures: Figures,
    close_ms: Vec<i64>,
}

impl Tally {
    fn add(&mut self, status: ReportStatus, close: Option<(i64, bool)>, rating: Option<Rating>) {
        let f = &mut self.figures;
        f.received += 1;
        // A rating counts while the case stays closed: a reopened case waits for its next rating.
        if let Some(rating) = rating.filter(|_| status == ReportStatus::Resolved) {
            f.rated += 1;
            f.satisfied += u64::from(rating.is_satisfied());
        }
        match status {
            ReportStatus::Submitted => f.pending += 1,
            ReportStatus::Rejected => f.rejected += 1,
            ReportStatus::Merged => f.merged += 1,
            ReportStatus::Accepted | ReportStatus::Transferred | ReportStatus::Reopened => {
                f.accepted += 1;
                f.in_progress += 1;
            }
            ReportStatus::Resolved => {
                f.accepted += 1;
                f.closed += 1;
            }
        }
        if let Some((ms, on_time)) = close {
            self.close_ms.push(ms);
            f.closed_on_time += u64::from(on_time);
        }
    }

    fn finish(mut self) -> Figures {
        let closed = self.close_ms.len() as u64;
        self.figures.on_time_rate = (closed > 0).then(|| rate(self.figures.closed_on_time, closed));
        self.figures.median_days_to_close = median_days(&mut self.close_ms);
        self.figures.satisfaction_rate =
            (self.figures.rated > 0).then(|| rate(self.figures.satisfied, self.figures.rated));
        self.figures
    }
}

/// `part / whole` rounded to four decimals (a rate shown as a percentage with two).
pub(crate) fn rate(part: u64, whole: u64) -> f64 {
    (part as f64 / whole as f64 * 10_000.0).round() / 10_000.0
}

/// The median of durations in milliseconds, in days to one decimal.
fn median_days(ms: &mut [i64]) -> Option<f64> {
    if ms.is_empty() {
        return None;
    }
    ms.sort_unstable();
    let n = ms.len();
    let median = if n % 2 == 1 { ms[n / 2] as f64 } else { (ms[n / 2 - 1] as f64 + ms[n / 2] as f64) / 2.0 };
    Some((median / DAY_MS as f64 * 10.0).round() / 10.0)
}

/// The civil date (year, month, day) of an instant in a zone `utc_offset_minutes` east of UTC.
pub fn local_date(at: i64, utc_offset_minutes: i32) -> (i64, i64, i64) {
    let days = at.saturating_add(i64::from(utc_offset_minutes) * 60_000).div_euclid(DAY_MS);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// The civil `YYYY-MM` of an instant in a zone `utc_offset_minutes` east of UTC.
pub fn local_month(at: i64, utc_offset_minutes: i32) -> String {
    let (year, month, _) = local_date(at, utc_offset_minutes);
    format!("{year:04}-{month:02}")
}

/// The public figures from one row per case. Closing time counts from receipt to the last closing;
/// a case is on time when that closing is no later than its due time.
pub fn public_stats(rows: &[CaseLogRow], utc_offset_minutes: i32) -> Result<PublicStats, UnknownKind> {
    let mut total = Tally::default();
    let mut by_category: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut by_month: BTreeMap<String, Tally> = BTreeMap::new();
    let mut by_source: BTreeMap<&str, Tally> = BTreeMap::new();
    for row in rows {
        let status = status_after(&row.last_kind).ok_or_else(|| UnknownKind(row.last_kind.clone()))?;
        let close = (status == ReportStatus::Resolved)
            .then(|| (row.last_at - row.received_at, row.due_at.is_some_and(|due| row.last_at <= due)));
        let rating = row.rating.as_deref().and_then(Rating::from_name);
        total.add(status, close, rating);
        by_category.entry(&row.category).or_default().add(status, close, rating);
        by_month.entry(local_month(row.received_at, utc_offset_minutes)).or_default().add(status, close, rating);
        by_source.entry(&row.source).or_default().add(status, close, rating);
    }
    Ok(assemble(
        total.finish(),
        by_category.into_iter().map(|(category, t)| (category.to_owned(), t.finish())).collect(),
        by_month.into_iter().map(|(month, t)| (month, t.finish())).collect(),
        by_source.into_iter().map(|(source, t)| (source, t.finish())).collect(),
    ))
}

/// The answer of `GET /api/stats` from its parts, however they were counted (the audit log's rows
/// here, the counters in [`counters::stats`]): categories and months in key order, every intake
/// channel in its order, zeros included.
pub(crate) fn assemble(
    t: Figures,
    by_category: Vec<(String, Figures)>,
    by_month: Vec<(String, Figures)>,
    mut by_source: BTreeMap<&str, Figures>,
) -> PublicStats {
    PublicStats {
        received: t.received,
        accepted: t.accepted,
        rejected: t.rejected,
        pending: t.pending,
        in_progress: t.in_progress,
        closed: t.closed,
        merged: t.merged,
        closed_on_time: t.closed_on_time,
        on_time_rate: t.on_time_rate,
        median_days_to_close: t.median_days_to_close,
        rated: t.rated,
        satisfied: t.satisfied,
        satisfaction_rate: t.satisfaction_rate,
        by_category: by_category.into_iter().map(|(category, figures)| CategoryFigures { category, figures }).collect(),
        by_month: by_month.into_iter().map(|(month, figures)| MonthFigures { month, figures }).collect(),
        by_source: crate::intake::Source::ALL
            .into_iter()
            .map(|source| SourceFigures {
                source: source.as_str().to_owned(),
                figures: by_source.remove(source.as_str()).unwrap_or_default(),
            })
            .collect(),
    }
}

/// One line of the supervisors' figures.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct WorkloadFigures {
    /// Not yet closed (submitted, accepted, transferred, reopened).
    pub open: u64,
    /// Open and past the due time.
    pub overdue: u64,
    /// Closed (resolved).
    pub closed: u64,
    /// Closed no later than the due time.
    pub closed_on_time: u64,
    /// `closed_on_time / closed`.
    #[serde(default)]
    pub on_time_rate: Option<f64>,
    /// Median days from acceptance to closing, to one decimal.
    #[serde(default)]
    pub median_days_to_close: Option<f64>,
    /// Closed cases the reporter rated.
    #[serde(default)]
    pub rated: u64,
    /// Of those, rated 满意 or 基本满意.
    #[serde(default)]
    pub satisfied: u64,
    /// 满意率: `satisfied / rated`, absent when nothing is rated.
    #[serde(default)]
    pub satisfaction_rate: Option<f64>,
    /// Cases given more time (at least one granted extension, 延期).
    #[serde(default)]
    pub extended: u64,
    /// Cases a department sent back at least once (退回).
    #[serde(default)]
    pub returned: u64,
}

/// A department's line; `department` is absent for cases not (yet) with any department.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DepartmentFigures {
    /// Department code.
    #[serde(default)]
    pub department: Option<String>,
    /// Its figures.
    pub figures: WorkloadFigures,
}

/// A primary handler's line; `handler` is absent for cases nobody holds.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HandlerFigures {
    /// The primary handler (A角).
    #[serde(default)]
    pub handler: Option<StaffId>,
    /// Their name, filled in by the worker.
    #[serde(default)]
    pub display_name: Option<String>,
    /// Their figures.
    pub figures: WorkloadFigures,
}

/// An office's line: the cases held by that office and the offices below it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfficeFigures {
    /// Office code.
    pub office: String,
    /// Whether the line is the viewed office's own cases only (the first line), not a child's
    /// subtree.
    #[serde(default)]
    pub own: bool,
    /// Its figures.
    pub figures: WorkloadFigures,
}

/// `GET /api/staff/figures` answer.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct StaffFigures {
    /// When the figures were computed (overdue depends on it).
    pub at: i64,
    /// The office the figures are about (its subtree).
    #[serde(default)]
    pub office: Option<String>,
    /// Per department, in code order (unassigned first).
    pub departments: Vec<DepartmentFigures>,
    /// Per primary handler, in id order; empty for a liaison.
    pub handlers: Vec<HandlerFigures>,
    /// The league table of the offices below: the office's own cases first, then one line per child
    /// office (its whole subtree), in tree order, every child listed even with no cases. The lines
    /// add up to the office's figures. Empty for a liaison.
    #[serde(default)]
    pub offices: Vec<OfficeFigures>,
}

#[derive(Default)]
struct Workload {
    figures: WorkloadFigures,
    close_ms: Vec<i64>,
    /// Closings from counters: bucket → cases (`counters::BUCKET_MS`).
    closings: BTreeMap<i64, i64>,
}

impl Workload {
    fn add(&mut self, case: &Case, rating: Option<Rating>, now: i64) {
        let f = &mut self.figures;
        if let Some(rating) = rating.filter(|_| case.status == ReportStatus::Resolved) {
            f.rated += 1;
            f.satisfied += u64::from(rating.is_satisfied());
        }
        f.extended += u64::from(case.extension_count > 0);
        f.returned += u64::from(case.return_count > 0);
        if case.is_open() {
            f.open += 1;
            f.overdue += u64::from(workflow::is_overdue(case, now));
        }
        if case.status == ReportStatus::Resolved {
            f.closed += 1;
            if let (Some(resolved), Some(accepted)) = (case.resolved_at, case.accepted_at) {
                self.close_ms.push(resolved - accepted);
                f.closed_on_time += u64::from(case.due_at.is_some_and(|due| resolved <= due));
            }
        }
    }

    /// Open cases, counted.
    fn add_open(&mut self, line: &OpenWork) {
        let f = &mut self.figures;
        f.open += line.open;
        f.overdue += line.overdue;
        f.extended += line.extended;
        f.returned += line.returned;
    }

    /// Closed cases from a counter row (`counters::Dim::Office` and the like).
    fn add_closed(&mut self, bucket: i64, c: counters::Counts) {
        let f = &mut self.figures;
        let count = |v: i64| v.max(0) as u64;
        f.closed += count(c.n);
        f.closed_on_time += count(c.on_time);
        f.rated += count(c.rated);
        f.satisfied += count(c.satisfied);
        f.extended += count(c.extended);
        f.returned += count(c.returned);
        if bucket >= 0 {
            *self.closings.entry(bucket).or_default() += c.n.max(0);
        }
    }

    fn finish(mut self) -> WorkloadFigures {
        let f = &mut self.figures;
        f.on_time_rate = (f.closed > 0).then(|| rate(f.closed_on_time, f.closed));
        f.median_days_to_close = if self.closings.is_empty() {
            median_days(&mut self.close_ms)
        } else {
            counters::median_days(&self.closings)
        };
        f.satisfaction_rate = (f.rated > 0).then(|| rate(f.satisfied, f.rated));
        self.figures
    }
}

/// The supervisors' figures over the current cases, limited to what `scope` may read: a liaison
/// gets their department's line only, and no per-handler lines. Rejected and merged cases count
/// nowhere (they are neither workload nor closed work). `ratings` holds each rated case's latest
/// rating (满意率 per department and handler).
///
/// `network` is the office tree and the office the figures are about: each case also counts on the
/// line of the child office it is below (or on the office's own line).
pub fn staff_figures(
    cases: &[Case],
    ratings: &BTreeMap<CaseId, Rating>,
    now: i64,
    scope: &FiguresScope,
    network: Option<(&OfficeTree, &str)>,
) -> StaffFigures {
    staff_figures_with(cases, ratings, &ClosedWork::default(), &[], now, scope, network)
}

/// The supervisors' closed work from the counters (`counters::Dim::is_workload` rows): the viewed
/// office's rows and its children's office lines, each summed over the shards.
#[derive(Debug, Clone, Default)]
pub struct ClosedWork {
    /// The viewed office's rows: (dimension, value, bucket, counts).
    pub office: Vec<(counters::Dim, String, i64, counters::Counts)>,
    /// Each child office's `Dim::Office` rows: (child, bucket, counts).
    pub children: Vec<(String, i64, counters::Counts)>,
}

/// The open cases of one office, department and primary handler, counted (the database sums them:
/// `store::figures::open_work`; [`open_work`] does the same over case rows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenWork {
    /// The office holding them.
    pub office: String,
    /// Their department.
    pub department: Option<String>,
    /// Their primary handler.
    pub handler: Option<StaffId>,
    /// Open cases.
    pub open: u64,
    /// Of them, past their due time (`workflow::is_overdue`).
    pub overdue: u64,
    /// Of them, given more time at least once.
    pub extended: u64,
    /// Of them, sent back by a department at least once.
    pub returned: u64,
}

/// The open cases of `cases` counted by office, department and handler, as of `now`.
pub fn open_work(cases: &[Case], now: i64) -> Vec<OpenWork> {
    let mut sum: BTreeMap<(&str, Option<&str>, Option<StaffId>), OpenWork> = BTreeMap::new();
    for case in cases.iter().filter(|c| c.is_open()) {
        let key = (case.office.as_str(), case.department.as_deref(), case.primary_handler);
        let line = sum.entry(key).or_insert_with(|| OpenWork {
            office: case.office.clone(),
            department: case.department.clone(),
            handler: case.primary_handler,
            open: 0,
            overdue: 0,
            extended: 0,
            returned: 0,
        });
        line.open += 1;
        line.overdue += u64::from(workflow::is_overdue(case, now));
        line.extended += u64::from(case.extension_count > 0);
        line.returned += u64::from(case.return_count > 0);
    }
    sum.into_values().collect()
}

/// [`staff_figures`] with the closed work read from counters and the open work counted by the
/// database (`open`: the scope's open cases by office, department and handler — a few hundred
/// lines whatever the history): the same figures, the medians within the counters' 0.1-day bound.
pub fn staff_figures_counted(
    closed: &ClosedWork,
    open: &[OpenWork],
    now: i64,
    scope: &FiguresScope,
    network: Option<(&OfficeTree, &str)>,
) -> StaffFigures {
    staff_figures_with(&[], &BTreeMap::new(), closed, open, now, scope, network)
}

fn staff_figures_with<'a>(
    cases: &'a [Case],
    ratings: &BTreeMap<CaseId, Rating>,
    closed: &'a ClosedWork,
    open: &'a [OpenWork],
    now: i64,
    scope: &FiguresScope,
    network: Option<(&OfficeTree, &str)>,
) -> StaffFigures {
    let mut departments: BTreeMap<Option<&str>, Workload> = BTreeMap::new();
    let mut handlers: BTreeMap<Option<StaffId>, Workload> = BTreeMap::new();
    let mut offices: Vec<(String, bool, Workload)> = match network {
        Some((tree, office)) if *scope == FiguresScope::All => std::iter::once((office.to_owned(), true))
            .chain(tree.children(office).map(|c| (c.code.clone(), false)))
            .map(|(code, own)| (code, own, Workload::default()))
            .collect(),
        _ => Vec::new(),
    };
    // The office's own line: its subtree's closed work less its children's.
    let mut own: BTreeMap<i64, counters::Counts> = BTreeMap::new();
    for (dim, value, bucket, c) in closed.office.iter().filter(|(_, _, _, c)| c.n != 0) {
        match dim {
            counters::Dim::Department => {
                let department = Some(value.as_str()).filter(|v| !v.is_empty());
                if let FiguresScope::Department(mine) = scope
                    && department != Some(mine.as_str())
                {
                    continue;
                }
                departments.entry(department).or_default().add_closed(*bucket, *c);
            }
            counters::Dim::Handler if *scope == FiguresScope::All => {
                handlers.entry(value.parse().ok().map(StaffId)).or_default().add_closed(*bucket, *c);
            }
            counters::Dim::Office => own.entry(*bucket).or_default().add(*c, 1),
            _ => {}
        }
    }
    for (child, bucket, c) in &closed.children {
        own.entry(*bucket).or_default().add(*c, -1);
        if let Some((_, _, w)) = offices.iter_mut().find(|(code, is_own, _)| !is_own && code == child) {
            w.add_closed(*bucket, *c);
        }
    }
    if let Some((_, _, w)) = offices.iter_mut().find(|(_, is_own, _)| *is_own) {
        for (bucket, c) in own.into_iter().filter(|(_, c)| c.n != 0) {
            w.add_closed(bucket, c);
        }
    }
    for line in open {
        let department = line.department.as_deref();
        if let FiguresScope::Department(mine) = scope
            && department != Some(mine.as_str())
        {
            continue;
        }
        departments.entry(department).or_default().add_open(line);
        if *scope == FiguresScope::All {
            handlers.entry(line.handler).or_default().add_open(line);
        }
        if let Some((tree, office)) = network
            && let Some(child) = tree.child_toward(office, &line.office)
            && let Some((_, _, w)) = offices.iter_mut().find(|(code, _, _)| code == child)
        {
            w.add_open(line);
        }
    }
    for case in cases.iter().filter(|c| !matches!(c.status, ReportStatus::Rejected | ReportStatus::Merged)) {
        let department = case.department.as_deref();
        if let FiguresScope::Department(own) = scope
            && department != Some(own.as_str())
        {
            continue;
        }
        let rating = ratings.get(&case.id).copied();
        departments.entry(department).or_default().add(case, rating, now);
        if *scope == FiguresScope::All {
            handlers.entry(case.primary_handler).or_default().add(case, rating, now);
        }
        if let Some((tree, office)) = network
            && let Some(line) = tree.child_toward(office, &case.office)
            && let Some((_, _, w)) = offices.iter_mut().find(|(code, _, _)| code == line)
        {
            w.add(case, rating, now);
        }
    }
    StaffFigures {
        at: now,
        office: network.map(|(_, office)| office.to_owned()),
        offices: offices
            .into_iter()
            .map(|(office, own, w)| OfficeFigures { office, own, figures: w.finish() })
            .collect(),
        departments: departments
            .into_iter()
            .map(|(d, w)| DepartmentFigures { department: d.map(str::to_owned), figures: w.finish() })
            .collect(),
        handlers: handlers
            .into_iter()
            .map(|(handler, w)| HandlerFigures { handler, display_name: None, figures: w.finish() })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_headline_names_fields_of_the_public_stats() {
        let json = serde_json::to_value(PublicStats::default()).expect("serialises");
        for field in HEADLINE {
            assert!(json.get(field).is_some_and(serde_json::Value::is_u64), "{field}");
        }
    }

    use super::*;
    use crate::workflow::SHANGHAI_UTC_OFFSET_MINUTES;

    /// 2026-11-01 00:00 Asia/Shanghai.
    const NOV1: i64 = 1_793_462_400_000;
    const OFF: i32 = SHANGHAI_UTC_OFFSET_MINUTES;

    fn row(category: &str, received_at: i64, due_at: Option<i64>, last_kind: &str, last_at: i64) -> CaseLogRow {
        CaseLogRow {
            category: category.to_owned(),
            received_at,
            due_at,
            last_kind: last_kind.to_owned(),
            last_at,
            rating: None,
            source: "web".to_owned(),
            office: None,
        }
    }

    #[test]
    fn every_channel_is_listed_and_counts_its_own_cases() {
        let rows = [
            row("fraud", NOV1, None, "submitted", NOV1),
            CaseLogRow { source: "phone".to_owned(), ..row("fraud", NOV1, None, "accepted", NOV1) },
            CaseLogRow { source: "higher_office".to_owned(), ..row("rumor", NOV1, None, "submitted", NOV1) },
            CaseLogRow { source: "higher_office".to_owned(), ..row("rumor", NOV1, None, "rejected", NOV1) },
        ];
        let stats = public_stats(&rows, OFF).expect("known kinds");
        let by: Vec<(&str, u64, u64)> =
            stats.by_source.iter().map(|s| (s.source.as_str(), s.figures.received, s.figures.pending)).collect();
        assert_eq!(
            by,
            [
                ("web", 1, 1),
                ("phone", 1, 0),
                ("letter", 0, 0),
                ("visit", 0, 0),
                ("self_media", 0, 0),
                ("higher_office", 2, 1)
            ]
        );
        assert_eq!(stats.by_source.iter().map(|s| s.figures.received).sum::<u64>(), stats.received);
    }

    #[test]
    fn satisfaction_counts_the_latest_rating_of_closed_cases() {
        let d = DAY_MS;
        let rated = |category: &str, last_kind: &str, rating: &str| CaseLogRow {
            rating: Some(rating.to_owned()),
            ..row(category, NOV1, Some(NOV1 + 8 * d), last_kind, NOV1 + 2 * d)
        };
        let rows = [
            rated("rumor", "resolved", "satisfied"),
            rated("rumor", "resolved", "basically_satisfied"),
            rated("rumor", "resolved", "dissatisfied"),
            rated("fraud", "resolved", "satisfied"),
            // Reopened after a rating: it waits for the next one.
            rated("fraud", "reopened", "dissatisfied"),
            row("fraud", NOV1, Some(NOV1 + 8 * d), "resolved", NOV1 + 2 * d),
        ];
        let stats = public_stats(&rows, OFF).expect("known kinds");
        assert_eq!((stats.rated, stats.satisfied, stats.satisfaction_rate), (4, 3, Some(0.75)));
        let rumor = &stats.by_category[1].figures;
        assert_eq!((rumor.rated, rumor.satisfied, rumor.satisfaction_rate), (3, 2, Some(0.6667)));
        let fraud = &stats.by_category[0].figures;
        assert_eq!((fraud.rated, fraud.satisfied, fraud.satisfaction_rate), (1, 1, Some(1.0)));
        assert_eq!(stats.by_month[0].figures.satisfaction_rate, Some(0.75));
        assert_eq!(public_stats(&rows[5..], OFF).expect("known").satisfaction_rate, None, "nothing rated: no rate");

        let mut cases = [
            case(1, ReportStatus::Resolved, Some("police"), Some(1)),
            case(2, ReportStatus::Resolved, Some("cac"), Some(1)),
        ];
        cases[1].status = ReportStatus::Resolved;
        let ratings = BTreeMap::from([(CaseId(1), Rating::Dissatisfied), (CaseId(2), Rating::BasicallySatisfied)]);
        let staff = staff_figures(&cases, &ratings, 20 * d, &FiguresScope::All, None);
        let lines: Vec<_> =
            staff.departments.iter().map(|l| (l.department.as_deref(), l.figures.satisfaction_rate)).collect();
        assert_eq!(lines, [(Some("cac"), Some(1.0)), (Some("police"), Some(0.0))]);
        assert_eq!(staff.handlers[0].figures.satisfaction_rate, Some(0.5));
    }

    #[test]
    fn months_follow_the_shanghai_calendar() {
        assert_eq!(local_month(NOV1, OFF), "2026-11");
        assert_eq!(local_month(NOV1 - 1, OFF), "2026-10");
        // 16:00 UTC on 31 October is already November in Shanghai.
        assert_eq!(local_month(NOV1 - 8 * 3_600_000, 0), "2026-10");
        assert_eq!(local_month(0, 0), "1970-01");
        assert_eq!(local_month(951_782_400_000, 0), "2000-02"); // 2000-02-29
        assert_eq!(local_month(-1, 0), "1969-12");
    }

    #[test]
    fn every_case_lands_in_exactly_one_bucket_and_the_identities_hold() {
        let d = DAY_MS;
        let rows = [
            row("rumor", NOV1, None, "submitted", NOV1),
            row("rumor", NOV1 + d, Some(NOV1 + 8 * d), "resolved", NOV1 + 3 * d), // on time, 2 days
            row("rumor", NOV1 + d, Some(NOV1 + 8 * d), "resolved", NOV1 + 11 * d), // late, 10 days
            row("fraud", NOV1 - d, Some(NOV1 + 6 * d), "transferred", NOV1),      // October
            row("fraud", NOV1 + 2 * d, None, "rejected", NOV1 + 2 * d),
            row("fraud", NOV1 + 2 * d, Some(NOV1 + 9 * d), "merged", NOV1 + 3 * d),
            row("fraud", NOV1 + 2 * d, Some(NOV1 + 9 * d), "reopened", NOV1 + 5 * d),
            row("fraud", NOV1 + 2 * d, Some(NOV1 + 9 * d), "accepted", NOV1 + 2 * d),
            row("spitting", NOV1 + 3 * d, Some(NOV1 + 13 * d), "resolved", NOV1 + 7 * d), // on time, 4 days
        ];
        let stats = public_stats(&rows, OFF).expect("known kinds");
        let t = &stats.total();
        assert_eq!((t.received, t.pending, t.accepted, t.rejected, t.merged), (9, 1, 6, 1, 1));
        assert_eq!((t.in_progress, t.closed, t.closed_on_time), (3, 3, 2));
        assert_eq!(t.on_time_rate, Some(0.6667));
        assert_eq!(t.median_days_to_close, Some(4.0));
        assert_eq!(stats.received, 9, "the totals read as top-level fields");
        let total = stats.total();
        let all: Vec<&Figures> = std::iter::once(&total)
            .chain(stats.by_category.iter().map(|c| &c.figures))
            .chain(stats.by_month.iter().map(|m| &m.figures))
            .collect();
        for f in all {
            assert_eq!(f.received, f.pending + f.accepted + f.rejected + f.merged, "{f:?}");
            assert_eq!(f.accepted, f.in_progress + f.closed, "{f:?}");
        }
        let categories: Vec<_> = stats.by_category.iter().map(|c| (c.category.as_str(), c.figures.received)).collect();
        assert_eq!(categories, [("fraud", 5), ("rumor", 3), ("spitting", 1)]);
        let months: Vec<_> = stats.by_month.iter().map(|m| (m.month.as_str(), m.figures.received)).collect();
        assert_eq!(months, [("2026-10", 1), ("2026-11", 8)]);
        let rumor = &stats.by_category[1].figures;
        assert_eq!((rumor.on_time_rate, rumor.median_days_to_close), (Some(0.5), Some(6.0)));
        let fraud = &stats.by_category[0].figures;
        assert_eq!((fraud.on_time_rate, fraud.median_days_to_close), (None, None));
    }

    #[test]
    fn an_unknown_kind_is_an_error_not_a_miscount() {
        assert_eq!(public_stats(&[row("rumor", 0, None, "note", 0)], OFF), Err(UnknownKind("note".to_owned())));
        assert_eq!(public_stats(&[], OFF).expect("empty").total(), Figures::default());
    }

    fn case(id: i64, status: ReportStatus, department: Option<&str>, handler: Option<i64>) -> Case {
        let mut case = Case::new(CaseId(id), "rumor", None, 0);
        case.status = status;
        case.department = department.map(str::to_owned);
        case.primary_handler = handler.map(StaffId);
        if status != ReportStatus::Submitted {
            case.accepted_at = Some(0);
            case.due_at = Some(10 * DAY_MS);
        }
        if status == ReportStatus::Resolved {
            case.resolved_at = Some(4 * DAY_MS);
        }
        case
    }

    #[test]
    fn staff_figures_per_department_and_handler() {
        let now = 20 * DAY_MS; // past every due time
        let mut late = case(5, ReportStatus::Resolved, Some("police"), Some(1));
        late.resolved_at = Some(12 * DAY_MS);
        late.extension_count = 2;
        let mut returned = case(1, ReportStatus::Transferred, Some("police"), Some(1));
        returned.return_count = 1;
        let cases = [
            returned,
            case(2, ReportStatus::Resolved, Some("police"), Some(1)),
            case(3, ReportStatus::Submitted, None, None),
            case(4, ReportStatus::Accepted, None, Some(2)),
            late,
            case(6, ReportStatus::Rejected, None, Some(2)),
            case(7, ReportStatus::Transferred, Some("cac"), Some(2)),
        ];
        let all = staff_figures(&cases, &BTreeMap::new(), now, &FiguresScope::All, None);
        let departments: Vec<_> = all
            .departments
            .iter()
            .map(|d| (d.department.as_deref(), d.figures.open, d.figures.overdue, d.figures.closed))
            .collect();
        assert_eq!(departments, [(None, 2, 1, 0), (Some("cac"), 1, 1, 0), (Some("police"), 1, 1, 2)]);
        let police = &all.departments[2].figures;
        assert_eq!((police.on_time_rate, police.median_days_to_close), (Some(0.5), Some(8.0)));
        assert_eq!((police.extended, police.returned), (1, 1), "cases, not extensions, are counted");
        let handlers: Vec<_> =
            all.handlers.iter().map(|h| (h.handler.map(|s| s.0), h.figures.open, h.figures.closed)).collect();
        assert_eq!(handlers, [(None, 1, 0), (Some(1), 1, 2), (Some(2), 2, 0)]);

        let own = staff_figures(&cases, &BTreeMap::new(), now, &FiguresScope::Department("police".to_owned()), None);
        assert_eq!(own.departments.len(), 1);
        assert_eq!(own.departments[0].department.as_deref(), Some("police"));
        assert!(own.handlers.is_empty(), "a liaison sees no per-handler lines");
        // Before any due time nothing is overdue.
        assert!(
            staff_figures(&cases, &BTreeMap::new(), DAY_MS, &FiguresScope::All, None)
                .departments
                .iter()
                .all(|d| d.figures.overdue == 0)
        );

        // The league table of a city: its own cases, then each child's subtree; the lines add up.
        let tree = crate::office::tests::network();
        let mut spread = cases.clone();
        for (case, office) in spread.iter_mut().zip(["city", "east", "east_street", "west", "east", "east", "city"]) {
            case.office = office.to_owned();
        }
        let city = staff_figures(&spread, &BTreeMap::new(), now, &FiguresScope::All, Some((&tree, "city")));
        let lines: Vec<_> =
            city.offices.iter().map(|o| (o.office.as_str(), o.own, o.figures.open, o.figures.closed)).collect();
        assert_eq!(lines, [("city", true, 2, 0), ("east", false, 1, 2), ("west", false, 1, 0)]);
        assert_eq!(city.office.as_deref(), Some("city"));
        let total = |f: fn(&WorkloadFigures) -> u64| city.departments.iter().map(|d| f(&d.figures)).sum::<u64>();
        let summed = |f: fn(&WorkloadFigures) -> u64| city.offices.iter().map(|o| f(&o.figures)).sum::<u64>();
        for f in [|w: &WorkloadFigures| w.open, |w: &WorkloadFigures| w.closed, |w: &WorkloadFigures| w.overdue] {
            assert_eq!(summed(f), total(f));
        }
        let west = staff_figures(&spread, &BTreeMap::new(), now, &FiguresScope::All, Some((&tree, "west")));
        assert_eq!(west.offices.len(), 1, "an office without children has its own line only");
        let liaison = staff_figures(
            &spread,
            &BTreeMap::new(),
            now,
            &FiguresScope::Department("police".to_owned()),
            Some((&tree, "city")),
        );
        assert!(liaison.offices.is_empty());
    }

    #[test]
    fn staff_figures_from_counters_and_open_cases_equal_those_from_every_case() {
        let tree = crate::office::tests::network();
        let offices = ["province", "city", "east", "west", "east_street"];
        let statuses = ReportStatus::ALL;
        let ratings_cycle =
            [None, Some(Rating::Satisfied), Some(Rating::Dissatisfied), Some(Rating::BasicallySatisfied)];
        let mut cases = Vec::new();
        let mut ratings = BTreeMap::new();
        for i in 0..400i64 {
            let status = statuses[(i % statuses.len() as i64) as usize];
            let mut case = Case::new(CaseId(i), "fraud", None, i * 3_600_000);
            case.status = status;
            case.office = offices[(i % 5) as usize].to_owned();
            case.department = ["police", "market", "cac"].get((i % 4) as usize).map(|d| (*d).to_owned());
            case.primary_handler = (i % 6 != 0).then_some(StaffId(i % 3));
            if status != ReportStatus::Submitted && i % 11 != 0 {
                case.accepted_at = Some(i * 3_600_000 + 7_200_000);
            }
            case.due_at = (i % 5 != 0).then_some(i * 3_600_000 + (i % 9) * DAY_MS);
            if status == ReportStatus::Resolved {
                case.resolved_at = Some(i * 3_600_000 + (i % 13) * DAY_MS / 3 + 9_000_000);
            }
            case.extension_count = u32::from(i % 7 == 0);
            case.return_count = u32::from(i % 8 == 0);
            if let Some(r) = ratings_cycle[(i % 4) as usize] {
                ratings.insert(case.id, r);
            }
            cases.push(case);
        }
        // Every case's counter rows, summed as the shards hold them.
        let mut sum: BTreeMap<counters::CounterKey, counters::Counts> = BTreeMap::new();
        for case in &cases {
            let chain: Vec<&str> = tree.ancestry(&case.office).into_iter().map(|o| o.code.as_str()).collect();
            let counted = counters::Counted {
                office: &case.office,
                category: "fraud",
                received_at: case.created_at,
                source: "web",
                status: case.status,
                due_at: case.due_at,
                resolved_at: case.resolved_at,
                rating: ratings.get(&case.id).copied(),
                department: case.department.as_deref(),
                handler: case.primary_handler.map(|h| h.0),
                accepted_at: case.accepted_at,
                extended: case.extension_count > 0,
                returned: case.return_count > 0,
            };
            for (key, c) in counters::delta(None, Some((&counted, &chain)), 480) {
                sum.entry(key).or_default().add(c, 1);
            }
        }
        let now = 200 * DAY_MS;
        for viewed in offices {
            let closed = ClosedWork {
                office: sum
                    .iter()
                    .filter(|(k, _)| k.office == viewed && k.dim.is_workload())
                    .map(|(k, c)| (k.dim, k.value.clone(), k.bucket, *c))
                    .collect(),
                children: sum
                    .iter()
                    .filter(|(k, _)| {
                        k.dim == counters::Dim::Office && tree.children(viewed).any(|c| c.code == k.office)
                    })
                    .map(|(k, c)| (k.office.clone(), k.bucket, *c))
                    .collect(),
            };
            let subtree = tree.subtree(viewed);
            let mine: Vec<Case> = cases.iter().filter(|c| subtree.contains(&c.office.as_str())).cloned().collect();
            for scope in [FiguresScope::All, FiguresScope::Department("police".to_owned())] {
                let exact = staff_figures(&mine, &ratings, now, &scope, Some((&tree, viewed)));
                let counted =
                    staff_figures_counted(&closed, &open_work(&mine, now), now, &scope, Some((&tree, viewed)));
                let strip = |mut f: StaffFigures| {
                    let mut medians = Vec::new();
                    for w in f
                        .departments
                        .iter_mut()
                        .map(|d| &mut d.figures)
                        .chain(f.handlers.iter_mut().map(|h| &mut h.figures))
                        .chain(f.offices.iter_mut().map(|o| &mut o.figures))
                    {
                        medians.push(w.median_days_to_close.take());
                    }
                    (f, medians)
                };
                let ((exact, exact_medians), (counted, counted_medians)) = (strip(exact), strip(counted));
                assert_eq!(counted, exact, "{viewed} {scope:?}");
                for (a, b) in exact_medians.iter().zip(&counted_medians) {
                    match (a, b) {
                        (Some(a), Some(b)) => assert!((a - b).abs() <= 0.1 + 1e-9, "{viewed}: {a} vs {b}"),
                        (a, b) => assert_eq!(a, b),
                    }
                }
                assert!(counted.departments.iter().map(|d| d.figures.closed).sum::<u64>() > 0, "{viewed}");
            }
        }
    }
}
