//! HTML and feed text for published refutations: the article page's head (title, description, Open
//! Graph, canonical link, schema.org `ClaimReview` JSON-LD) and a static article body filled into the
//! SPA's HTML at the edge, and the Atom and JSON Feed documents.
//!
//! Crawlers and chat apps do not run WASM, so everything they need is in the HTML the worker sends;
//! the SPA then takes over (it removes `#boot`, where the static article sits).
//!
//! Every text from the database is escaped for where it goes: [`escape`] for HTML and XML, and
//! [`script_safe_json`] for the JSON-LD, which must not be able to close its `<script>` element.

use qinglang_domain::refutation::api::{ArticleHead, PublicRefutation};
use qinglang_domain::refutation::{BEST_RATING, Block, WORST_RATING, rfc3339_utc};
use serde_json::json;

/// The site's name in titles, feeds and `og:site_name`.
pub const SITE_NAME: &str = "清朗辟谣";

/// The site's share card, for articles without a picture of their own.
pub const SHARE_CARD: &str = "/icons/share-card.png";

/// Asia/Shanghai is UTC+8 all year: dates readers see are local dates.
const SHANGHAI_OFFSET_MS: i64 = 8 * 60 * 60 * 1000;

/// Escapes text for HTML and XML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters other than tab and newlines are not allowed in XML 1.0.
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// JSON that can sit inside `<script type="application/ld+json">`: `<`, `>` and `&` become `\u003c`,
/// `\u003e`, `\u0026` (the same string to a JSON parser), so no text can form `</script>` or `<!--`.
pub fn script_safe_json(value: &serde_json::Value) -> String {
    value.to_string().replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

/// `2026年11月26日`, in Shanghai time.
pub fn local_date(ms: i64) -> String {
    let iso = rfc3339_utc(ms + SHANGHAI_OFFSET_MS);
    let (y, m, d) = (&iso[0..4], &iso[5..7], &iso[8..10]);
    format!("{y}年{}月{}日", m.trim_start_matches('0'), d.trim_start_matches('0'))
}

/// An address made absolute under `origin` (image blocks may be paths on this site).
pub fn absolute(origin: &str, url: &str) -> String {
    if url.starts_with('/') { format!("{origin}{url}") } else { url.to_owned() }
}

/// The schema.org `ClaimReview` of an article.
pub fn claim_review(a: &PublicRefutation) -> serde_json::Value {
    let mut claim = json!({ "@type": "Claim" });
    if let Some(url) = &a.claim_url {
        claim["appearance"] = json!([{ "@type": "CreativeWork", "url": url }]);
    }
    json!({
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": a.url,
        "name": a.title,
        "inLanguage": "zh-Hans",
        "datePublished": a.published_rfc3339(),
        "dateModified": a.modified_rfc3339(),
        "claimReviewed": a.claim,
        "reviewBody": a.description,
        "author": { "@type": "Organization", "name": a.authority },
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": a.verdict.rating,
            "bestRating": BEST_RATING,
            "worstRating": WORST_RATING,
            "alternateName": a.verdict.name_zh_hans,
        },
        "itemReviewed": claim,
    })
}

/// The article's head, as the page carries it and the editor's preview shows it.
pub fn head(a: &PublicRefutation) -> ArticleHead {
    ArticleHead {
        title: format!("{} · {SITE_NAME}", a.title),
        description: a.description.clone(),
        canonical_url: a.url.clone(),
        json_ld: script_safe_json(&claim_review(a)),
    }
}

fn first_image(a: &PublicRefutation, origin: &str) -> Option<String> {
    a.body.iter().find_map(|b| match b {
        Block::Image { url, .. } => Some(absolute(origin, url)),
        _ => None,
    })
}

/// The tags that go before `</head>`.
fn head_tags(a: &PublicRefutation, origin: &str) -> String {
    let h = head(a);
    let mut out = String::new();
    let mut meta = |attr: &str, name: &str, content: &str| {
        out.push_str(&format!("<meta {attr}=\"{name}\" content=\"{}\">\n", escape(content)));
    };
    meta("name", "description", &h.description);
    meta("property", "og:type", "article");
    meta("property", "og:site_name", SITE_NAME);
    meta("property", "og:locale", "zh_CN");
    meta("property", "og:title", &a.title);
    meta("property", "og:description", &h.description);
    meta("property", "og:url", &h.canonical_url);
    // Chat apps and link previews show a card only with a picture: the article's first picture, or
    // the site's share card (public/icons/share-card.png, made by scripts/make-icons.mjs).
    match first_image(a, origin) {
        Some(image) => {
            meta("property", "og:image", &image);
            meta("property", "og:image:alt", &a.title);
        }
        None => {
            meta("property", "og:image", &format!("{origin}{SHARE_CARD}"));
            meta("property", "og:image:type", "image/png");
            meta("property", "og:image:width", "1200");
            meta("property", "og:image:height", "630");
            meta("property", "og:image:alt", SITE_NAME);
        }
    }
    meta("property", "article:published_time", &a.published_rfc3339());
    meta("property", "article:modified_time", &a.modified_rfc3339());
    meta("property", "article:author", &a.authority);
    for tag in &a.tags {
        meta("property", "article:tag", tag);
    }
    meta("name", "twitter:card", "summary_large_image");
    meta("name", "twitter:title", &a.title);
    meta("name", "twitter:description", &h.description);
    out.push_str(&format!("<link rel=\"canonical\" href=\"{}\">\n", escape(&h.canonical_url)));
    out.push_str(&format!("<script type=\"application/ld+json\">{}</script>\n", h.json_ld));
    out
}

