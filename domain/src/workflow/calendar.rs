//! Working days and campaigns: what turns "5 working days" into a due time, and what shortens the
//! limits of chosen categories for a while.
//!
//! China's official holidays and make-up working days (调休) differ every year, so nothing here knows
//! them: an admin uploads each year's list ([`YearCalendar`]), and a day is a working day when it is a
//! listed make-up day, or a Monday to Friday that is not a listed holiday. A year nobody uploaded
//! counts Monday to Friday. Days are Beijing calendar days (the offices' own), numbered from
//! 1970-01-01.
//!
//! A campaign (专项行动) names categories, a handling limit in days and a period; a case accepted (or
//! reopened) within the period gets the shorter of its category's limit and the campaign's.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::deadline::{DAY_MS, SHANGHAI_UTC_OFFSET_MINUTES, local_day_end};
use crate::error::ErrorCode;
use crate::report::FieldError;

/// The most days one year's list may name (China has about 30 holidays and 5–8 make-up days).
pub const MAX_DAYS_PER_YEAR: usize = 80;

/// `PUT /api/admin/calendar/{year}`: one year's official holidays and make-up working days.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearCalendar {
    /// Days off, `YYYY-MM-DD` (weekdays that are holidays; listing a weekend day is allowed).
    #[serde(default)]
    pub holidays: Vec<String>,
    /// Weekend days that are working days (调休上班), `YYYY-MM-DD`.
    #[serde(default)]
    pub workdays: Vec<String>,
}

/// `GET /api/admin/deadlines`: how handling limits are counted, every uploaded year, and the
/// campaigns not withdrawn.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DeadlineSettings {
    /// Whether handling limits count working days.
    pub working_days: bool,
    /// Each uploaded year's list, by year.
    pub years: Vec<YearDays>,
    /// Campaigns not withdrawn, by start.
    pub campaigns: Vec<Campaign>,
}

/// One uploaded year.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct YearDays {
    /// The year.
    pub year: i64,
    /// Its list.
    pub days: YearCalendar,
}

/// `PUT /api/admin/deadlines`: count limits in working days or calendar days.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkingDaysSwitch {
    /// `true`: working days.
    pub working_days: bool,
}

/// `YYYY-MM-DD` of a day number.
pub fn date_of_day(day: i64) -> String {
    let (y, m, d) = crate::figures::local_date(day * DAY_MS, 0);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The admin's view of the uploaded days (`(day, kind)` rows, `kind` `holiday` or `workday`).
pub fn years_of(days: &[(i64, String)]) -> Vec<YearDays> {
    let mut years: BTreeMap<i64, YearCalendar> = BTreeMap::new();
    for (day, kind) in days {
        let entry = years.entry(year_of(*day)).or_default();
        let list = if kind == "holiday" { &mut entry.holidays } else { &mut entry.workdays };
        list.push(date_of_day(*day));
    }
    years.into_iter().map(|(year, days)| YearDays { year, days }).collect()
}

/// Beijing's day number of an instant.
pub fn day_of(at: i64) -> i64 {
    at.saturating_add(i64::from(SHANGHAI_UTC_OFFSET_MINUTES) * 60_000).div_euclid(DAY_MS)
}

/// The day number of `YYYY-MM-DD`.
fn day_number(date: &str) -> Option<i64> {
    local_day_end(date, 0).map(|end| (end + 1) / DAY_MS - 1)
}

/// Day 0 (1970-01-01) was a Thursday: Monday is 0 … Sunday 6.
fn weekday(day: i64) -> i64 {
    (day + 3).rem_euclid(7)
}

impl YearCalendar {
    /// Checks the list for `year`: real dates of that year, at most [`MAX_DAYS_PER_YEAR`], no day both
    /// a holiday and a working day. Answers the day numbers (holidays, workdays).
    pub fn validate(&self, year: i32) -> Result<(BTreeSet<i64>, BTreeSet<i64>), FieldError> {
        if !(2000..=2100).contains(&year) {
            return Err(FieldError::new("year", ErrorCode::DateOutOfRange));
        }
        if self.holidays.len() + self.workdays.len() > MAX_DAYS_PER_YEAR {
            return Err(FieldError::new("holidays", ErrorCode::TooManyItems));
        }
        let read = |dates: &[String], field: &str| -> Result<BTreeSet<i64>, FieldError> {
            dates
                .iter()
                .enumerate()
                .map(|(i, date)| {
                    let date = date.trim();
                    match day_number(date) {
                        Some(day) if date.starts_with(&format!("{year:04}-")) => Ok(day),
                        _ => Err(FieldError::new(format!("{field}.{i}"), ErrorCode::DateOutOfRange)),
                    }
                })
                .collect()
        };
        let holidays = read(&self.holidays, "holidays")?;
        let workdays = read(&self.workdays, "workdays")?;
        if let Some(i) = self.workdays.iter().position(|d| day_number(d.trim()).is_some_and(|n| holidays.contains(&n)))
        {
            return Err(FieldError::new(format!("workdays.{i}"), ErrorCode::DuplicateRule));
        }
        Ok((holidays, workdays))
    }
}

/// A campaign (专项行动) that shortens handling limits.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Campaign {
    /// Row id (0 before it is stored).
    #[serde(default)]
    pub id: i64,
    /// Its name, e.g. 清朗·打击网络谣言专项行动.
    pub name: String,
    /// The category codes it covers.
    pub categories: Vec<String>,
    /// The handling limit while it runs, in days (working days when the office counts those).
    pub deadline_days: u32,
    /// First day, `YYYY-MM-DD` (Beijing).
    pub starts_on: String,
    /// Last day, `YYYY-MM-DD` (Beijing), inclusive.
    pub ends_on: String,
}

