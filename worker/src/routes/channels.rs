//! QR channels (posters). Admin: `GET|POST /api/admin/channels`, `GET|PATCH /api/admin/channels/{code}`
//! (with the funnel: scans, reports started, reports submitted), `GET /api/admin/channels/{code}/poster.svg`
//! and `/poster.png`. Public: `GET /q/{code}` (count the scan, 302 to the report flow),
//! `GET /api/channels/{code}` (district and place to pre-fill), `POST /api/channels/{code}/started`.

use qinglang_domain::ErrorCode;
use qinglang_domain::channel::{self, ChannelList, ChannelPatch, ChannelStarted, NewChannel, ValidChannel};
use qinglang_domain::office::OfficeTree;
use qinglang_domain::report::{validate_channel_code, validate_idempotency_key};
use qinglang_domain::workflow::Role;
use worker::{Env, Headers, Request, Response};

use crate::auth::{self, Csrf, SignedIn};
use crate::error::ApiError;
use crate::poster::{self, PosterText};
use crate::{http, store};

/// A channel body is a few short fields.
const MAX_BODY_BYTES: usize = 4 * 1024;

/// Pixels per QR module in the PNG: a 33-module code with its quiet zone is ~1000 px, 8.5 cm at 300 dpi.
const PNG_SCALE: usize = 24;

/// Channels are settings: only admins manage them.
async fn admin(req: &Request, env: &Env, csrf: Csrf) -> Result<SignedIn, ApiError> {
    let me = auth::signed_in(req, &store::db(env)?, http::now_ms(), csrf).await?;
    if me.staff.role != Role::Admin {
        return Err(ApiError::client(ErrorCode::Forbidden));
    }
    Ok(me)
}

fn code_of(code: &str) -> Result<String, ApiError> {
    validate_channel_code(code).map_err(|_| ApiError::client(ErrorCode::NotFound))
}

/// The office a channel is set to: `asked`, else `fallback`; it must be the admin's own office or
/// one below it (an unknown one is `400 unknown_office`, another's `403 forbidden`).
fn channel_office(asked: Option<&str>, fallback: &str, me: &SignedIn, tree: &OfficeTree) -> Result<String, ApiError> {
    let field = |code| ApiError::Client { code, field: Some("office".to_owned()) };
    let code = asked.map(str::trim).filter(|c| !c.is_empty()).unwrap_or(fallback);
    if tree.get(code).is_none() {
        return Err(field(ErrorCode::UnknownOffice));
    }
    if !tree.within(code, &me.staff.office) {
        return Err(field(ErrorCode::Forbidden));
    }
    Ok(code.to_owned())
}

/// Every channel of the admin's office and those below it, with its funnel.
pub async fn list(req: &Request, env: &Env) -> Result<Response, ApiError> {
    let me = admin(req, env, Csrf::NotNeeded).await?;
    let db = store::db(env)?;
    let tree = store::offices::tree(&db).await?;
    let mut items = store::channels::list(&store::shards::Shards::open(env)?).await?;
    items.retain(|c| tree.within(&c.office, &me.staff.office));
    Ok(http::json(200, &ChannelList { items }))
}

/// One channel with its funnel (another office's is unknown).
pub async fn get(req: &Request, env: &Env, code: &str) -> Result<Response, ApiError> {
    let me = admin(req, env, Csrf::NotNeeded).await?;
    let db = store::db(env)?;
    let tree = store::offices::tree(&db).await?;
    let found = store::channels::get(&store::shards::Shards::open(env)?, &code_of(code)?)
        .await?
        .filter(|c| tree.within(&c.office, &me.staff.office));
    Ok(http::json(200, &found.ok_or(ApiError::client(ErrorCode::NotFound))?))
}

/// Registers a channel.
pub async fn create(mut req: Request, env: &Env) -> Result<Response, ApiError> {
    let me = admin(&req, env, Csrf::Required).await?;
    let input: NewChannel = http::read_json(&mut req, MAX_BODY_BYTES).await?;
    let db = store::db(env)?;
    let valid = ValidChannel::validate(&input, &store::taxonomy::load(&db).await?)?;
    let tree = store::offices::tree(&db).await?;
    let office = channel_office(input.office.as_deref(), &me.staff.office, &me, &tree)?;
    if !store::channels::insert(&db, &valid, &office, me.staff.id.0, http::now_ms()).await? {
        return Err(ApiError::Client { code: ErrorCode::ChannelExists, field: Some("code".to_owned()) });
    }
    let created = store::channels::get(&store::shards::Shards::open(env)?, &valid.code)
        .await?
        .ok_or(ApiError::client(ErrorCode::NotFound))?;
    Ok(http::json(201, &created))
}

