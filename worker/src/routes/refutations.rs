//! The refutation routes: the editor's API under `/api/staff/refutations` and the public JSON API
//! under `/api/refutations` (README.md, "Refutations API").
//!
//! Every change goes through one transition of `qinglang_domain::refutation`; `store::refutations::save`
//! writes its result or nothing. A change readers can see then starts a new edge-cache version and
//! sends the queued partner pushes after the answer (`ctx.wait_until`).

use qinglang_domain::ErrorCode;
use qinglang_domain::refutation::api::{
    MatchList, Problem, PublicRefutation, PushPayload, RefutationHistory, RefutationMatch, RefutationPage,
    RefutationPreview, StaffRefutation, StaffRefutationList, TagList, UnpublishRefutation, UpdateRefutation,
    VerdictList, push_event_name,
};
use qinglang_domain::refutation::{
    self, Refutation, RefutationContent, RefutationEvent, RefutationId, RefutationStatus, Verdict, match_index,
    normalise_tag, rfc3339_utc,
};
use qinglang_domain::{Taxonomy, workflow::Staff};
use worker::{Context, D1Database, Env, Request, Response, Url};

use crate::auth::{self, Csrf};
use crate::edge_cache::{self, Page};
use crate::error::ApiError;
use crate::http;
use crate::store::{self, refutations::PublicFilter, refutations::Push, refutations::StaffFilter};
use crate::{push, render, search};

/// A refutation body of 30,000 characters (up to 90 KB in UTF-8) with its other fields fits.
const MAX_BODY_BYTES: usize = 160 * 1024;

/// Default and largest public page.
const PUBLIC_PAGE: u32 = 20;
const PUBLIC_PAGE_MAX: u32 = 50;

/// How many the home page's "latest" may ask for.
const LATEST_MAX: u32 = 20;

/// Similarity from which a report counts as a copy of a refuted claim (at most 9 of 64 bits differ).
pub const MATCH_MIN_SIMILARITY: f32 = qinglang_engine::DEFAULT_MIN_SIMILARITY;

/// Reads a refutation id from the path; anything else is not a refutation.
pub fn parse_id(id: &str) -> Result<RefutationId, ApiError> {
    id.parse::<i64>().ok().filter(|&n| n > 0).map(RefutationId).ok_or(ApiError::client(ErrorCode::NotFound))
}

fn bad_query(field: &str) -> ApiError {
    ApiError::Client { code: ErrorCode::BadJson, field: Some(field.to_owned()) }
}

/// `https://host` of the request: absolute addresses in the API, feeds and pages use it.
pub fn origin(req: &Request) -> Result<String, ApiError> {
    Ok(req.url()?.origin().ascii_serialization())
}

/// The signed-in editor or admin; `forbidden` for other roles.
async fn editor(req: &Request, db: &D1Database, csrf: Csrf) -> Result<Staff, ApiError> {
    let me = auth::signed_in(req, db, http::now_ms(), csrf).await?;
    refutation::may_edit(&me.staff)?;
    Ok(me.staff)
}

/// The fingerprint of a refutation for the match index: the engine's SimHash of the folded claim
/// (of the title while a draft has no claim). The claim alone, not claim and title together: citizens
/// report the rumour as it circulates, and a verbatim copy of a claim scored 1.0 against the claim
/// but 0.86 against claim + title, just above the 0.85 threshold (the numbers are in README.md).
pub fn fingerprint(content: &RefutationContent) -> String {
    let text = if content.claim.is_empty() { &content.title } else { &content.claim };
    qinglang_engine::fingerprint(text).to_hex()
}

fn staff_view(r: Refutation, staff: &Staff) -> StaffRefutation {
    let problem = r.content.check_publishable().err().map(|e| Problem { field: e.field, error: e.code });
    StaffRefutation { allowed_actions: refutation::allowed_actions(&r, staff), refutation: r, problem }
}

async fn load(db: &D1Database, id: &str) -> Result<Refutation, ApiError> {
    store::refutations::load(db, parse_id(id)?).await?.ok_or(ApiError::client(ErrorCode::NotFound))
}

