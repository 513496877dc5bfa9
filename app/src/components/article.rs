//! A published refutation as readers see it. The reader's article page and the console's preview
//! both render this component, so the preview is exactly what will be published.

use leptos::prelude::*;
use qinglang_domain::refutation::Block;
use qinglang_domain::refutation::Verdict;
use qinglang_domain::refutation::api::PublicRefutation;

use crate::i18n::fill;
use crate::refutation_text::RText;
use crate::{browser, state};

/// A reactive refutation-page text.
pub fn rt(text: RText) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = state().lang;
    move || text.text(lang.get())
}

/// `YYYY-MM-DD` in the phone's time zone.
pub fn date(ms: i64) -> String {
    browser::format_time(ms).chars().take(10).collect()
}

/// The verdict as a coloured badge (`verdict-rumour`, `verdict-true` … in style/app.css).
#[component]
pub fn VerdictBadge(verdict: Verdict) -> impl IntoView {
    let s = state();
    let class = format!("verdict verdict-{}", verdict.code);
    view! { <span class=class data-testid="verdict">{move || verdict.name(s.lang.get()).to_owned()}</span> }
}

/// The whole article: verdict, title, dates, the claim, the truth, sources, authority and region.
#[component]
pub fn Article(article: PublicRefutation) -> impl IntoView {
    let s = state();
    let a = article;
    let published_at = a.published_at;
    let revised_at = a.revised_at;
    let dates = move || {
        let lang = s.lang.get();
        let mut text = fill(RText::Published.text(lang), &[("date", &date(published_at))]);
        if let Some(revised) = revised_at {
            text = format!("{text} · {}", fill(RText::Updated.text(lang), &[("date", &date(revised))]));
        }
        text
    };
    let blocks = a
        .body
        .into_iter()
        .map(|block| match block {
            Block::Paragraph { text } => view! { <p class="prewrap">{text}</p> }.into_any(),
            Block::Link { text, url } => {
                let label = if text.is_empty() { url.clone() } else { text };
                view! { <p><a href=url rel="noopener noreferrer">{label}</a></p> }.into_any()
            }
            // The page's Content-Security-Policy allows images from this site only: pictures kept
            // elsewhere are offered as a link rather than shown broken.
            Block::Image { url, alt } if url.starts_with('/') => {
                view! { <figure><img src=url alt=alt loading="lazy"/></figure> }.into_any()
            }
            Block::Image { url, alt } => view! {
                <p><a href=url rel="noopener noreferrer">{move || fill(RText::ImageLink.text(s.lang.get()), &[("alt", &alt)])}</a></p>
            }
            .into_any(),
        })
        .collect_view();
    let note = a.revised_at.and(a.update_note).map(|note| {
        view! { <p class="muted small update-note">{move || fill(RText::UpdateNote.text(s.lang.get()), &[("note", &note)])}</p> }
    });
    let sources = (!a.sources.is_empty()).then(|| {
        view! {
            <h3>{rt(RText::Sources)}</h3>
            <ul class="sources">
                {a.sources.into_iter().map(|src| view! { <li><a href=src.url rel="noopener noreferrer">{src.title}</a></li> }).collect_view()}
            </ul>
        }
    });
    let region = a.region.map(|district| {
        view! { <dt>{rt(RText::Region)}</dt><dd>{move || district.name(s.lang.get()).to_owned()}</dd> }
    });
    let tags = (!a.tags.is_empty()).then(|| {
        let text = a.tags.iter().map(|t| format!("#{t}")).collect::<Vec<_>>().join(" ");
        view! { <p class="muted small">{text}</p> }
    });
    let claim_url = a.claim_url.map(|url| {
        view! { <p class="small"><a href=url rel="nofollow noopener noreferrer">{rt(RText::ClaimSource)}</a></p> }
    });
    view! {
        <article class="card article" data-testid="article">
            <p><VerdictBadge verdict=a.verdict/></p>
            <h2>{a.title}</h2>
            <p class="muted small">{dates}</p>
            <h3>{rt(RText::Claim)}</h3>
            <blockquote class="claim prewrap">{a.claim}</blockquote>
            {claim_url}
            <h3>{rt(RText::Truth)}</h3>
            {blocks}
            {note}
            {sources}
            <dl class="facts">
                <dt>{rt(RText::Authority)}</dt>
                <dd data-testid="authority">{a.authority}</dd>
                {region}
            </dl>
            {tags}
        </article>
    }
}