/// Changes a channel's place, district, kind or whether it is in use.
pub async fn patch(mut req: Request, env: &Env, code: &str) -> Result<Response, ApiError> {
    let me = admin(&req, env, Csrf::Required).await?;
    let input: ChannelPatch = http::read_json(&mut req, MAX_BODY_BYTES).await?;
    let db = store::db(env)?;
    let tree = store::offices::tree(&db).await?;
    let stored = store::channels::get(&store::shards::Shards::open(env)?, &code_of(code)?)
        .await?
        .filter(|c| tree.within(&c.office, &me.staff.office))
        .ok_or(ApiError::client(ErrorCode::NotFound))?;
    let office = channel_office(input.office.as_deref(), &stored.office, &me, &tree)?;
    let current = ValidChannel { code: stored.code, place: stored.place, district: stored.district, kind: stored.kind };
    let patched = current.patched(&input, &store::taxonomy::load(&db).await?)?;
    store::channels::update(&db, &patched, &office, input.active.unwrap_or(stored.active), http::now_ms()).await?;
    let updated = store::channels::get(&store::shards::Shards::open(env)?, &patched.code)
        .await?
        .ok_or(ApiError::client(ErrorCode::NotFound))?;
    Ok(http::json(200, &updated))
}

/// The origin printed on posters: `PUBLIC_ORIGIN` when set (the office's own domain, since
/// `*.workers.dev` is blocked in mainland China), else the origin the request came to.
fn public_origin(req: &Request, env: &Env) -> Result<String, ApiError> {
    if let Ok(origin) = env.var("PUBLIC_ORIGIN") {
        let origin = origin.to_string();
        if !origin.trim().is_empty() {
            return Ok(origin.trim_end_matches('/').to_owned());
        }
    }
    Ok(req.url()?.origin().ascii_serialization())
}

/// The poster as A4 SVG (`format` = `svg`) or the QR code as PNG (`png`).
pub async fn poster(req: &Request, env: &Env, code: &str, format: &str) -> Result<Response, ApiError> {
    admin(req, env, Csrf::NotNeeded).await?;
    let found = store::channels::get(&store::shards::Shards::open(env)?, &code_of(code)?).await?;
    let found = found.ok_or(ApiError::client(ErrorCode::NotFound))?;
    let url = format!("{}{}", public_origin(req, env)?, found.short_path);
    let office = env.var("OFFICE_NAME").map(|v| v.to_string()).unwrap_or_default();
    let headers = Headers::new();
    headers.set("cache-control", "private, no-store")?;
    let body = match format {
        "svg" => {
            headers.set("content-type", "image/svg+xml; charset=utf-8")?;
            let text = PosterText { office: &office, place: &found.place, code: &found.code, url: &url };
            poster::svg(&text)?.into_bytes()
        }
        _ => {
            headers.set("content-type", "image/png")?;
            poster::png(&url, PNG_SCALE)?
        }
    };
    headers.set("content-disposition", &format!("inline; filename=\"poster-{}.{format}\"", found.code))?;
    Ok(Response::builder().with_status(200).with_headers(headers).fixed(body))
}

/// `GET /q/{code}`: counts the scan of an active channel and sends the phone to the report flow,
/// with the channel when the code is known and active, without it otherwise.
pub async fn scan(req: &Request, env: &Env, code: &str) -> Result<Response, ApiError> {
    let code = validate_channel_code(code).ok();
    let active = match &code {
        Some(code) => store::channels::count_scan(&store::db(env)?, code).await?,
        None => false,
    };
    let mut target = req.url()?;
    let path = channel::scan_target(code.as_deref().unwrap_or_default(), active);
    let (path, query) = path.split_once('?').unwrap_or((&path, ""));
    target.set_path(path);
    target.set_query((!query.is_empty()).then_some(query));
    let headers = Headers::new();
    headers.set("location", target.as_str())?;
    headers.set("cache-control", "no-store")?;
    Ok(Response::builder().with_status(302).with_headers(headers).empty())
}

/// `GET /api/channels/{code}`: the district and place of an active channel, for the report flow.
pub async fn public(env: &Env, code: &str) -> Result<Response, ApiError> {
    let found = store::channels::public(&store::db(env)?, &code_of(code)?).await?;
    Ok(http::json(200, &found.ok_or(ApiError::client(ErrorCode::NotFound))?))
}

/// `POST /api/channels/{code}/started`: a draft was started from this channel (counted once per key).
pub async fn started(mut req: Request, env: &Env, code: &str) -> Result<Response, ApiError> {
    let input: ChannelStarted = http::read_json(&mut req, MAX_BODY_BYTES).await?;
    let key = validate_idempotency_key(&input.idempotency_key)?;
    let counted = store::channels::count_start(&store::db(env)?, &code_of(code)?, &key, http::now_ms()).await?;
    if !counted {
        return Err(ApiError::client(ErrorCode::NotFound));
    }
    Ok(Response::builder().with_status(204).empty())
}
