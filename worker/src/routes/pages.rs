//! The HTML pages of the app's reader and console bundles (app/src/bundle.rs). Static assets
//! answer `/` and `/report` with the citizen bundle's page (`index.html`, `report.html`) before the worker runs;
//! the paths below are routed to the worker first (`run_worker_first` in wrangler.toml) so that
//! each gets its own bundle's page, with the same headers `public/_headers` gives static files.

use worker::{Env, Headers, Request, Response};

use crate::error::ApiError;

/// Which bundle's page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shell {
    /// `index.html`: `/`, `/report` and every path no page owns (the not-found page).
    Citizen,
    /// `reader.html`: `/refutations…`, `/stats`, `/track`.
    Reader,
    /// `admin.html`: `/admin…`.
    Console,
}

/// The page file's text, from the static assets.
pub async fn shell_html(req: &Request, env: &Env, shell: Shell) -> Result<String, ApiError> {
    // Static assets resolve `/reader` to `reader.html` (html_handling "auto-trailing-slash").
    let file = match shell {
        Shell::Citizen => "/",
        Shell::Reader => "/reader",
        Shell::Console => "/admin",
    };
    let mut url = req.url()?;
    url.set_path(file);
    url.set_query(None);
    url.set_fragment(None);
    let mut response = env.assets("ASSETS")?.fetch(url.to_string(), None).await?;
    if response.status_code() != 200 {
        return Err(ApiError::Internal(format!("asset {file} answered {}", response.status_code())));
    }
    Ok(response.text().await?)
}

/// Serves the bundle's page as it is.
pub async fn shell(req: &Request, env: &Env, shell: Shell) -> Result<Response, ApiError> {
    let html = shell_html(req, env, shell).await?;
    html_response(200, html)
}

/// An HTML answer with the static assets' page headers (CSP and the rest, read from
/// `public/_headers` so there is one copy of the policy).
pub fn html_response(status: u16, html: String) -> Result<Response, ApiError> {
    let headers = Headers::new();
    headers.set("content-type", "text/html; charset=utf-8")?;
    headers.set("cache-control", "no-cache")?;
    for (name, value) in page_headers() {
        headers.set(name, value)?;
    }
    Ok(Response::builder().with_status(status).with_headers(headers).fixed(html.into_bytes()))
}

/// Adds the static assets' page headers to an HTML answer built elsewhere (the refutation article
/// pages, which are edge-cached without them).
pub fn with_page_headers(mut response: Response) -> Result<Response, ApiError> {
    let headers = response.headers_mut();
    for (name, value) in page_headers() {
        headers.set(name, value)?;
    }
    Ok(response)
}

/// The `Name: value` lines of the `/*` block in `public/_headers`.
fn page_headers() -> impl Iterator<Item = (&'static str, &'static str)> {
    const FILE: &str = include_str!("../../../public/_headers");
    FILE.lines()
        .skip_while(|line| line.trim() != "/*")
        .skip(1)
        .take_while(|line| line.starts_with([' ', '\t']))
        .filter_map(|line| line.trim().split_once(':'))
        .map(|(name, value)| (name.trim(), value.trim()))
}
