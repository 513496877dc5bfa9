//! `/refutations` (the list: newest first, search, tag and region filters, "load more") and
//! `/refutations/{id}` (the article with share, copy-link and QR code). Reader bundle only.
//!
//! The list's filters live in the address (`?q=&tag=&region=`), so the back button, a shared link
//! and a reload all show the same list; changing a filter is a `nav.go` within the page.

use leptos::prelude::*;
use qinglang_domain::refutation::api::{PublicRefutation, PublicRefutationSummary};

use crate::api::{self, ApiFailure};
use crate::components::article::{Article, VerdictBadge, date, rt};
use crate::components::{Page, Tab};
use crate::i18n::Msg;
use crate::nav::nav;
use crate::refutation_text::RText;
use crate::{browser, qr, state, tr};

/// The list's filters, as in the page's address.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Search words (`q`).
    pub q: String,
    /// A tag.
    pub tag: String,
    /// A district code.
    pub region: String,
}

/// Percent-encodes a query value (everything but RFC 3986's unreserved characters).
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl Filter {
    /// The filter of a query string (`?q=…`), read with the browser's parser.
    fn from_search(search: &str) -> Filter {
        let Ok(params) = web_sys::UrlSearchParams::new_with_str(search) else { return Filter::default() };
        let get = |name: &str| params.get(name).map(|v| v.trim().to_owned()).unwrap_or_default();
        Filter { q: get("q"), tag: get("tag"), region: get("region") }
    }

    /// `?q=…&tag=…&region=…` with the non-empty filters (and the paging cursor), or "".
    pub fn query(&self, after: Option<&str>) -> String {
        let pairs = [("q", self.q.as_str()), ("tag", self.tag.as_str()), ("region", self.region.as_str())];
        let mut parts: Vec<String> =
            pairs.iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| format!("{k}={}", encode(v))).collect();
        if let Some(after) = after {
            parts.push(format!("after={}", encode(after)));
        }
        if parts.is_empty() { String::new() } else { format!("?{}", parts.join("&")) }
    }

    /// The list page's address for this filter.
    pub fn href(&self) -> String {
        format!("/refutations{}", self.query(None))
    }

    /// Whether any filter is set.
    pub fn is_set(&self) -> bool {
        !(self.q.is_empty() && self.tag.is_empty() && self.region.is_empty())
    }
}

/// Where the list stands.
#[derive(Debug, Clone, PartialEq)]
enum Loading {
    Busy,
    Done,
    Failed(ApiFailure),
}