impl Campaign {
    /// Checks a campaign: a name, 1–50 categories of `known`, 1–90 days, a period of real dates in
    /// order.
    pub fn validate(&self, known: &dyn Fn(&str) -> bool) -> Result<(), FieldError> {
        let name = crate::text::written(&self.name);
        if name.is_empty() {
            return Err(FieldError::new("name", ErrorCode::FieldRequired));
        }
        if name.chars().count() > 100 {
            return Err(FieldError::new("name", ErrorCode::FieldTooLong));
        }
        if self.categories.is_empty() {
            return Err(FieldError::new("categories", ErrorCode::FieldRequired));
        }
        if self.categories.len() > 50 {
            return Err(FieldError::new("categories", ErrorCode::TooManyItems));
        }
        if let Some(i) = self.categories.iter().position(|c| !known(c)) {
            return Err(FieldError::new(format!("categories.{i}"), ErrorCode::UnknownCategory));
        }
        if !(1..=90).contains(&self.deadline_days) {
            return Err(FieldError::new("deadline_days", ErrorCode::DateOutOfRange));
        }
        let (Some(start), Some(end)) = (day_number(self.starts_on.trim()), day_number(self.ends_on.trim())) else {
            return Err(FieldError::new("starts_on", ErrorCode::DateOutOfRange));
        };
        if end < start {
            return Err(FieldError::new("ends_on", ErrorCode::DateOutOfRange));
        }
        Ok(())
    }

    /// Whether it covers a case of `category` whose clock starts at `at`.
    pub fn covers(&self, category: &str, at: i64) -> bool {
        let day = day_of(at);
        let (Some(start), Some(end)) = (day_number(&self.starts_on), day_number(&self.ends_on)) else { return false };
        (start..=end).contains(&day) && self.categories.iter().any(|c| c == category)
    }
}

/// The offices' calendar: uploaded holidays and make-up working days, and whether handling limits
/// count working days at all.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WorkCalendar {
    /// Whether handling limits count working days (else calendar days).
    pub working_days: bool,
    /// Official holidays (day numbers).
    pub holidays: BTreeSet<i64>,
    /// Make-up working days on weekends (day numbers).
    pub workdays: BTreeSet<i64>,
}

impl WorkCalendar {
    /// Whether `day` is a working day.
    pub fn is_working_day(&self, day: i64) -> bool {
        if self.workdays.contains(&day) {
            return true;
        }
        weekday(day) < 5 && !self.holidays.contains(&day)
    }

