//! `GET /api/stats`: the public figures from the audit log — counts, rates and durations only, no
//! personal data — and `GET /api/staff/figures`: the supervisors' figures per department and handler.

use qinglang_domain::ErrorCode;
use qinglang_domain::figures;
use qinglang_domain::workflow::{self, SHANGHAI_UTC_OFFSET_MINUTES};
use worker::{Context, Env, Headers, Request, Response};

use crate::auth::{self, Csrf};
use crate::edge_cache::{self, Page};
use crate::error::ApiError;
use crate::{http, store};

/// How old the public figures may be, in seconds, unless the `STATS_MAX_AGE_S` var says otherwise
/// (`0`: computed for every request, as the tests that compare them with D1 run it).
const STATS_MAX_AGE_S: i64 = 60;

/// How long the data centre keeps the last figures at all. Past `STATS_MAX_AGE_S` they are served
/// while newer ones are built; past this, the next request waits for a fresh computation.
const STATS_KEEP_S: u32 = 86_400;

/// A refresh that has not stored its result after this long is presumed lost; the next stale
/// request starts another.
const REFRESH_TIMEOUT_MS: i64 = 30_000;

/// The public figures: totals, by category, by month of receipt (Asia/Shanghai).
///
/// They are computed from one row per case (about a second at 100,000 cases), so nobody waits for
/// that but the first visitor of a data centre: the last figures are kept in its cache
/// (`caches.default`) with the time they were built. Fresh (younger than `STATS_MAX_AGE_S`) they are
/// the answer (`x-qinglang-cache: hit`). Stale, they are still the answer (`stale`), and that
/// request — only one per `REFRESH_TIMEOUT_MS`, marked in the entry — builds the next figures after
/// answering (`ctx.wait_until`). A burst of home-page visits reads D1 at most once per
/// `STATS_MAX_AGE_S` and data centre, at any size of the history.
pub async fn get(req: &Request, env: &Env, ctx: &Context) -> Result<Response, ApiError> {
    let max_age = env
        .var("STATS_MAX_AGE_S")
        .ok()
        .and_then(|v| v.to_string().parse::<i64>().ok())
        .unwrap_or(STATS_MAX_AGE_S)
        .clamp(0, 3600);
    let office = office_asked(req, env).await?;
    if max_age == 0 {
        return Ok(http::json(200, &compute(env, office.as_deref()).await?));
    }
    let now = http::now_ms();
    let origin = req.url()?.origin().ascii_serialization();
    let key = match &office {
        Some(code) => format!("{origin}/__stats-cache/{max_age}/{code}"),
        None => format!("{origin}/__stats-cache/{max_age}"),
    };
    // The answer, its state, and how long a browser may keep it.
    let (page, state, left_s) = match edge_cache::get(&key).await? {
        Some(entry) => {
            let built_at = entry.built_at.unwrap_or(0);
            let age_ms = (now - built_at).max(0);
            if age_ms < max_age * 1000 {
                (entry.page, "hit", ((max_age * 1000 - age_ms) / 1000).max(1))
            } else {
                let refreshing = entry.refreshing_since.is_some_and(|since| now - since < REFRESH_TIMEOUT_MS);
                if !refreshing {
                    // Mark the refresh first, so that the requests of the next moments do not start one each.
                    edge_cache::put(&key, &entry.page, STATS_KEEP_S, built_at, Some(now)).await?;
                    let env = env.clone();
                    let key = key.clone();
                    let office = office.clone();
                    ctx.wait_until(async move {
                        if let Err(e) = refresh(&env, &key, office.as_deref()).await {
                            worker::console_error!("stats refresh: {e:?}");
                        }
                    });
                }
                (entry.page, "stale", 1)
            }
        }
        None => (refresh(env, &key, office.as_deref()).await?, "miss", max_age),
    };
    let headers = Headers::new();
    headers.set("content-type", &page.content_type)?;
    headers.set("cache-control", &format!("public, max-age={left_s}"))?;
    headers.set("x-qinglang-cache", state)?;
    Ok(Response::builder().with_status(page.status).with_headers(headers).fixed(page.body))
}

/// Computes the figures and stores them under `key`, dated when the read began (their age is never
/// understated).
async fn refresh(env: &Env, key: &str, office: Option<&str>) -> Result<Page, ApiError> {
    let started = http::now_ms();
    let page = Page::json(&compute(env, office).await?)?;
    edge_cache::put(key, &page, STATS_KEEP_S, started, None).await?;
    Ok(page)
}

