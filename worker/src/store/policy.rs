//! The workflow's policy as the deployment sets it: the taxonomy's limits, whether they count
//! working days, the uploaded holidays and make-up days, and the campaigns running or to come
//! (`migrations/0012_working_days_campaigns.sql`).
//!
//! Every deadline is set from [`load`]. Like the taxonomy, an isolate keeps what it read for
//! [`CACHE_TTL_MS`]; an admin's change is applied at once in the isolate that made it ([`forget`])
//! and within that time everywhere else.

use std::collections::BTreeSet;

use qinglang_domain::taxonomy::edit::ChangeAction;
use qinglang_domain::workflow::{Campaign, Policy, StaffId, WorkCalendar, day_of};
use serde::Deserialize;
use worker::D1Database;

use super::{int, opt_int, settings_log, text};
use crate::error::ApiError;

/// How long an isolate trusts the settings it read (milliseconds).
const CACHE_TTL_MS: i64 = 60_000;

/// The key of the working-days switch in `workflow_settings`.
const WORKING_DAYS: &str = "working_days";

thread_local! {
    static CACHED: super::IsolateCache<Settings> = const { super::IsolateCache::new() };
}

/// What D1 holds beyond the taxonomy.
#[derive(Clone)]
pub struct Settings {
    /// The calendar.
    pub calendar: WorkCalendar,
    /// Campaigns not ended before today, by start.
    pub campaigns: Vec<Campaign>,
}

#[derive(Deserialize)]
struct DayRow {
    day: i64,
    kind: String,
}

#[derive(Deserialize)]
struct SettingRow {
    value: String,
}

#[derive(Deserialize)]
struct CampaignRow {
    id: i64,
    name: String,
    categories: String,
    deadline_days: u32,
    starts_on: String,
    ends_on: String,
}

/// The policy every deadline is set with: the taxonomy's limits and the settings.
pub async fn load(db: &D1Database) -> Result<Policy, ApiError> {
    let taxonomy = super::taxonomy::shared(db).await?;
    let settings = settings(db).await?;
    let mut policy = Policy::from_taxonomy(&taxonomy);
    policy.calendar = settings.calendar;
    policy.campaigns = settings.campaigns;
    Ok(policy)
}

/// This isolate's settings if younger than [`CACHE_TTL_MS`], else read in one round trip.
pub async fn settings(db: &D1Database) -> Result<Settings, ApiError> {
    let now = crate::http::now_ms();
    if let Some(settings) = CACHED.with(|c| c.fresh(now, CACHE_TTL_MS)) {
        return Ok(settings);
    }
    let settings = read(db, now).await?;
    CACHED.with(|c| c.keep(now, settings.clone()));
    Ok(settings)
}

/// Drops this isolate's copy after an admin changed the settings.
pub fn forget() {
    CACHED.with(super::IsolateCache::forget);
}

async fn read(db: &D1Database, now: i64) -> Result<Settings, ApiError> {
    let today = day_of(now);
    // Deadlines are set now, at most a year and a bit ahead: last year to two years on is enough.
    let results = db
        .batch(vec![
            db.prepare("SELECT day, kind FROM calendar_days WHERE day BETWEEN ?1 AND ?2")
                .bind(&[int(today - 400), int(today + 800)])?,
            db.prepare("SELECT value FROM workflow_settings WHERE key = ?1").bind(&[text(WORKING_DAYS)])?,
            db.prepare(
                "SELECT id, name, categories, deadline_days, starts_on, ends_on FROM campaigns \
                 WHERE withdrawn_at IS NULL ORDER BY starts_on, id",
            ),
        ])
        .await?;
    let [days, switch, campaigns] = results.as_slice() else {
        return Err(ApiError::Internal("settings batch returned the wrong number of results".to_owned()));
    };
    let mut calendar = WorkCalendar::default();
    for row in days.results::<DayRow>()? {
        match row.kind.as_str() {
            "holiday" => calendar.holidays.insert(row.day),
            _ => calendar.workdays.insert(row.day),
        };
    }
    calendar.working_days = switch.results::<SettingRow>()?.first().is_some_and(|r| r.value == "true");
    let campaigns = campaigns
        .results::<CampaignRow>()?
        .into_iter()
        .map(|r| Campaign {
            id: r.id,
            name: r.name,
            categories: serde_json::from_str(&r.categories).unwrap_or_default(),
            deadline_days: r.deadline_days,
            starts_on: r.starts_on,
            ends_on: r.ends_on,
        })
        .collect();
    Ok(Settings { calendar, campaigns })
}

