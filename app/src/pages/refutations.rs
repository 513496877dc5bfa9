//! `/refutations`: the rumour-refutation feed. Publishing arrives with the refutations work;
//! until then the page says plainly that nothing is published and how to report a rumour.

use leptos::prelude::*;

use crate::components::{Page, Tab};
use crate::i18n::Msg;
use crate::tr;

/// The refutations feed.
#[component]
pub fn Refutations() -> impl IntoView {
    view! {
        <Page title=Msg::RefutationsTitle tab=Tab::Refutations>
            <section class="card empty">
                <p>{tr(Msg::RefutationsEmpty)}</p>
                <p class="muted small">{tr(Msg::RefutationsHint)}</p>
                <a class="btn-secondary" href="/report">{tr(Msg::HomeReportButton)}</a>
            </section>
        </Page>
    }
}
