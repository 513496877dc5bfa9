//! The public figures from counters (issue 20): each case adds one to a handful of counter rows
//! (its office's and every office's above it, by total, category, month of receipt and channel), so
//! an office's figures are a read of its own rows, whatever the number of cases below it. The
//! worker writes a case's change as [`delta`]`(before, after)` in the same D1 batch as the event
//! that changes it, and [`stats`] turns an office's rows into the same [`PublicStats`] that
//! [`super::public_stats`] computes from the audit log (the repair job and the identity check
//! compare the two).
//!
//! **Exactness.** Counts, on-time closings and ratings are exact: they are sums. The median days to
//! close is read from a histogram of closing times in tenths of a day ([`BUCKET_MS`]), each taken at
//! its bucket's middle: the median is within 0.05 day of the exact one before rounding, so the
//! figure shown (one decimal) differs from the audit log's by at most 0.1 day, at any number of
//! cases. Closings after more than [`MAX_BUCKET`] tenths of a day (a year) count as a year.

use std::collections::BTreeMap;

use super::{Figures, PublicStats, local_month, rate};
use crate::workflow::{DAY_MS, Rating, ReportStatus};

/// A histogram bucket: a tenth of a day.
pub const BUCKET_MS: i64 = DAY_MS / 10;

/// The last bucket: closings later than a year count in it.
pub const MAX_BUCKET: i64 = 3650;

/// Which figures a counter row belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Dim {
    /// The office's totals (value empty).
    Total,
    /// By top-level category (value: its code).
    Category,
    /// By month of receipt, Asia/Shanghai (value: `YYYY-MM`).
    Month,
    /// By intake channel (value: `intake::Source`'s name).
    Source,
    /// The supervisors' figures, closed work only (value empty): the office's subtree's line.
    Office,
    /// The supervisors' figures by department (value: its code; empty for none).
    Department,
    /// The supervisors' figures by primary handler (value: the staff id; empty for none).
    Handler,
}

impl Dim {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Dim::Total => "t",
            Dim::Category => "c",
            Dim::Month => "m",
            Dim::Source => "s",
            Dim::Office => "o",
            Dim::Department => "d",
            Dim::Handler => "h",
        }
    }

    /// From the stored name.
    pub fn from_name(name: &str) -> Option<Dim> {
        Dim::ALL.into_iter().find(|d| d.as_str() == name)
    }

    /// Every dimension.
    pub const ALL: [Dim; 7] =
        [Dim::Total, Dim::Category, Dim::Month, Dim::Source, Dim::Office, Dim::Department, Dim::Handler];

    /// Whether the dimension belongs to the supervisors' figures (closed work by office, department
    /// and handler), not the public ones.
    pub fn is_workload(self) -> bool {
        matches!(self, Dim::Office | Dim::Department | Dim::Handler)
    }
}

/// The public figures' state of a case (`PublicStats`' disjoint parts).
pub fn state_of(status: ReportStatus) -> &'static str {
    match status {
        ReportStatus::Submitted => "pending",
        ReportStatus::Accepted | ReportStatus::Transferred | ReportStatus::Reopened => "in_progress",
        ReportStatus::Resolved => "closed",
        ReportStatus::Rejected => "rejected",
        ReportStatus::Merged => "merged",
    }
}

/// One counter row's key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct CounterKey {
    /// The office whose figures it is part of.
    pub office: String,
    /// Which figures.
    pub dim: Dim,
    /// The category, month or channel (empty for the totals).
    pub value: String,
    /// [`state_of`] the case's status.
    pub state: &'static str,
    /// For a closed case, its closing time's bucket (public figures: from receipt; the supervisors':
    /// from acceptance, -1 without one); 0 otherwise.
    pub bucket: i64,
}

/// What a counter row adds up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    /// Cases.
    pub n: i64,
    /// Of them, closed no later than their due time.
    pub on_time: i64,
    /// Closed and rated by the reporter (the latest rating).
    pub rated: i64,
    /// Of those, rated 满意 or 基本满意.
    pub satisfied: i64,
    /// Given more time at least once (the supervisors' figures).
    pub extended: i64,
    /// Sent back by a department at least once (the supervisors' figures).
    pub returned: i64,
}

impl Counts {
    /// Adds `other` (`sign` 1) or takes it away (-1).
    pub fn add(&mut self, other: Counts, sign: i64) {
        self.n += sign * other.n;
        self.on_time += sign * other.on_time;
        self.rated += sign * other.rated;
        self.satisfied += sign * other.satisfied;
        self.extended += sign * other.extended;
        self.returned += sign * other.returned;
    }

    fn is_zero(&self) -> bool {
        *self == Counts::default()
    }
}

