//! `/`: the way in from a poster — report, track, and the public figures.

use leptos::prelude::*;

use crate::components::{Page, Tab};
use crate::i18n::Msg;
use crate::{prescreen, state, tr};

/// The home page.
#[component]
pub fn Home() -> impl IntoView {
    view! {
        <Page title=Msg::AppName tab=Tab::Home>
            <crate::outbox::OutboxRoot/>
            <section class="card hero">
                <h2>{tr(Msg::HomeHeadline)}</h2>
                <p>{tr(Msg::HomeIntro)}</p>
                <a class="btn-primary" href="/report">{tr(Msg::HomeReportButton)}</a>
                <a class="btn-secondary" href="/track">{tr(Msg::HomeTrackButton)}</a>
                <p class="muted small">{tr(Msg::HomeAnonymous)}</p>
            </section>
            <LatestRefutations/>
            <section class="card">
                <h2>{tr(Msg::HomeFigures)}</h2>
                <HomeFigures/>
                <p class="muted small"><a href="/stats">{tr(Msg::FiguresTitle)}" ›"</a></p>
            </section>
            <p class="muted small center">{tr(Msg::HomeHotline)}</p>
        </Page>
    }
}

/// The three newest refutations (verdict and title, linking to the reader's pages); hidden while
/// loading, when none is published or when the list cannot be loaded — the report button above is
/// what the page is for.
///
/// `public/refutation-hints.js`, imported after the page is up, fills the section: the citizen
/// bundle's first load has a hard budget, and reading the answer and building the list in Rust cost
/// about 2 KB brotli of it (measured).
#[component]
fn LatestRefutations() -> impl IntoView {
    let s = state();
    Effect::new(move |_| prescreen::show_latest_refutations(3, s.lang.get().tag()));
    view! { <section class="card" id="latest-refutations" hidden></section> }
}

/// The public figures' three counts, drawn by `public/figures.js` (imported after first paint) into
/// `#home-figures`; reading `/api/stats` and drawing it in Rust cost 2.8 KB brotli of the citizen
/// first load (measured). "Loading" until then.
#[component]
fn HomeFigures() -> impl IntoView {
    let lang = state().lang;
    Effect::new(move |_| {
        let tag = wasm_bindgen::JsValue::from_str(lang.get().tag());
        leptos::task::spawn_local(async move {
            let none = wasm_bindgen::JsValue::UNDEFINED;
            let _ = crate::evidence::call_module("/figures.js", "show", &tag, &none, &none).await;
        });
    });
    view! { <div id="home-figures"><p class="muted">{tr(Msg::Loading)}</p></div> }
}
