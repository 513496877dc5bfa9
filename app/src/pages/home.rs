//! `/`: the way in from a poster — report, track, and the public figures.

use leptos::prelude::*;

use crate::components::{Page, Tab};
use crate::i18n::Msg;
use crate::pages::stats::Figures;
use crate::tr;

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
            <section class="card">
                <h2>{tr(Msg::HomeFigures)}</h2>
                <Figures/>
                <p class="muted small"><a href="/stats">{tr(Msg::FiguresTitle)}" ›"</a></p>
            </section>
            <p class="muted small center">{tr(Msg::HomeHotline)}</p>
        </Page>
    }
}
