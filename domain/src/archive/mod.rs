//! Closed cases age out of the shards (issue 20): when a case is archived, what its small row keeps,
//! and when a case read again (thawed) may be archived anew.
//!
//! A case closed (rejected, resolved or merged) and untouched for the archive period has its full
//! record written to R2 and leaves a small row behind: every column of `reports` but the long texts
//! ([`BLANKED`]; the description keeps the queue's excerpt), and of its events only the latest
//! status event and the latest rating — what the public figures' audit-log check and the repair job
//! read. Lists, figures and the counters' rebuild therefore see an archived case as before; reading
//! it whole (the case page, the reporter's page) thaws it first: the record comes back from R2.

use crate::figures::STATUS_KINDS;
use crate::workflow::{DAY_MS, ReportStatus};

/// The archive period when the deployment sets none: a year after a case's last change.
pub const DEFAULT_AFTER_DAYS: u32 = 365;
/// The longest archive period a deployment may set (ten years).
pub const MAX_AFTER_DAYS: u32 = 3650;
/// How long a thawed case stays whole before the archive may take it again.
pub const THAW_HOLD_MS: i64 = DAY_MS;
/// Characters of the description the small row keeps: the queue's excerpt.
pub const KEPT_DESCRIPTION_CHARS: usize = 80;
/// The archive record's format, written into every record.
pub const FORMAT: u32 = 1;
/// A directory stamp older than this whose shard row is not archived is stale (the archive's write
/// to the shard failed after the directory was stamped) and may be cleared.
pub const STALE_STAMP_MS: i64 = 10 * 60 * 1000;

/// What the small row holds instead of a column's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blank {
    /// The first [`KEPT_DESCRIPTION_CHARS`] characters.
    Excerpt,
    /// An empty JSON list.
    EmptyList,
    /// NULL.
    Null,
}

/// The columns of `reports` an archived case's small row blanks (restored when it thaws).
pub const BLANKED: [(&str, Blank); 5] = [
    ("description", Blank::Excerpt),
    ("links", Blank::EmptyList),
    ("account", Blank::Null),
    ("location", Blank::Null),
    ("review_reply", Blank::Null),
];

/// The statuses a case must be in to be archived: [`ReportStatus::CLOSED`].
pub const ARCHIVED_STATUSES: [ReportStatus; 3] = ReportStatus::CLOSED;

/// The first [`KEPT_DESCRIPTION_CHARS`] characters of a description.
pub fn excerpt(description: &str) -> String {
    description.chars().take(KEPT_DESCRIPTION_CHARS).collect()
}

/// The archive period in days from the deployment's `ARCHIVE_AFTER_DAYS` setting: unset or empty
/// means [`DEFAULT_AFTER_DAYS`]; anything but a whole number up to [`MAX_AFTER_DAYS`] is refused
/// with the reason (the caller logs it and archives nothing).
pub fn after_days(setting: Option<&str>) -> Result<u32, String> {
    let Some(text) = setting.map(str::trim).filter(|t| !t.is_empty()) else { return Ok(DEFAULT_AFTER_DAYS) };
    match text.parse::<u32>() {
        Ok(days) if days <= MAX_AFTER_DAYS => Ok(days),
        _ => Err(format!("ARCHIVE_AFTER_DAYS must be a whole number of days from 0 to {MAX_AFTER_DAYS}, not {text:?}")),
    }
}

/// Cases last changed before this instant (ms) are due for the archive.
pub fn cutoff(now: i64, after_days: u32) -> i64 {
    now.saturating_sub(i64::from(after_days).saturating_mul(DAY_MS))
}

/// Cases thawed before this instant (ms) may be archived again.
pub fn thawed_before(now: i64) -> i64 {
    now.saturating_sub(THAW_HOLD_MS)
}

/// Whether a directory stamp `stamp` whose shard row is not archived may be cleared at `now`.
pub fn stamp_is_stale(stamp: i64, now: i64) -> bool {
    now.saturating_sub(stamp) > STALE_STAMP_MS
}

/// The event kinds of which the small row keeps the latest: the status kinds (the audit log's
/// figures read a case's latest one) and, separately, `rated`.
pub fn status_kinds() -> Vec<&'static str> {
    STATUS_KINDS.iter().map(|(kind, _)| *kind).collect()
}

/// The R2 key of case `id`'s archive record.
pub fn key(id: i64) -> String {
    format!("archive/{id}.json")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_period_defaults_to_a_year_and_refuses_nonsense() {
        assert_eq!(after_days(None), Ok(365));
        assert_eq!(after_days(Some(" ")), Ok(365));
        assert_eq!(after_days(Some("0")), Ok(0));
        assert_eq!(after_days(Some("180")), Ok(180));
        assert_eq!(after_days(Some("3650")), Ok(3650));
        for bad in ["-1", "3651", "1.5", "a year", "99999999999"] {
            let refused = after_days(Some(bad)).expect_err(bad);
            assert!(refused.contains("ARCHIVE_AFTER_DAYS"), "{refused}");
        }
    }

    #[test]
    fn cutoffs_count_whole_days_back_and_never_overflow() {
        let now = 1_800_000_000_000;
        assert_eq!(cutoff(now, 0), now);
        assert_eq!(cutoff(now, 365), now - 365 * DAY_MS);
        assert_eq!(cutoff(i64::MIN + 1, MAX_AFTER_DAYS), i64::MIN);
        assert_eq!(thawed_before(now), now - DAY_MS);
    }

    #[test]
    fn the_excerpt_counts_characters_not_bytes() {
        let long = "网".repeat(200);
        assert_eq!(excerpt(&long).chars().count(), KEPT_DESCRIPTION_CHARS);
        assert_eq!(excerpt("短"), "短");
    }

    #[test]
    fn a_stamp_is_stale_only_after_ten_minutes() {
        assert!(!stamp_is_stale(1_000, 1_000 + STALE_STAMP_MS));
        assert!(stamp_is_stale(1_000, 1_001 + STALE_STAMP_MS));
    }

    #[test]
    fn only_closed_cases_are_archived_and_keys_name_the_case() {
        assert!(ARCHIVED_STATUSES.iter().all(|s| !s.is_open()));
        assert_eq!(key(42), "archive/42.json");
        assert!(status_kinds().contains(&"resolved") && !status_kinds().contains(&"rated"));
    }
}