/// Every year's uploaded days, for the admin page: (year, holidays, workdays) as day numbers.
pub async fn all_days(db: &D1Database) -> Result<Vec<(i64, String)>, ApiError> {
    let rows = db.prepare("SELECT day, kind FROM calendar_days ORDER BY day").all().await?.results::<DayRow>()?;
    Ok(rows.into_iter().map(|r| (r.day, r.kind)).collect())
}

/// Replaces `year`'s list with `holidays` and `workdays` in one batch, logged with `after` (the
/// uploaded list as JSON).
pub async fn replace_year(
    db: &D1Database,
    year: i32,
    holidays: &BTreeSet<i64>,
    workdays: &BTreeSet<i64>,
    after: &str,
    by: StaffId,
    now: i64,
) -> Result<(), ApiError> {
    let mut statements = vec![db.prepare("DELETE FROM calendar_days WHERE year = ?1").bind(&[int(i64::from(year))])?];
    for (days, kind) in [(holidays, "holiday"), (workdays, "workday")] {
        for &day in days {
            statements.push(db.prepare("INSERT INTO calendar_days (day, year, kind) VALUES (?1, ?2, ?3)").bind(&[
                int(day),
                int(i64::from(year)),
                text(kind),
            ])?);
        }
    }
    statements.push(settings_log::entry(
        db,
        "calendar",
        &year.to_string(),
        ChangeAction::Update,
        None,
        after,
        by,
        now,
    )?);
    db.batch(statements).await?;
    forget();
    Ok(())
}

/// Sets whether limits count working days, logged.
pub async fn set_working_days(db: &D1Database, on: bool, by: StaffId, now: i64) -> Result<(), ApiError> {
    let set = db
        .prepare(
            "INSERT INTO workflow_settings (key, value, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, \
             updated_by = excluded.updated_by",
        )
        .bind(&[
            text(WORKING_DAYS),
            text(if on { "true" } else { "false" }),
            int(now),
            text(&format!("staff:{}", by.0)),
        ])?;
    let after = format!("{{\"working_days\":{on}}}");
    let log = settings_log::entry(db, "deadlines", WORKING_DAYS, ChangeAction::Update, None, &after, by, now)?;
    db.batch(vec![set, log]).await?;
    forget();
    Ok(())
}

/// Stores a new campaign and logs it (the log row names the campaign's new id), in one batch.
pub async fn add_campaign(db: &D1Database, campaign: &Campaign, by: StaffId, now: i64) -> Result<(), ApiError> {
    let insert = db
        .prepare(
            "INSERT INTO campaigns (name, categories, deadline_days, starts_on, ends_on, created_at, created_by) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )
        .bind(&[
            text(campaign.name.trim()),
            text(&serde_json::to_string(&campaign.categories)?),
            int(i64::from(campaign.deadline_days)),
            text(campaign.starts_on.trim()),
            text(campaign.ends_on.trim()),
            int(now),
            text(&format!("staff:{}", by.0)),
        ])?;
    // The batch is one transaction: the largest id is the row just inserted.
    let log = db
        .prepare(
            "INSERT INTO settings_changes (at, staff_id, subject, code, action, before, after) \
             SELECT ?1, ?2, 'campaign', CAST(MAX(id) AS TEXT), 'create', NULL, ?3 FROM campaigns",
        )
        .bind(&[int(now), int(by.0), text(&serde_json::to_string(campaign)?)])?;
    db.batch(vec![insert, log]).await?;
    forget();
    Ok(())
}

/// Withdraws a campaign (kept for the record) and logs it; `false` when there is no such running
/// campaign.
pub async fn withdraw_campaign(db: &D1Database, id: i64, by: StaffId, now: i64) -> Result<bool, ApiError> {
    let update = db
        .prepare("UPDATE campaigns SET withdrawn_at = ?2 WHERE id = ?1 AND withdrawn_at IS NULL")
        .bind(&[int(id), opt_int(Some(now))])?;
    // Logged only when the update changed the row (same transaction, so `changes()` is the update's).
    let log = db
        .prepare(
            "INSERT INTO settings_changes (at, staff_id, subject, code, action, before, after) \
             SELECT ?1, ?2, 'campaign', ?3, 'retire', NULL, '{\"withdrawn\":true}' WHERE changes() = 1",
        )
        .bind(&[int(now), int(by.0), text(&id.to_string())])?;
    let results = db.batch(vec![update, log]).await?;
    forget();
    let changed = results.first().and_then(|r| r.meta().ok().flatten()).and_then(|m| m.changes).unwrap_or(0);
    Ok(changed == 1)
}
