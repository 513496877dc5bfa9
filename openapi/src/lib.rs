//! Qinglang's OpenAPI 3.1 document, generated from `qinglang-domain`'s API types with utoipa.
//!
//! The schemas come from the types the worker serialises and the app sends (`#[derive(ToSchema)]`
//! under the domain crate's `openapi` feature), so a changed field changes the document. The paths
//! below describe the worker's route table in `worker/src/lib.rs`; `tests/drift.rs` fails when a
//! route there has no operation here, and when the committed `worker/openapi.json` (which the worker
//! serves at `GET /api/openapi.json`) differs from what this crate generates.
//!
//! This crate is native only: utoipa never reaches the app's or the worker's WASM.
//!
//! Adding a route: add a stub function with `#[utoipa::path]` below, list it in [`ApiDoc`], run
//! `cargo run -p qinglang-openapi -- worker/openapi.json` (scripts/build.sh does it too) and commit.

// The stub functions exist only to carry `#[utoipa::path]`; they are never called.
#![allow(dead_code)]

use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[allow(unused_imports)]
use qinglang_domain::admin::{
    Department, NewStaff, NewWebhook, RoutingRules, SettingsChanges, StaffAccount, StaffPatch, WebhookView,
};
#[allow(unused_imports)]
use qinglang_domain::api::{
    ApiErrorBody, CaseActionDone, CaseActionRequest, CaseDetail, CaseQueue, Health, NewReport, PublicStats,
    ReopenRequest, ReportCreated, ReportView, SignIn, StaffDirectory, StaffSession,
};
#[allow(unused_imports)]
use qinglang_domain::api::{MarkRead, Notifications, RatingRequest};
#[allow(unused_imports)]
use qinglang_domain::channel::{Channel, ChannelList, ChannelPatch, ChannelPublic, ChannelStarted, NewChannel};
use qinglang_domain::evidence::UploadCreated;
#[allow(unused_imports)]
use qinglang_domain::figures::StaffFigures;
use qinglang_domain::intake::StaffReportRequest;
use qinglang_domain::intake::import::{ImportAnswer, ImportRequest};
#[allow(unused_imports)]
use qinglang_domain::office::import::{OfficeImport, OfficeImportAnswer};
#[allow(unused_imports)]
use qinglang_domain::office::{NewOffice, OfficePatch, OfficeTree};
#[allow(unused_imports)]
use qinglang_domain::refutation::RefutationContent;
#[allow(unused_imports)]
use qinglang_domain::refutation::api::{
    DeliveryList, MatchList, NewPartner, PartnerCreated, PartnerList, PublicRefutation, PublishRefutation,
    RefutationHistory, RefutationPage, RefutationPreview, StaffRefutation, StaffRefutationList, TagList,
    UnpublishRefutation, UpdateRefutation, VerdictList,
};
#[allow(unused_imports)]
use qinglang_domain::taxonomy::edit::{CategoryPatch, EntryPatch, NewCategory, NewEntry};
#[allow(unused_imports)]
use qinglang_domain::taxonomy::import::{CategoryImport, CategoryImportAnswer};
use qinglang_domain::workflow::{Campaign, DeadlineSettings, Role, WorkingDaysSwitch, YearCalendar};
use qinglang_domain::{Contact, ReportStatus, Taxonomy};

/// The document as a value.
pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// The document as pretty-printed JSON with a final newline: what `worker/openapi.json` holds.
pub fn to_json() -> String {
    let mut json = document().to_pretty_json().unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    json.push('\n');
    json
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Qinglang API",
        description = "The JSON API of Qinglang (清朗), a reporting platform for harmful online information \
and uncivil behaviour. Every refusal is an `ApiErrorBody`: a machine code the app translates, a sentence in \
the language `Accept-Language` asks for (zh-Hans, zh-Hant or en), and the input field at fault when there is \
one. Rate-limited routes answer 429 with `Retry-After` (seconds).",
        license(name = "Apache-2.0", identifier = "Apache-2.0"),
    ),
    paths(
        health,
        categories,
        offices,
        stats,
        openapi_json,
        create_report,
        track_report,
        reopen_report,
        rate_report,
        sign_in,
        sign_out,
        me,
        staff_directory,
        list_cases,
        get_case,
        case_contact,
        case_action,
        enter_report,
        import_reports,
        staff_figures,
        departments,
        notifications,
        mark_notifications_read,
        check_figures,
        rebuild_figures,
        get_routing_rules,
        put_routing_rules,
        get_deadlines,
        put_deadlines,
        put_calendar_year,
        add_campaign,
        withdraw_campaign,
        create_category,
        import_categories,
        patch_category,
        create_district,
        patch_district,
        create_department,
        patch_department,
        settings_changes,
        create_office,
        import_offices,
        patch_office,
        list_staff,
        create_staff,
        patch_staff,
        list_webhooks,
        add_webhook,
        delete_webhook,
        list_refutations,
        latest_refutations,
        refutation_tags,
        refutation_verdicts,
        refutation_index,
        refutation_match,
        get_refutation,
        staff_list_refutations,
        create_refutation,
        staff_get_refutation,
        update_refutation,
        preview_refutation,
        refutation_history,
        publish_refutation,
        unpublish_refutation,
        list_partners,
        create_partner,
        remove_partner,
        partner_deliveries,
        create_upload,
        case_evidence,
        list_channels,
        create_channel,
        get_channel,
        patch_channel,
        channel_poster_svg,
        channel_poster_png,
        public_channel,
        channel_started,
    ),
    components(schemas(ApiErrorBody)),
    modifiers(&StaffSessionCookie),
    tags(
        (name = "public", description = "Open to everyone; no personal data."),
        (name = "reports", description = "Filing and tracking reports (receipt code + secret)."),
        (name = "staff", description = "The staff console: session cookie, CSRF token on changes."),
        (name = "admin", description = "Settings: staff accounts, routing rules, digest webhooks (admin only)."),
        (name = "refutations", description = "The public refutation library (辟谣): edge-cached, `ETag` + `304`."),
        (name = "editor", description = "Writing refutations and managing partner pushes (editor or admin)."),
    )
)]
struct ApiDoc;

/// The staff session cookie as a security scheme.
struct StaffSessionCookie;

impl Modify for StaffSessionCookie {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "staff_session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                "ql_staff",
                "HttpOnly, Secure, SameSite=Strict session cookie set by POST /api/staff/session (Path=/api: the staff and admin routes).",
            ))),
        );
    }
}

/// Is the API up? Pings D1.
#[utoipa::path(get, path = "/api/health", tag = "public", responses(
    (status = 200, description = "The database answered.", body = Health),
    (status = 500, description = "Our side failed; nothing is said about why.", body = ApiErrorBody),
))]
fn health() {}

/// The deployment's categories as a tree and its districts. Categories come in tree order — each
/// after its parent and before its parent's next sibling — and a subcategory names its `parent`.
/// Retired categories and districts are listed too, marked `"active": false`, so an old case still
/// finds its name; a form offers only the active ones. The figures count by top-level category.
#[utoipa::path(get, path = "/api/categories", tag = "public", responses(
    (status = 200, description = "Categories (a tree, in tree order) and districts.", body = Taxonomy),
    (status = 500, description = "Our side failed.", body = ApiErrorBody),
))]
fn categories() {}

/// Public figures: counts only.
#[utoipa::path(get, path = "/api/stats", tag = "public",
    params(("office" = Option<String>, Query, description = "An office's code (`GET /api/offices`): the figures of the cases held in its subtree — its own plus its children's. Left out (or the root): every case.")),
    responses(
    (status = 200, description = "Reports by where they stand; served from the edge cache for up to `STATS_MAX_AGE_S` seconds (default 60), see `cache-control`.", body = PublicStats),
    (status = 400, description = "`unknown_office`: no office has that code.", body = ApiErrorBody),
    (status = 500, description = "Our side failed.", body = ApiErrorBody),
))]
fn stats() {}

/// The office network: every office in tree order (each after its parent) with its code, parent,
/// level (`province` … `community`) and names. No staff and no figures (those are `GET /api/stats?office=`).
#[utoipa::path(get, path = "/api/offices", tag = "public", responses(
    (status = 200, description = "The office tree.", body = OfficeTree),
    (status = 500, description = "Our side failed.", body = ApiErrorBody),
))]
fn offices() {}

/// Adds an office under an existing one, at a lower level (admin). Its code never changes and is
/// never reused. Logged in the settings log.
#[utoipa::path(post, path = "/api/admin/offices", tag = "admin", security(("staff_session" = [])),
    params(("x-csrf-token" = String, Header, description = "The session's CSRF token.")),
    request_body(content = NewOffice, content_type = "application/json"),
    responses(
        (status = 201, description = "The office tree now.", body = OfficeTree),
        (status = 400, description = "A field refused: `code_invalid`, `unknown_office` (`parent`), `level_invalid`, `name_invalid`.", body = ApiErrorBody),
        (status = 409, description = "`code_taken`.", body = ApiErrorBody),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 403, description = "`forbidden` or `csrf_token_invalid`.", body = ApiErrorBody),
        (status = 500, description = "Our side failed; nothing was changed.", body = ApiErrorBody),
    )
)]
fn create_office() {}

