//! `POST /api/uploads?key={idempotency key}&slot={n}`: one evidence picture for a draft, as raw
//! bytes. `GET /api/staff/cases/{id}/evidence/{index}`: one picture of a case, for staff who may
//! see the case, streamed from R2 (there is no public URL of any picture).
//!
//! The worker trusts nothing about an upload: the bytes must really be a JPEG, PNG or WebP
//! picture without metadata within the caps (`qinglang_domain::evidence::inspect`). A draft's
//! (key, slot) names one upload, so a retry of a lost answer gets the same id back.

use qinglang_domain::evidence::{self, MAX_IMAGE_BYTES, MAX_REPORT_IMAGE_BYTES, MAX_UPLOAD_SLOTS};
use qinglang_domain::receipt::hex;
use qinglang_domain::report::validate_idempotency_key;
use qinglang_domain::workflow::Actor;
use qinglang_domain::{ErrorCode, Report};
use sha2::{Digest, Sha256};
use worker::{Bucket, D1Database, Env, HttpMetadata, Request, Response};

use crate::auth::{self, Csrf};
use crate::error::ApiError;
use crate::limits::{self, Limit};
use crate::store::uploads::Inserted;
use crate::{http, random, store};

/// The R2 binding evidence is stored in.
fn bucket(env: &Env) -> Result<Bucket, ApiError> {
    Ok(env.bucket("EVIDENCE")?)
}

fn query_field(field: &str) -> ApiError {
    ApiError::Client { code: ErrorCode::BadJson, field: Some(field.to_owned()) }
}

/// Stores one picture of a draft.
pub async fn create(mut req: Request, env: &Env) -> Result<Response, ApiError> {
    limits::check(&req, env, Limit::Uploads).await?;
    let url = req.url()?;
    let param = |name: &str| url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned());
    let key = validate_idempotency_key(&param("key").unwrap_or_default())?;
    let slot: u32 = param("slot").and_then(|s| s.parse().ok()).ok_or_else(|| query_field("slot"))?;
    if slot >= MAX_UPLOAD_SLOTS {
        return Err(ApiError::client(ErrorCode::TooManyImages));
    }
    let content_type = req.headers().get("content-type")?.unwrap_or_default().to_ascii_lowercase();
    if !["image/jpeg", "image/png", "image/webp"].iter().any(|t| content_type.starts_with(t)) {
        return Err(ApiError::client(ErrorCode::UnsupportedMediaType));
    }
    let declared = req.headers().get("content-length")?.and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_IMAGE_BYTES) {
        return Err(ApiError::client(ErrorCode::ImageTooLarge));
    }
    let bytes = req.bytes().await.map_err(|_| ApiError::client(ErrorCode::ImageInvalid))?;
    let info = evidence::inspect(&bytes).map_err(|r| ApiError::client(r.into()))?;
    let sha256 = hex(&Sha256::digest(&bytes));
    let db = store::db(env)?;
    if let Some(existing) = store::uploads::in_slot(&db, &key, slot).await? {
        return same_or_conflict(existing, &sha256);
    }
    if store::shards::Shards::open(env)?.key_registered(&key).await? {
        return Err(ApiError::client(ErrorCode::IdempotencyConflict));
    }
    // 128 random bits name the upload; the R2 key is another 128, never shown to anyone.
    let id = hex(&random::bytes::<16>()?);
    let r2_key = format!("evidence/{}", hex(&random::bytes::<16>()?));
    let metadata = HttpMetadata { content_type: Some(info.format.media_type().to_owned()), ..HttpMetadata::default() };
    bucket(env)?.put(r2_key.as_str(), bytes.clone()).http_metadata(metadata).execute().await?;
    match store::uploads::insert(&db, &id, &key, slot, &r2_key, &info, bytes.len(), &sha256, http::now_ms()).await? {
        Inserted::Created => {
            let row = store::uploads::in_slot(&db, &key, slot)
                .await?
                .ok_or_else(|| ApiError::Internal("upload vanished".to_owned()))?;
            Ok(http::json(201, &row.created()))
        }
        Inserted::SlotTaken => {
            // A concurrent retry stored the slot first: drop our copy and answer as a retry would.
            bucket(env)?.delete(r2_key).await?;
            let existing = store::uploads::in_slot(&db, &key, slot)
                .await?
                .ok_or_else(|| ApiError::Internal("upload slot vanished".to_owned()))?;
            same_or_conflict(existing, &sha256)
        }
    }
}