/// Validates an editor's content against the deployment's lists and the cases it links.
async fn validate(db: &D1Database, input: &RefutationContent) -> Result<RefutationContent, ApiError> {
    let verdicts = store::refutations::verdicts(db).await?;
    let taxonomy = store::taxonomy::load(db).await?;
    let content = RefutationContent::validate(input, &verdicts, &taxonomy)?;
    let missing = store::refutations::missing_cases(db, &content.case_ids).await?;
    if let Some(id) = missing.first() {
        let at = content.case_ids.iter().position(|c| c == id).unwrap_or_default();
        return Err(ApiError::Client { code: ErrorCode::UnknownCase, field: Some(format!("case_ids.{at}")) });
    }
    Ok(content)
}

/// `GET /api/staff/refutations?status=&after=&limit=`: every refutation, drafts included.
pub async fn staff_list(req: &Request, env: &Env) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    editor(req, &db, Csrf::NotNeeded).await?;
    let mut filter = StaffFilter { status: None, after: None, limit: 50 };
    for (key, value) in req.url()?.query_pairs() {
        match key.as_ref() {
            "status" => filter.status = Some(RefutationStatus::from_name(&value).ok_or_else(|| bad_query("status"))?),
            "after" => filter.after = Some(value.into_owned()),
            "limit" => filter.limit = value.parse().map_err(|_| bad_query("limit"))?,
            _ => return Err(bad_query(&key)),
        }
    }
    let (items, next) = store::refutations::staff_list(&db, &filter).await?;
    Ok(http::json(200, &StaffRefutationList { items, next }))
}

/// `GET /api/staff/refutations/{id}`.
pub async fn staff_get(req: &Request, env: &Env, id: &str) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    let staff = editor(req, &db, Csrf::NotNeeded).await?;
    Ok(http::json(200, &staff_view(load(&db, id).await?, &staff)))
}

/// `POST /api/staff/refutations`: a new draft (content may be incomplete).
pub async fn create(mut req: Request, env: &Env) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    let staff = editor(&req, &db, Csrf::Required).await?;
    let input: RefutationContent = http::read_json(&mut req, MAX_BODY_BYTES).await?;
    let content = validate(&db, &input).await?;
    let (draft, event) = refutation::create_draft(content, &staff, http::now_ms())?;
    let id = store::refutations::insert_draft(&db, &draft, &event).await?;
    let stored = store::refutations::load(&db, id).await?.ok_or(ApiError::Internal("draft vanished".to_owned()))?;
    Ok(http::json(201, &staff_view(stored, &staff)))
}

/// `PUT /api/staff/refutations/{id}`: new content for a draft or an unpublished refutation, or an
/// update (with `note`) of a published one.
pub async fn update(mut req: Request, env: &Env, ctx: &Context, id: &str) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    let staff = editor(&req, &db, Csrf::Required).await?;
    let input: UpdateRefutation = http::read_json(&mut req, MAX_BODY_BYTES).await?;
    let before = load(&db, id).await?;
    let content = validate(&db, &input.content).await?;
    let now = http::now_ms();
    let (after, event) = match before.status {
        RefutationStatus::Published => refutation::update_published(
            &before,
            content,
            input.note.as_deref().unwrap_or_default(),
            &staff,
            input.revision,
            now,
        )?,
        RefutationStatus::Draft | RefutationStatus::Unpublished => {
            refutation::save_draft(&before, content, &staff, input.revision, now)?
        }
    };
    commit(&req, env, ctx, &db, &before, &after, &event).await?;
    Ok(http::json(200, &staff_view(after, &staff)))
}

/// `POST /api/staff/refutations/{id}/publish` with the previewed revision.
pub async fn publish(mut req: Request, env: &Env, ctx: &Context, id: &str) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    let staff = editor(&req, &db, Csrf::Required).await?;
    let input: qinglang_domain::refutation::api::PublishRefutation = http::read_json(&mut req, 1024).await?;
    let before = load(&db, id).await?;
    let (after, event) = refutation::publish(&before, &staff, input.revision, http::now_ms())?;
    commit(&req, env, ctx, &db, &before, &after, &event).await?;
    Ok(http::json(200, &staff_view(after, &staff)))
}

/// `POST /api/staff/refutations/{id}/unpublish` with a reason.
pub async fn unpublish(mut req: Request, env: &Env, ctx: &Context, id: &str) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    let staff = editor(&req, &db, Csrf::Required).await?;
    let input: UnpublishRefutation = http::read_json(&mut req, 8 * 1024).await?;
    let before = load(&db, id).await?;
    let (after, event) = refutation::unpublish(&before, &input.reason, &staff, input.revision, http::now_ms())?;
    commit(&req, env, ctx, &db, &before, &after, &event).await?;
    Ok(http::json(200, &staff_view(after, &staff)))
}