/// Imports categories and subcategories (admins of the root office): `text/csv` with a header row
/// `code,parent,kind,name_zh_hans` (and optionally `name_zh_hant,name_en,deadline_days,requires_link,
/// requires_location,default_department`) or JSON `{"rows": [...]}`, up to 1,000 rows (Tianjin's 9
/// categories and 239 subcategories fit). Each row is checked as `POST /api/admin/categories` checks
/// one, against the stored taxonomy and the other rows (a subcategory may come before its parent);
/// a bad row anywhere answers `400 import_invalid` naming every bad row, with nothing stored.
#[utoipa::path(post, path = "/api/admin/categories/import", tag = "admin", security(("staff_session" = [])),
    params(("x-csrf-token" = String, Header, description = "The session's CSRF token.")),
    request_body(content(
        (CategoryImport = "application/json"),
        (String = "text/csv"),
    ), description = "At most 512 KiB."),
    responses(
        (status = 201, description = "How many categories were added.", body = CategoryImportAnswer),
        (status = 400, description = "`import_invalid` with every bad row (`row`, `field`, `error`, `message`), or `bad_json`.", body = CategoryImportAnswer),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 403, description = "`forbidden` (also for admins below the root office) or `csrf_token_invalid`.", body = ApiErrorBody),
        (status = 409, description = "`code_taken`: a category with a row's code was added meanwhile; nothing was stored.", body = ApiErrorBody),
        (status = 413, description = "`body_too_large`.", body = ApiErrorBody),
        (status = 500, description = "Our side failed; nothing was changed.", body = ApiErrorBody),
    )
)]
fn import_categories() {}

/// Imports an office tree (admin): `text/csv` with a header row `code,parent,level,name_zh_hans`
/// (and optionally `name_zh_hant,name_en`, which default to the simplified name) or JSON
/// `{"rows": [...]}`, up to 10,000 rows (Tianjin's 16 districts, 281 streets and 6,126 communities
/// fit). Rows may come in any order (a parent after its child); every row is checked against the
/// stored tree and the others, and a bad row anywhere answers `400 import_invalid` naming every bad
/// row, with nothing stored. Each office goes under the admin's own office or below it; each is
/// logged in the settings log.
#[utoipa::path(post, path = "/api/admin/offices/import", tag = "admin", security(("staff_session" = [])),
    params(("x-csrf-token" = String, Header, description = "The session's CSRF token.")),
    request_body(content(
        (OfficeImport = "application/json"),
        (String = "text/csv"),
    ), description = "At most 4 MiB."),
    responses(
        (status = 201, description = "How many offices were added, and how many there are now.", body = OfficeImportAnswer),
        (status = 400, description = "`import_invalid` with every bad row (`row`, `field`, `error`, `message`), or `bad_json`.", body = OfficeImportAnswer),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 403, description = "`forbidden` or `csrf_token_invalid`.", body = ApiErrorBody),
        (status = 409, description = "`code_taken`: an office with a row's code was added meanwhile; nothing was stored.", body = ApiErrorBody),
        (status = 413, description = "`body_too_large`.", body = ApiErrorBody),
        (status = 500, description = "Our side failed; nothing was changed.", body = ApiErrorBody),
    )
)]
fn import_offices() {}

/// Renames an office, or moves its level within its parent's and its children's (admin). Logged.
#[utoipa::path(patch, path = "/api/admin/offices/{code}", tag = "admin", security(("staff_session" = [])),
    params(
        ("code" = String, Path, description = "Office code."),
        ("x-csrf-token" = String, Header, description = "The session's CSRF token."),
    ),
    request_body(content = OfficePatch, content_type = "application/json"),
    responses(
        (status = 200, description = "The office tree now.", body = OfficeTree),
        (status = 400, description = "`name_invalid` or `level_invalid`.", body = ApiErrorBody),
        (status = 404, description = "`not_found`.", body = ApiErrorBody),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 403, description = "`forbidden` or `csrf_token_invalid`.", body = ApiErrorBody),
        (status = 500, description = "Our side failed; nothing was changed.", body = ApiErrorBody),
    )
)]
fn patch_office() {}

/// This document.
#[utoipa::path(get, path = "/api/openapi.json", tag = "public", responses(
    (status = 200, description = "The OpenAPI 3.1 document.", body = Object, content_type = "application/json"),
))]
fn openapi_json() {}

/// Files a report. A retry with the same `idempotency_key` answers 200 with the same receipt and
/// stores nothing; the same key with a different report answers 409 `idempotency_conflict`.
#[utoipa::path(post, path = "/api/reports", tag = "reports",
    request_body(content = NewReport, content_type = "application/json", description = "At most 32 KiB."),
    responses(
        (status = 201, description = "Stored. The secret is shown once; only its hash is kept.", body = ReportCreated),
        (status = 200, description = "A retry of a report already stored: the same receipt.", body = ReportCreated),
        (status = 400, description = "Bad JSON or a field refused (`field` names it, `links.2` for the third link).", body = ApiErrorBody),
        (status = 409, description = "`idempotency_conflict`: the key was used for a different report.", body = ApiErrorBody),
        (status = 413, description = "`body_too_large`.", body = ApiErrorBody),
        (status = 415, description = "`unsupported_media_type`: not application/json.", body = ApiErrorBody),
        (status = 429, description = "`rate_limited`: too many reports from this network.", body = ApiErrorBody,
            headers(("retry-after" = u32, description = "Seconds to wait."))),
        (status = 500, description = "Our side failed; nothing was stored.", body = ApiErrorBody),
    )
)]
fn create_report() {}

/// A report's status and public timeline, for whoever holds its receipt code and secret. An unknown
/// code and a wrong secret get byte-identical 404s.
#[utoipa::path(get, path = "/api/reports/{code}", tag = "reports",
    params(
        ("code" = String, Path, pattern = "^[A-Za-z2-9-]{9,11}$", description = "Receipt code, with or without dashes (`K7M-X3P-QAR`)."),
        ("x-receipt-secret" = String, Header, pattern = "^[A-Za-z2-9-]{12,14}$", description = "The tracking secret (never in the URL, which is logged)."),
    ),
    responses(
        (status = 200, description = "What the reporter may see.", body = ReportView),
        (status = 400, description = "`receipt_code_invalid` (a typo: the check character is wrong) or `secret_missing`.", body = ApiErrorBody),
        (status = 404, description = "`receipt_not_found`: no report with this code and secret.", body = ApiErrorBody),
        (status = 429, description = "`rate_limited`: too many lookups from this network.", body = ApiErrorBody,
            headers(("retry-after" = u32, description = "Seconds to wait."))),
        (status = 500, description = "Our side failed.", body = ApiErrorBody),
    )
)]
fn track_report() {}

/// The reporter says the case was not resolved: reopens it within the reopen window.
#[utoipa::path(post, path = "/api/reports/{code}/reopen", tag = "reports",
    params(
        ("code" = String, Path, pattern = "^[A-Za-z2-9-]{9,11}$", description = "Receipt code."),
        ("x-receipt-secret" = String, Header, pattern = "^[A-Za-z2-9-]{12,14}$", description = "The tracking secret."),
    ),
    request_body(content = ReopenRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "Reopened; the tracking view.", body = ReportView),
        (status = 400, description = "Bad code, missing secret, bad JSON or no reason.", body = ApiErrorBody),
        (status = 404, description = "`receipt_not_found`.", body = ApiErrorBody),
        (status = 409, description = "Not resolved, window closed or reopened too often.", body = ApiErrorBody),
        (status = 413, description = "`body_too_large`.", body = ApiErrorBody),
        (status = 415, description = "`unsupported_media_type`.", body = ApiErrorBody),
        (status = 429, description = "`rate_limited`.", body = ApiErrorBody,
            headers(("retry-after" = u32, description = "Seconds to wait."))),
        (status = 500, description = "Our side failed; nothing was changed.", body = ApiErrorBody),
    )
)]
fn reopen_report() {}

/// The reporter rates a resolved case (满意 / 基本满意 / 不满意), once per resolution; a reopened and
/// again resolved case may be rated again. The rating is a public `rated` line on the timeline.
#[utoipa::path(post, path = "/api/reports/{code}/rating", tag = "reports",
    params(
        ("code" = String, Path, pattern = "^[A-Za-z2-9-]{9,11}$", description = "Receipt code."),
        ("x-receipt-secret" = String, Header, pattern = "^[A-Za-z2-9-]{12,14}$", description = "The tracking secret."),
    ),
    request_body(content = RatingRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "Rated; the tracking view.", body = ReportView),
        (status = 400, description = "Bad code, missing secret, bad JSON or a comment over 500 characters.", body = ApiErrorBody),
        (status = 404, description = "`receipt_not_found`.", body = ApiErrorBody),
        (status = 409, description = "`rating_not_open` (not resolved) or `already_rated`.", body = ApiErrorBody),
        (status = 413, description = "`body_too_large`.", body = ApiErrorBody),
        (status = 415, description = "`unsupported_media_type`.", body = ApiErrorBody),
        (status = 429, description = "`rate_limited`.", body = ApiErrorBody,
            headers(("retry-after" = u32, description = "Seconds to wait."))),
        (status = 500, description = "Our side failed; nothing was changed.", body = ApiErrorBody),
    )
)]
fn rate_report() {}

