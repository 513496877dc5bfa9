//! Qinglang's Cloudflare Worker: the JSON API in front of D1, and the route table.
//!
//! Entry point: [`fetch`]. Static files (the Leptos app) are served by Workers Static Assets
//! before the worker runs; only `/api/*` and the pages of the reader and console bundles
//! (`/refutations…`, `/stats`, `/admin…`, see app/src/bundle.rs) reach this code (`wrangler.toml`).
//!
//! Architecture invariant: handlers parse, ask `qinglang-domain` to decide, persist through
//! `store`, and present. Business rules live in the domain crate, never here.

mod auth;
mod digest;
mod edge_cache;
mod error;
mod http;
mod limits;
mod poster;
mod push;
mod random;
mod render;
mod routes;
mod screening;
mod search;
mod store;

use worker::{
    Context, Env, MessageBatch, MessageExt, Method, Request, Response, ScheduleContext, ScheduledEvent, event,
};

use crate::error::ApiError;
use crate::http::RequestContext;

/// The worker's version, reported by `/api/health`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

#[event(fetch)]
async fn fetch(req: Request, env: Env, ctx: Context) -> worker::Result<Response> {
    let cx = RequestContext::new(&req);
    let result = route(req, &env, &cx, &ctx).await;
    let response = match result {
        Ok(response) => response,
        Err(err) => err.into_response(cx.lang),
    };
    http::with_security_headers(response)
}

