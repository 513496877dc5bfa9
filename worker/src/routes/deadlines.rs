//! How deadlines are counted, set by admins: `GET|PUT /api/admin/deadlines` (working days or
//! calendar days, with every uploaded year and the campaigns), `PUT /api/admin/calendar/{year}` (a
//! year's official holidays and make-up working days), `POST /api/admin/campaigns` and
//! `DELETE /api/admin/campaigns/{id}` (a campaign that shortens chosen categories' limits).
//!
//! New deadlines follow the settings at once in this isolate and within a minute everywhere
//! (`store::policy`); deadlines already set are kept.

use qinglang_domain::ErrorCode;
use qinglang_domain::workflow::{Campaign, DeadlineSettings, Permission, WorkingDaysSwitch, YearCalendar, years_of};
use worker::{Env, Request, Response};

use crate::auth::Csrf;
use crate::error::ApiError;
use crate::routes::admin::{allowed, allowed_everywhere};
use crate::{http, store};

/// A year's list or a campaign fits in far less.
const MAX_BODY_BYTES: usize = 16 * 1024;

async fn current(db: &worker::D1Database) -> Result<DeadlineSettings, ApiError> {
    store::policy::forget();
    let settings = store::policy::settings(db).await?;
    Ok(DeadlineSettings {
        working_days: settings.calendar.working_days,
        years: years_of(&store::policy::all_days(db).await?),
        campaigns: settings.campaigns,
    })
}

/// The settings as they are.
pub async fn get(req: &Request, env: &Env) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    allowed(req, &db, Csrf::NotNeeded, Permission::Administer).await?;
    Ok(http::json(200, &current(&db).await?))
}

/// Working days or calendar days.
pub async fn put(mut req: Request, env: &Env) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    let me = allowed_everywhere(&req, &db, Csrf::Required).await?;
    let input: WorkingDaysSwitch = http::read_json(&mut req, MAX_BODY_BYTES).await?;
    store::policy::set_working_days(&db, input.working_days, me.staff.id, http::now_ms()).await?;
    Ok(http::json(200, &current(&db).await?))
}

/// Replaces one year's holidays and make-up working days.
pub async fn put_year(mut req: Request, env: &Env, year: &str) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    let me = allowed_everywhere(&req, &db, Csrf::Required).await?;
    let year: i32 = year.parse().map_err(|_| ApiError::client(ErrorCode::NotFound))?;
    let input: YearCalendar = http::read_json(&mut req, MAX_BODY_BYTES).await?;
    let (holidays, workdays) = input.validate(year)?;
    let after = serde_json::to_string(&input)?;
    store::policy::replace_year(&db, year, &holidays, &workdays, &after, me.staff.id, http::now_ms()).await?;
    Ok(http::json(200, &current(&db).await?))
}

/// Starts a campaign.
pub async fn add_campaign(mut req: Request, env: &Env) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    let me = allowed_everywhere(&req, &db, Csrf::Required).await?;
    let input: Campaign = http::read_json(&mut req, MAX_BODY_BYTES).await?;
    let taxonomy = store::taxonomy::shared(&db).await?;
    input.validate(&|code| taxonomy.selectable(code).is_some())?;
    store::policy::add_campaign(&db, &input, me.staff.id, http::now_ms()).await?;
    Ok(http::json(201, &current(&db).await?))
}

/// Withdraws a campaign early (kept for the record).
pub async fn withdraw_campaign(req: &Request, env: &Env, id: &str) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    let me = allowed_everywhere(req, &db, Csrf::Required).await?;
    let id: i64 = id.parse().map_err(|_| ApiError::client(ErrorCode::NotFound))?;
    if !store::policy::withdraw_campaign(&db, id, me.staff.id, http::now_ms()).await? {
        return Err(ApiError::client(ErrorCode::NotFound));
    }
    Ok(http::json(200, &current(&db).await?))
}
