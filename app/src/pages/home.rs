//! `/`: the way in from a poster — report, track, and the public figures.

use leptos::prelude::*;

use crate::components::{Page, Tab};
use crate::i18n::Msg;
use crate::pages::stats::Figures;
use crate::state;

/// The home page.
#[component]
pub fn Home() -> impl IntoView {
    let s = state();
    view! {
        <Page title=Msg::AppName tab=Tab::Home>
            <section class="card hero">
                <h2>{move || s.t(Msg::HomeHeadline)}</h2>
                <p>{move || s.t(Msg::HomeIntro)}</p>
                <a class="btn-primary" href="/report">{move || s.t(Msg::HomeReportButton)}</a>
                <a class="btn-secondary" href="/track">{move || s.t(Msg::HomeTrackButton)}</a>
                <p class="muted small">{move || s.t(Msg::HomeAnonymous)}</p>
            </section>
            <section class="card">
                <h2>{move || s.t(Msg::HomeFigures)}</h2>
                <Figures/>
                <p class="muted small"><a href="/stats">{move || s.t(Msg::FiguresTitle)}" ›"</a></p>
            </section>
            <p class="muted small center">{move || s.t(Msg::HomeHotline)}</p>
        </Page>
    }
}
