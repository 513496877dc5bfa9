//! The console's HTTP calls (the console's counterpart of `crate::api`). The session is an HttpOnly
//! cookie the browser sends by itself; state-changing calls add the CSRF token the sign-in returned.
//! An answer `not_signed_in` (the session ended or was revoked) flips [`expired`], which sends the
//! console back to the sign-in page.

use std::cell::RefCell;

use gloo_net::http::{Request, RequestBuilder};
use leptos::prelude::*;
use qinglang_domain::admin::{NewStaff, NewWebhook, RoutingRules, StaffAccount, StaffPatch, WebhookView};
use qinglang_domain::api::{
    CSRF_HEADER, CaseActionDone, CaseActionRequest, CaseDetail, CaseQueue, MarkRead, Notifications, SignIn,
    StaffDirectory, StaffSession,
};
use qinglang_domain::figures::StaffFigures;
use qinglang_domain::report::Contact;
use qinglang_domain::{ErrorCode, Lang};
use serde::de::DeserializeOwned;

pub use crate::api::ApiFailure;

thread_local! {
    static CSRF: RefCell<String> = const { RefCell::new(String::new()) };
    static EXPIRED: RefCell<Option<RwSignal<bool>>> = const { RefCell::new(None) };
}

/// The signal that turns true when the server says the session is gone.
pub fn expired() -> RwSignal<bool> {
    EXPIRED.with(|cell| *cell.borrow_mut().get_or_insert_with(|| RwSignal::new(false)))
}

/// Keeps the CSRF token of the current session for state-changing calls.
pub fn remember_csrf(token: &str) {
    CSRF.with(|cell| token.clone_into(&mut cell.borrow_mut()));
}

fn csrf() -> String {
    CSRF.with(|cell| cell.borrow().clone())
}

fn lang_header(builder: RequestBuilder, lang: Lang) -> RequestBuilder {
    builder.header("accept-language", lang.tag())
}

async fn send<T: DeserializeOwned>(request: Result<Request, gloo_net::Error>) -> Result<T, ApiFailure> {
    let request = request.map_err(|_| ApiFailure::Network)?;
    let result = crate::api::read(request.send().await).await;
    if let Err(ApiFailure::Refused(body)) = &result
        && body.error == ErrorCode::NotSignedIn
    {
        expired().try_set(true);
    }
    result
}

/// `GET path`, read as `T`.
pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiFailure> {
    send(Request::get(path).build()).await
}

/// `POST path` with a JSON body and the CSRF token.
pub async fn post<T: DeserializeOwned, B: serde::Serialize>(path: &str, body: &B) -> Result<T, ApiFailure> {
    send(Request::post(path).header(CSRF_HEADER, &csrf()).json(body)).await
}

/// Signs in; the answer carries the CSRF token (kept here) and the account.
pub async fn sign_in(username: String, password: String, lang: Lang) -> Result<StaffSession, ApiFailure> {
    let request = lang_header(Request::post("/api/staff/session"), lang).json(&SignIn { username, password });
    let request = request.map_err(|_| ApiFailure::Network)?;
    let session: StaffSession = crate::api::read(request.send().await).await?;
    remember_csrf(&session.csrf_token);
    Ok(session)
}

/// Who is signed in, if anyone (`not_signed_in` is an ordinary answer here, not an expiry).
pub async fn me() -> Result<StaffSession, ApiFailure> {
    let request = Request::get("/api/staff/me").build().map_err(|_| ApiFailure::Network)?;
    let session: StaffSession = crate::api::read(request.send().await).await?;
    remember_csrf(&session.csrf_token);
    Ok(session)
}

/// Signs out (the server deletes the session and clears the cookie).
pub async fn sign_out() -> Result<(), ApiFailure> {
    let request = Request::delete("/api/staff/session").header(CSRF_HEADER, &csrf()).build();
    let response = request.map_err(|_| ApiFailure::Network)?.send().await.map_err(|_| ApiFailure::Network)?;
    if response.ok() { Ok(()) } else { Err(ApiFailure::Network) }
}

/// One page of the queue; `query` is the query string without `?` (the console's URL filters).
pub async fn queue(query: String) -> Result<CaseQueue, ApiFailure> {
    get(&format!("/api/staff/cases?{query}")).await
}

/// One case, with every event and the actions this user may take.
pub async fn case(id: i64) -> Result<CaseDetail, ApiFailure> {
    get(&format!("/api/staff/cases/{id}")).await
}

/// The reporter's contact; the server logs the reading.
pub async fn contact(id: i64) -> Result<Contact, ApiFailure> {
    get(&format!("/api/staff/cases/{id}/contact")).await
}

/// Takes one workflow action.
pub async fn act(id: i64, action: CaseActionRequest) -> Result<CaseActionDone, ApiFailure> {
    post(&format!("/api/staff/cases/{id}/actions"), &action).await
}

pub use qinglang_domain::taxonomy::Department;

/// Every department, retired ones marked (pickers offer the active ones).
pub async fn departments() -> Result<Vec<Department>, ApiFailure> {
    get("/api/staff/departments").await
}

async fn send_json<T: DeserializeOwned, B: serde::Serialize>(
    method: &str,
    path: &str,
    body: &B,
) -> Result<T, ApiFailure> {
    let builder = match method {
        "PUT" => Request::put(path),
        "PATCH" => Request::patch(path),
        _ => Request::post(path),
    };
    send(builder.header(CSRF_HEADER, &csrf()).json(body)).await
}