/// A case as the counters see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counted<'a> {
    /// The office holding it.
    pub office: &'a str,
    /// Its top-level category (`Taxonomy::root_of`).
    pub category: &'a str,
    /// When it was received.
    pub received_at: i64,
    /// How it reached the office (`intake::Source`'s name).
    pub source: &'a str,
    /// Its status.
    pub status: ReportStatus,
    /// Its due time.
    pub due_at: Option<i64>,
    /// When it was last closed.
    pub resolved_at: Option<i64>,
    /// The reporter's latest rating.
    pub rating: Option<Rating>,
    /// The department it is with.
    pub department: Option<&'a str>,
    /// Its primary handler's staff id.
    pub handler: Option<i64>,
    /// When it was (last) accepted.
    pub accepted_at: Option<i64>,
    /// Whether it was given more time at least once.
    pub extended: bool,
    /// Whether a department sent it back at least once.
    pub returned: bool,
}

/// The rows a case adds one to: for `offices` (its office and every office above it), its totals,
/// category, month and channel; a closed (resolved) case also its office line, department and
/// primary handler for the supervisors' figures, whose open work is read live (it is small).
pub fn contribution(case: &Counted<'_>, offices: &[&str], utc_offset_minutes: i32) -> Vec<(CounterKey, Counts)> {
    let state = state_of(case.status);
    let closed = case.status == ReportStatus::Resolved;
    let closed_at = case.resolved_at.unwrap_or(case.received_at);
    let bucket = if closed { ((closed_at - case.received_at).max(0) / BUCKET_MS).min(MAX_BUCKET) } else { 0 };
    let rating = case.rating.filter(|_| closed);
    let counts = Counts {
        n: 1,
        on_time: i64::from(closed && case.due_at.is_some_and(|due| closed_at <= due)),
        rated: i64::from(rating.is_some()),
        satisfied: i64::from(rating.is_some_and(Rating::is_satisfied)),
        ..Counts::default()
    };
    let month = local_month(case.received_at, utc_offset_minutes);
    let mut rows = Vec::with_capacity(offices.len() * 7);
    for office in offices {
        for (dim, value) in
            [(Dim::Total, ""), (Dim::Category, case.category), (Dim::Month, month.as_str()), (Dim::Source, case.source)]
        {
            let key = CounterKey { office: (*office).to_owned(), dim, value: value.to_owned(), state, bucket };
            rows.push((key, counts));
        }
    }
    if closed {
        let (bucket, counts) = workload_part(case, rating);
        let handler = case.handler.map(|h| h.to_string()).unwrap_or_default();
        for office in offices {
            for (dim, value) in
                [(Dim::Office, ""), (Dim::Department, case.department.unwrap_or_default()), (Dim::Handler, &handler)]
            {
                let key = CounterKey { office: (*office).to_owned(), dim, value: value.to_owned(), state, bucket };
                rows.push((key, counts));
            }
        }
    }
    rows
}

/// A closed case's part of the supervisors' figures (as `figures::staff_figures` counts it): the
/// bucket of its time from acceptance to closing (-1 without both) and its counts.
fn workload_part(case: &Counted<'_>, rating: Option<Rating>) -> (i64, Counts) {
    let timed = case.resolved_at.zip(case.accepted_at);
    let bucket = timed.map_or(-1, |(resolved, accepted)| ((resolved - accepted).max(0) / BUCKET_MS).min(MAX_BUCKET));
    let on_time = timed.is_some_and(|(resolved, _)| case.due_at.is_some_and(|due| resolved <= due));
    let counts = Counts {
        n: 1,
        on_time: i64::from(on_time),
        rated: i64::from(rating.is_some()),
        satisfied: i64::from(rating.is_some_and(Rating::is_satisfied)),
        extended: i64::from(case.extended),
        returned: i64::from(case.returned),
    };
    (bucket, counts)
}

