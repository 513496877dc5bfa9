//! Any path the app does not know.

use leptos::prelude::*;

use crate::components::{Page, Tab};
use crate::i18n::Msg;
use crate::state;

/// The not-found page.
#[component]
pub fn NotFound() -> impl IntoView {
    let s = state();
    view! {
        <Page title=Msg::NotFoundTitle tab=Tab::Home>
            <section class="card">
                <p>{move || s.t(Msg::NotFoundBody)}</p>
                <a class="btn-primary" href="/">{move || s.t(Msg::GoHome)}</a>
            </section>
        </Page>
    }
}