/// The refutations list.
#[component]
pub fn Refutations() -> impl IntoView {
    let s = state();
    let nav = nav();
    let filter = Memo::new(move |_| Filter::from_search(&nav.search.get()));
    let items = RwSignal::new(Vec::<PublicRefutationSummary>::new());
    let next = RwSignal::new(None::<String>);
    let loading = RwSignal::new(Loading::Busy);
    let tags = crate::load(api::refutation_tags());
    // Answers to an older filter are dropped: a fast typist must not see the previous search's list.
    let generation = StoredValue::new(0u32);
    let fetch = move |after: Option<String>| {
        let this = generation.get_value().wrapping_add(1);
        generation.set_value(this);
        let query = filter.get_untracked().query(after.as_deref());
        loading.set(Loading::Busy);
        leptos::task::spawn_local(async move {
            let result = api::refutations(&query).await;
            if generation.try_get_value() != Some(this) {
                return;
            }
            match result {
                Ok(page) => {
                    items.try_update(|list| list.extend(page.items));
                    next.try_set(page.next);
                    loading.try_set(Loading::Done);
                }
                Err(failure) => {
                    loading.try_set(Loading::Failed(failure));
                }
            }
        });
    };
    Effect::new(move |_| {
        filter.track();
        items.set(Vec::new());
        next.set(None);
        fetch(None);
    });

    let typed = RwSignal::new(filter.get_untracked().q);
    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let f = Filter { q: typed.get_untracked().trim().to_owned(), ..filter.get_untracked() };
        nav.go(&f.href());
    };
    let chips = move || {
        let current = filter.get();
        let mut list = vec![(String::new(), RText::AllTags.text(s.lang.get()).to_owned())];
        if let Some(Ok(found)) = tags.get() {
            list.extend(found.tags.into_iter().take(12).map(|t| (t.tag.clone(), format!("#{}", t.tag))));
        }
        if !current.tag.is_empty() && !list.iter().any(|(t, _)| *t == current.tag) {
            list.push((current.tag.clone(), format!("#{}", current.tag)));
        }
        list.into_iter()
            .map(|(tag, label)| {
                let active = tag == current.tag;
                let href = Filter { tag, ..current.clone() }.href();
                view! { <a class="chip" class:active=active aria-current=active.then_some("true") href=href>{label}</a> }
            })
            .collect_view()
    };
    let regions = move || {
        let current = filter.get().region;
        let lang = s.lang.get();
        let districts = s.taxonomy.get().and_then(Result::ok).map(|t| t.districts).unwrap_or_default();
        districts
            .into_iter()
            .map(|d| {
                let selected = d.code == current;
                view! { <option value=d.code.clone() selected=selected>{d.name(lang).to_owned()}</option> }
            })
            .collect_view()
    };
    let pick_region = move |ev| {
        let region = event_target_value(&ev);
        nav.go(&Filter { region, ..filter.get_untracked() }.href());
    };

    view! {
        <Page title=Msg::RefutationsTitle tab=Tab::Refutations>
            <section class="card filters">
                <form role="search" class="search-row" on:submit=search>
                    <label class="sr-only" for="ref-q">{rt(RText::SearchLabel)}</label>
                    <input id="ref-q" type="search" enterkeyhint="search" prop:value=move || typed.get()
                        placeholder=rt(RText::SearchPlaceholder) on:input=move |ev| typed.set(event_target_value(&ev))/>
                    <button type="submit" class="btn-small">{rt(RText::SearchButton)}</button>
                </form>
                <nav class="chips" aria-label=rt(RText::FilterTag)>{chips}</nav>
                <label class="region-row">
                    <span class="muted small">{rt(RText::FilterRegion)}</span>
                    <select on:change=pick_region>
                        <option value="" selected=move || filter.get().region.is_empty()>{rt(RText::AllRegions)}</option>
                        {regions}
                    </select>
                </label>
            </section>
            <ul class="ref-list" aria-busy=move || (loading.get() == Loading::Busy).to_string()>
                {move || items.get().into_iter().map(|item| view! { <li><SummaryCard item=item/></li> }).collect_view()}
            </ul>
            {move || match loading.get() {
                Loading::Busy => view! { <p class="muted center">{s.t(Msg::Loading)}</p> }.into_any(),
                Loading::Failed(failure) => view! {
                    <section class="card empty">
                        <p class="error" role="alert">{failure.message(s.lang.get())}</p>
                        <button type="button" class="btn-secondary" on:click=move |_| fetch(next.get_untracked())>{tr(Msg::Retry)}</button>
                    </section>
                }.into_any(),
                Loading::Done if items.with(Vec::is_empty) && filter.get().is_set() => view! {
                    <section class="card empty" role="status">
                        <p>{rt(RText::NoResults)}</p>
                        <a class="btn-secondary" href="/refutations">{rt(RText::ClearFilters)}</a>
                    </section>
                }.into_any(),
                Loading::Done if items.with(Vec::is_empty) => view! {
                    <section class="card empty" role="status">
                        <p>{tr(Msg::RefutationsEmpty)}</p>
                        <p class="muted small">{tr(Msg::RefutationsHint)}</p>
                        <a class="btn-secondary" href="/report">{tr(Msg::HomeReportButton)}</a>
                    </section>
                }.into_any(),
                Loading::Done => view! {
                    <button type="button" class="btn-secondary" hidden=move || next.with(Option::is_none)
                        on:click=move |_| fetch(next.get_untracked())>{rt(RText::More)}</button>
                }.into_any(),
            }}
        </Page>
    }
}

/// One line of the list.
#[component]
fn SummaryCard(item: PublicRefutationSummary) -> impl IntoView {
    let s = state();
    let region = item.region.map(|d| move || format!(" · {}", d.name(s.lang.get())));
    view! {
        <a class="card ref-item" href=format!("/refutations/{}", item.id)>
            <VerdictBadge verdict=item.verdict/>
            // h2 under the page's h1 (a skipped level fails accessibility checks); sized as an h3.
            <h2>{item.title}</h2>
            <p class="muted small clamp">{item.claim}</p>
            <p class="muted small">{item.authority}" · "{date(item.published_at)}{region}</p>
        </a>
    }
}