/// Supervisors' figures per department and primary handler, and the league table of the offices
/// below (the office's own cases, then one line per child office's subtree) (admin, supervisor; a
/// liaison gets only their department's line; handlers and editors are refused).
#[utoipa::path(get, path = "/api/staff/figures", tag = "staff", security(("staff_session" = [])),
    params(("office" = Option<String>, Query, description = "An office in the account's office's subtree (default: the account's own office).")),
    responses(
        (status = 200, description = "The figures.", body = StaffFigures),
        (status = 400, description = "`unknown_office` (field `office`).", body = ApiErrorBody),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 403, description = "`forbidden`; with field `office`, an office outside the account's subtree.", body = ApiErrorBody),
        (status = 500, description = "Our side failed.", body = ApiErrorBody),
    )
)]
fn staff_figures() {}

/// Every department in order, retired ones marked `"active": false` (shown on their old cases,
/// offered for nothing new) (every staff role).
#[utoipa::path(get, path = "/api/staff/departments", tag = "staff", security(("staff_session" = [])),
    responses(
        (status = 200, description = "The departments, in order.", body = Vec<Department>),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 500, description = "Our side failed.", body = ApiErrorBody),
    )
)]
fn departments() {}

/// One's own console notifications, newest 50, and the unread count.
#[utoipa::path(get, path = "/api/staff/notifications", tag = "staff", security(("staff_session" = [])),
    responses(
        (status = 200, description = "The notifications.", body = Notifications),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 500, description = "Our side failed.", body = ApiErrorBody),
    )
)]
fn notifications() {}

/// Marks some (`ids`) or all of one's own notifications read. Needs `x-csrf-token`.
#[utoipa::path(post, path = "/api/staff/notifications/read", tag = "staff", security(("staff_session" = [])),
    params(("x-csrf-token" = String, Header, description = "The session's CSRF token.")),
    request_body(content = MarkRead, content_type = "application/json"),
    responses(
        (status = 200, description = "The notifications after marking.", body = Notifications),
        (status = 400, description = "`bad_json`.", body = ApiErrorBody),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 403, description = "`csrf_token_invalid`.", body = ApiErrorBody),
        (status = 413, description = "`body_too_large`.", body = ApiErrorBody),
        (status = 415, description = "`unsupported_media_type`.", body = ApiErrorBody),
        (status = 500, description = "Our side failed.", body = ApiErrorBody),
    )
)]
fn mark_notifications_read() {}

/// Every office's public figures from the counters and from the audit log, and its supervisors'
/// figures from the counters and from the case rows, compared (root admins): `{"offices",
/// "counters_ready", "mismatches": [{"office", "counters", "log"} or {"office", "staff_counters",
/// "staff_rows"}]}`. Medians may differ by the counters' bound of 0.1 day; anything else is a mismatch.
#[utoipa::path(get, path = "/api/admin/figures/check", tag = "admin", security(("staff_session" = [])),
    responses(
        (status = 200, description = "The comparison (JSON object)."),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 403, description = "`forbidden`: not an admin of the root office.", body = ApiErrorBody),
        (status = 500, description = "Our side failed.", body = ApiErrorBody),
    )
)]
fn check_figures() {}

/// The counters' repair job (root admins): counts every case of every shard anew into the public
/// and supervisors' figures' counters, a thousand cases a page, up to 300 pages a request; the cron
/// continues a job a request did not finish, and a second request continues it too. Cases that
/// change meanwhile are kept exact. Body `{}` or `{"pages": 1–300, "page_size": 1–1000}`; answers
/// `{"cases": {"DB": n, "SHARD_1": n}, "done": bool}` (the cases this request counted). Needs
/// `x-csrf-token`.
#[utoipa::path(post, path = "/api/admin/figures/rebuild", tag = "admin", security(("staff_session" = [])),
    params(("x-csrf-token" = String, Header, description = "The session's CSRF token.")),
    responses(
        (status = 200, description = "The cases counted per shard by this request and whether the job is done (JSON object)."),
        (status = 400, description = "`bad_json` with `field` `pages` or `page_size` out of range, or an unknown field.", body = ApiErrorBody),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 403, description = "`forbidden` or `csrf_token_invalid`.", body = ApiErrorBody),
        (status = 500, description = "Our side failed.", body = ApiErrorBody),
    )
)]
fn rebuild_figures() {}

/// An office's routing rules that transfer proposals use (admin): a case's proposal asks its own
/// office's rules first, then each office above it, the root's (and the category's default
/// department) last.
#[utoipa::path(get, path = "/api/admin/routing-rules", tag = "admin", security(("staff_session" = [])),
    params(("office" = Option<String>, Query, description = "An office in the admin's subtree (default: its own).")),
    responses(
        (status = 200, description = "The rules, in order.", body = RoutingRules),
        (status = 400, description = "`unknown_office`.", body = ApiErrorBody),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 403, description = "`forbidden` (with field `office`: outside the admin's subtree).", body = ApiErrorBody),
        (status = 500, description = "Our side failed.", body = ApiErrorBody),
    )
)]
fn get_routing_rules() {}

/// Replaces an office's routing rules (admin); every department a rule names must serve that office
/// (belong to it or an office above it). Needs `x-csrf-token`.
#[utoipa::path(put, path = "/api/admin/routing-rules", tag = "admin", security(("staff_session" = [])),
    params(
        ("x-csrf-token" = String, Header, description = "The session's CSRF token."),
        ("office" = Option<String>, Query, description = "An office in the admin's subtree (default: its own)."),
    ),
    request_body(content = RoutingRules, content_type = "application/json"),
    responses(
        (status = 200, description = "The rules as stored.", body = RoutingRules),
        (status = 400, description = "Unknown category, district or department, a duplicate rule, or too many.", body = ApiErrorBody),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 403, description = "`forbidden` or `csrf_token_invalid`.", body = ApiErrorBody),
        (status = 413, description = "`body_too_large`.", body = ApiErrorBody),
        (status = 415, description = "`unsupported_media_type`.", body = ApiErrorBody),
        (status = 500, description = "Our side failed.", body = ApiErrorBody),
    )
)]
fn put_routing_rules() {}

/// How handling limits are counted (working or calendar days), every uploaded year's holidays and
/// make-up working days, and the campaigns not withdrawn (admin).
#[utoipa::path(get, path = "/api/admin/deadlines", tag = "admin", security(("staff_session" = [])),
    responses(
        (status = 200, description = "The settings.", body = DeadlineSettings),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 403, description = "`forbidden` or `csrf_token_invalid`.", body = ApiErrorBody),
        (status = 500, description = "Our side failed; nothing was changed.", body = ApiErrorBody),
    )
)]
fn get_deadlines() {}

/// Counts handling limits in working days (`true`) or calendar days (admin). New deadlines follow at
/// once; deadlines already set are kept.
#[utoipa::path(put, path = "/api/admin/deadlines", tag = "admin", security(("staff_session" = [])),
    params(("x-csrf-token" = String, Header, description = "The session's CSRF token.")),
    request_body(content = WorkingDaysSwitch, content_type = "application/json"),
    responses(
        (status = 200, description = "The settings now.", body = DeadlineSettings),
        (status = 400, description = "Bad JSON.", body = ApiErrorBody),
        (status = 415, description = "`unsupported_media_type`.", body = ApiErrorBody),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 403, description = "`forbidden` or `csrf_token_invalid`.", body = ApiErrorBody),
        (status = 500, description = "Our side failed; nothing was changed.", body = ApiErrorBody),
    )
)]
fn put_deadlines() {}

/// Replaces one year's official holidays and make-up working days (调休), as the State Council
/// publishes them (admin).
#[utoipa::path(put, path = "/api/admin/calendar/{year}", tag = "admin", security(("staff_session" = [])),
    params(
        ("year" = i32, Path, description = "The year, 2000–2100."),
        ("x-csrf-token" = String, Header, description = "The session's CSRF token."),
    ),
    request_body(content = YearCalendar, content_type = "application/json"),
    responses(
        (status = 200, description = "The settings now.", body = DeadlineSettings),
        (status = 400, description = "`date_out_of_range` (`holidays.3`: not a date of that year), `duplicate_rule` (a day both), `too_many_items`.", body = ApiErrorBody),
        (status = 404, description = "`not_found`: not a year.", body = ApiErrorBody),
        (status = 415, description = "`unsupported_media_type`.", body = ApiErrorBody),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 403, description = "`forbidden` or `csrf_token_invalid`.", body = ApiErrorBody),
        (status = 500, description = "Our side failed; nothing was changed.", body = ApiErrorBody),
    )
)]
fn put_calendar_year() {}