/// `?office=CODE`: the office whose subtree the figures cover (none: every case). An unknown code is
/// `400 unknown_office`; any other parameter is ignored, as before.
async fn office_asked(req: &Request, env: &Env) -> Result<Option<String>, ApiError> {
    let Some(code) = req.url()?.query_pairs().find(|(k, _)| k == "office").map(|(_, v)| v.into_owned()) else {
        return Ok(None);
    };
    let tree = store::offices::tree(&store::db(env)?).await?;
    match tree.get(code.trim()) {
        // The root's subtree is every case: the same figures as without the parameter.
        Some(office) if office.parent.is_none() => Ok(None),
        Some(office) => Ok(Some(office.code.clone())),
        None => Err(ApiError::Client { code: ErrorCode::UnknownOffice, field: Some("office".to_owned()) }),
    }
}

/// The public figures count by top-level category, as offices report them: a subcategory's cases
/// count under the category it belongs to. With `office`, only the cases held in its subtree (an
/// office's figures are its own cases plus its children's).
///
/// They are read from the counters (`figures::counters`: one office's rows in each shard, whatever
/// the number of cases); from the audit log only while a shard's counters wait for a rebuild.
async fn compute(env: &Env, office: Option<&str>) -> Result<figures::PublicStats, ApiError> {
    let shards = store::shards::Shards::open(env)?;
    let root = qinglang_domain::office::ROOT;
    if let Some(stats) = store::figures::from_counters(&shards, office.unwrap_or(root)).await? {
        return Ok(stats);
    }
    from_log(env, office).await
}

/// The public figures from every case's audit log (one row per case): the definition the counters
/// are checked against.
async fn from_log(env: &Env, office: Option<&str>) -> Result<figures::PublicStats, ApiError> {
    let db = store::db(env)?;
    let mut rows = store::figures::case_log(&store::shards::Shards::open(env)?).await?;
    if let Some(office) = office {
        let tree = store::offices::tree(&db).await?;
        let subtree: std::collections::HashSet<&str> = tree.subtree(office).into_iter().collect();
        rows.retain(|r| subtree.contains(r.office.as_deref().unwrap_or(qinglang_domain::office::ROOT)));
    }
    let taxonomy = store::taxonomy::shared(&db).await?;
    for row in &mut rows {
        let root = taxonomy.root_of(&row.category);
        if root != row.category {
            row.category = root.to_owned();
        }
    }
    figures::public_stats(&rows, SHANGHAI_UTC_OFFSET_MINUTES).map_err(|e| ApiError::Internal(format!("stats: {e}")))
}

/// The supervisors' figures, limited by `workflow::figures_scope` (a liaison: their department only),
/// for the account's office or the office `?office=` names in its subtree, with a line per child
/// office.
pub async fn staff(req: &Request, env: &Env) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    let now = http::now_ms();
    let me = auth::signed_in(req, &db, now, Csrf::NotNeeded).await?;
    let scope = workflow::figures_scope(&me.staff)?;
    let tree = store::offices::tree(&db).await?;
    // `?office=`: an office in the account's subtree (the console's switcher); else its own.
    let viewed = super::offices::viewed(&req.url()?, &me.staff, &tree)?;
    let shards = store::shards::Shards::open(env)?;
    let mut result = staff_figures(&shards, &tree, &viewed, &scope, now).await?;
    let handlers: Vec<_> = result.handlers.iter().filter_map(|line| line.handler).collect();
    let names = store::staff::names(&db, &handlers).await?;
    for line in &mut result.handlers {
        line.display_name = line.handler.and_then(|h| names.iter().find(|n| n.id == h)).map(|n| n.display_name.clone());
    }
    Ok(http::json(200, &result))
}

/// The supervisors' figures of `viewed` for `scope`: closed work from the counters and open cases
/// read live; from every case's row while the counters wait for a rebuild.
async fn staff_figures(
    shards: &store::shards::Shards,
    tree: &qinglang_domain::office::OfficeTree,
    viewed: &str,
    scope: &workflow::FiguresScope,
    now: i64,
) -> Result<figures::StaffFigures, ApiError> {
    let below_root = tree.get(viewed).is_some_and(|o| o.parent.is_some());
    let subtree = tree.subtree(viewed);
    let offices = below_root.then_some(subtree.as_slice());
    let children: Vec<&str> = tree.children(viewed).map(|c| c.code.as_str()).collect();
    let network = Some((tree, viewed));
    match store::figures::closed_work(shards, viewed, &children).await? {
        Some(closed) => {
            let open = store::figures::open_work(shards, scope, offices, now).await?;
            Ok(figures::staff_figures_counted(&closed, &open, now, scope, network))
        }
        None => {
            let (cases, ratings) = store::figures::workload(shards, scope, offices).await?;
            Ok(figures::staff_figures(&cases, &ratings, now, scope, network))
        }
    }
}

