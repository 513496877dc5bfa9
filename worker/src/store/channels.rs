//! Channels (posters) and their funnel counters.

use qinglang_domain::channel::{Channel, ChannelKind, ChannelPublic, Funnel, ValidChannel};
use serde::Deserialize;
use worker::D1Database;

use super::shards::Shards;
use super::{int, opt_text, text};
use crate::error::ApiError;

#[derive(Deserialize)]
struct ChannelRow {
    code: String,
    place: String,
    district: Option<String>,
    kind: String,
    active: i64,
    office: String,
    created_by: i64,
    created_at: i64,
    scans: i64,
    started: i64,
    submitted: i64,
}

impl ChannelRow {
    fn into_channel(self) -> Result<Channel, ApiError> {
        let kind =
            ChannelKind::from_name(&self.kind).ok_or_else(|| ApiError::Internal(format!("kind {:?}", self.kind)))?;
        Ok(Channel {
            short_path: format!("/q/{}", self.code),
            code: self.code,
            place: self.place,
            district: self.district,
            kind,
            active: self.active == 1,
            office: self.office,
            created_by: self.created_by,
            created_at: self.created_at,
            funnel: Funnel { scans: self.scans as u64, started: self.started as u64, submitted: self.submitted as u64 },
        })
    }
}

/// The funnel figures are counted at read time from their own tables (admins read this rarely;
/// the writes on the citizen's path stay one small statement each).
const SELECT: &str = "SELECT c.code, c.place, c.district, c.kind, c.active, c.office, c.created_by, c.created_at, c.scans, \
     (SELECT COUNT(*) FROM channel_starts s WHERE s.channel = c.code) AS started, \
     (SELECT COUNT(*) FROM reports r WHERE r.channel = c.code) AS submitted FROM channels c";

/// Every channel with its funnel, newest first.
pub async fn list(shards: &Shards) -> Result<Vec<Channel>, ApiError> {
    let db = shards.control()?;
    let rows =
        db.prepare(format!("{SELECT} ORDER BY c.created_at DESC, c.code")).all().await?.results::<ChannelRow>()?;
    let mut channels: Vec<Channel> = rows.into_iter().map(ChannelRow::into_channel).collect::<Result<_, _>>()?;
    add_other_shards(shards, &mut channels, None).await?;
    Ok(channels)
}

/// One channel with its funnel.
pub async fn get(shards: &Shards, code: &str) -> Result<Option<Channel>, ApiError> {
    let db = shards.control()?;
    let row: Option<ChannelRow> =
        db.prepare(format!("{SELECT} WHERE c.code = ?1")).bind(&[text(code)])?.first(None).await?;
    let mut channels: Vec<Channel> = row.map(ChannelRow::into_channel).transpose()?.into_iter().collect();
    add_other_shards(shards, &mut channels, Some(code)).await?;
    Ok(channels.pop())
}

/// Adds the reports filed through each channel that the shards other than the control database
/// hold (`SELECT` counted the control database's), by the `reports_channel` index.
async fn add_other_shards(shards: &Shards, channels: &mut [Channel], code: Option<&str>) -> Result<(), ApiError> {
    #[derive(Deserialize)]
    struct Row {
        channel: String,
        n: i64,
    }
    let counts = shards
        .each(|shard| async move {
            if shard.name == qinglang_domain::office::shards::CONTROL {
                return Ok(Vec::new());
            }
            let statement = match code {
                Some(code) => shard
                    .db
                    .prepare("SELECT channel, COUNT(*) AS n FROM reports WHERE channel = ?1 GROUP BY channel")
                    .bind(&[text(code)])?,
                None => shard
                    .db
                    .prepare("SELECT channel, COUNT(*) AS n FROM reports WHERE channel IS NOT NULL GROUP BY channel"),
            };
            Ok(statement.all().await?.results::<Row>()?)
        })
        .await?;
    for row in counts.into_iter().flatten() {
        if let Some(channel) = channels.iter_mut().find(|c| c.code == row.channel) {
            channel.funnel.submitted += row.n as u64;
        }
    }
    Ok(())
}

/// Adds a channel; `false` when the code is taken.
pub async fn insert(
    db: &D1Database,
    c: &ValidChannel,
    office: &str,
    created_by: i64,
    now: i64,
) -> Result<bool, ApiError> {
    let result = db
        .prepare(
            "INSERT INTO channels (code, place, district, kind, created_by, active, scans, created_at, updated_at, office) \
             VALUES (?1, ?2, ?3, ?4, ?5, 1, 0, ?6, ?6, ?7)",
        )
        .bind(&[
            text(&c.code),
            text(&c.place),
            opt_text(c.district.as_deref()),
            text(c.kind.as_str()),
            int(created_by),
            int(now),
            text(office),
        ])?
        .run()
        .await;
    match result {
        Ok(_) => Ok(true),
        Err(e) if e.to_string().contains("UNIQUE") || e.to_string().contains("PRIMARY KEY") => Ok(false),
        Err(e) => Err(ApiError::Internal(format!("insert channel: {e}"))),
    }
}

/// Writes a patched channel.
pub async fn update(db: &D1Database, c: &ValidChannel, office: &str, active: bool, now: i64) -> Result<(), ApiError> {
    db.prepare(
        "UPDATE channels SET place = ?2, district = ?3, kind = ?4, active = ?5, updated_at = ?6, office = ?7 \
         WHERE code = ?1",
    )
    .bind(&[
        text(&c.code),
        text(&c.place),
        opt_text(c.district.as_deref()),
        text(c.kind.as_str()),
        int(i64::from(active)),
        int(now),
        text(office),
    ])?
    .run()
    .await?;
    Ok(())
}

/// Counts a scan of an active channel; `true` when the code names one. Nothing about the
/// scanner (address, agent) is stored.
pub async fn count_scan(db: &D1Database, code: &str) -> Result<bool, ApiError> {
    let result = db
        .prepare("UPDATE channels SET scans = scans + 1 WHERE code = ?1 AND active = 1")
        .bind(&[text(code)])?
        .run()
        .await?;
    Ok(result.meta()?.and_then(|m| m.changes).unwrap_or(0) > 0)
}

/// Counts a started draft once per idempotency key; `false` when the code is not an active channel.
pub async fn count_start(db: &D1Database, code: &str, key: &str, now: i64) -> Result<bool, ApiError> {
    let result = db
        .prepare(
            "INSERT INTO channel_starts (idempotency_key, channel, created_at) \
             SELECT ?2, code, ?3 FROM channels WHERE code = ?1 AND active = 1 ON CONFLICT (idempotency_key) DO NOTHING",
        )
        .bind(&[text(code), text(key), int(now)])?
        .run()
        .await?;
    let _ = result;
    Ok(public(db, code).await?.is_some())
}

#[derive(Deserialize)]
struct PublicRow {
    place: String,
    district: Option<String>,
}

/// What the report flow may know about an active channel.
pub async fn public(db: &D1Database, code: &str) -> Result<Option<ChannelPublic>, ApiError> {
    let row: Option<PublicRow> = db
        .prepare("SELECT place, district FROM channels WHERE code = ?1 AND active = 1")
        .bind(&[text(code)])?
        .first(None)
        .await?;
    Ok(row.map(|r| ChannelPublic { place: r.place, district: r.district }))
}

/// The office a channel's (poster's) reports land at, if the channel exists.
pub async fn office(db: &D1Database, code: &str) -> Result<Option<String>, ApiError> {
    Ok(db.prepare("SELECT office FROM channels WHERE code = ?1").bind(&[text(code)])?.first(Some("office")).await?)
}
