//! Handling deadlines: the policy that sets them, and the derived questions the queue and the daily
//! digest ask (overdue? how long left? due today? escalate to whom?).
//!
//! Every open case has a running deadline from the first minute: a submitted report must be accepted
//! or refused within its category's acceptance hours ([`Policy::acceptance_due_at`]; 2 hours for
//! urgent categories — those whose handling limit is 3 days or less — 24 hours for the rest), an
//! accepted one closed within its handling days, counted from acceptance (or the latest reopening).
//! Deadlines count calendar days, or working days with the uploaded holidays (`calendar.rs`).
//! Every function takes `now` in milliseconds since the Unix epoch; nothing here reads a clock.

use std::collections::BTreeMap;

use crate::taxonomy::Taxonomy;

use super::access::StaffId;
use super::calendar::{Campaign, WorkCalendar};
use super::case::Case;

/// Milliseconds in a calendar day.
pub const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// Asia/Shanghai's offset from UTC in minutes (no daylight saving since 1991), for the 08:00 digest.
pub const SHANGHAI_UTC_OFFSET_MINUTES: i32 = 8 * 60;

/// A deployment's workflow settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// Handling days per category code, usually taken from the taxonomy.
    pub deadline_days: BTreeMap<String, u32>,
    /// Handling days for a category missing from `deadline_days` (one deleted after the case was filed).
    pub default_deadline_days: u32,
    /// When set, replaces every category's handling days (e.g. a campaign with a shorter limit).
    pub deadline_override_days: Option<u32>,
    /// How many calendar days after closing the reporter may say "not resolved".
    pub reopen_window_days: u32,
    /// How many times a reporter may reopen one case, so a dissatisfied reporter cannot keep it open forever.
    pub max_reopens: u32,
    /// The longest reply, reason or note, in characters.
    pub max_text_chars: usize,
    /// Hours to accept or refuse a new report, per category code.
    pub acceptance_hours: BTreeMap<String, u32>,
    /// Acceptance hours for a category missing from `acceptance_hours`.
    pub default_acceptance_hours: u32,
    /// The most one extension may add to a case's due time, in calendar days.
    pub max_extension_days: u32,
    /// The most departments one consultation may invite.
    pub max_consulted: usize,
    /// The furthest ahead a consultation or assistance request may be due, in calendar days.
    pub max_request_days: u32,
    /// Working days or calendar days, and the uploaded holidays ([`WorkCalendar`]).
    pub calendar: WorkCalendar,
    /// Campaigns that shorten the limits of chosen categories for a period.
    pub campaigns: Vec<Campaign>,
    /// Each subcategory's parent, so a campaign on a category covers its subcategories.
    pub parents: BTreeMap<String, String>,
}

/// A category whose handling limit is this many days or fewer is urgent: its reports must be
/// accepted within [`URGENT_ACCEPTANCE_HOURS`].
pub const URGENT_DEADLINE_DAYS: u32 = 3;
/// Hours to accept an urgent category's report (violence, harm to minors … in the default set).
pub const URGENT_ACCEPTANCE_HOURS: u32 = 2;
/// Hours to accept any other report: one day.
pub const ACCEPTANCE_HOURS: u32 = 24;
/// Milliseconds in an hour.
pub const HOUR_MS: i64 = 60 * 60 * 1000;

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            deadline_days: BTreeMap::new(),
            default_deadline_days: 15,
            deadline_override_days: None,
            reopen_window_days: 15,
            max_reopens: 2,
            max_text_chars: 2000,
            acceptance_hours: BTreeMap::new(),
            default_acceptance_hours: ACCEPTANCE_HOURS,
            max_extension_days: 30,
            max_consulted: 10,
            max_request_days: 60,
            calendar: WorkCalendar::default(),
            campaigns: Vec::new(),
            parents: BTreeMap::new(),
        }
    }
}

impl Policy {
    /// The default policy with each category's handling days from `taxonomy`.
    pub fn from_taxonomy(taxonomy: &Taxonomy) -> Policy {
        let deadline_days = taxonomy.categories.iter().map(|c| (c.code.clone(), c.deadline_days)).collect();
        let acceptance_hours = taxonomy
            .categories
            .iter()
            .map(|c| {
                let urgent = c.deadline_days <= URGENT_DEADLINE_DAYS;
                (c.code.clone(), if urgent { URGENT_ACCEPTANCE_HOURS } else { ACCEPTANCE_HOURS })
            })
            .collect();
        let parents = taxonomy.categories.iter().filter_map(|c| Some((c.code.clone(), c.parent.clone()?))).collect();
        Policy { deadline_days, acceptance_hours, parents, ..Policy::default() }
    }

