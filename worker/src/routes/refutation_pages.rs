//! The refutation pages the worker renders itself: `/refutations/{id}` (the SPA's HTML with the
//! article's head and a static article body filled in) and the feeds `/refutations/feed.atom`,
//! `/refutations/feed.rss` and `/refutations/feed.json` (`?tag=` / `?region=`). All are edge-cached by public version.

use worker::{Env, Request, Response};

use qinglang_domain::refutation::api::PublicRefutation;

use crate::edge_cache::{self, Page};
use crate::error::ApiError;
use crate::render::{self, FeedInfo};
use crate::routes::pages::{self, Shell};
use crate::routes::refutations::{origin, public_filter, public_items};
use crate::store;

/// Entries per feed.
const FEED_ITEMS: u32 = 50;

fn html(status: u16, body: String) -> Page {
    Page { status, content_type: "text/html; charset=utf-8".to_owned(), body: body.into_bytes(), server_timing: None }
}

/// `GET /refutations/{id}`: the article page, or a 404 page for anything that is not a published
/// refutation (unknown, draft, withdrawn, not a number).
pub async fn article(req: &Request, env: &Env, id: &str) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    let origin = origin(req)?;
    let id = id.parse::<i64>().ok().filter(|&n| n > 0);
    let response = edge_cache::serve(req, env, |_| async move {
        let shell = pages::shell_html(req, env, Shell::Reader).await?;
        let Some(id) = id else { return Ok(html(404, render::not_found_page(&shell))) };
        let id = qinglang_domain::refutation::RefutationId(id);
        let Some((r, lists)) = store::refutations::published_with_lists(&db, id).await? else {
            return Ok(html(404, render::not_found_page(&shell)));
        };
        Ok(match PublicRefutation::build(&r, &lists.verdicts, &lists.taxonomy, &origin, r.updated_at) {
            Some(a) => html(200, render::article_page(&shell, &a, &origin)),
            None => html(404, render::not_found_page(&shell)),
        })
    })
    .await?;
    pages::with_page_headers(response)
}

/// Which feed format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedKind {
    /// Atom 1.0.
    Atom,
    /// JSON Feed 1.1.
    Json,
    /// RSS 2.0.
    Rss,
}

/// `GET /refutations/feed.atom`, `/refutations/feed.rss` and `/refutations/feed.json`, optionally
/// `?tag=` or `?region=`.
pub async fn feed(req: &Request, env: &Env, kind: FeedKind) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    let url = req.url()?;
    let filter = public_filter(&url, &db, FEED_ITEMS).await?;
    if filter.query.is_some() || filter.after.is_some() {
        // Feeds are whole documents of the newest entries; search and paging are the API's.
        return Err(ApiError::Client { code: qinglang_domain::ErrorCode::BadJson, field: Some("q".to_owned()) });
    }
    let origin = origin(req)?;
    let mut title_suffix = String::new();
    if let Some(tag) = &filter.tag {
        title_suffix.push_str(&format!(" · #{tag}"));
    }
    if let Some(region) = &filter.region {
        let taxonomy = store::taxonomy::load(&db).await?;
        let name = taxonomy.district(region).map(|d| d.name_zh_hans.clone()).unwrap_or_else(|| region.clone());
        title_suffix.push_str(&format!(" · {name}"));
    }
    let info = FeedInfo { origin: origin.clone(), self_url: url.to_string(), title_suffix };
    edge_cache::serve(req, env, |_| async move {
        let (items, _, _) = public_items(&db, &filter, &origin).await?;
        Ok(match kind {
            FeedKind::Atom => Page {
                status: 200,
                content_type: "application/atom+xml; charset=utf-8".to_owned(),
                body: render::atom(&items, &info, crate::http::now_ms()).into_bytes(),
                server_timing: None,
            },
            FeedKind::Rss => Page {
                status: 200,
                content_type: "application/rss+xml; charset=utf-8".to_owned(),
                body: render::rss(&items, &info, crate::http::now_ms()).into_bytes(),
                server_timing: None,
            },
            FeedKind::Json => Page {
                status: 200,
                content_type: "application/feed+json; charset=utf-8".to_owned(),
                body: serde_json::to_vec(&render::json_feed(&items, &info))?,
                server_timing: None,
            },
        })
    })
    .await
}