/// Persists a transition; for public changes also renews the edge cache and sends the pushes.
async fn commit(
    req: &Request,
    env: &Env,
    ctx: &Context,
    db: &D1Database,
    before: &Refutation,
    after: &Refutation,
    event: &RefutationEvent,
) -> Result<(), ApiError> {
    let push = match push_event_name(event.kind) {
        Some(name) => {
            let origin = origin(req)?;
            let article = match after.status {
                RefutationStatus::Published => {
                    let verdicts = store::refutations::verdicts(db).await?;
                    let taxonomy = store::taxonomy::load(db).await?;
                    PublicRefutation::build(after, &verdicts, &taxonomy, &origin, event.at)
                }
                RefutationStatus::Draft | RefutationStatus::Unpublished => None,
            };
            let payload = PushPayload {
                event: name.to_owned(),
                refutation_id: after.id,
                revision: after.revision,
                url: format!("{origin}/refutations/{}", after.id),
                occurred_at: rfc3339_utc(event.at),
                refutation: article,
            };
            Some(Push { event: name, payload: serde_json::to_string(&payload)? })
        }
        None => None,
    };
    store::refutations::save(db, before, after, event, Some(&fingerprint(&after.content)), push.as_ref()).await?;
    if push.is_some() {
        edge_cache::bump(env, event.at).await?;
        let env = env.clone();
        let only = Some((after.id, after.revision));
        ctx.wait_until(async move {
            if let Err(e) = push::send_due(&env, only).await {
                worker::console_error!("partner push: {e:?}");
            }
        });
    }
    Ok(())
}

/// `GET /api/staff/refutations/{id}/preview`: exactly what publishing the stored revision would show.
pub async fn preview(req: &Request, env: &Env, id: &str) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    editor(req, &db, Csrf::NotNeeded).await?;
    let mut r = load(&db, id).await?;
    let now = http::now_ms();
    // As it would be after publishing: a first publication is dated now; a published one is as it is.
    if r.status != RefutationStatus::Published {
        r.revised_at = r.published_at.map(|_| now);
        r.published_at = Some(r.published_at.unwrap_or(now));
    }
    let verdicts = store::refutations::verdicts(&db).await?;
    let taxonomy = store::taxonomy::load(&db).await?;
    let article = PublicRefutation::build(&r, &verdicts, &taxonomy, &origin(req)?, now);
    let problem = r.content.check_publishable().err().map(|e| Problem { field: e.field, error: e.code });
    let head = article.as_ref().map(render::head);
    Ok(http::json(200, &RefutationPreview { revision: r.revision, article, head, problem }))
}

/// `GET /api/staff/refutations/{id}/history`: every change, oldest first, with its content.
pub async fn history(req: &Request, env: &Env, id: &str) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    editor(req, &db, Csrf::NotNeeded).await?;
    let r = load(&db, id).await?;
    Ok(http::json(200, &RefutationHistory { events: store::refutations::history(&db, r.id).await? }))
}

// ---- Public ----

/// Public views of stored refutations (those whose verdict still exists).
pub fn public_views(
    rs: &[Refutation],
    verdicts: &[Verdict],
    taxonomy: &Taxonomy,
    origin: &str,
) -> Vec<PublicRefutation> {
    rs.iter().filter_map(|r| PublicRefutation::build(r, verdicts, taxonomy, origin, r.updated_at)).collect()
}

/// The public list filter from the query string, checked.
pub async fn public_filter(url: &Url, db: &D1Database, default_limit: u32) -> Result<PublicFilter, ApiError> {
    let mut filter = PublicFilter { limit: default_limit, ..PublicFilter::default() };
    for (key, value) in url.query_pairs() {
        match key.as_ref() {
            "tag" => {
                let tag =
                    normalise_tag(&value).map_err(|code| ApiError::Client { code, field: Some("tag".to_owned()) })?;
                filter.tag = Some(tag);
            }
            "region" => filter.region = Some(value.trim().to_owned()),
            "q" => filter.query = search::parse(&value)?,
            "after" => filter.after = Some(value.parse().map_err(|_| bad_query("after"))?),
            "limit" => {
                let limit: u32 = value.parse().map_err(|_| bad_query("limit"))?;
                if !(1..=PUBLIC_PAGE_MAX).contains(&limit) {
                    return Err(bad_query("limit"));
                }
                filter.limit = limit;
            }
            _ => return Err(bad_query(&key)),
        }
    }
    if let Some(region) = &filter.region
        && store::taxonomy::load(db).await?.district(region).is_none()
    {
        return Err(ApiError::Client { code: ErrorCode::UnknownDistrict, field: Some("region".to_owned()) });
    }
    Ok(filter)
}