/// The article as static HTML: for readers without JavaScript, crawlers, and feed readers.
/// Addresses are absolute under `origin`. The elements and words of the app's article
/// (app/src/components/article.rs, in simplified Chinese), laid out alike by style/reader.css, so
/// that on the article page the app replaces it with text of the same sizes and the largest
/// contentful paint stays this early one (issue 17).
pub fn article_html(a: &PublicRefutation, origin: &str) -> String {
    let mut out = String::new();
    out.push_str("<article class=\"card refutation-static\" lang=\"zh-Hans\">\n");
    out.push_str(&format!(
        "<p><span class=\"verdict verdict-{}\">{}</span></p>\n<h2>{}</h2>\n",
        escape(&a.verdict.code),
        escape(&a.verdict.name_zh_hans),
        escape(&a.title)
    ));
    let mut dates = format!("发布于 {}", local_date(a.published_at));
    if let Some(revised) = a.revised_at {
        dates.push_str(&format!(" · 更新于 {}", local_date(revised)));
    }
    out.push_str(&format!("<p class=\"muted small\">{dates}</p>\n"));
    out.push_str(&format!("<h3>网传</h3>\n<blockquote class=\"claim\">{}</blockquote>\n", paragraph(&a.claim)));
    if let Some(url) = &a.claim_url {
        out.push_str(&format!(
            "<p class=\"small\"><a href=\"{}\" rel=\"nofollow noopener noreferrer\">网传内容出处</a></p>\n",
            escape(url)
        ));
    }
    out.push_str("<h3>真相</h3>\n");
    for block in &a.body {
        match block {
            Block::Paragraph { text } => out.push_str(&format!("<p>{}</p>\n", paragraph(text))),
            Block::Link { text, url } => {
                let label = if text.is_empty() { url } else { text };
                out.push_str(&format!(
                    "<p><a href=\"{}\" rel=\"noopener noreferrer\">{}</a></p>\n",
                    escape(url),
                    escape(label)
                ));
            }
            Block::Image { url, alt } => out.push_str(&format!(
                "<figure><img src=\"{}\" alt=\"{}\" loading=\"lazy\"></figure>\n",
                escape(&absolute(origin, url)),
                escape(alt)
            )),
        }
    }
    if let (Some(note), Some(_)) = (&a.update_note, a.revised_at) {
        out.push_str(&format!("<p class=\"muted small update-note\">更新说明：{}</p>\n", escape(note)));
    }
    if !a.sources.is_empty() {
        out.push_str("<h3>来源</h3>\n<ul class=\"sources\">\n");
        for s in &a.sources {
            out.push_str(&format!(
                "<li><a href=\"{}\" rel=\"noopener noreferrer\">{}</a></li>\n",
                escape(&s.url),
                escape(&s.title)
            ));
        }
        out.push_str("</ul>\n");
    }
    out.push_str(&format!("<dl class=\"facts\">\n<dt>发布单位</dt><dd>{}</dd>\n", escape(&a.authority)));
    if let Some(region) = &a.region {
        out.push_str(&format!("<dt>地区</dt><dd>{}</dd>\n", escape(&region.name_zh_hans)));
    }
    out.push_str("</dl>\n");
    if !a.tags.is_empty() {
        let tags: Vec<String> = a.tags.iter().map(|t| format!("#{}", escape(t))).collect();
        out.push_str(&format!("<p class=\"muted small\">{}</p>\n", tags.join(" ")));
    }
    out.push_str("</article>\n");
    out
}

/// Escaped text with its line breaks kept.
fn paragraph(text: &str) -> String {
    escape(text).replace('\n', "<br>")
}