/// Starts a campaign (专项行动) that shortens the handling limit of chosen categories for a period
/// (admin): cases accepted or reopened within it get the shorter limit.
#[utoipa::path(post, path = "/api/admin/campaigns", tag = "admin", security(("staff_session" = [])),
    params(("x-csrf-token" = String, Header, description = "The session's CSRF token.")),
    request_body(content = Campaign, content_type = "application/json"),
    responses(
        (status = 201, description = "The settings now.", body = DeadlineSettings),
        (status = 400, description = "A field refused: `name`, `categories.2`, `deadline_days` (1–90), `starts_on`, `ends_on`.", body = ApiErrorBody),
        (status = 415, description = "`unsupported_media_type`.", body = ApiErrorBody),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 403, description = "`forbidden` or `csrf_token_invalid`.", body = ApiErrorBody),
        (status = 500, description = "Our side failed; nothing was changed.", body = ApiErrorBody),
    )
)]
fn add_campaign() {}

/// Withdraws a campaign early; it stays on record (admin).
#[utoipa::path(delete, path = "/api/admin/campaigns/{id}", tag = "admin", security(("staff_session" = [])),
    params(
        ("id" = i64, Path, description = "Campaign id."),
        ("x-csrf-token" = String, Header, description = "The session's CSRF token."),
    ),
    responses(
        (status = 200, description = "The settings now.", body = DeadlineSettings),
        (status = 404, description = "`not_found`: no such running campaign.", body = ApiErrorBody),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 403, description = "`forbidden` or `csrf_token_invalid`.", body = ApiErrorBody),
        (status = 500, description = "Our side failed; nothing was changed.", body = ApiErrorBody),
    )
)]
fn withdraw_campaign() {}

/// Adds a category, or a subcategory under `parent` (at most three levels), at the end of its
/// siblings (admin). What a subcategory leaves out (kind, limit, link and place rules, department)
/// follows its parent. Logged in the settings log.
#[utoipa::path(post, path = "/api/admin/categories", tag = "admin", security(("staff_session" = [])),
    params(("x-csrf-token" = String, Header, description = "The session's CSRF token.")),
    request_body(content = NewCategory, content_type = "application/json"),
    responses(
        (status = 201, description = "The taxonomy now.", body = Taxonomy),
        (status = 400, description = "A field refused: `code_invalid`, `parent_invalid`, `kind_mismatch`, `field_required` (`kind` of a top-level category), `name_invalid`, `number_out_of_range` (`deadline_days`, 1–365), `unknown_department`.", body = ApiErrorBody),
        (status = 409, description = "`code_taken`: codes are never reused, retired ones included.", body = ApiErrorBody),
        (status = 415, description = "`unsupported_media_type`.", body = ApiErrorBody),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 403, description = "`forbidden` or `csrf_token_invalid`.", body = ApiErrorBody),
        (status = 500, description = "Our side failed; nothing was changed.", body = ApiErrorBody),
    )
)]
fn create_category() {}

/// Renames a category, changes its limit, rules, department or place among its siblings, retires
/// it (`"active": false`) or restores it (admin). Its code, parent and kind never change. A category
/// with an active subcategory cannot be retired; a subcategory cannot be restored under a retired
/// parent. Cases already filed keep it; accepted cases keep their due time. Logged.
#[utoipa::path(patch, path = "/api/admin/categories/{code}", tag = "admin", security(("staff_session" = [])),
    params(
        ("code" = String, Path, description = "Category code."),
        ("x-csrf-token" = String, Header, description = "The session's CSRF token."),
    ),
    request_body(content = CategoryPatch, content_type = "application/json"),
    responses(
        (status = 200, description = "The taxonomy now.", body = Taxonomy),
        (status = 400, description = "A field refused: `name_invalid`, `number_out_of_range`, `unknown_department`, `parent_invalid` (restoring under a retired parent).", body = ApiErrorBody),
        (status = 404, description = "`not_found`: no such category.", body = ApiErrorBody),
        (status = 409, description = "`still_in_use`: it has an active subcategory.", body = ApiErrorBody),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 403, description = "`forbidden` or `csrf_token_invalid`.", body = ApiErrorBody),
        (status = 500, description = "Our side failed; nothing was changed.", body = ApiErrorBody),
    )
)]
fn patch_category() {}

/// Adds a district at the end of the list (admin). Logged.
#[utoipa::path(post, path = "/api/admin/districts", tag = "admin", security(("staff_session" = [])),
    params(("x-csrf-token" = String, Header, description = "The session's CSRF token.")),
    request_body(content = NewEntry, content_type = "application/json"),
    responses(
        (status = 201, description = "The taxonomy now.", body = Taxonomy),
        (status = 400, description = "`code_invalid`, `name_invalid` or `too_many_items`.", body = ApiErrorBody),
        (status = 409, description = "`code_taken`.", body = ApiErrorBody),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 403, description = "`forbidden` or `csrf_token_invalid`.", body = ApiErrorBody),
        (status = 500, description = "Our side failed; nothing was changed.", body = ApiErrorBody),
    )
)]
fn create_district() {}

/// Renames, moves, retires or restores a district (admin). One that an active poster (channel)
/// fills in cannot be retired. Logged.
#[utoipa::path(patch, path = "/api/admin/districts/{code}", tag = "admin", security(("staff_session" = [])),
    params(
        ("code" = String, Path, description = "District code."),
        ("x-csrf-token" = String, Header, description = "The session's CSRF token."),
    ),
    request_body(content = EntryPatch, content_type = "application/json"),
    responses(
        (status = 200, description = "The taxonomy now.", body = Taxonomy),
        (status = 400, description = "`name_invalid`.", body = ApiErrorBody),
        (status = 404, description = "`not_found`.", body = ApiErrorBody),
        (status = 409, description = "`still_in_use`: an active poster names it.", body = ApiErrorBody),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 403, description = "`forbidden` or `csrf_token_invalid`.", body = ApiErrorBody),
        (status = 500, description = "Our side failed; nothing was changed.", body = ApiErrorBody),
    )
)]
fn patch_district() {}

/// Adds a department at the end of the list (admin). Logged.
#[utoipa::path(post, path = "/api/admin/departments", tag = "admin", security(("staff_session" = [])),
    params(("x-csrf-token" = String, Header, description = "The session's CSRF token.")),
    request_body(content = NewEntry, content_type = "application/json"),
    responses(
        (status = 201, description = "Every department now.", body = Vec<Department>),
        (status = 400, description = "`code_invalid`, `name_invalid` or `too_many_items`.", body = ApiErrorBody),
        (status = 409, description = "`code_taken`.", body = ApiErrorBody),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 403, description = "`forbidden` or `csrf_token_invalid`.", body = ApiErrorBody),
        (status = 500, description = "Our side failed; nothing was changed.", body = ApiErrorBody),
    )
)]
fn create_department() {}

/// Renames, moves, retires or restores a department (admin). One that an active category names,
/// a routing rule sends to, an active liaison belongs to, or that holds open cases or open requests
/// cannot be retired. Logged.
#[utoipa::path(patch, path = "/api/admin/departments/{code}", tag = "admin", security(("staff_session" = [])),
    params(
        ("code" = String, Path, description = "Department code."),
        ("x-csrf-token" = String, Header, description = "The session's CSRF token."),
    ),
    request_body(content = EntryPatch, content_type = "application/json"),
    responses(
        (status = 200, description = "Every department now.", body = Vec<Department>),
        (status = 400, description = "`name_invalid`.", body = ApiErrorBody),
        (status = 404, description = "`not_found`.", body = ApiErrorBody),
        (status = 409, description = "`still_in_use`.", body = ApiErrorBody),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 403, description = "`forbidden` or `csrf_token_invalid`.", body = ApiErrorBody),
        (status = 500, description = "Our side failed; nothing was changed.", body = ApiErrorBody),
    )
)]
fn patch_department() {}

/// The settings log, newest first (admin): every change to categories, districts, departments,
/// the working-days switch, a year's calendar and campaigns — who, when, the row before and after.
#[utoipa::path(get, path = "/api/admin/changes", tag = "admin", security(("staff_session" = [])),
    params(
        ("subject" = Option<String>, Query, description = "Only `category`, `district`, `department`, `deadlines`, `calendar` or `campaign`."),
        ("before" = Option<i64>, Query, description = "The previous page's `next`."),
        ("limit" = Option<u32>, Query, description = "1–100, default 50."),
    ),
    responses(
        (status = 200, description = "A page of changes.", body = SettingsChanges),
        (status = 400, description = "A bad query value, named in `field`.", body = ApiErrorBody),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 403, description = "`forbidden`.", body = ApiErrorBody),
        (status = 500, description = "Our side failed.", body = ApiErrorBody),
    )
)]
fn settings_changes() {}

/// Every staff account, never a password hash (admin).
#[utoipa::path(get, path = "/api/admin/staff", tag = "admin", security(("staff_session" = [])),
    responses(
        (status = 200, description = "The accounts.", body = Vec<StaffAccount>),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 403, description = "`forbidden`.", body = ApiErrorBody),
        (status = 500, description = "Our side failed.", body = ApiErrorBody),
    )
)]
fn list_staff() {}

