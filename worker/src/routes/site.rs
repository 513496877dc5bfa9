//! The site's own files and its answer for paths no page owns: `/robots.txt`, `/sitemap.xml` (a
//! sitemap index) with its pages `/sitemaps/pages.xml` and `/sitemaps/refutations-{n}.xml`,
//! `/.well-known/security.txt` (RFC 9116), and the `404` page.
//!
//! Static assets answer every file in `dist/` and `/report` (`report.html`) before the worker runs;
//! `not_found_handling = "none"` in wrangler.toml sends every other path here, so the route table
//! in `lib.rs` is the one list of pages, and anything it does not name gets a real `404` with the
//! app's not-found page (the citizen bundle renders it for any path it does not know).

use worker::{Env, Headers, Request, Response};

use crate::edge_cache::{self, Page};
use crate::error::ApiError;
use crate::routes::pages::{self, Shell};
use crate::routes::refutations::origin;
use crate::store;

/// Refutation addresses per sitemap file: the protocol allows 50,000 and 50 MB; 10,000 keeps each
/// file under ~1.5 MB and one D1 read short. 100,000 refutations are ten files.
pub const SITEMAP_PAGE: u32 = 10_000;

/// The public pages listed in the sitemap besides the refutation articles.
const PAGES: &[&str] = &["/", "/report", "/refutations", "/stats", "/track"];

/// How long `security.txt` says it is valid (RFC 9116 asks for less than a year).
const SECURITY_TXT_VALID_DAYS: i64 = 180;

fn text_response(content_type: &str, body: String, max_age_s: u32) -> Result<Response, ApiError> {
    let headers = Headers::new();
    headers.set("content-type", content_type)?;
    headers.set("cache-control", &format!("public, max-age={max_age_s}"))?;
    Ok(Response::builder().with_status(200).with_headers(headers).fixed(body.into_bytes()))
}

/// `GET /robots.txt`: everything public may be crawled except the console and the API; the
/// sitemap is named with this site's origin.
pub fn robots(req: &Request) -> Result<Response, ApiError> {
    let origin = origin(req)?;
    let body = format!(
        "# Qinglang: the public pages and refutations may be indexed; the staff console and the API may not.\n\
         User-agent: *\nAllow: /\nDisallow: /admin\nDisallow: /api/\nDisallow: /q/\n\nSitemap: {origin}/sitemap.xml\n"
    );
    text_response("text/plain; charset=utf-8", body, 3600)
}

/// `GET /.well-known/security.txt`: where to report a vulnerability, from the office's
/// `SECURITY_CONTACT` var (`mailto:` or `https:`; several separated by spaces), and when this
/// file expires. A deployment without a contact answers 404 rather than invent one.
pub fn security_txt(req: &Request, env: &Env) -> Result<Response, ApiError> {
    let contacts = env.var("SECURITY_CONTACT").map(|v| v.to_string()).unwrap_or_default();
    let contacts: Vec<&str> = contacts
        .split_whitespace()
        .filter(|c| (c.starts_with("mailto:") || c.starts_with("https://")) && !c.contains(['<', '>', '"']))
        .collect();
    if contacts.is_empty() {
        return Err(ApiError::client(qinglang_domain::ErrorCode::NotFound));
    }
    let origin = origin(req)?;
    let expires = qinglang_domain::refutation::rfc3339_utc(
        crate::http::now_ms() - crate::http::now_ms() % 86_400_000 + SECURITY_TXT_VALID_DAYS * 86_400_000,
    );
    let mut body = String::new();
    for contact in contacts {
        body.push_str(&format!("Contact: {contact}\n"));
    }
    body.push_str(&format!(
        "Expires: {expires}\nPreferred-Languages: zh, en\nCanonical: {origin}/.well-known/security.txt\n"
    ));
    text_response("text/plain; charset=utf-8", body, 86_400)
}

/// `GET /sitemap.xml`: a sitemap index naming the pages' sitemap and one sitemap per
/// [`SITEMAP_PAGE`] published refutations. Edge-cached by public version.
pub async fn sitemap_index(req: &Request, env: &Env) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    let origin = origin(req)?;
    edge_cache::serve(req, env, |_| async move {
        let n_published = store::refutations::published_count(&db).await?;
        let n_files = n_published.div_ceil(u64::from(SITEMAP_PAGE)).max(1);
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        out.push_str("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        out.push_str(&format!("<sitemap><loc>{}/sitemaps/pages.xml</loc></sitemap>\n", crate::render::escape(&origin)));
        for n in 1..=n_files {
            out.push_str(&format!(
                "<sitemap><loc>{}/sitemaps/refutations-{n}.xml</loc></sitemap>\n",
                crate::render::escape(&origin)
            ));
        }
        out.push_str("</sitemapindex>\n");
        Ok(xml(out))
    })
    .await
}

/// `GET /sitemaps/{file}`: `pages.xml`, or `refutations-{n}.xml` (n from 1), the n-th
/// [`SITEMAP_PAGE`] published refutations in publication order with their last change; a file
/// past the last is 404.
pub async fn sitemap_file(req: &Request, env: &Env, file: &str) -> Result<Response, ApiError> {
    let origin = origin(req)?;
    let escaped = crate::render::escape(&origin);
    if file == "pages.xml" {
        let mut out = urlset_start();
        for page in PAGES {
            out.push_str(&format!("<url><loc>{escaped}{page}</loc></url>\n"));
        }
        out.push_str("</urlset>\n");
        return text_response("application/xml; charset=utf-8", out, 3600);
    }
    let n = file
        .strip_prefix("refutations-")
        .and_then(|rest| rest.strip_suffix(".xml"))
        .filter(|digits| !digits.is_empty() && digits.len() <= 6 && digits.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|digits| digits.parse::<u32>().ok())
        .filter(|&n| n >= 1)
        .ok_or(ApiError::client(qinglang_domain::ErrorCode::NotFound))?;
    let db = store::db(env)?;
    edge_cache::serve(req, env, |_| async move {
        let rows = store::refutations::sitemap_rows(&db, (n - 1) * SITEMAP_PAGE, SITEMAP_PAGE).await?;
        if rows.is_empty() && n > 1 {
            return Ok(Page {
                status: 404,
                content_type: "application/xml; charset=utf-8".to_owned(),
                body: b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<error>no such sitemap</error>\n".to_vec(),
                server_timing: None,
            });
        }
        let mut out = urlset_start();
        for (id, changed_at) in rows {
            let lastmod = &qinglang_domain::refutation::rfc3339_utc(changed_at)[..10];
            out.push_str(&format!("<url><loc>{escaped}/refutations/{id}</loc><lastmod>{lastmod}</lastmod></url>\n"));
        }
        out.push_str("</urlset>\n");
        Ok(xml(out))
    })
    .await
}

fn urlset_start() -> String {
    String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    )
}

fn xml(body: String) -> Page {
    Page {
        status: 200,
        content_type: "application/xml; charset=utf-8".to_owned(),
        body: body.into_bytes(),
        server_timing: None,
    }
}

/// Any other path: the citizen app's page (which shows "page not found" for a path it does not
/// know) with status 404, so crawlers and link checkers hear the truth.
pub async fn not_found(req: &Request, env: &Env, shell: Shell) -> Result<Response, ApiError> {
    let html = pages::shell_html(req, env, shell).await?;
    let html = html.replacen("<head>", "<head>\n<meta name=\"robots\" content=\"noindex\">", 1);
    pages::html_response(404, html)
}
