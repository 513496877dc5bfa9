//! Any path the app does not know.

use leptos::prelude::*;

use crate::components::{Page, Tab};
use crate::i18n::Msg;
use crate::tr;

/// The not-found page.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <Page title=Msg::NotFoundTitle tab=Tab::Home>
            <section class="card">
                <p>{tr(Msg::NotFoundBody)}</p>
                <a class="btn-primary" href="/">{tr(Msg::GoHome)}</a>
            </section>
        </Page>
    }
}