/// Published refutations for a filter, as public views, with the next cursor and D1's time for the
/// list query; one D1 round trip.
pub async fn public_items(
    db: &D1Database,
    filter: &PublicFilter,
    origin: &str,
) -> Result<(Vec<PublicRefutation>, Option<String>, f64), ApiError> {
    let (rows, lists, next, duration) = store::refutations::public_page(db, filter).await?;
    Ok((public_views(&rows, &lists.verdicts, &lists.taxonomy, origin), next, duration))
}

/// `GET /api/refutations?tag=&region=&q=&after=&limit=`: published, newest first, keyset paging.
pub async fn list(req: &Request, env: &Env) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    let filter = public_filter(&req.url()?, &db, PUBLIC_PAGE).await?;
    let origin = origin(req)?;
    edge_cache::serve(req, env, |_| async move {
        // The worker's clock moves only across I/O, which is what this measures: D1's own time for the
        // list query, and everything the miss took (three queries and the JSON).
        let started = http::now_ms();
        let (items, next, duration) = public_items(&db, &filter, &origin).await?;
        let page = RefutationPage { items: items.iter().map(PublicRefutation::summary).collect(), next };
        let timing = format!("db;dur={duration:.2}, build;dur={}", http::now_ms() - started);
        Ok(Page { server_timing: Some(timing), ..Page::json(&page)? })
    })
    .await
}

/// `GET /api/refutations/latest?n=`: the newest `n` (default 5, at most 20) for the home page.
pub async fn latest(req: &Request, env: &Env) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    let mut n = 5;
    for (key, value) in req.url()?.query_pairs() {
        match key.as_ref() {
            "n" => n = value.parse().ok().filter(|n| (1..=LATEST_MAX).contains(n)).ok_or_else(|| bad_query("n"))?,
            _ => return Err(bad_query(&key)),
        }
    }
    let origin = origin(req)?;
    edge_cache::serve(req, env, |_| async move {
        let filter = PublicFilter { limit: n, ..PublicFilter::default() };
        let (items, _, _) = public_items(&db, &filter, &origin).await?;
        Page::json(&RefutationPage { items: items.iter().map(PublicRefutation::summary).collect(), next: None })
    })
    .await
}

/// `GET /api/refutations/{id}`: one published refutation; drafts and withdrawn ones are 404.
pub async fn get(req: &Request, env: &Env, id: &str) -> Result<Response, ApiError> {
    let id = parse_id(id)?;
    let db = store::db(env)?;
    let origin = origin(req)?;
    edge_cache::serve(req, env, |_| async move {
        let (r, lists) =
            store::refutations::published_with_lists(&db, id).await?.ok_or(ApiError::client(ErrorCode::NotFound))?;
        let article = PublicRefutation::build(&r, &lists.verdicts, &lists.taxonomy, &origin, r.updated_at)
            .ok_or(ApiError::client(ErrorCode::NotFound))?;
        Page::json(&article)
    })
    .await
}

/// `GET /api/refutations/tags`: tags in use, most used first.
pub async fn tags(req: &Request, env: &Env) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    edge_cache::serve(req, env, |_| async move { Page::json(&TagList { tags: store::refutations::tags(&db).await? }) })
        .await
}

/// `GET /api/refutations/verdicts`: the deployment's verdicts (the editor's choice list).
pub async fn verdicts(req: &Request, env: &Env) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    edge_cache::serve(req, env, |_| async move {
        Page::json(&VerdictList { verdicts: store::refutations::verdicts(&db).await? })
    })
    .await
}