/// `GET /api/admin/figures/check` (root admins): every office's public figures from the counters and
/// from the audit log, and its supervisors' figures from the counters and from every case's row,
/// and the offices where they differ (a median may differ by 0.1 day, the counters' bound; anything
/// else is a mismatch). `counters_ready` is false while a shard waits for a
/// rebuild.
pub async fn check(req: &Request, env: &Env) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    super::admin::allowed_everywhere(req, &db, Csrf::NotNeeded).await?;
    let shards = store::shards::Shards::open(env)?;
    let tree = store::offices::tree(&db).await?;
    let mut mismatches = Vec::new();
    let mut ready = true;
    for office in &tree.offices {
        let below_root = office.parent.is_some();
        let code = below_root.then_some(office.code.as_str());
        let logged = from_log(env, code).await?;
        match store::figures::from_counters(&shards, &office.code).await? {
            None => ready = false,
            Some(counted) if !same_figures(&counted, &logged) => {
                mismatches.push(serde_json::json!({ "office": office.code, "counters": counted, "log": logged }));
            }
            Some(_) => {}
        }
        // The supervisors' figures: closed work from the counters against every case's row.
        let scope = workflow::FiguresScope::All;
        let offices = below_root.then(|| tree.subtree(&office.code));
        let children: Vec<&str> = tree.children(&office.code).map(|c| c.code.as_str()).collect();
        let network = Some((&*tree, office.code.as_str()));
        if let Some(closed) = store::figures::closed_work(&shards, &office.code, &children).await? {
            let (cases, ratings) = store::figures::workload(&shards, &scope, offices.as_deref()).await?;
            let now = http::now_ms();
            let rows = figures::staff_figures(&cases, &ratings, now, &scope, network);
            let open = store::figures::open_work(&shards, &scope, offices.as_deref(), now).await?;
            let counted = figures::staff_figures_counted(&closed, &open, now, &scope, network);
            if !same_staff_figures(&counted, &rows) {
                mismatches
                    .push(serde_json::json!({ "office": office.code, "staff_counters": counted, "staff_rows": rows }));
            }
        }
    }
    let answer =
        serde_json::json!({ "offices": tree.offices.len(), "counters_ready": ready, "mismatches": mismatches });
    Ok(http::json(200, &answer))
}

/// Equal, but for medians within the counters' bound (0.1 day).
fn same_staff_figures(a: &figures::StaffFigures, b: &figures::StaffFigures) -> bool {
    fn lines(f: &figures::StaffFigures) -> Vec<(String, figures::WorkloadFigures)> {
        let departments = f.departments.iter().map(|d| (format!("d:{:?}", d.department), d.figures.clone()));
        let handlers = f.handlers.iter().map(|h| (format!("h:{:?}", h.handler), h.figures.clone()));
        let offices = f.offices.iter().map(|o| (format!("o:{}:{}", o.office, o.own), o.figures.clone()));
        departments.chain(handlers).chain(offices).collect()
    }
    let (a, b) = (lines(a), lines(b));
    a.len() == b.len()
        && a.iter().zip(&b).all(|((ka, fa), (kb, fb))| {
            let strip =
                |f: &figures::WorkloadFigures| figures::WorkloadFigures { median_days_to_close: None, ..f.clone() };
            let close = match (fa.median_days_to_close, fb.median_days_to_close) {
                (Some(x), Some(y)) => (x - y).abs() <= 0.1 + 1e-9,
                (x, y) => x == y,
            };
            ka == kb && strip(fa) == strip(fb) && close
        })
}

/// Equal, but for medians within the counters' bound (0.1 day).
fn same_figures(a: &figures::PublicStats, b: &figures::PublicStats) -> bool {
    fn close(a: Option<f64>, b: Option<f64>) -> bool {
        match (a, b) {
            (Some(x), Some(y)) => (x - y).abs() <= 0.1 + 1e-9,
            (x, y) => x == y,
        }
    }
    fn same(a: &figures::Figures, b: &figures::Figures) -> bool {
        let strip = |f: &figures::Figures| figures::Figures { median_days_to_close: None, ..f.clone() };
        strip(a) == strip(b) && close(a.median_days_to_close, b.median_days_to_close)
    }
    same(&a.total(), &b.total())
        && a.by_category.len() == b.by_category.len()
        && a.by_category
            .iter()
            .zip(&b.by_category)
            .all(|(x, y)| x.category == y.category && same(&x.figures, &y.figures))
        && a.by_month.len() == b.by_month.len()
        && a.by_month.iter().zip(&b.by_month).all(|(x, y)| x.month == y.month && same(&x.figures, &y.figures))
        && a.by_source.iter().zip(&b.by_source).all(|(x, y)| x.source == y.source && same(&x.figures, &y.figures))
}