/// The route table: method and path segments to handler.
async fn route(req: Request, env: &Env, cx: &RequestContext, ctx: &Context) -> Result<Response, ApiError> {
    use store::taxonomy::List::{Departments, Districts};
    let path = req.path();
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    match (req.method(), segments.as_slice()) {
        (Method::Get, ["api", "health"]) => routes::health::get(env).await,
        (Method::Get, ["api", "categories"]) => routes::categories::list(env).await,
        (Method::Get, ["api", "offices"]) => routes::offices::list(env).await,
        (Method::Get, ["api", "stats"]) => routes::stats::get(&req, env, ctx).await,
        (Method::Get, ["api", "admin", "figures", "check"]) => routes::stats::check(&req, env).await,
        (Method::Post, ["api", "admin", "figures", "rebuild"]) => routes::stats::rebuild(req, env).await,
        (Method::Get, ["api", "openapi.json"]) => routes::openapi::get(),
        (Method::Post, ["api", "reports"]) => routes::reports::create(req, env, cx).await,
        (Method::Get, ["api", "reports", code]) => routes::reports::track(&req, env, code, cx).await,
        (Method::Post, ["api", "reports", code, "reopen"]) => routes::reports::reopen(req, env, code, cx).await,
        (Method::Post, ["api", "reports", code, "rating"]) => routes::reports::rate(req, env, code, cx).await,
        (Method::Post, ["api", "staff", "session"]) => routes::staff::sign_in(req, env).await,
        (Method::Delete, ["api", "staff", "session"]) => routes::staff::sign_out(&req, env).await,
        (Method::Get, ["api", "staff", "me"]) => routes::staff::me(&req, env).await,
        (Method::Get, ["api", "staff", "directory"]) => routes::staff::directory(&req, env).await,
        (Method::Get, ["api", "staff", "cases"]) => routes::cases::list(&req, env).await,
        (Method::Get, ["api", "staff", "figures"]) => routes::stats::staff(&req, env).await,
        (Method::Get, ["api", "staff", "departments"]) => routes::admin::departments(&req, env).await,
        (Method::Get, ["api", "staff", "notifications"]) => routes::notifications::list(&req, env).await,
        (Method::Post, ["api", "staff", "notifications", "read"]) => routes::notifications::mark_read(req, env).await,
        (Method::Get, ["api", "admin", "routing-rules"]) => routes::admin::routing_rules(&req, env).await,
        (Method::Put, ["api", "admin", "routing-rules"]) => routes::admin::put_routing_rules(req, env).await,
        (Method::Get, ["api", "admin", "staff"]) => routes::admin::staff_list(&req, env).await,
        (Method::Post, ["api", "admin", "staff"]) => routes::admin::create_staff(req, env).await,
        (Method::Patch, ["api", "admin", "staff", id]) => routes::admin::patch_staff(req, env, id).await,
        (Method::Get, ["api", "admin", "deadlines"]) => routes::deadlines::get(&req, env).await,
        (Method::Put, ["api", "admin", "deadlines"]) => routes::deadlines::put(req, env).await,
        (Method::Put, ["api", "admin", "calendar", year]) => routes::deadlines::put_year(req, env, year).await,
        (Method::Post, ["api", "admin", "campaigns"]) => routes::deadlines::add_campaign(req, env).await,
        (Method::Delete, ["api", "admin", "campaigns", id]) => {
            routes::deadlines::withdraw_campaign(&req, env, id).await
        }
        (Method::Post, ["api", "admin", "categories"]) => routes::taxonomy::create_category(req, env).await,
        (Method::Post, ["api", "admin", "categories", "import"]) => {
            routes::taxonomy::import_categories(req, env, cx.lang).await
        }
        (Method::Patch, ["api", "admin", "categories", code]) => routes::taxonomy::patch_category(req, env, code).await,
        (Method::Post, ["api", "admin", "districts"]) => routes::taxonomy::create_entry(req, env, Districts).await,
        (Method::Patch, ["api", "admin", "districts", code]) => {
            routes::taxonomy::patch_entry(req, env, Districts, code).await
        }
        (Method::Post, ["api", "admin", "departments"]) => routes::taxonomy::create_entry(req, env, Departments).await,
        (Method::Patch, ["api", "admin", "departments", code]) => {
            routes::taxonomy::patch_entry(req, env, Departments, code).await
        }
        (Method::Get, ["api", "admin", "changes"]) => routes::taxonomy::changes(&req, env).await,
        (Method::Post, ["api", "admin", "offices"]) => routes::offices::create(req, env).await,
        (Method::Post, ["api", "admin", "offices", "import"]) => routes::offices::import(req, env, cx.lang).await,
        (Method::Patch, ["api", "admin", "offices", code]) => routes::offices::patch(req, env, code).await,
        (Method::Get, ["api", "admin", "webhooks"]) => routes::admin::webhooks(&req, env).await,
        (Method::Post, ["api", "admin", "webhooks"]) => routes::admin::add_webhook(req, env).await,
        (Method::Delete, ["api", "admin", "webhooks", id]) => routes::admin::delete_webhook(&req, env, id).await,
        (Method::Post, ["api", "staff", "reports"]) => routes::intake::enter(req, env).await,
        (Method::Post, ["api", "staff", "reports", "import"]) => routes::intake::import(req, env, cx).await,
        (Method::Get, ["api", "staff", "cases", id]) => routes::cases::get(&req, env, id).await,
        (Method::Get, ["api", "staff", "cases", id, "contact"]) => routes::cases::contact(&req, env, id).await,
        (Method::Post, ["api", "staff", "cases", id, "actions"]) => routes::cases::act(req, env, id).await,
        (Method::Get, ["api", "refutations"]) => routes::refutations::list(&req, env).await,
        (Method::Get, ["api", "refutations", "latest"]) => routes::refutations::latest(&req, env).await,
        (Method::Get, ["api", "refutations", "tags"]) => routes::refutations::tags(&req, env).await,
        (Method::Get, ["api", "refutations", "verdicts"]) => routes::refutations::verdicts(&req, env).await,
        (Method::Get, ["api", "refutations", "index"]) => routes::refutations::index(&req, env).await,
        (Method::Get, ["api", "refutations", "match"]) => routes::refutations::match_fingerprint(&req, env).await,
        (Method::Get, ["api", "refutations", id]) => routes::refutations::get(&req, env, id).await,
        (Method::Get, ["api", "staff", "refutations"]) => routes::refutations::staff_list(&req, env).await,
        (Method::Post, ["api", "staff", "refutations"]) => routes::refutations::create(req, env).await,
        (Method::Get, ["api", "staff", "refutations", id]) => routes::refutations::staff_get(&req, env, id).await,
        (Method::Put, ["api", "staff", "refutations", id]) => routes::refutations::update(req, env, ctx, id).await,
        (Method::Get, ["api", "staff", "refutations", id, "preview"]) => {
            routes::refutations::preview(&req, env, id).await
        }
        (Method::Get, ["api", "staff", "refutations", id, "history"]) => {
            routes::refutations::history(&req, env, id).await
        }
        (Method::Post, ["api", "staff", "refutations", id, "publish"]) => {
            routes::refutations::publish(req, env, ctx, id).await
        }
        (Method::Post, ["api", "staff", "refutations", id, "unpublish"]) => {
            routes::refutations::unpublish(req, env, ctx, id).await
        }
        (Method::Get, ["api", "staff", "partners"]) => routes::partners::list(&req, env).await,
        (Method::Post, ["api", "staff", "partners"]) => routes::partners::create(req, env).await,
        (Method::Delete, ["api", "staff", "partners", id]) => routes::partners::remove(&req, env, id).await,
        (Method::Get, ["api", "staff", "partners", id, "deliveries"]) => {
            routes::partners::deliveries(&req, env, id).await
        }
        (Method::Get, ["refutations", "feed.atom"]) => {
            routes::refutation_pages::feed(&req, env, routes::refutation_pages::FeedKind::Atom).await
        }
        (Method::Get, ["refutations", "feed.json"]) => {
            routes::refutation_pages::feed(&req, env, routes::refutation_pages::FeedKind::Json).await
        }
        (Method::Get, ["refutations", "feed.rss"]) => {
            routes::refutation_pages::feed(&req, env, routes::refutation_pages::FeedKind::Rss).await
        }
        (Method::Get, ["refutations", id]) => routes::refutation_pages::article(&req, env, id).await,
        (_, ["api", "refutations", ..] | ["api", "staff", "refutations" | "partners", ..]) => {
            Err(ApiError::client(qinglang_domain::ErrorCode::MethodNotAllowed))
        }
        (Method::Post, ["api", "uploads"]) => routes::uploads::create(req, env).await,
        (Method::Get, ["api", "staff", "cases", id, "evidence", n]) => {
            routes::uploads::staff_get(&req, env, id, n).await
        }
        (Method::Get, ["api", "admin", "channels"]) => routes::channels::list(&req, env).await,
        (Method::Post, ["api", "admin", "channels"]) => routes::channels::create(req, env).await,
        (Method::Get, ["api", "admin", "channels", code]) => routes::channels::get(&req, env, code).await,
        (Method::Patch, ["api", "admin", "channels", code]) => routes::channels::patch(req, env, code).await,
        (Method::Get, ["api", "admin", "channels", code, "poster.svg"]) => {
            routes::channels::poster(&req, env, code, "svg").await
        }
        (Method::Get, ["api", "admin", "channels", code, "poster.png"]) => {
            routes::channels::poster(&req, env, code, "png").await
        }
        (Method::Get, ["api", "channels", code]) => routes::channels::public(env, code).await,
        (Method::Post, ["api", "channels", code, "started"]) => routes::channels::started(req, env, code).await,
        (Method::Get | Method::Head, ["q", code]) => routes::channels::scan(&req, env, code).await,
        (Method::Get | Method::Head, ["robots.txt"]) => routes::site::robots(&req),
        (Method::Get | Method::Head, ["sitemap.xml"]) => routes::site::sitemap_index(&req, env).await,
        (Method::Get | Method::Head, ["sitemaps", file]) => routes::site::sitemap_file(&req, env, file).await,
        (Method::Get | Method::Head, [".well-known", "security.txt"]) => routes::site::security_txt(&req, env),
        // The app's pages (app/src/lib.rs has the same table): every other path is a 404 below.
        (Method::Get | Method::Head, ["admin", ..]) => {
            routes::pages::shell(&req, env, routes::pages::Shell::Console).await
        }
        (Method::Get | Method::Head, ["refutations" | "stats" | "track"]) => {
            routes::pages::shell(&req, env, routes::pages::Shell::Reader).await
        }
        (Method::Get | Method::Head, ["report"]) => {
            routes::pages::shell(&req, env, routes::pages::Shell::Citizen).await
        }
        (Method::Get | Method::Head, ["refutations" | "stats" | "track", ..]) => {
            routes::site::not_found(&req, env, routes::pages::Shell::Reader).await
        }
        (
            _,
            ["api", "health" | "categories" | "offices" | "stats" | "reports" | "openapi.json"] | ["api", "reports", _],
        )
        | (_, ["api", "staff", "session" | "me" | "cases" | "figures" | "departments" | "notifications"])
        | (_, ["api", "staff", "directory"])
        | (_, ["api", "staff", "cases", _] | ["api", "staff", "notifications", "read"])
        | (_, ["api", "admin", "routing-rules" | "staff" | "webhooks"] | ["api", "admin", "staff" | "webhooks", _])
        | (_, ["api", "admin", "categories" | "districts" | "departments" | "changes" | "offices"])
        | (_, ["api", "admin", "categories" | "districts" | "departments" | "offices", _])
        | (_, ["api", "staff", "cases", _, "contact" | "actions"] | ["api", "reports", _, "reopen" | "rating"])
        | (_, ["api", "uploads" | "channels"] | ["api", "channels", _] | ["api", "channels", _, "started"])
        | (_, ["api", "admin", "channels"] | ["api", "admin", "channels", _] | ["api", "admin", "channels", _, _]) => {
            Err(ApiError::client(qinglang_domain::ErrorCode::MethodNotAllowed))
        }
        (Method::Get | Method::Head, segments) if segments.first() != Some(&"api") => {
            routes::site::not_found(&req, env, routes::pages::Shell::Citizen).await
        }
        _ => Err(ApiError::client(qinglang_domain::ErrorCode::NotFound)),
    }
}

