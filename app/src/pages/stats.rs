//! `/stats`: the public figures (事事有回应、件件有着落), counts only.

use leptos::prelude::*;

use crate::components::{Page, Tab};
use crate::i18n::Msg;
use crate::tr;
use crate::{api, state};

/// The figures as a row of numbers, loaded from `/api/stats`.
#[component]
pub fn Figures() -> impl IntoView {
    let s = state();
    let stats = crate::load(api::stats());
    move || match stats.get() {
        None => view! { <p class="muted">{s.t(Msg::Loading)}</p> }.into_any(),
        Some(Err(e)) => view! { <p class="error">{e.message(s.lang.get())}</p> }.into_any(),
        Some(Ok(st)) => {
            let cells = [
                (Msg::FigReceived, st.received),
                (Msg::FigClosed, st.closed),
                (Msg::FigInProgress, st.in_progress + st.pending),
            ];
            view! {
                <dl class="figures">
                    {cells
                        .into_iter()
                        .map(|(label, n)| view! { <div><dt>{s.t(label)}</dt><dd>{n}</dd></div> })
                        .collect_view()}
                </dl>
            }
            .into_any()
        }
    }
}

/// The public figures page.
#[component]
pub fn Stats() -> impl IntoView {
    let s = state();
    let stats = crate::load(api::stats());
    view! {
        <Page title=Msg::FiguresTitle tab=Tab::Home>
            <section class="card">
                {move || match stats.get() {
                    None => view! { <p class="muted">{s.t(Msg::Loading)}</p> }.into_any(),
                    Some(Err(e)) => view! { <p class="error">{e.message(s.lang.get())}</p> }.into_any(),
                    Some(Ok(st)) => {
                        let rows = [
                            (Msg::FigReceived, st.received),
                            (Msg::FigPending, st.pending),
                            (Msg::FigInProgress, st.in_progress),
                            (Msg::FigClosed, st.closed),
                            (Msg::FigRejected, st.rejected),
                        ];
                        view! {
                            <dl class="figures figures-list">
                                {rows
                                    .into_iter()
                                    .map(|(label, n)| view! { <div><dt>{s.t(label)}</dt><dd>{n}</dd></div> })
                                    .collect_view()}
                            </dl>
                        }
                        .into_any()
                    }
                }}
                <p class="muted small">{tr(Msg::FiguresNote)}</p>
            </section>
        </Page>
    }
}