/// Creates an account with its initial password (admin). Needs `x-csrf-token`.
#[utoipa::path(post, path = "/api/admin/staff", tag = "admin", security(("staff_session" = [])),
    params(("x-csrf-token" = String, Header, description = "The session's CSRF token.")),
    request_body(content = NewStaff, content_type = "application/json"),
    responses(
        (status = 201, description = "Created.", body = StaffAccount),
        (status = 400, description = "Bad username, name, password or department.", body = ApiErrorBody),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 403, description = "`forbidden` or `csrf_token_invalid`.", body = ApiErrorBody),
        (status = 409, description = "`username_taken`.", body = ApiErrorBody),
        (status = 413, description = "`body_too_large`.", body = ApiErrorBody),
        (status = 415, description = "`unsupported_media_type`.", body = ApiErrorBody),
        (status = 500, description = "Our side failed.", body = ApiErrorBody),
    )
)]
fn create_staff() {}

/// Disables or enables an account, or changes its role or department (admin; not one's own).
/// Disabling ends the account's sessions. Needs `x-csrf-token`.
#[utoipa::path(patch, path = "/api/admin/staff/{id}", tag = "admin", security(("staff_session" = [])),
    params(
        ("id" = i64, Path, description = "Account id."),
        ("x-csrf-token" = String, Header, description = "The session's CSRF token."),
    ),
    request_body(content = StaffPatch, content_type = "application/json"),
    responses(
        (status = 200, description = "The account after the change.", body = StaffAccount),
        (status = 400, description = "Bad JSON, missing or unknown department.", body = ApiErrorBody),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 403, description = "`forbidden` or `csrf_token_invalid`.", body = ApiErrorBody),
        (status = 404, description = "`not_found`.", body = ApiErrorBody),
        (status = 409, description = "`own_account`.", body = ApiErrorBody),
        (status = 413, description = "`body_too_large`.", body = ApiErrorBody),
        (status = 415, description = "`unsupported_media_type`.", body = ApiErrorBody),
        (status = 500, description = "Our side failed.", body = ApiErrorBody),
    )
)]
fn patch_staff() {}

/// The daily digest's webhooks, URLs masked (admin).
#[utoipa::path(get, path = "/api/admin/webhooks", tag = "admin", security(("staff_session" = [])),
    responses(
        (status = 200, description = "The webhooks.", body = Vec<WebhookView>),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 403, description = "`forbidden`.", body = ApiErrorBody),
        (status = 500, description = "Our side failed.", body = ApiErrorBody),
    )
)]
fn list_webhooks() {}

/// Adds a webhook (`https://` only) the daily digest is posted to (admin). Needs `x-csrf-token`.
#[utoipa::path(post, path = "/api/admin/webhooks", tag = "admin", security(("staff_session" = [])),
    params(("x-csrf-token" = String, Header, description = "The session's CSRF token.")),
    request_body(content = NewWebhook, content_type = "application/json"),
    responses(
        (status = 201, description = "Added; the URL masked.", body = WebhookView),
        (status = 400, description = "`webhook_url_invalid`, `too_many_items` or bad JSON.", body = ApiErrorBody),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 403, description = "`forbidden` or `csrf_token_invalid`.", body = ApiErrorBody),
        (status = 413, description = "`body_too_large`.", body = ApiErrorBody),
        (status = 415, description = "`unsupported_media_type`.", body = ApiErrorBody),
        (status = 500, description = "Our side failed.", body = ApiErrorBody),
    )
)]
fn add_webhook() {}

/// Removes a webhook (admin). Needs `x-csrf-token`.
#[utoipa::path(delete, path = "/api/admin/webhooks/{id}", tag = "admin", security(("staff_session" = [])),
    params(
        ("id" = i64, Path, description = "Webhook id."),
        ("x-csrf-token" = String, Header, description = "The session's CSRF token."),
    ),
    responses(
        (status = 204, description = "Removed."),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 403, description = "`forbidden` or `csrf_token_invalid`.", body = ApiErrorBody),
        (status = 404, description = "`not_found`.", body = ApiErrorBody),
        (status = 500, description = "Our side failed.", body = ApiErrorBody),
    )
)]
fn delete_webhook() {}

/// Staff sign-in. A wrong username and a wrong password get the same answer after the same work.
#[utoipa::path(post, path = "/api/staff/session", tag = "staff",
    request_body(content = SignIn, content_type = "application/json"),
    responses(
        (status = 200, description = "Signed in; the session cookie is set.", body = StaffSession,
            headers(("set-cookie" = String, description = "`ql_staff=…; Path=/api; HttpOnly; Secure; SameSite=Strict`"))),
        (status = 400, description = "`bad_json`.", body = ApiErrorBody),
        (status = 401, description = "`invalid_credentials`.", body = ApiErrorBody),
        (status = 413, description = "`body_too_large`.", body = ApiErrorBody),
        (status = 415, description = "`unsupported_media_type`.", body = ApiErrorBody),
        (status = 429, description = "`rate_limited`: too many sign-ins from this network or failures for this username.",
            body = ApiErrorBody, headers(("retry-after" = u32, description = "Seconds to wait."))),
        (status = 500, description = "Our side failed.", body = ApiErrorBody),
    )
)]
fn sign_in() {}

/// Signs out: the session is deleted and the cookie cleared.
#[utoipa::path(delete, path = "/api/staff/session", tag = "staff",
    params(("x-csrf-token" = String, Header, description = "The session's CSRF token.")),
    security(("staff_session" = [])),
    responses(
        (status = 204, description = "Signed out.", headers(("set-cookie" = String, description = "Clears the cookie."))),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 403, description = "`csrf_token_invalid`.", body = ApiErrorBody),
        (status = 500, description = "Our side failed.", body = ApiErrorBody),
    )
)]
fn sign_out() {}

/// Who is signed in, with the CSRF token.
#[utoipa::path(get, path = "/api/staff/me", tag = "staff", security(("staff_session" = [])),
    responses(
        (status = 200, description = "The session.", body = StaffSession),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 500, description = "Our side failed.", body = ApiErrorBody),
    )
)]
fn me() {}

/// The staff directory: the active accounts' ids, names, roles and departments (never a sign-in
/// name or password material), by name. Admins, handlers and supervisors; liaisons read the names on
/// their own cases in `CaseDetail.staff` instead, editors none.
#[utoipa::path(get, path = "/api/staff/directory", tag = "staff", security(("staff_session" = [])),
    params(
        ("role" = Option<Role>, Query, description = "Only accounts of this role."),
    ),
    responses(
        (status = 200, description = "The directory.", body = StaffDirectory),
        (status = 400, description = "`bad_json` with `field` naming the query parameter at fault (an unknown role, an unknown or repeated parameter).", body = ApiErrorBody),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 403, description = "`forbidden`: liaisons and editors.", body = ApiErrorBody),
        (status = 500, description = "Our side failed.", body = ApiErrorBody),
    )
)]
fn staff_directory() {}

/// The case queue, filtered, sorted and paged. A liaison sees only cases transferred to their department.
#[utoipa::path(get, path = "/api/staff/cases", tag = "staff", security(("staff_session" = [])),
    params(
        ("state" = Option<ReportStatus>, Query, description = "Only cases in this status."),
        ("category" = Option<String>, Query, description = "Category code."),
        ("district" = Option<String>, Query, description = "District code."),
        ("department" = Option<String>, Query, description = "Department code."),
        ("handler" = Option<i64>, Query, description = "Primary handler's staff id."),
        ("overdue" = Option<String>, Query, description = "`1` or `true`: only overdue cases."),
        ("due_today" = Option<String>, Query, description = "`1` or `true`: only running cases whose due time falls on today in Asia/Shanghai (including those that fell due earlier today)."),
        ("sort" = Option<String>, Query, description = "`due` (default) or `priority`."),
        ("after" = Option<String>, Query, description = "The `next` of the previous page."),
        ("limit" = Option<u32>, Query, description = "Page length (default 50)."),
        ("office" = Option<String>, Query, description = "An office in the account's office's subtree: only its subtree's cases (the console's office switcher). Default: the account's own office and everything below it."),
        ("handover" = Option<String>, Query, description = "`in`: the office's open hand-overs waiting on it (referrals to accept or send back, escalations to answer, delegated cases and results to review); `out`: those it sent (its referrals not yet taken up wherever they are, its unanswered escalations, the cases it delegated)."),
        ("receipt" = Option<String>, Query, description = "A receipt code (as the reporter reads it out, with or without dashes): instead of the queue, the one case with that code if the account may see it — archived cases too (listed from their small row; opening one reads it back whole). Other parameters are ignored."),
    ),
    responses(
        (status = 200, description = "One page of the queue.", body = CaseQueue),
        (status = 400, description = "`bad_json` with `field` naming the query parameter at fault; `unknown_office`; `receipt_code_invalid` (field `receipt`).", body = ApiErrorBody),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 403, description = "`forbidden`: editors see no cases; with field `office`, an office outside the account's subtree.", body = ApiErrorBody),
        (status = 500, description = "Our side failed.", body = ApiErrorBody),
    )
)]
fn list_cases() {}