    /// The due time `days` handling days after `start`: with working days, the end of the `days`th
    /// working day after the day of `start` (a case accepted on a Friday with 1 working day is due at
    /// the end of Monday); with calendar days, `start + days × 24 h`.
    pub fn add_days(&self, start: i64, days: u32) -> i64 {
        if !self.working_days {
            return start.saturating_add(i64::from(days).saturating_mul(DAY_MS));
        }
        let mut day = day_of(start);
        let mut left = days;
        // A year has at most ~250 working days; the bound only guards against a corrupt calendar.
        let mut guard = 0;
        while left > 0 && guard < 10 * 366 {
            day += 1;
            guard += 1;
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        (day + 1) * DAY_MS - i64::from(SHANGHAI_UTC_OFFSET_MINUTES) * 60_000 - 1
    }
}

/// The year a day number falls in.
fn year_of(day: i64) -> i64 {
    crate::figures::local_date(day * DAY_MS, 0).0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// China's 2027 list is not out; these are made-up days shaped like a Spring Festival.
    fn calendar() -> WorkCalendar {
        let year = YearCalendar {
            holidays: ["2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11", "2027-02-12"]
                .map(str::to_owned)
                .to_vec(),
            workdays: vec!["2027-02-13".to_owned()],
        };
        let (holidays, workdays) = year.validate(2027).expect("valid");
        WorkCalendar { working_days: true, holidays, workdays }
    }

    fn at(date: &str, hour: i64) -> i64 {
        local_day_end(date, SHANGHAI_UTC_OFFSET_MINUTES).expect("date") + 1 - DAY_MS + hour * 3_600_000
    }

    #[test]
    fn weekdays_and_listed_days() {
        let c = calendar();
        let day = |d: &str| day_number(d).expect("date");
        assert_eq!(weekday(day("2026-12-07")), 0, "2026-12-07 is a Monday");
        assert!(c.is_working_day(day("2027-02-04")), "a Thursday");
        assert!(!c.is_working_day(day("2027-02-05")), "a listed holiday");
        assert!(!c.is_working_day(day("2027-02-06")), "a Saturday");
        assert!(c.is_working_day(day("2027-02-13")), "a make-up Saturday");
    }

    #[test]
    fn working_days_skip_weekends_and_holidays() {
        let c = calendar();
        // Accepted Thursday 4 Feb, 10:00: one working day is the end of... the next working day,
        // which is Saturday 13 Feb (make-up day) after a week of holidays.
        assert_eq!(c.add_days(at("2027-02-04", 10), 1), at("2027-02-14", 0) - 1);
        // Two working days: Monday 15 Feb.
        assert_eq!(c.add_days(at("2027-02-04", 10), 2), at("2027-02-16", 0) - 1);
        // An ordinary Friday + 1 working day is the end of Monday.
        assert_eq!(c.add_days(at("2027-03-05", 16), 1), at("2027-03-09", 0) - 1);
        let calendar_days = WorkCalendar { working_days: false, ..c };
        assert_eq!(calendar_days.add_days(at("2027-03-05", 16), 1), at("2027-03-06", 16));
    }

    #[test]
    fn a_year_list_is_checked() {
        let list = |h: &[&str], w: &[&str]| YearCalendar {
            holidays: h.iter().map(|d| (*d).to_owned()).collect(),
            workdays: w.iter().map(|d| (*d).to_owned()).collect(),
        };
        let field = |y: YearCalendar, year| y.validate(year).map(|_| ()).map_err(|e| e.field);
        assert_eq!(field(list(&["2027-02-30"], &[]), 2027), Err("holidays.0".to_owned()));
        assert_eq!(field(list(&["2026-10-01"], &[]), 2027), Err("holidays.0".to_owned()), "another year's day");
        assert_eq!(field(list(&["2027-10-01"], &["2027-10-01"]), 2027), Err("workdays.0".to_owned()));
        assert_eq!(field(list(&[], &[]), 1999), Err("year".to_owned()));
        let many: Vec<String> = (1..=81).map(|i| format!("2027-01-{:02}", (i % 28) + 1)).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        assert_eq!(field(list(&many, &[]), 2027), Err("holidays".to_owned()));
        assert_eq!(field(list(&["2027-10-01", " 2027-10-02 "], &["2027-09-26"]), 2027), Ok(()));
    }

    #[test]
    fn campaigns_cover_their_categories_within_their_period() {
        let campaign = Campaign {
            id: 0,
            name: "清朗·打击网络谣言专项行动".to_owned(),
            categories: vec!["rumor".to_owned()],
            deadline_days: 3,
            starts_on: "2027-03-01".to_owned(),
            ends_on: "2027-03-31".to_owned(),
        };
        assert!(campaign.validate(&|c| c == "rumor").is_ok());
        assert!(campaign.covers("rumor", at("2027-03-01", 0)));
        assert!(campaign.covers("rumor", at("2027-03-31", 23)));
        assert!(!campaign.covers("rumor", at("2027-04-01", 0)));
        assert!(!campaign.covers("fraud", at("2027-03-10", 9)));
        let backwards = Campaign { ends_on: "2027-02-01".to_owned(), ..campaign.clone() };
        assert_eq!(backwards.validate(&|_| true).map_err(|e| e.field), Err("ends_on".to_owned()));
        let unknown = Campaign { categories: vec!["mars".to_owned()], ..campaign };
        assert_eq!(unknown.validate(&|c| c == "rumor").map_err(|e| e.field), Err("categories.0".to_owned()));
    }
}