/// Pages of a thousand cases one rebuild request counts at most, over all shards (two D1 queries a
/// page, under the Workers limit of a thousand an invocation); the cron continues from there.
const REBUILD_PAGES: u32 = 300;

/// The most cases a rebuild page may read (D1 answers a thousand rows quickly).
const REBUILD_PAGE_SIZE: u32 = 1000;

/// `POST /api/admin/figures/rebuild` (root admins): counts every case of every shard anew (the
/// counters' repair job, `store::figures::rebuild_step`): up to [`REBUILD_PAGES`] pages in this
/// request, the rest by the cron every five minutes; a second call continues the job. Answers the
/// cases counted per shard by this call and whether every shard is done. The body may set `pages`
/// (1–300) and `page_size` (1–1000) for smaller steps.
pub async fn rebuild(mut req: Request, env: &Env) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    super::admin::allowed_everywhere(&req, &db, Csrf::Required).await?;
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Body {
        pages: Option<u32>,
        page_size: Option<u32>,
    }
    let body: Body = http::read_json(&mut req, 1024).await?;
    let bad = |field: &str| ApiError::Client { code: ErrorCode::BadJson, field: Some(field.to_owned()) };
    let pages = body.pages.unwrap_or(REBUILD_PAGES);
    if !(1..=REBUILD_PAGES).contains(&pages) {
        return Err(bad("pages"));
    }
    let page_size = body.page_size.unwrap_or(REBUILD_PAGE_SIZE);
    if !(1..=REBUILD_PAGE_SIZE).contains(&page_size) {
        return Err(bad("page_size"));
    }
    let shards = store::shards::Shards::open(env)?;
    let taxonomy = store::taxonomy::shared(&db).await?;
    let tree = store::offices::tree(&db).await?;
    // A job under way is continued; otherwise every shard starts anew.
    let mut under_way = false;
    for shard in shards.all()? {
        under_way |= store::figures::rebuilding(&shard).await?;
    }
    if !under_way {
        for shard in shards.all()? {
            store::figures::rebuild_start(&shard).await?;
        }
    }
    let (counted, done) = rebuild_all(&shards, &taxonomy, &tree, pages, page_size).await?;
    Ok(http::json(200, &serde_json::json!({ "cases": counted, "done": done })))
}

/// Takes the repair job a step further in every shard whose job is under way, `pages` pages in
/// all: the cases counted per shard and whether all are done.
async fn rebuild_all(
    shards: &store::shards::Shards,
    taxonomy: &qinglang_domain::Taxonomy,
    tree: &qinglang_domain::office::OfficeTree,
    pages: u32,
    page_size: u32,
) -> Result<(serde_json::Map<String, serde_json::Value>, bool), ApiError> {
    let mut counted = serde_json::Map::new();
    let mut left = pages;
    let mut done = true;
    for shard in shards.all()? {
        if !store::figures::rebuilding(&shard).await? {
            continue;
        }
        if left == 0 {
            done = false;
            continue;
        }
        let step = store::figures::rebuild_step(&shard, taxonomy, tree, left, page_size).await?;
        left = left.saturating_sub(step.pages);
        done &= step.done;
        counted.insert(shard.name.clone(), step.counted.into());
    }
    Ok((counted, done))
}

/// The cron's share of a repair job an admin started: a step in every shard still rebuilding.
pub async fn continue_rebuild(env: &Env) -> Result<u64, ApiError> {
    let shards = store::shards::Shards::open(env)?;
    let mut any = false;
    for shard in shards.all()? {
        any |= store::figures::rebuilding(&shard).await?;
    }
    if !any {
        return Ok(0);
    }
    let db = store::db(env)?;
    let taxonomy = store::taxonomy::shared(&db).await?;
    let tree = store::offices::tree(&db).await?;
    let (counted, _) = rebuild_all(&shards, &taxonomy, &tree, REBUILD_PAGES / 2, REBUILD_PAGE_SIZE).await?;
    Ok(counted.values().filter_map(serde_json::Value::as_u64).sum())
}