/// `/refutations/{id}`.
#[component]
pub fn ArticlePage(id: String) -> impl IntoView {
    let s = state();
    let article = crate::load(api::refutation(id));
    view! {
        <Page title=Msg::RefutationsTitle tab=Tab::Refutations>
            {move || match article.get() {
                None => view! { <section class="card"><p class="muted">{s.t(Msg::Loading)}</p></section> }.into_any(),
                Some(Err(ApiFailure::Refused(body))) if body.error == qinglang_domain::ErrorCode::NotFound => view! {
                    <section class="card empty" role="status">
                        <p>{rt(RText::ArticleMissing)}</p>
                        <a class="btn-secondary" href="/refutations">{rt(RText::AllRefutations)}</a>
                    </section>
                }.into_any(),
                Some(Err(failure)) => view! {
                    <section class="card empty">
                        <p class="error" role="alert">{failure.message(s.lang.get())}</p>
                        <button type="button" class="btn-secondary" on:click=move |_| {
                            if let Some(w) = web_sys::window() { let _ = w.location().reload(); }
                        }>{tr(Msg::Retry)}</button>
                    </section>
                }.into_any(),
                Some(Ok(a)) => view! {
                    <Article article=a.clone()/>
                    <ShareCard article=a/>
                    <p class="center small"><a href="/refutations">{rt(RText::AllRefutations)}" ›"</a></p>
                }.into_any(),
            }}
        </Page>
    }
}

/// Passing the article on: the share sheet where the browser has one, copying the link, and the
/// link's QR code for printing.
#[component]
fn ShareCard(article: PublicRefutation) -> impl IntoView {
    let can_share = browser::can_share();
    // None: not tried; Some(true): copied; Some(false): the browser refused (the link is on screen).
    let copied = RwSignal::new(None::<bool>);
    let url = article.url.clone();
    let share = {
        let (title, url) = (article.title.clone(), url.clone());
        move |_| {
            let (title, url) = (title.clone(), url.clone());
            leptos::task::spawn_local(async move {
                browser::share(&title, &url).await;
            });
        }
    };
    let copy = {
        let url = url.clone();
        move |_| {
            let url = url.clone();
            leptos::task::spawn_local(async move {
                let done = browser::copy_text(&url).await;
                copied.try_set(Some(done));
            });
        }
    };
    let qr = qr::qr_path(&url).map(|code| {
        let view_box = format!("0 0 {0} {0}", code.width);
        view! {
            <figure class="qr">
                <svg viewBox=view_box role="img" aria-label=rt(RText::QrLabel) shape-rendering="crispEdges" data-testid="qr">
                    <rect width="100%" height="100%" fill="#ffffff"/>
                    <path d=code.path fill="#000000"/>
                </svg>
                <figcaption class="muted small">{rt(RText::QrCaption)}</figcaption>
            </figure>
        }
    });
    view! {
        <section class="card share">
            <h3>{rt(RText::ShareTitle)}</h3>
            <div class="actions">
                {can_share.then(|| view! { <button type="button" class="btn-primary" on:click=share>{rt(RText::Share)}</button> })}
                <button type="button" class="btn-secondary" on:click=copy>
                    {move || match copied.get() {
                        Some(true) => rt(RText::LinkCopied)(),
                        Some(false) => rt(RText::CopyByHand)(),
                        None => rt(RText::CopyLink)(),
                    }}
                </button>
            </div>
            <p class="small link-text" data-testid="article-url">{url}</p>
            {qr}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_become_an_encoded_query() {
        let f = Filter { q: "封城 谣言".into(), tag: "疫情".into(), region: String::new() };
        assert_eq!(f.query(None), "?q=%E5%B0%81%E5%9F%8E%20%E8%B0%A3%E8%A8%80&tag=%E7%96%AB%E6%83%85");
        assert_eq!(f.query(Some("17&x")), format!("{}&after=17%26x", f.query(None)));
        assert_eq!(Filter::default().href(), "/refutations");
        assert!(!Filter::default().is_set());
        assert_eq!(Filter { region: "nanshan".into(), ..Filter::default() }.href(), "/refutations?region=nanshan");
    }
}
