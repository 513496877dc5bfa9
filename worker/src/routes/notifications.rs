//! The signed-in staff member's console notifications: `GET /api/staff/notifications` and
//! `POST /api/staff/notifications/read`.

use qinglang_domain::api::{MarkRead, Notifications};
use qinglang_domain::workflow::{self, Permission};
use worker::{Env, Request, Response};

use crate::auth::{self, Csrf};
use crate::error::ApiError;
use crate::{http, store};

/// A list of ids fits in far less.
const MAX_BODY_BYTES: usize = 16 * 1024;

/// The latest notifications, newest first, with the unread count.
pub async fn list(req: &Request, env: &Env) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    let me = auth::signed_in(req, &db, http::now_ms(), Csrf::NotNeeded).await?;
    workflow::require(&me.staff, Permission::ReadNotifications)?;
    let (items, unread) = store::digest::notifications(&db, me.staff.id).await?;
    Ok(http::json(200, &Notifications { items, unread }))
}

/// Marks some or all of one's own notifications read; answers like [`list`].
pub async fn mark_read(mut req: Request, env: &Env) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    let now = http::now_ms();
    let me = auth::signed_in(&req, &db, now, Csrf::Required).await?;
    workflow::require(&me.staff, Permission::ReadNotifications)?;
    let input: MarkRead = http::read_json(&mut req, MAX_BODY_BYTES).await?;
    store::digest::mark_read(&db, me.staff.id, input.ids.as_deref(), now).await?;
    let (items, unread) = store::digest::notifications(&db, me.staff.id).await?;
    Ok(http::json(200, &Notifications { items, unread }))
}