/// The match index as stored in the edge cache: the compact binary form
/// (`qinglang_domain::refutation::match_index`).
pub async fn match_index_page(db: &D1Database) -> Result<Page, ApiError> {
    let entries: Vec<(i64, u64)> = store::refutations::match_rows(db)
        .await?
        .into_iter()
        .filter_map(|r| Some((r.id, qinglang_engine::Fingerprint::from_hex(&r.fingerprint)?.0)))
        .collect();
    let percent = (MATCH_MIN_SIMILARITY * 100.0).round() as u8;
    Ok(Page {
        status: 200,
        content_type: match_index::MEDIA_TYPE.to_owned(),
        body: match_index::encode(percent, &entries),
        server_timing: None,
    })
}

/// `GET /api/refutations/index`: every published refutation's id and claim fingerprint, binary.
pub async fn index(req: &Request, env: &Env) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    edge_cache::serve(req, env, |_version| async move { match_index_page(&db).await }).await
}

/// The match index as parsed for matching, kept per isolate for as long as its version is current,
/// so a burst of reports and hint checks decodes it once.
struct ParsedIndex {
    version: String,
    entries: Vec<(i64, u64)>,
}

thread_local! {
    // Workers run one thread per isolate; this is per-isolate memory that any request may rebuild.
    static PARSED_INDEX: std::cell::RefCell<Option<std::rc::Rc<ParsedIndex>>> = const { std::cell::RefCell::new(None) };
}

/// Published refutations whose fingerprint is close to `fingerprint` (closest first, at most 3),
/// from the edge-cached match index: the staff case view's "already refuted" and the report flow's
/// hint.
pub async fn report_matches(
    env: &Env,
    origin: &str,
    fingerprint: qinglang_engine::Fingerprint,
) -> Result<Vec<RefutationMatch>, ApiError> {
    let version = edge_cache::version(env).await?;
    let cached = PARSED_INDEX.with(|p| p.borrow().as_ref().filter(|p| p.version == version).cloned());
    let parsed = match cached {
        Some(parsed) => parsed,
        None => {
            let db = store::db(env)?;
            let found = edge_cache::cached(env, origin, "/api/refutations/index", |_version| async {
                match_index_page(&db).await
            })
            .await?;
            let index = match_index::decode(&found.page.body)
                .map_err(|e| ApiError::Internal(format!("cached match index: {e}")))?;
            let parsed = std::rc::Rc::new(ParsedIndex { version: found.version, entries: index.entries });
            PARSED_INDEX.with(|p| *p.borrow_mut() = Some(parsed.clone()));
            parsed
        }
    };
    let max_distance = qinglang_engine::Fingerprint::max_distance(MATCH_MIN_SIMILARITY);
    let mut near: Vec<(u32, i64)> = parsed
        .entries
        .iter()
        .map(|&(id, bits)| (qinglang_engine::Fingerprint(bits).distance(fingerprint), id))
        .filter(|(distance, _)| *distance <= max_distance)
        .collect();
    near.sort_unstable();
    near.truncate(3);
    // Most reports are close to no refutation: they need no title and no D1 binding.
    if near.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = near.iter().map(|(_, id)| *id).collect();
    let titles = store::refutations::published_titles(&store::db(env)?, &ids).await?;
    Ok(near
        .into_iter()
        .filter_map(|(distance, id)| {
            let title = titles.iter().find(|(t, _)| *t == id)?.1.clone();
            Some(RefutationMatch {
                id: RefutationId(id),
                title,
                distance,
                similarity_percent: qinglang_engine::Fingerprint::similarity_percent(distance),
            })
        })
        .collect())
}

/// `GET /api/refutations/match?fingerprint={16 hex digits}`: the published refutations whose claim
/// is close to a text, for the report flow's "already refuted" hint. The phone sends only the
/// engine's 64-bit fingerprint of what was typed, never the text; answers are edge-cached per
/// fingerprint and public version.
pub async fn match_fingerprint(req: &Request, env: &Env) -> Result<Response, ApiError> {
    let url = req.url()?;
    let raw = url.query_pairs().find(|(k, _)| k == "fingerprint").map(|(_, v)| v.into_owned()).unwrap_or_default();
    let fingerprint = (raw.len() == 16 && raw.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| qinglang_engine::Fingerprint::from_hex(&raw))
        .flatten()
        .ok_or(ApiError::Client { code: ErrorCode::BadJson, field: Some("fingerprint".to_owned()) })?;
    let origin = url.origin().ascii_serialization();
    edge_cache::serve(req, env, |_version| async move {
        Page::json(&MatchList { matches: report_matches(env, &origin, fingerprint).await? })
    })
    .await
}