/// Replaces the shell's `<title>`, description and title bar text, adds the article's head tags, and
/// puts `body_html` in place of the shell's own hero card (inside `#boot`, which the SPA removes when
/// it starts; the loading line and the fallback text after it stay).
fn fill_shell(shell: &str, title: &str, head_extra: &str, body_html: &str) -> String {
    let mut html = shell.to_owned();
    if let (Some(start), Some(end)) = (html.find("<title>"), html.find("</title>"))
        && start < end
    {
        html.replace_range(start..end + "</title>".len(), &format!("<title>{}</title>", escape(title)));
    }
    // The shell's own description is about reporting; the article brings its own.
    if let Some(start) = html.find("<meta name=\"description\"")
        && let Some(len) = html[start..].find('>')
    {
        html.replace_range(start..=start + len, "");
    }
    match html.find("</head>") {
        Some(at) => html.insert_str(at, head_extra),
        None => html.insert_str(0, head_extra),
    }
    // The title bar says what the app's says on these pages.
    if let (Some(start), Some(end)) = (html.find("<h1>"), html.find("</h1>"))
        && start < end
    {
        html.replace_range(start + "<h1>".len()..end, "辟谣信息");
    }
    const HERO: &str = "<section class=\"card hero\">";
    if let Some(start) = html.find(HERO)
        && let Some(len) = html[start..].find("</section>")
    {
        html.replace_range(start..start + len + "</section>".len(), body_html.trim_end());
        return html;
    }
    let anchor = ["<main class=\"content\">", "<div id=\"boot\" class=\"boot\">", "<body>"]
        .iter()
        .find_map(|tag| html.find(tag).map(|at| at + tag.len()));
    match anchor {
        Some(at) => html.insert_str(at, &format!("\n{body_html}")),
        None => html.push_str(body_html),
    }
    html
}

/// The article page: the SPA's HTML with the article's head and static body, and the app's link
/// under the article.
pub fn article_page(shell: &str, a: &PublicRefutation, origin: &str) -> String {
    let body = format!(
        "{}<p class=\"center small\"><a href=\"/refutations\">查看全部辟谣信息 ›</a></p>",
        article_html(a, origin)
    );
    fill_shell(shell, &head(a).title, &head_tags(a, origin), &body)
}

/// The page for an id that is not a published refutation: the app's words for it.
pub fn not_found_page(shell: &str) -> String {
    fill_shell(
        shell,
        &format!("未找到 · {SITE_NAME}"),
        "<meta name=\"robots\" content=\"noindex\">\n",
        "<section class=\"card empty\" role=\"status\"><p>没有找到这条辟谣信息，它可能已被撤回，或链接有误。</p>\
         <a class=\"btn-secondary\" href=\"/refutations\">查看全部辟谣信息</a></section>",
    )
}

/// What a feed is about, for its title and self link.
pub struct FeedInfo {
    /// `https://host`.
    pub origin: String,
    /// The feed's own address, with its query.
    pub self_url: String,
    /// ` · 高考` or ` · 南山区`, or empty.
    pub title_suffix: String,
}