/// What a change of a case does to the counters: `after`'s rows added, `before`'s taken away, rows
/// that do not change left out. `None` is no case (a new one before, a case leaving a shard after).
pub fn delta(
    before: Option<(&Counted<'_>, &[&str])>,
    after: Option<(&Counted<'_>, &[&str])>,
    utc_offset_minutes: i32,
) -> Vec<(CounterKey, Counts)> {
    let mut sum: BTreeMap<CounterKey, Counts> = BTreeMap::new();
    for (side, sign) in [(before, -1), (after, 1)] {
        let Some((case, offices)) = side else { continue };
        for (key, counts) in contribution(case, offices, utc_offset_minutes) {
            sum.entry(key).or_default().add(counts, sign);
        }
    }
    sum.into_iter().filter(|(_, c)| !c.is_zero()).collect()
}

/// Counts and a closing-time histogram, before rates and medians are derived.
#[derive(Default)]
struct Tally {
    figures: Figures,
    closings: BTreeMap<i64, i64>,
}

impl Tally {
    fn add(&mut self, state: &str, bucket: i64, c: Counts) {
        let f = &mut self.figures;
        let n = c.n.max(0) as u64;
        f.received += n;
        match state {
            "pending" => f.pending += n,
            "in_progress" => {
                f.in_progress += n;
                f.accepted += n;
            }
            "closed" => {
                f.closed += n;
                f.accepted += n;
                f.closed_on_time += c.on_time.max(0) as u64;
                f.rated += c.rated.max(0) as u64;
                f.satisfied += c.satisfied.max(0) as u64;
                *self.closings.entry(bucket).or_default() += c.n.max(0);
            }
            "rejected" => f.rejected += n,
            "merged" => f.merged += n,
            _ => {}
        }
    }

    fn finish(mut self) -> Figures {
        let closed = self.figures.closed;
        self.figures.on_time_rate = (closed > 0).then(|| rate(self.figures.closed_on_time, closed));
        self.figures.median_days_to_close = median_days(&self.closings);
        self.figures.satisfaction_rate =
            (self.figures.rated > 0).then(|| rate(self.figures.satisfied, self.figures.rated));
        self.figures
    }
}

/// The median closing time of a histogram, each bucket at its middle, in days to one decimal.
pub(super) fn median_days(closings: &BTreeMap<i64, i64>) -> Option<f64> {
    let total: i64 = closings.values().sum();
    if total <= 0 {
        return None;
    }
    let at = |k: i64| -> f64 {
        let mut seen = 0;
        for (&bucket, &n) in closings {
            seen += n;
            if seen > k {
                return (bucket as f64 + 0.5) * BUCKET_MS as f64;
            }
        }
        0.0
    };
    let median = (at((total - 1) / 2) + at(total / 2)) / 2.0;
    Some((median / DAY_MS as f64 * 10.0).round() / 10.0)
}

/// One office's public figures from its counter rows: (dimension, value, state, bucket, counts).
pub fn stats<'a>(rows: impl IntoIterator<Item = (Dim, &'a str, &'a str, i64, Counts)>) -> PublicStats {
    let mut total = Tally::default();
    let mut by_category: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut by_month: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut by_source: BTreeMap<&str, Tally> = BTreeMap::new();
    for (dim, value, state, bucket, counts) in rows {
        let tally = match dim {
            Dim::Total => &mut total,
            Dim::Category => by_category.entry(value).or_default(),
            Dim::Month => by_month.entry(value).or_default(),
            Dim::Source => by_source.entry(value).or_default(),
            Dim::Office | Dim::Department | Dim::Handler => continue,
        };
        tally.add(state, bucket, counts);
    }
    // A category, month or channel whose cases all left (counters at zero) is not listed, as the
    // audit log would not list it.
    let listed = |(_, t): &(&str, Tally)| t.figures.received > 0;
    super::assemble(
        total.finish(),
        by_category.into_iter().filter(listed).map(|(c, t)| (c.to_owned(), t.finish())).collect(),
        by_month.into_iter().filter(listed).map(|(m, t)| (m.to_owned(), t.finish())).collect(),
        by_source.into_iter().map(|(source, t)| (source, t.finish())).collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::{CaseLogRow, public_stats};

    const OFFSET: i32 = 8 * 60;
    const T0: i64 = 1_780_000_000_000;

    fn case(i: i64) -> (Counted<'static>, CaseLogRow) {
        let statuses = [
            ReportStatus::Submitted,
            ReportStatus::Accepted,
            ReportStatus::Resolved,
            ReportStatus::Rejected,
            ReportStatus::Transferred,
            ReportStatus::Resolved,
            ReportStatus::Merged,
            ReportStatus::Reopened,
            ReportStatus::Resolved,
        ];
        let status = statuses[(i % 9) as usize];
        let received_at = T0 + i * 7 * 3_600_000;
        let resolved_at = (status == ReportStatus::Resolved).then(|| received_at + (i % 13) * 5_000_000 + 1);
        let due_at = (i % 4 != 0).then(|| received_at + 3 * 5_000_000 * 13 / 4);
        let rating = [None, Some(Rating::Satisfied), Some(Rating::Dissatisfied)][(i % 3) as usize];
        let category = ["fraud", "rumor", "gambling"][(i % 3) as usize];
        let source = ["web", "phone"][(i % 2) as usize];
        let kind = match status {
            ReportStatus::Submitted => "submitted",
            ReportStatus::Accepted => "accepted",
            ReportStatus::Resolved => "resolved",
            ReportStatus::Rejected => "rejected",
            ReportStatus::Transferred => "transferred",
            ReportStatus::Merged => "merged",
            ReportStatus::Reopened => "reopened",
        };
        let row = CaseLogRow {
            category: category.to_owned(),
            received_at,
            due_at,
            last_kind: kind.to_owned(),
            last_at: resolved_at.unwrap_or(received_at + 1),
            rating: rating.map(|r| r.as_str().to_owned()),
            source: source.to_owned(),
            office: None,
        };
        let counted = Counted {
            office: "root",
            category,
            received_at,
            source,
            status,
            due_at,
            resolved_at,
            rating,
            department: ["police", "market"].get((i % 3) as usize).copied(),
            handler: (i % 5 != 0).then_some(i % 4),
            accepted_at: (status != ReportStatus::Submitted && i % 7 != 0).then_some(received_at + 3_600_000),
            extended: i % 6 == 0,
            returned: i % 10 == 0,
        };
        (counted, row)
    }

    fn from_counters(cases: &[Counted<'_>]) -> PublicStats {
        let mut sum: BTreeMap<CounterKey, Counts> = BTreeMap::new();
        for c in cases {
            for (key, counts) in delta(None, Some((c, &["root", "x"])), OFFSET) {
                sum.entry(key).or_default().add(counts, 1);
            }
        }
        stats(
            sum.iter()
                .filter(|(k, _)| k.office == "root")
                .map(|(k, c)| (k.dim, k.value.as_str(), k.state, k.bucket, *c)),
        )
    }

    #[test]
    fn counters_give_the_audit_logs_figures_and_the_median_within_its_bound() {
        let (cases, rows): (Vec<_>, Vec<_>) = (0..500).map(case).unzip();
        let exact = public_stats(&rows, OFFSET).expect("known kinds");
        let counted = from_counters(&cases);
        let without_medians = |s: &PublicStats| {
            let mut s = s.clone();
            let mut medians = vec![s.median_days_to_close.take()];
            for c in &mut s.by_category {
                medians.push(c.figures.median_days_to_close.take());
            }
            for m in &mut s.by_month {
                medians.push(m.figures.median_days_to_close.take());
            }
            for x in &mut s.by_source {
                medians.push(x.figures.median_days_to_close.take());
            }
            (s, medians)
        };
        let (exact_rest, exact_medians) = without_medians(&exact);
        let (counted_rest, counted_medians) = without_medians(&counted);
        assert_eq!(counted_rest, exact_rest);
        for (a, b) in exact_medians.iter().zip(&counted_medians) {
            match (a, b) {
                (Some(a), Some(b)) => assert!((a - b).abs() <= 0.1 + 1e-9, "{a} vs {b}"),
                (a, b) => assert_eq!(a, b),
            }
        }
    }

    #[test]
    fn a_change_moves_one_case_between_rows_and_a_case_that_leaves_takes_its_rows_along() {
        let (before, _) = case(1); // accepted
        let mut after = before.clone();
        after.status = ReportStatus::Resolved;
        after.resolved_at = Some(before.received_at + DAY_MS);
        let offices = ["county", "city", "root"];
        let d = delta(Some((&before, &offices)), Some((&after, &offices)), OFFSET);
        assert_eq!(d.len(), 24 + 9, "4 figures × 3 offices, out of one row and into another; 3 lines of closed work");
        assert_eq!(d.iter().filter(|(k, _)| !k.dim.is_workload()).map(|(_, c)| c.n).sum::<i64>(), 0);
        assert!(d.iter().filter(|(k, _)| k.dim.is_workload()).all(|(_, c)| c.n == 1));
        assert!(delta(Some((&after, &offices)), Some((&after, &offices)), OFFSET).is_empty());
        let gone = delta(Some((&after, &offices)), None, OFFSET);
        assert!(gone.iter().all(|(_, c)| c.n == -1));
        // A referral: the same case, from one county to another under the same city.
        let mut referred = before.clone();
        referred.office = "county2";
        let d = delta(Some((&before, &offices)), Some((&referred, &["county2", "city", "root"])), OFFSET);
        assert!(d.iter().all(|(k, _)| k.office.starts_with("county")), "the city's and root's rows do not change");
    }

    #[test]
    fn the_median_of_a_histogram_takes_each_bucket_at_its_middle() {
        let mut h = BTreeMap::new();
        h.insert(10, 1); // 1.05 days
        h.insert(30, 1); // 3.05 days
        assert_eq!(median_days(&h), Some(2.1));
        h.insert(30, 2);
        assert_eq!(median_days(&h), Some(3.1));
        assert_eq!(median_days(&BTreeMap::new()), None);
    }
}
