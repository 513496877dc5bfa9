//! A button that copies a text, saying whether it worked; the text itself stays on screen
//! for a long-press where copying is not allowed.

use leptos::prelude::*;

use crate::i18n::Msg;
use crate::{browser, state};

/// Copies `text`; `label` names what is copied for screen readers.
#[component]
pub fn CopyButton(text: String, label: Msg) -> impl IntoView {
    let s = state();
    // None: not tried yet; Some(true): copied; Some(false): the browser refused.
    let outcome = RwSignal::new(None::<bool>);
    let copy = move |_| {
        let text = text.clone();
        leptos::task::spawn_local(async move {
            let copied = browser::copy_text(&text).await;
            outcome.try_set(Some(copied));
        });
    };
    view! {
        <button type="button" class="btn-small" on:click=copy aria-label=move || format!("{} {}", s.t(Msg::Copy), s.t(label))>
            {move || match outcome.get() {
                Some(true) => s.t(Msg::Copied),
                Some(false) => s.t(Msg::CopyManual),
                None => s.t(Msg::Copy),
            }}
        </button>
    }
}