    /// When a report of `category` received at `received_at` must have been accepted or refused: its
    /// acceptance hours; where the office counts working days, a day's acceptance is one working day
    /// (urgent hours stay hours: violence does not wait for Monday).
    pub fn acceptance_due_at(&self, category: &str, received_at: i64) -> i64 {
        let hours = self.acceptance_hours.get(category).copied().unwrap_or(self.default_acceptance_hours);
        if self.calendar.working_days && hours >= ACCEPTANCE_HOURS && hours % 24 == 0 {
            return self.calendar.add_days(received_at, hours / 24);
        }
        received_at.saturating_add(i64::from(hours).saturating_mul(HOUR_MS))
    }

    /// The handling days for a category code.
    pub fn deadline_days_for(&self, category: &str) -> u32 {
        self.deadline_override_days
            .or_else(|| self.deadline_days.get(category).copied())
            .unwrap_or(self.default_deadline_days)
    }

    /// The due time of a case of `category` whose clock starts at `start` (acceptance or reopening):
    /// its handling days — shortened by a campaign covering it or one of its parent categories at
    /// `start` — in working days or calendar days as the office counts them.
    pub fn due_at(&self, category: &str, start: i64) -> i64 {
        let mut days = self.deadline_days_for(category);
        let mut lineage = vec![category];
        while let Some(parent) = self.parents.get(*lineage.last().unwrap_or(&category)) {
            if lineage.len() > crate::taxonomy::MAX_DEPTH || lineage.contains(&parent.as_str()) {
                break;
            }
            lineage.push(parent);
        }
        for campaign in self.campaigns.iter().filter(|c| lineage.iter().any(|code| c.covers(code, start))) {
            days = days.min(campaign.deadline_days);
        }
        self.calendar.add_days(start, days)
    }

    /// The last moment a case closed at `resolved_at` may be reopened.
    pub fn reopen_deadline(&self, resolved_at: i64) -> i64 {
        resolved_at.saturating_add(i64::from(self.reopen_window_days).saturating_mul(DAY_MS))
    }
}

/// Whether the case has a running deadline: every open case has, a submitted one to be accepted.
fn deadline_running(case: &Case) -> bool {
    case.status.is_open()
}

/// Milliseconds left until the case is due; negative once overdue. `None` when no deadline is running
/// (closed).
pub fn time_left(case: &Case, now: i64) -> Option<i64> {
    if !deadline_running(case) {
        return None;
    }
    case.due_at.map(|due| due.saturating_sub(now))
}

/// Whether the case is past its due time and still being handled.
pub fn is_overdue(case: &Case, now: i64) -> bool {
    time_left(case, now).is_some_and(|left| left < 0)
}

/// The local calendar day number (days since 1970-01-01 local time) of an instant.
fn local_day(at: i64, utc_offset_minutes: i32) -> i64 {
    at.saturating_add(i64::from(utc_offset_minutes) * 60_000).div_euclid(DAY_MS)
}

/// Whether a running case falls due on the same local calendar day as `now`, in a zone
/// `utc_offset_minutes` east of UTC (use [`SHANGHAI_UTC_OFFSET_MINUTES`] for the morning digest).
/// A case already overdue earlier today counts as due today; one overdue since yesterday does not
/// (the digest lists those as overdue).
pub fn due_today(case: &Case, now: i64, utc_offset_minutes: i32) -> bool {
    if !deadline_running(case) {
        return false;
    }
    case.due_at.is_some_and(|due| local_day(due, utc_offset_minutes) == local_day(now, utc_offset_minutes))
}

/// The local calendar day of `now` as `[start, end)` in UTC milliseconds, in a zone
/// `utc_offset_minutes` east of UTC: exactly the due times [`due_today`] accepts, so the queue's
/// "due today" filter can be an index range over the due time.
pub fn today_window(now: i64, utc_offset_minutes: i32) -> (i64, i64) {
    let offset = i64::from(utc_offset_minutes) * 60_000;
    let start = local_day(now, utc_offset_minutes) * DAY_MS - offset;
    (start, start + DAY_MS)
}

/// The last millisecond of the local calendar day `date` (`YYYY-MM-DD`, as a date input gives it) in
/// a zone `utc_offset_minutes` east of UTC: what "due on that day" means for an extension or a
/// request. `None` for anything that is not a real date.
pub fn local_day_end(date: &str, utc_offset_minutes: i32) -> Option<i64> {
    let mut parts = date.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (y, m, d): (i64, i64, i64) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let month_days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if !(1..=12).contains(&m) || d < 1 || d > month_days[(m - 1) as usize] {
        return None;
    }
    // Days since 1970-01-01 of a proleptic Gregorian date (years counted from March).
    let (y, m) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let day_of_year = (153 * m + 2) / 5 + d - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    let days = era * 146_097 + day_of_era - 719_468;
    Some((days + 1) * DAY_MS - i64::from(utc_offset_minutes) * 60_000 - 1)
}