/// One case: report, screening, every event, and the actions this user may take now.
#[utoipa::path(get, path = "/api/staff/cases/{id}", tag = "staff", security(("staff_session" = [])),
    params(("id" = i64, Path, description = "Case id.")),
    responses(
        (status = 200, description = "The case.", body = CaseDetail),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 403, description = "`forbidden` or `case_not_in_department`.", body = ApiErrorBody),
        (status = 404, description = "`not_found`.", body = ApiErrorBody),
        (status = 500, description = "Our side failed.", body = ApiErrorBody),
    )
)]
fn get_case() {}

/// The reporter's contact details; each reading is logged as a staff-only event.
#[utoipa::path(get, path = "/api/staff/cases/{id}/contact", tag = "staff", security(("staff_session" = [])),
    params(("id" = i64, Path, description = "Case id.")),
    responses(
        (status = 200, description = "The contact the reporter left.", body = Contact),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 403, description = "`forbidden` (liaisons and editors) or `case_not_in_department`.", body = ApiErrorBody),
        (status = 404, description = "`not_found`: no such case, or the reporter stayed anonymous.", body = ApiErrorBody),
        (status = 500, description = "Our side failed.", body = ApiErrorBody),
    )
)]
fn case_contact() {}

/// One workflow action on a case. A concurrent action on the same case makes one of them `case_wrong_state`.
///
/// Between offices: `refer` (属地外移交, to any office; the receiver `accept`s or sends it back
/// with `return`), `escalate` with `to: "parent"` (报请上级支持: the parent office answers with
/// `guide` or takes the case over with `take_over`), `delegate` (交办, to an office below, with a
/// deadline; that office's `resolve` proposes the reply, which the delegating office `approve`s or
/// `send_back`s). `escalate` here is always to the parent office: the other escalation, the daily
/// digest's hand-over of an idle primary's overdue case to its backup handler (event `escalated`),
/// is the system's and cannot be posted. In a case's `allowed_actions` the parent escalation is
/// listed as `escalate_to_parent`.
#[utoipa::path(post, path = "/api/staff/cases/{id}/actions", tag = "staff", security(("staff_session" = [])),
    params(
        ("id" = i64, Path, description = "Case id."),
        ("x-csrf-token" = String, Header, description = "The session's CSRF token."),
    ),
    request_body(content = CaseActionRequest, content_type = "application/json", description = "At most 16 KiB."),
    responses(
        (status = 200, description = "The case after the action and the audit event written.", body = CaseActionDone),
        (status = 400, description = "Bad JSON or a refused field.", body = ApiErrorBody),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 403, description = "`forbidden`, `csrf_token_invalid` or `case_not_in_department`.", body = ApiErrorBody),
        (status = 404, description = "`not_found`: no such case (or merge target).", body = ApiErrorBody),
        (status = 409, description = "The case's status does not allow this action now (`case_wrong_state`), or a hand-over rule: `same_office`, `no_parent_office`, `escalation_open`, `no_escalation`, `already_delegated`, `awaiting_review`, `no_review_pending`; `case_moving` while the case is on its way to another office's database (try again in a moment).", body = ApiErrorBody),
        (status = 413, description = "`body_too_large`.", body = ApiErrorBody),
        (status = 415, description = "`unsupported_media_type`.", body = ApiErrorBody),
        (status = 500, description = "Our side failed; nothing was changed.", body = ApiErrorBody),
    )
)]
fn case_action() {}

/// Enters a report taken by phone, letter, in person, from a self-media clue or passed down from a
/// higher office (handlers and admins). It is validated like the public form's, becomes a case
/// through the same workflow (deadlines counted from `received_at`) and counts in the figures under
/// its channel. The caller's contact is kept as privately as a citizen's.
#[utoipa::path(post, path = "/api/staff/reports", tag = "staff", security(("staff_session" = [])),
    params(("x-csrf-token" = String, Header, description = "The session's CSRF token.")),
    request_body(content = StaffReportRequest, content_type = "application/json", description = "At most 256 KiB."),
    responses(
        (status = 201, description = "Stored: the receipt code and secret to give the reporter.", body = ReportCreated),
        (status = 200, description = "A retry with the same idempotency key: the same receipt.", body = ReportCreated),
        (status = 400, description = "Bad JSON or a field refused (`report.description`, `source_reference`, `received_at` …).", body = ApiErrorBody),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 403, description = "`forbidden` or `csrf_token_invalid`.", body = ApiErrorBody),
        (status = 409, description = "`idempotency_conflict`, or `duplicate_reference`: this source's reference is stored.", body = ApiErrorBody),
        (status = 413, description = "`body_too_large`.", body = ApiErrorBody),
        (status = 415, description = "`unsupported_media_type`.", body = ApiErrorBody),
        (status = 500, description = "Our side failed; nothing was stored.", body = ApiErrorBody),
    )
)]
fn enter_report() {}

/// Imports up to 200 cases passed down, as `text/csv` (a header row naming the columns of
/// `ImportRow`) or JSON. All rows are stored or none: any bad row answers `import_invalid` with every
/// bad row named. A source and reference already stored is a bad row (`duplicate_reference`), so a
/// file imported twice adds nothing the second time.
#[utoipa::path(post, path = "/api/staff/reports/import", tag = "staff", security(("staff_session" = [])),
    params(("x-csrf-token" = String, Header, description = "The session's CSRF token.")),
    request_body(content(
        (ImportRequest = "application/json"),
        (String = "text/csv"),
    ), description = "At most 2 MiB."),
    responses(
        (status = 201, description = "Every row stored: each row's receipt.", body = ImportAnswer),
        (status = 400, description = "`import_invalid` with `rows` (row, field, error, message), or bad JSON.", body = ImportAnswer),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 403, description = "`forbidden` or `csrf_token_invalid`.", body = ApiErrorBody),
        (status = 409, description = "`duplicate_reference`: a concurrent import stored one of the rows; send again.", body = ApiErrorBody),
        (status = 413, description = "`body_too_large`.", body = ApiErrorBody),
        (status = 415, description = "`unsupported_media_type`.", body = ApiErrorBody),
        (status = 500, description = "Our side failed; nothing was stored.", body = ApiErrorBody),
    )
)]
fn import_reports() {}

// ---- Refutations: public ----

/// Published refutations, newest first, with keyset paging, tag/region filters and CJK search.
#[utoipa::path(get, path = "/api/refutations", tag = "refutations",
    params(
        ("tag" = Option<String>, Query, description = "Only refutations with this tag."),
        ("region" = Option<String>, Query, description = "District code."),
        ("q" = Option<String>, Query, description = "Search words (Chinese works without spaces)."),
        ("after" = Option<i64>, Query, description = "The `next` of the previous page."),
        ("limit" = Option<u32>, Query, description = "Page length."),
    ),
    responses(
        (status = 200, description = "One page.", body = RefutationPage),
        (status = 304, description = "Not modified (`If-None-Match` matched the `ETag`)."),
        (status = 400, description = "`bad_json` naming the query parameter, or `unknown_district`.", body = ApiErrorBody),
        (status = 500, description = "Our side failed.", body = ApiErrorBody),
    )
)]
fn list_refutations() {}

/// The newest refutations for the home page.
#[utoipa::path(get, path = "/api/refutations/latest", tag = "refutations",
    params(("n" = Option<u32>, Query, minimum = 1, maximum = 20, description = "How many (default 5, at most 20).")),
    responses(
        (status = 200, description = "The newest refutations.", body = RefutationPage),
        (status = 304, description = "Not modified."),
        (status = 400, description = "`bad_json` naming the query parameter.", body = ApiErrorBody),
        (status = 500, description = "Our side failed.", body = ApiErrorBody),
    )
)]
fn latest_refutations() {}

/// Tags in use, most used first.
#[utoipa::path(get, path = "/api/refutations/tags", tag = "refutations", responses(
    (status = 200, description = "Tags and counts.", body = TagList),
    (status = 304, description = "Not modified."),
    (status = 500, description = "Our side failed.", body = ApiErrorBody),
))]
fn refutation_tags() {}

/// The deployment's verdicts, worst rating first: the editor's choice list.
#[utoipa::path(get, path = "/api/refutations/verdicts", tag = "refutations", responses(
    (status = 200, description = "The verdicts.", body = VerdictList),
    (status = 304, description = "Not modified."),
    (status = 500, description = "Our side failed.", body = ApiErrorBody),
))]
fn refutation_verdicts() {}

/// Every published refutation's id and claim fingerprint in the compact binary form of
/// `qinglang_domain::refutation::match_index` (magic `QLRI`, format 1, threshold percent, count, then
/// per entry the id delta as a LEB128 varint and the 64-bit fingerprint little-endian: ~9 bytes an
/// entry). For partners and the worker's own matching; phones ask `/api/refutations/match` instead.
#[utoipa::path(get, path = "/api/refutations/index", tag = "refutations", responses(
    (status = 200, description = "The match index.", content_type = "application/vnd.qinglang.match-index", body = Vec<u8>),
    (status = 304, description = "Not modified."),
    (status = 500, description = "Our side failed.", body = ApiErrorBody),
))]
fn refutation_index() {}

