//! `/`: the way in from a poster — report, track, and the public figures.

use leptos::prelude::*;

use crate::components::{Page, Tab};
use crate::i18n::Msg;
use crate::pages::stats::Figures;
use crate::{prescreen, state, tr};

/// The home page.
#[component]
pub fn Home() -> impl IntoView {
    view! {
        <Page title=Msg::AppName tab=Tab::Home>
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
                <Figures/>
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