/// The backup handler an overdue case should be escalated to, if it should be: the case is overdue,
/// its primary handler has not acted on it since it fell due, and a different backup handler is set.
///
/// A case without a primary handler escalates to the backup too, since nobody is answering for it.
pub fn needs_escalation(case: &Case, now: i64) -> Option<StaffId> {
    if !is_overdue(case, now) {
        return None;
    }
    let due = case.due_at?;
    let primary_idle = case.primary_acted_at.is_none_or(|acted| acted < due);
    let backup = case.backup_handler.filter(|b| Some(*b) != case.primary_handler)?;
    primary_idle.then_some(backup)
}

#[cfg(test)]
mod tests {
    use super::super::case::ReportStatus;
    use super::*;
    use crate::workflow::{Campaign, CaseId};

    /// 2026-11-25 00:00 Asia/Shanghai, in UTC milliseconds.
    const NOV25_SHANGHAI: i64 = 1_795_536_000_000;

    #[test]
    fn working_days_and_campaigns_set_the_due_time() {
        let mut policy = Policy::from_taxonomy(&Taxonomy::default_set());
        policy.calendar.working_days = true;
        // Friday 2026-11-27 10:00 Beijing.
        let friday = NOV25_SHANGHAI + 2 * DAY_MS + 10 * HOUR_MS;
        let end_of = |day_offset: i64| NOV25_SHANGHAI + (day_offset + 1) * DAY_MS - 1;
        // rumor: 7 working days from Friday is the end of Tuesday 8 December (13 calendar days on).
        assert_eq!(policy.due_at("rumor", friday), end_of(13));
        // A day's acceptance is one working day: the end of Monday; urgent hours stay hours.
        assert_eq!(policy.acceptance_due_at("fraud", friday), end_of(5));
        assert_eq!(policy.acceptance_due_at("terror", friday), friday + 2 * HOUR_MS);
        policy.campaigns.push(Campaign {
            id: 1,
            name: "清朗·打击网络谣言专项行动".to_owned(),
            categories: vec!["rumor".to_owned()],
            deadline_days: 3,
            starts_on: "2026-11-01".to_owned(),
            ends_on: "2026-11-30".to_owned(),
        });
        assert_eq!(policy.due_at("rumor", friday), end_of(7), "3 working days during the campaign: Wednesday");
        assert_eq!(
            policy.due_at("rumor", friday + 4 * DAY_MS),
            end_of(15),
            "after it: 7 again, from Tuesday 1 Dec: Thursday 10 Dec"
        );
        assert_eq!(policy.due_at("fraud", friday), end_of(13), "another category: its own 7 working days");
        // A campaign on 谣言 covers its subcategories, which keep their own limit when shorter.
        assert_eq!(policy.due_at("rumor_food", friday), end_of(7), "食品药品谣言: 7 days, 3 in the campaign");
        assert_eq!(policy.due_at("rumor_health", friday), end_of(7), "涉疫涉医谣言: its own 3 working days either way");
        assert_eq!(policy.due_at("fraud_investment", friday), end_of(13), "诈骗's subcategory: not in the campaign");
    }

    #[test]
    fn a_date_ends_at_its_last_local_millisecond() {
        // 2026-11-25 in Shanghai ends just before 2026-11-26 00:00 Shanghai.
        assert_eq!(local_day_end("2026-11-25", SHANGHAI_UTC_OFFSET_MINUTES), Some(NOV25_SHANGHAI + DAY_MS - 1));
        assert_eq!(local_day_end("1970-01-01", 0), Some(DAY_MS - 1));
        assert_eq!(local_day_end("2024-02-29", 0), Some(19_783 * DAY_MS - 1));
        for bad in ["2025-02-29", "2026-13-01", "2026-00-10", "2026-1-5", "26-11-25", "2026-11-25-1", "", "abcd-ef-gh"]
        {
            assert_eq!(local_day_end(bad, 0), None, "{bad}");
        }
    }