/// An Atom 1.0 document (RFC 4287) of `items`, newest first.
pub fn atom(items: &[PublicRefutation], info: &FeedInfo, now: i64) -> String {
    let updated = items.iter().map(|a| a.revised_at.unwrap_or(a.published_at)).max().unwrap_or(now);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"zh-Hans\">\n");
    out.push_str(&format!("<id>{}</id>\n", escape(&info.self_url)));
    out.push_str(&format!("<title>{}{}</title>\n", SITE_NAME, escape(&info.title_suffix)));
    out.push_str("<subtitle>权威发布的网络谣言辟谣信息</subtitle>\n");
    out.push_str(&format!("<updated>{}</updated>\n", rfc3339_utc(updated)));
    out.push_str(&format!("<link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n", escape(&info.self_url)));
    out.push_str(&format!(
        "<link rel=\"alternate\" type=\"text/html\" href=\"{}/refutations\"/>\n",
        escape(&info.origin)
    ));
    out.push_str(&format!("<author><name>{SITE_NAME}</name></author>\n"));
    out.push_str("<generator>Qinglang</generator>\n");
    for a in items {
        out.push_str("<entry>\n");
        out.push_str(&format!("<id>{}</id>\n", escape(&a.url)));
        out.push_str(&format!("<title>{}</title>\n", escape(&format!("【{}】{}", a.verdict.name_zh_hans, a.title))));
        out.push_str(&format!("<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n", escape(&a.url)));
        out.push_str(&format!("<published>{}</published>\n", a.published_rfc3339()));
        out.push_str(&format!("<updated>{}</updated>\n", a.modified_rfc3339()));
        out.push_str(&format!("<author><name>{}</name></author>\n", escape(&a.authority)));
        out.push_str(&format!(
            "<category term=\"{}\" label=\"{}\" scheme=\"{}/refutations/verdicts\"/>\n",
            escape(&a.verdict.code),
            escape(&a.verdict.name_zh_hans),
            escape(&info.origin)
        ));
        for tag in &a.tags {
            out.push_str(&format!("<category term=\"{}\"/>\n", escape(tag)));
        }
        out.push_str(&format!("<summary>{}</summary>\n", escape(&a.description)));
        out.push_str(&format!("<content type=\"html\">{}</content>\n", escape(&article_html(a, &info.origin))));
        out.push_str("</entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

/// An RSS 2.0 document of `items`, newest first (many aggregators read only RSS). Each item's
/// description is the article as HTML, escaped, as RSS readers expect.
pub fn rss(items: &[PublicRefutation], info: &FeedInfo, now: i64) -> String {
    let updated = items.iter().map(|a| a.revised_at.unwrap_or(a.published_at)).max().unwrap_or(now);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str("<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n");
    out.push_str(&format!("<title>{}{}</title>\n", SITE_NAME, escape(&info.title_suffix)));
    out.push_str(&format!("<link>{}/refutations</link>\n", escape(&info.origin)));
    out.push_str("<description>权威发布的网络谣言辟谣信息</description>\n");
    out.push_str("<language>zh-cn</language>\n");
    out.push_str(&format!("<lastBuildDate>{}</lastBuildDate>\n", rfc822(updated)));
    out.push_str(&format!(
        "<atom:link href=\"{}\" rel=\"self\" type=\"application/rss+xml\"/>\n",
        escape(&info.self_url)
    ));
    out.push_str("<generator>Qinglang</generator>\n");
    for a in items {
        out.push_str("<item>\n");
        out.push_str(&format!("<title>{}</title>\n", escape(&format!("【{}】{}", a.verdict.name_zh_hans, a.title))));
        out.push_str(&format!("<link>{}</link>\n", escape(&a.url)));
        out.push_str(&format!("<guid isPermaLink=\"true\">{}</guid>\n", escape(&a.url)));
        out.push_str(&format!("<pubDate>{}</pubDate>\n", rfc822(a.published_at)));
        out.push_str(&format!("<category>{}</category>\n", escape(&a.verdict.name_zh_hans)));
        for tag in &a.tags {
            out.push_str(&format!("<category>{}</category>\n", escape(tag)));
        }
        out.push_str(&format!("<description>{}</description>\n", escape(&article_html(a, &info.origin))));
        out.push_str("</item>\n");
    }
    out.push_str("</channel>\n</rss>\n");
    out
}

/// `Mon, 07 Dec 2026 03:56:06 GMT`: the RFC 822 date (with a four-digit year, as RFC 2822) of RSS.
pub fn rfc822(ms: i64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let iso = rfc3339_utc(ms);
    let day = DAYS[ms.div_euclid(86_400_000).rem_euclid(7) as usize];
    let month = iso[5..7].parse::<usize>().ok().and_then(|m| MONTHS.get(m.wrapping_sub(1))).copied().unwrap_or("Jan");
    format!("{day}, {} {month} {} {} GMT", &iso[8..10], &iso[0..4], &iso[11..19])
}

/// A JSON Feed 1.1 document of `items`, newest first.
pub fn json_feed(items: &[PublicRefutation], info: &FeedInfo) -> serde_json::Value {
    let items: Vec<serde_json::Value> = items
        .iter()
        .map(|a| {
            let mut item = json!({
                "id": a.id.to_string(),
                "url": a.url,
                "title": format!("【{}】{}", a.verdict.name_zh_hans, a.title),
                "content_html": article_html(a, &info.origin),
                "summary": a.description,
                "date_published": a.published_rfc3339(),
                "date_modified": a.modified_rfc3339(),
                "authors": [{ "name": a.authority }],
                "tags": a.tags,
                "language": "zh-Hans",
                "_claim_review": {
                    "about": "https://schema.org/ClaimReview",
                    "claim_reviewed": a.claim,
                    "verdict": a.verdict.code,
                    "verdict_name": a.verdict.name_zh_hans,
                    "rating": a.verdict.rating,
                    "best_rating": BEST_RATING,
                    "worst_rating": WORST_RATING,
                },
            });
            if let Some(image) = first_image(a, &info.origin) {
                item["image"] = json!(image);
            }
            item
        })
        .collect();
    json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": format!("{SITE_NAME}{}", info.title_suffix),
        "home_page_url": format!("{}/refutations", info.origin),
        "feed_url": info.self_url,
        "description": "权威发布的网络谣言辟谣信息",
        "language": "zh-Hans",
        "authors": [{ "name": SITE_NAME }],
        "items": items,
    })
}
