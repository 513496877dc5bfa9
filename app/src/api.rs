//! The app's HTTP calls. Pages call these functions and get domain types back. The lazily loaded
//! modules under `public/` make their own: reports and pictures (`outbox.js`, `evidence.js`), the
//! home page's figures and refutation hints, the poster channel.

use gloo_net::http::{Request, Response};
use qinglang_domain::api::{ApiErrorBody, PublicStats, RatingRequest, ReopenRequest, ReportView, SECRET_HEADER};
use qinglang_domain::{ErrorCode, Lang, Taxonomy};
use serde::de::DeserializeOwned;

use crate::i18n::Msg;

/// Why a call failed, in terms the UI can explain.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiFailure {
    /// No answer: offline, timed out, or the connection broke. Safe to retry.
    Network,
    /// The server refused with a known error code.
    Refused(ApiErrorBody),
}

impl ApiFailure {
    /// Whether trying again later may succeed.
    pub fn is_transient(&self) -> bool {
        match self {
            ApiFailure::Network => true,
            ApiFailure::Refused(body) => matches!(body.error, ErrorCode::Internal | ErrorCode::RateLimited),
        }
    }

    /// A sentence for the user, translated by error code (never the server's raw text).
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ApiFailure::Network => Msg::LoadFailed.text(lang).to_owned(),
            ApiFailure::Refused(body) => body.error.message(lang).to_owned(),
        }
    }
}

pub(crate) async fn read<T: DeserializeOwned>(response: Result<Response, gloo_net::Error>) -> Result<T, ApiFailure> {
    let response = response.map_err(|_| ApiFailure::Network)?;
    if response.ok() {
        return response.json::<T>().await.map_err(|_| ApiFailure::Network);
    }
    match response.json::<ApiErrorBody>().await {
        Ok(body) => Err(ApiFailure::Refused(body)),
        // A proxy's HTML error page or a cut-off body: treat as a passing network fault.
        Err(_) => Err(ApiFailure::Network),
    }
}

/// The deployment's categories and districts.
pub async fn taxonomy() -> Result<Taxonomy, ApiFailure> {
    read(Request::get("/api/categories").send().await).await
}

/// Looks a report up by receipt code and secret (sent in a header, never in the URL).
pub async fn track(code: &str, secret: &str) -> Result<ReportView, ApiFailure> {
    let path = format!("/api/reports/{}", js_sys::encode_uri_component(code));
    read(Request::get(&path).header(SECRET_HEADER, secret).send().await).await
}

/// The full public figures (rates, per category, per month) for the `/stats` page in the reader
/// bundle; the citizen home page's three counts come from `public/figures.js`.
pub async fn stats_full() -> Result<PublicStats, ApiFailure> {
    read(Request::get("/api/stats").send().await).await
}

/// The reporter rates a resolved case; the answer is the updated tracking view.
pub async fn rate(code: &str, secret: &str, rating: &RatingRequest) -> Result<ReportView, ApiFailure> {
    let path = format!("/api/reports/{}/rating", js_sys::encode_uri_component(code));
    let request = Request::post(&path).header(SECRET_HEADER, secret).json(rating).map_err(|_| ApiFailure::Network)?;
    read(request.send().await).await
}

/// The reporter says the case was not resolved; the answer is the updated tracking view.
pub async fn reopen(code: &str, secret: &str, reopen: &ReopenRequest) -> Result<ReportView, ApiFailure> {
    let path = format!("/api/reports/{}/reopen", js_sys::encode_uri_component(code));
    let request = Request::post(&path).header(SECRET_HEADER, secret).json(reopen).map_err(|_| ApiFailure::Network)?;
    read(request.send().await).await
}

/// A page of published refutations; `query` is the query string with its `?` (filters and cursor).
#[cfg(feature = "reader")]
pub async fn refutations(query: &str) -> Result<qinglang_domain::refutation::api::RefutationPage, ApiFailure> {
    read(Request::get(&format!("/api/refutations{query}")).send().await).await
}

/// One published refutation (`id` as it appears in the page's address).
#[cfg(feature = "reader")]
pub async fn refutation(id: String) -> Result<qinglang_domain::refutation::api::PublicRefutation, ApiFailure> {
    let path = format!("/api/refutations/{}", js_sys::encode_uri_component(&id));
    read(Request::get(&path).send().await).await
}

/// The tags in use, most used first.
#[cfg(feature = "reader")]
pub async fn refutation_tags() -> Result<qinglang_domain::refutation::api::TagList, ApiFailure> {
    read(Request::get("/api/refutations/tags").send().await).await
}