    #[test]
    fn today_window_holds_exactly_the_cases_due_today() {
        let now = NOV25_SHANGHAI + 10 * 3_600_000;
        let (start, end) = today_window(now, SHANGHAI_UTC_OFFSET_MINUTES);
        assert_eq!((start, end), (NOV25_SHANGHAI, NOV25_SHANGHAI + DAY_MS));
        for due in [start - 1, start, start + 1, now, end - 1, end, end + 1] {
            let inside = (start..end).contains(&due);
            assert_eq!(due_today(&running(due), now, SHANGHAI_UTC_OFFSET_MINUTES), inside, "{due}");
        }
    }

    fn running(due_at: i64) -> Case {
        let mut case = Case::new(CaseId(1), "rumor", None, 0);
        case.status = ReportStatus::Accepted;
        case.accepted_at = Some(0);
        case.due_at = Some(due_at);
        case
    }

    #[test]
    fn deadline_days_come_from_override_then_category_then_default() {
        let mut policy = Policy::from_taxonomy(&Taxonomy::default_set());
        assert_eq!(policy.deadline_days_for("terror"), 3);
        assert_eq!(policy.deadline_days_for("vulgar"), 15);
        assert_eq!(policy.deadline_days_for("deleted_category"), 15);
        assert_eq!(policy.due_at("terror", 1_000), 1_000 + 3 * DAY_MS);
        policy.deadline_override_days = Some(5);
        assert_eq!(policy.deadline_days_for("terror"), 5);
        assert_eq!(policy.reopen_deadline(0), 15 * DAY_MS);
    }

    #[test]
    fn overdue_and_time_left() {
        // (status, due, now, time left, overdue)
        let table = [
            (ReportStatus::Accepted, 100, 40, Some(60), false),
            (ReportStatus::Accepted, 100, 100, Some(0), false),
            (ReportStatus::Transferred, 100, 101, Some(-1), true),
            (ReportStatus::Reopened, 100, 500, Some(-400), true),
            (ReportStatus::Resolved, 100, 500, None, false),
            (ReportStatus::Merged, 100, 500, None, false),
            // Issue 18: a report nobody accepts has a deadline too.
            (ReportStatus::Submitted, 100, 500, Some(-400), true),
        ];
        for (status, due, now, left, overdue) in table {
            let mut case = running(due);
            case.status = status;
            assert_eq!(time_left(&case, now), left, "{status:?} due {due} now {now}");
            assert_eq!(is_overdue(&case, now), overdue, "{status:?} due {due} now {now}");
        }
    }

    #[test]
    fn due_today_uses_the_local_calendar_day() {
        let at_8am = NOV25_SHANGHAI + 8 * 3_600_000;
        let off = SHANGHAI_UTC_OFFSET_MINUTES;
        // (due, due today at 08:00 Shanghai?)
        let table = [
            (NOV25_SHANGHAI, true),                  // 00:00 today, already overdue by 08:00
            (NOV25_SHANGHAI + DAY_MS - 1, true),     // 23:59:59.999 today
            (NOV25_SHANGHAI + DAY_MS, false),        // tomorrow 00:00
            (NOV25_SHANGHAI - 1, false),             // yesterday 23:59:59.999
            (NOV25_SHANGHAI + 16 * 3_600_000, true), // 00:00 UTC tomorrow, still today in Shanghai
        ];
        for (due, want) in table {
            assert_eq!(due_today(&running(due), at_8am, off), want, "due {due}");
        }
        // In UTC, 16:00 Shanghai on the 25th is already the 25th, but 00:00 Shanghai is the 24th.
        assert!(!due_today(&running(NOV25_SHANGHAI), at_8am, 0));
        let mut closed = running(NOV25_SHANGHAI + 1);
        closed.status = ReportStatus::Resolved;
        assert!(!due_today(&closed, at_8am, off));
    }

    #[test]
    fn escalation_goes_to_the_backup_when_the_primary_is_idle() {
        let (a, b) = (Some(StaffId(1)), Some(StaffId(2)));
        // (primary, backup, primary acted at, now, escalate to)
        let table = [
            (a, b, None, 101, b),
            (a, b, Some(50), 101, b),     // acted before the deadline only
            (a, b, Some(100), 101, None), // acted at the deadline
            (a, b, Some(101), 150, None), // acted after it
            (a, b, None, 100, None),      // not yet overdue
            (a, None, None, 101, None),   // nobody to escalate to
            (a, a, None, 101, None),      // backup is the primary
            (None, b, None, 101, b),      // nobody answers for it
        ];
        for (primary, backup, acted, now, want) in table {
            let mut case = running(100);
            case.primary_handler = primary;
            case.backup_handler = backup;
            case.primary_acted_at = acted;
            assert_eq!(needs_escalation(&case, now), want, "{primary:?} {backup:?} {acted:?} {now}");
        }
    }
}