/// `PUT path` with a JSON body and the CSRF token (the refutation editor's updates).
pub async fn put<T: DeserializeOwned, B: serde::Serialize>(path: &str, body: &B) -> Result<T, ApiFailure> {
    send_json("PUT", path, body).await
}

/// `PATCH path` with a JSON body and the CSRF token.
pub async fn patch<T: DeserializeOwned, B: serde::Serialize>(path: &str, body: &B) -> Result<T, ApiFailure> {
    send_json("PATCH", path, body).await
}

/// The active staff accounts' names (admins, handlers, supervisors: the assign form and the queue's
/// handler filter).
pub async fn directory() -> Result<StaffDirectory, ApiFailure> {
    get("/api/staff/directory").await
}

/// The supervisors' figures per department and handler (a liaison's: their department only).
pub async fn figures(office: Option<String>) -> Result<StaffFigures, ApiFailure> {
    match office {
        Some(code) => get(&format!("/api/staff/figures?office={code}")).await,
        None => get("/api/staff/figures").await,
    }
}

/// The account's notifications, newest first, with the unread count.
pub async fn notifications() -> Result<Notifications, ApiFailure> {
    get("/api/staff/notifications").await
}

/// Marks some notifications (or, with `None`, all) read; answers the list afterwards.
pub async fn mark_read(ids: Option<Vec<i64>>) -> Result<Notifications, ApiFailure> {
    post("/api/staff/notifications/read", &MarkRead { ids }).await
}

/// Every staff account (admins).
pub async fn staff() -> Result<Vec<StaffAccount>, ApiFailure> {
    get("/api/admin/staff").await
}

/// Creates a staff account.
pub async fn create_staff(input: &NewStaff) -> Result<StaffAccount, ApiFailure> {
    post("/api/admin/staff", input).await
}

/// Disables or enables an account, or changes its role or department.
pub async fn patch_staff(id: i64, patch: &StaffPatch) -> Result<StaffAccount, ApiFailure> {
    send_json("PATCH", &format!("/api/admin/staff/{id}"), patch).await
}

/// The routing rules, in order.
pub async fn routing_rules() -> Result<RoutingRules, ApiFailure> {
    get("/api/admin/routing-rules").await
}

/// Replaces the routing rules; answers them as stored.
pub async fn put_routing_rules(rules: &RoutingRules) -> Result<RoutingRules, ApiFailure> {
    send_json("PUT", "/api/admin/routing-rules", rules).await
}

/// The digest webhooks (URLs masked).
pub async fn webhooks() -> Result<Vec<WebhookView>, ApiFailure> {
    get("/api/admin/webhooks").await
}

/// Adds a webhook.
pub async fn add_webhook(input: &NewWebhook) -> Result<WebhookView, ApiFailure> {
    post("/api/admin/webhooks", input).await
}

/// Removes a webhook (the answer is empty).
pub async fn delete_webhook(id: i64) -> Result<(), ApiFailure> {
    let request = Request::delete(&format!("/api/admin/webhooks/{id}")).header(CSRF_HEADER, &csrf()).build();
    let response = request.map_err(|_| ApiFailure::Network)?.send().await;
    match response {
        Ok(r) if r.ok() => Ok(()),
        other => crate::api::read::<serde::de::IgnoredAny>(other).await.map(|_| ()),
    }
}

/// Imports a CSV file of cases passed down. Both outcomes of the import are answers here: every
/// row's receipt (201), or every bad row (400 `import_invalid`); other refusals are failures.
pub async fn import_csv(text: String, lang: Lang) -> Result<qinglang_domain::intake::import::ImportAnswer, ApiFailure> {
    post_csv("/api/staff/reports/import", text, lang, |a: &qinglang_domain::intake::import::ImportAnswer| {
        !a.rows.is_empty()
    })
    .await
}

/// Imports a CSV file of offices (`POST /api/admin/offices/import`), answered like [`import_csv`].
pub async fn import_offices(
    text: String,
    lang: Lang,
) -> Result<qinglang_domain::office::import::OfficeImportAnswer, ApiFailure> {
    post_csv("/api/admin/offices/import", text, lang, |a: &qinglang_domain::office::import::OfficeImportAnswer| {
        !a.rows.is_empty()
    })
    .await
}

/// POSTs CSV text to an import route: its answer when it imported (201) or named bad rows
/// (`has_rows`); other refusals are failures.
async fn post_csv<T: serde::de::DeserializeOwned>(
    path: &str,
    text: String,
    lang: Lang,
    has_rows: fn(&T) -> bool,
) -> Result<T, ApiFailure> {
    let request = lang_header(Request::post(path), lang)
        .header(CSRF_HEADER, &csrf())
        .header("content-type", "text/csv; charset=utf-8")
        .body(text)
        .map_err(|_| ApiFailure::Network)?;
    let response = request.send().await.map_err(|_| ApiFailure::Network)?;
    let status = response.status();
    let body = response.text().await.map_err(|_| ApiFailure::Network)?;
    if let Ok(answer) = serde_json::from_str::<T>(&body)
        && (status == 201 || has_rows(&answer))
    {
        return Ok(answer);
    }
    match serde_json::from_str::<qinglang_domain::api::ApiErrorBody>(&body) {
        Ok(refused) => {
            if refused.error == ErrorCode::NotSignedIn {
                expired().try_set(true);
            }
            Err(ApiFailure::Refused(refused))
        }
        Err(_) => Err(ApiFailure::Network),
    }
}

/// `DELETE path` with the CSRF token, read as `T`.
pub async fn delete<T: DeserializeOwned>(path: &str) -> Result<T, ApiFailure> {
    send(Request::delete(path).header(CSRF_HEADER, &csrf()).build()).await
}