/// Cron: retries partner pushes that are due and deletes day-old pictures never attached to a report
/// (`[triggers]` in wrangler.toml). Runs on every schedule,
/// so other cron jobs' runs retry too; it is one indexed query when nothing is due.
#[event(scheduled)]
async fn scheduled(event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    // The daily digest (`0 0 * * *`, 08:00 Asia/Shanghai) runs on its own trigger; idempotent per day.
    if event.cron() == DIGEST_CRON {
        match digest::run(&env, http::now_ms()).await {
            Ok(digest::Outcome::AlreadyRan) => worker::console_log!("digest: already ran today"),
            Ok(digest::Outcome::Ran(n)) => worker::console_log!(
                "digest: {} due today, {} overdue, {} escalated, {} posted, {} failed",
                n.due_today,
                n.overdue,
                n.escalated,
                n.posted,
                n.failed
            ),
            Err(e) => worker::console_error!("digest failed: {e:?}"),
        }
    }
    // Pictures of drafts that never became a report, after a day (every trigger; a few rows at most).
    match routes::uploads::sweep_unattached(&env, http::now_ms()).await {
        Ok(n) if n > 0 => worker::console_log!("uploads: {n} unattached deleted"),
        Ok(_) => {}
        Err(e) => worker::console_error!("uploads sweep: {e:?}"),
    }
    match push::send_due(&env, None).await {
        Ok(n) if n > 0 => worker::console_log!("partner push: {n} delivered on retry"),
        Ok(_) => {}
        Err(e) => worker::console_error!("partner push retry: {e:?}"),
    }
    // Hand-overs between shards whose queue message was lost or never sent (`store::shards`).
    let swept = match store::shards::Shards::open(&env) {
        Ok(shards) => shards.sweep(http::now_ms() - move_sweep_after_ms(&env)).await,
        Err(e) => Err(e),
    };
    match swept {
        Ok(n) if n > 0 => worker::console_log!("shards: {n} stalled moves completed"),
        Ok(_) => {}
        Err(e) => worker::console_error!("shards sweep: {e:?}"),
    }
    // A repair job of the counters an admin started and one request did not finish.
    match routes::stats::continue_rebuild(&env).await {
        Ok(n) if n > 0 => worker::console_log!("figures: {n} cases counted for the rebuild"),
        Ok(_) => {}
        Err(e) => worker::console_error!("figures rebuild: {e:?}"),
    }
    // Closed cases untouched for ARCHIVE_AFTER_DAYS go to R2, a budget a run (`store::archive`).
    let setting = env.var("ARCHIVE_AFTER_DAYS").ok().map(|v| v.to_string());
    let archived = match (qinglang_domain::archive::after_days(setting.as_deref()), store::shards::Shards::open(&env)) {
        (Ok(days), Ok(shards)) => store::archive::run(&shards, days, http::now_ms(), store::archive::BUDGET).await,
        (Err(reason), _) => Err(error::ApiError::Internal(reason)),
        (_, Err(e)) => Err(e),
    };
    match archived {
        Ok(n) if n.cases > 0 => worker::console_log!("archive: {} cases, {} bytes to R2", n.cases, n.bytes),
        Ok(_) => {}
        Err(e) => worker::console_error!("archive: {e:?}"),
    }
}