fn same_or_conflict(existing: store::uploads::UploadRow, sha256: &str) -> Result<Response, ApiError> {
    if existing.sha256 == sha256 {
        Ok(http::json(200, &existing.created()))
    } else {
        Err(ApiError::client(ErrorCode::IdempotencyConflict))
    }
}

/// Refuses a report whose pictures are missing, belong to another draft, or exceed the total cap.
pub async fn check_evidence(db: &D1Database, report: &Report) -> Result<(), ApiError> {
    let rows = store::uploads::by_ids(db, &report.evidence).await?;
    let mut total = 0usize;
    for (i, id) in report.evidence.iter().enumerate() {
        let row = rows.iter().find(|r| &r.id == id && r.idempotency_key == report.idempotency_key);
        let Some(row) = row else {
            return Err(ApiError::Client { code: ErrorCode::EvidenceMissing, field: Some(format!("evidence.{i}")) });
        };
        total += row.bytes as usize;
    }
    if total > MAX_REPORT_IMAGE_BYTES {
        return Err(ApiError::Client { code: ErrorCode::TooManyImages, field: Some("evidence".to_owned()) });
    }
    Ok(())
}

/// Streams one picture of a case to staff who may see the case; each reading is logged.
pub async fn staff_get(req: &Request, env: &Env, id: &str, index: &str) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    let shards = store::shards::Shards::open(env)?;
    let now = http::now_ms();
    let me = auth::signed_in(req, &db, now, Csrf::NotNeeded).await?;
    let (shard, record, _) =
        crate::routes::cases::visible_case(&shards, crate::routes::cases::parse_id(id)?, &me.staff).await?;
    let index: u32 = index.parse().map_err(|_| ApiError::client(ErrorCode::NotFound))?;
    let actor = Actor::Staff(me.staff).audit_name();
    let (r2_key, media_type) = store::uploads::open_for_staff(&shard.db, record.case.id.0, index, &actor, now)
        .await?
        .ok_or(ApiError::client(ErrorCode::NotFound))?;
    let object = bucket(env)?
        .get(r2_key)
        .execute()
        .await?
        .ok_or_else(|| ApiError::Internal("evidence object missing from R2".to_owned()))?;
    let body = object.body().ok_or_else(|| ApiError::Internal("evidence object has no body".to_owned()))?;
    let mut response = Response::builder().with_status(200).body(body.response_body()?);
    let headers = response.headers_mut();
    headers.set("content-type", &media_type)?;
    // Private: never cached by a shared cache, and never rendered as anything but an image.
    headers.set("cache-control", "private, no-store")?;
    headers.set("content-security-policy", "default-src 'none'; img-src 'self'; sandbox")?;
    headers.set("content-disposition", &format!("inline; filename=\"evidence-{index}\""))?;
    Ok(response)
}

/// Cron: deletes pictures uploaded more than a day ago for a draft that never became a report
/// (rows first, then their bytes in R2). Returns how many were deleted.
pub async fn sweep_unattached(env: &Env, now: i64) -> Result<usize, ApiError> {
    let db = env.d1("DB")?;
    let keys = crate::store::uploads::sweep_unattached(&db, now - crate::store::uploads::UNATTACHED_TTL_MS).await?;
    let bucket = bucket(env)?;
    for key in &keys {
        bucket.delete(key).await?;
    }
    Ok(keys.len())
}