/// Published refutations whose claim is close to a text's fingerprint (the engine's 64-bit SimHash
/// of the folded text, as the report flow computes it on the phone): the "already refuted" hint.
#[utoipa::path(get, path = "/api/refutations/match", tag = "refutations",
    params(("fingerprint" = String, Query, description = "16 hex digits.", pattern = "^[0-9a-fA-F]{16}$")),
    responses(
        (status = 200, description = "Closest first, at most 3; empty when none is close.", body = MatchList),
        (status = 304, description = "Not modified."),
        (status = 400, description = "`bad_json`: fingerprint missing or not 16 hex digits.", body = ApiErrorBody),
        (status = 500, description = "Our side failed.", body = ApiErrorBody),
    ))]
fn refutation_match() {}

/// One published refutation; drafts and withdrawn ones are 404.
#[utoipa::path(get, path = "/api/refutations/{id}", tag = "refutations",
    params(("id" = i64, Path, description = "Refutation id.")),
    responses(
        (status = 200, description = "The article.", body = PublicRefutation),
        (status = 304, description = "Not modified."),
        (status = 404, description = "`not_found`.", body = ApiErrorBody),
        (status = 500, description = "Our side failed.", body = ApiErrorBody),
    )
)]
fn get_refutation() {}

// ---- Refutations: editor ----

/// Every refutation incl. drafts, most recently changed first.
#[utoipa::path(get, path = "/api/staff/refutations", tag = "editor", security(("staff_session" = [])),
    params(
        ("status" = Option<String>, Query, description = "`draft`, `published` or `unpublished`."),
        ("after" = Option<String>, Query, description = "The `next` of the previous page."),
        ("limit" = Option<u32>, Query, description = "Page length (at most 100)."),
    ),
    responses(
        (status = 200, description = "One page.", body = StaffRefutationList),
        (status = 400, description = "`bad_json` naming the query parameter.", body = ApiErrorBody),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 403, description = "`forbidden`: not an editor or admin.", body = ApiErrorBody),
        (status = 500, description = "Our side failed.", body = ApiErrorBody),
    )
)]
fn staff_list_refutations() {}

/// A new draft.
#[utoipa::path(post, path = "/api/staff/refutations", tag = "editor", security(("staff_session" = [])),
    params(("x-csrf-token" = String, Header, description = "The session's CSRF token.")),
    request_body(content = RefutationContent, content_type = "application/json"),
    responses(
        (status = 201, description = "The draft.", body = StaffRefutation),
        (status = 400, description = "Bad JSON or a refused field.", body = ApiErrorBody),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 403, description = "`forbidden` or `csrf_token_invalid`.", body = ApiErrorBody),
        (status = 413, description = "`body_too_large`.", body = ApiErrorBody),
        (status = 415, description = "`unsupported_media_type`.", body = ApiErrorBody),
        (status = 500, description = "Our side failed.", body = ApiErrorBody),
    )
)]
fn create_refutation() {}

/// One refutation as the editor sees it.
#[utoipa::path(get, path = "/api/staff/refutations/{id}", tag = "editor", security(("staff_session" = [])),
    params(("id" = i64, Path, description = "Refutation id.")),
    responses(
        (status = 200, description = "The refutation.", body = StaffRefutation),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 403, description = "`forbidden`.", body = ApiErrorBody),
        (status = 404, description = "`not_found`.", body = ApiErrorBody),
        (status = 500, description = "Our side failed.", body = ApiErrorBody),
    )
)]
fn staff_get_refutation() {}

/// Saves new content (a published one needs an update note).
#[utoipa::path(put, path = "/api/staff/refutations/{id}", tag = "editor", security(("staff_session" = [])),
    params(
        ("id" = i64, Path, description = "Refutation id."),
        ("x-csrf-token" = String, Header, description = "The session's CSRF token."),
    ),
    request_body(content = UpdateRefutation, content_type = "application/json"),
    responses(
        (status = 200, description = "Saved.", body = StaffRefutation),
        (status = 400, description = "Bad JSON or a refused field.", body = ApiErrorBody),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 403, description = "`forbidden` or `csrf_token_invalid`.", body = ApiErrorBody),
        (status = 404, description = "`not_found`.", body = ApiErrorBody),
        (status = 409, description = "Someone saved in between, or the state does not allow it.", body = ApiErrorBody),
        (status = 413, description = "`body_too_large`.", body = ApiErrorBody),
        (status = 415, description = "`unsupported_media_type`.", body = ApiErrorBody),
        (status = 500, description = "Our side failed.", body = ApiErrorBody),
    )
)]
fn update_refutation() {}

/// The article as it would be published, with what stops publishing.
#[utoipa::path(get, path = "/api/staff/refutations/{id}/preview", tag = "editor", security(("staff_session" = [])),
    params(("id" = i64, Path, description = "Refutation id.")),
    responses(
        (status = 200, description = "The preview.", body = RefutationPreview),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 403, description = "`forbidden`.", body = ApiErrorBody),
        (status = 404, description = "`not_found`.", body = ApiErrorBody),
        (status = 500, description = "Our side failed.", body = ApiErrorBody),
    )
)]
fn preview_refutation() {}

/// Every change, oldest first.
#[utoipa::path(get, path = "/api/staff/refutations/{id}/history", tag = "editor", security(("staff_session" = [])),
    params(("id" = i64, Path, description = "Refutation id.")),
    responses(
        (status = 200, description = "The history.", body = RefutationHistory),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 403, description = "`forbidden`.", body = ApiErrorBody),
        (status = 404, description = "`not_found`.", body = ApiErrorBody),
        (status = 500, description = "Our side failed.", body = ApiErrorBody),
    )
)]
fn refutation_history() {}

/// Publishes the revision the editor saw.
#[utoipa::path(post, path = "/api/staff/refutations/{id}/publish", tag = "editor", security(("staff_session" = [])),
    params(
        ("id" = i64, Path, description = "Refutation id."),
        ("x-csrf-token" = String, Header, description = "The session's CSRF token."),
    ),
    request_body(content = PublishRefutation, content_type = "application/json"),
    responses(
        (status = 200, description = "Published.", body = StaffRefutation),
        (status = 400, description = "Bad JSON or not publishable (`field` names what is missing).", body = ApiErrorBody),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 403, description = "`forbidden` or `csrf_token_invalid`.", body = ApiErrorBody),
        (status = 404, description = "`not_found`.", body = ApiErrorBody),
        (status = 409, description = "Changed since the editor saw it, or already published.", body = ApiErrorBody),
        (status = 413, description = "`body_too_large`.", body = ApiErrorBody),
        (status = 415, description = "`unsupported_media_type`.", body = ApiErrorBody),
        (status = 500, description = "Our side failed.", body = ApiErrorBody),
    )
)]
fn publish_refutation() {}

/// Withdraws a published refutation, with a reason.
#[utoipa::path(post, path = "/api/staff/refutations/{id}/unpublish", tag = "editor", security(("staff_session" = [])),
    params(
        ("id" = i64, Path, description = "Refutation id."),
        ("x-csrf-token" = String, Header, description = "The session's CSRF token."),
    ),
    request_body(content = UnpublishRefutation, content_type = "application/json"),
    responses(
        (status = 200, description = "Withdrawn.", body = StaffRefutation),
        (status = 400, description = "Bad JSON or no reason.", body = ApiErrorBody),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 403, description = "`forbidden` or `csrf_token_invalid`.", body = ApiErrorBody),
        (status = 404, description = "`not_found`.", body = ApiErrorBody),
        (status = 409, description = "Not published.", body = ApiErrorBody),
        (status = 413, description = "`body_too_large`.", body = ApiErrorBody),
        (status = 415, description = "`unsupported_media_type`.", body = ApiErrorBody),
        (status = 500, description = "Our side failed.", body = ApiErrorBody),
    )
)]
fn unpublish_refutation() {}

// ---- Partner pushes ----

/// Partner sites that receive signed pushes.
#[utoipa::path(get, path = "/api/staff/partners", tag = "editor", security(("staff_session" = [])),
    responses(
        (status = 200, description = "The partners.", body = PartnerList),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 403, description = "`forbidden`.", body = ApiErrorBody),
        (status = 500, description = "Our side failed.", body = ApiErrorBody),
    )
)]
fn list_partners() {}

/// Adds a partner; the signing secret is shown once.
#[utoipa::path(post, path = "/api/staff/partners", tag = "editor", security(("staff_session" = [])),
    params(("x-csrf-token" = String, Header, description = "The session's CSRF token.")),
    request_body(content = NewPartner, content_type = "application/json"),
    responses(
        (status = 201, description = "Added.", body = PartnerCreated),
        (status = 400, description = "Bad JSON or a refused field.", body = ApiErrorBody),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 403, description = "`forbidden` or `csrf_token_invalid`.", body = ApiErrorBody),
        (status = 413, description = "`body_too_large`.", body = ApiErrorBody),
        (status = 415, description = "`unsupported_media_type`.", body = ApiErrorBody),
        (status = 500, description = "Our side failed.", body = ApiErrorBody),
    )
)]
fn create_partner() {}

