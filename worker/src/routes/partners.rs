//! Partner sites that receive refutation pushes: `POST /api/staff/partners` (register; the secret is
//! shown once), `GET /api/staff/partners`, `DELETE /api/staff/partners/{id}` (stop pushing) and
//! `GET /api/staff/partners/{id}/deliveries`. Editors and admins only.

use qinglang_domain::ErrorCode;
use qinglang_domain::receipt::hex;
use qinglang_domain::refutation::api::{DeliveryList, NewPartner, PartnerCreated, PartnerList};
use qinglang_domain::refutation::{self, partner};
use qinglang_domain::workflow::Staff;
use worker::{D1Database, Env, Request, Response};

use crate::auth::{self, Csrf};
use crate::error::ApiError;
use crate::{http, push, random, store};

async fn editor(req: &Request, db: &D1Database, csrf: Csrf) -> Result<Staff, ApiError> {
    let me = auth::signed_in(req, db, http::now_ms(), csrf).await?;
    refutation::may_edit(&me.staff)?;
    Ok(me.staff)
}

fn parse_id(id: &str) -> Result<i64, ApiError> {
    id.parse::<i64>().ok().filter(|&n| n > 0).ok_or(ApiError::client(ErrorCode::NotFound))
}

/// Registers a partner and shows its signing secret this once.
pub async fn create(mut req: Request, env: &Env) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    let staff = editor(&req, &db, Csrf::Required).await?;
    let input: NewPartner = http::read_json(&mut req, 4 * 1024).await?;
    let (name, url) = partner::validate_partner(&input.name, &input.url)?;
    let nonce = hex(&random::bytes::<16>()?);
    let created = store::partners::create(&db, &name, &url, &nonce, staff.id, http::now_ms()).await?;
    let secret = partner::partner_secret(&push::server_key(env)?, &nonce);
    Ok(http::json(201, &PartnerCreated { partner: created, secret }))
}

/// Every partner, newest first.
pub async fn list(req: &Request, env: &Env) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    editor(req, &db, Csrf::NotNeeded).await?;
    Ok(http::json(200, &PartnerList { partners: store::partners::list(&db).await? }))
}

/// Stops pushes to a partner; its pending deliveries are given up.
pub async fn remove(req: &Request, env: &Env, id: &str) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    let staff = editor(req, &db, Csrf::Required).await?;
    let id = parse_id(id)?;
    if !store::partners::exists(&db, id).await? {
        return Err(ApiError::client(ErrorCode::NotFound));
    }
    store::partners::deactivate(&db, id, staff.id, http::now_ms()).await?;
    Ok(Response::empty()?.with_status(204))
}

/// A partner's deliveries with their status and attempts, newest first.
pub async fn deliveries(req: &Request, env: &Env, id: &str) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    editor(req, &db, Csrf::NotNeeded).await?;
    let id = parse_id(id)?;
    if !store::partners::exists(&db, id).await? {
        return Err(ApiError::client(ErrorCode::NotFound));
    }
    Ok(http::json(200, &DeliveryList { deliveries: store::partners::deliveries(&db, id).await? }))
}