/// How old a move must be before the cron completes it itself rather than leave it to the queue:
/// `MOVE_SWEEP_AFTER_S` (a var; default a minute, longer than the queue's own retries take).
fn move_sweep_after_ms(env: &Env) -> i64 {
    let seconds = env.var("MOVE_SWEEP_AFTER_S").ok().and_then(|v| v.to_string().parse::<i64>().ok());
    seconds.unwrap_or(60).max(0) * 1000
}

/// The `HANDOVERS` queue's consumer: completes each move between shards (`store::shards`). A move
/// that fails is retried by the queue, and after its retries by the cron's sweep; completing one
/// twice does nothing the second time.
#[event(queue)]
async fn queue(batch: MessageBatch<store::shards::Move>, env: Env, _ctx: Context) -> worker::Result<()> {
    let shards = match store::shards::Shards::open(&env) {
        Ok(shards) => shards,
        Err(e) => {
            worker::console_error!("shards: {e:?}");
            batch.retry_all();
            return Ok(());
        }
    };
    for message in batch.messages()? {
        match shards.complete(message.body()).await {
            Ok(_) => message.ack(),
            Err(e) => {
                worker::console_error!("move of case {}: {e:?}", message.body().id);
                message.retry();
            }
        }
    }
    Ok(())
}

/// The daily digest's Cron Trigger in `wrangler.toml`: 00:00 UTC is 08:00 Asia/Shanghai.
const DIGEST_CRON: &str = "0 0 * * *";