/// Removes a partner.
#[utoipa::path(delete, path = "/api/staff/partners/{id}", tag = "editor", security(("staff_session" = [])),
    params(
        ("id" = i64, Path, description = "Partner id."),
        ("x-csrf-token" = String, Header, description = "The session's CSRF token."),
    ),
    responses(
        (status = 204, description = "Removed."),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 403, description = "`forbidden` or `csrf_token_invalid`.", body = ApiErrorBody),
        (status = 404, description = "`not_found`.", body = ApiErrorBody),
        (status = 500, description = "Our side failed.", body = ApiErrorBody),
    )
)]
fn remove_partner() {}

/// The latest push deliveries to a partner.
#[utoipa::path(get, path = "/api/staff/partners/{id}/deliveries", tag = "editor", security(("staff_session" = [])),
    params(("id" = i64, Path, description = "Partner id.")),
    responses(
        (status = 200, description = "Deliveries, newest first.", body = DeliveryList),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 403, description = "`forbidden`.", body = ApiErrorBody),
        (status = 404, description = "`not_found`.", body = ApiErrorBody),
        (status = 500, description = "Our side failed.", body = ApiErrorBody),
    )
)]
fn partner_deliveries() {}

/// Uploads one evidence picture before the report is sent. The body is the raw image bytes with
/// `Content-Type: image/jpeg`, `image/png` or `image/webp` (≤ 3 MB, ≤ 2048 px a side, no EXIF/GPS:
/// the phone re-encodes it). The same draft key and slot with the same bytes answer the same upload.
#[utoipa::path(post, path = "/api/uploads", tag = "reports",
    params(
        ("key" = String, Query, description = "The draft's idempotency key."),
        ("slot" = u32, Query, description = "Position of the picture in the report, 0–5."),
    ),
    responses(
        (status = 200, description = "A retry of the same slot with the same bytes.", body = UploadCreated),
        (status = 201, description = "Stored.", body = UploadCreated),
        (status = 400, description = "`bad_json` (key or slot), `image_invalid`, `image_has_metadata`, `too_many_images`.", body = ApiErrorBody),
        (status = 409, description = "`idempotency_conflict`: other bytes in this slot.", body = ApiErrorBody),
        (status = 413, description = "`image_too_large`.", body = ApiErrorBody),
        (status = 415, description = "`unsupported_media_type`: not image/jpeg, image/png or image/webp.", body = ApiErrorBody),
        (status = 429, description = "`rate_limited`.", body = ApiErrorBody,
            headers(("retry-after" = u32, description = "Seconds to wait."))),
        (status = 500, description = "Our side failed.", body = ApiErrorBody),
    )
)]
fn create_upload() {}

/// One evidence picture of a case, streamed from private storage to staff who may see the case;
/// each fetch is logged.
#[utoipa::path(get, path = "/api/staff/cases/{id}/evidence/{n}", tag = "staff", security(("staff_session" = [])),
    params(("id" = i64, Path, description = "Case id."), ("n" = u32, Path, description = "Picture index.")),
    responses(
        (status = 200, description = "The image bytes (image/jpeg, image/png or image/webp)."),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 403, description = "`forbidden` or `case_not_in_department`.", body = ApiErrorBody),
        (status = 404, description = "`not_found`.", body = ApiErrorBody),
        (status = 500, description = "Our side failed.", body = ApiErrorBody),
    )
)]
fn case_evidence() {}

/// Every poster channel with its funnel (admin).
#[utoipa::path(get, path = "/api/admin/channels", tag = "admin", security(("staff_session" = [])),
    responses(
        (status = 200, description = "The channels, newest first.", body = ChannelList),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 403, description = "`forbidden`.", body = ApiErrorBody),
        (status = 500, description = "Our side failed.", body = ApiErrorBody),
    )
)]
fn list_channels() {}

/// Registers a poster channel (admin). Needs `x-csrf-token`.
#[utoipa::path(post, path = "/api/admin/channels", tag = "admin", security(("staff_session" = [])),
    params(("x-csrf-token" = String, Header, description = "The session's CSRF token.")),
    request_body(content = NewChannel, content_type = "application/json"),
    responses(
        (status = 201, description = "Registered.", body = Channel),
        (status = 400, description = "A field is invalid, or bad JSON.", body = ApiErrorBody),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 403, description = "`forbidden` or `csrf_token_invalid`.", body = ApiErrorBody),
        (status = 409, description = "`channel_exists`.", body = ApiErrorBody),
        (status = 413, description = "`body_too_large`.", body = ApiErrorBody),
        (status = 415, description = "`unsupported_media_type`.", body = ApiErrorBody),
        (status = 500, description = "Our side failed.", body = ApiErrorBody),
    )
)]
fn create_channel() {}

/// One channel with its funnel (admin).
#[utoipa::path(get, path = "/api/admin/channels/{code}", tag = "admin", security(("staff_session" = [])),
    params(("code" = String, Path, description = "Channel code.")),
    responses(
        (status = 200, description = "The channel.", body = Channel),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 403, description = "`forbidden`.", body = ApiErrorBody),
        (status = 404, description = "`not_found`.", body = ApiErrorBody),
        (status = 500, description = "Our side failed.", body = ApiErrorBody),
    )
)]
fn get_channel() {}

/// Changes a channel (admin). Needs `x-csrf-token`.
#[utoipa::path(patch, path = "/api/admin/channels/{code}", tag = "admin", security(("staff_session" = [])),
    params(
        ("code" = String, Path, description = "Channel code."),
        ("x-csrf-token" = String, Header, description = "The session's CSRF token."),
    ),
    request_body(content = ChannelPatch, content_type = "application/json"),
    responses(
        (status = 200, description = "Changed.", body = Channel),
        (status = 400, description = "A field is invalid, or bad JSON.", body = ApiErrorBody),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 403, description = "`forbidden` or `csrf_token_invalid`.", body = ApiErrorBody),
        (status = 404, description = "`not_found`.", body = ApiErrorBody),
        (status = 413, description = "`body_too_large`.", body = ApiErrorBody),
        (status = 415, description = "`unsupported_media_type`.", body = ApiErrorBody),
        (status = 500, description = "Our side failed.", body = ApiErrorBody),
    )
)]
fn patch_channel() {}

/// The channel's A4 poster as SVG: title, instructions, place, office and the QR of `/q/{code}` (admin).
#[utoipa::path(get, path = "/api/admin/channels/{code}/poster.svg", tag = "admin", security(("staff_session" = [])),
    params(("code" = String, Path, description = "Channel code.")),
    responses(
        (status = 200, description = "image/svg+xml."),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 403, description = "`forbidden`.", body = ApiErrorBody),
        (status = 404, description = "`not_found`.", body = ApiErrorBody),
        (status = 500, description = "Our side failed.", body = ApiErrorBody),
    )
)]
fn channel_poster_svg() {}

/// The channel's QR code alone as a 1-bit PNG at 300 dpi (admin).
#[utoipa::path(get, path = "/api/admin/channels/{code}/poster.png", tag = "admin", security(("staff_session" = [])),
    params(("code" = String, Path, description = "Channel code.")),
    responses(
        (status = 200, description = "image/png."),
        (status = 401, description = "`not_signed_in`.", body = ApiErrorBody),
        (status = 403, description = "`forbidden`.", body = ApiErrorBody),
        (status = 404, description = "`not_found`.", body = ApiErrorBody),
        (status = 500, description = "Our side failed.", body = ApiErrorBody),
    )
)]
fn channel_poster_png() {}

/// What the report flow pre-fills for a poster: district and place only.
#[utoipa::path(get, path = "/api/channels/{code}", tag = "public",
    params(("code" = String, Path, description = "Channel code.")),
    responses(
        (status = 200, description = "The channel's district and place.", body = ChannelPublic),
        (status = 404, description = "`not_found` (unknown or retired).", body = ApiErrorBody),
        (status = 500, description = "Our side failed.", body = ApiErrorBody),
    )
)]
fn public_channel() {}

/// Counts a report draft started from a poster, once per draft key.
#[utoipa::path(post, path = "/api/channels/{code}/started", tag = "public",
    params(("code" = String, Path, description = "Channel code.")),
    request_body(content = ChannelStarted, content_type = "application/json"),
    responses(
        (status = 204, description = "Counted (or already counted)."),
        (status = 400, description = "Bad JSON or key.", body = ApiErrorBody),
        (status = 404, description = "`not_found` (unknown or retired).", body = ApiErrorBody),
        (status = 413, description = "`body_too_large`.", body = ApiErrorBody),
        (status = 415, description = "`unsupported_media_type`.", body = ApiErrorBody),
        (status = 500, description = "Our side failed.", body = ApiErrorBody),
    )
)]
fn channel_started() {}
