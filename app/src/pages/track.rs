//! `/track`: receipt code and secret in, status and public history out. A link of the form
//! `/track#code=…&secret=…` (from the receipt) fills both and looks up at once; the fragment
//! never reaches a server log.

use leptos::prelude::*;
use qinglang_domain::api::{EventKind, RatingRequest, ReopenRequest, ReportView};
use qinglang_domain::workflow::Rating;

use crate::api::{self, ApiFailure};
use crate::components::{Page, Tab};
use crate::i18n::{Msg, fill};
use crate::storage;
use crate::tr;
use crate::{browser, state};

fn from_hash(hash: &str) -> (String, String) {
    let mut code = String::new();
    let mut secret = String::new();
    for pair in hash.split('&') {
        if let Some((k, v)) = pair.split_once('=') {
            let v = js_sys::decode_uri_component(v).ok().and_then(|v| v.as_string()).unwrap_or_default();
            match k {
                "code" => code = v,
                "secret" => secret = v,
                _ => {}
            }
        }
    }
    (code, secret)
}

fn event_label(kind: EventKind) -> Msg {
    match kind {
        EventKind::Submitted => Msg::EvSubmitted,
        EventKind::Accepted => Msg::EvAccepted,
        EventKind::Rejected => Msg::EvRejected,
        EventKind::Transferred => Msg::EvTransferred,
        EventKind::Reply => Msg::EvReply,
        EventKind::Resolved => Msg::EvResolved,
        EventKind::Reopened => Msg::EvReopened,
        EventKind::Merged => Msg::EvMerged,
        EventKind::Rated => Msg::EvRated,
        EventKind::Referred => Msg::EvReferred,
    }
}

/// The tracking page.
#[component]
pub fn Track() -> impl IntoView {
    let s = state();
    let code = RwSignal::new(String::new());
    let secret = RwSignal::new(String::new());
    let result = RwSignal::new(None::<Result<ReportView, ApiFailure>>);
    let busy = RwSignal::new(false);
    let saved = storage::receipts();

    let look_up = move || {
        let (c, k) = (code.get_untracked(), secret.get_untracked());
        busy.set(true);
        leptos::task::spawn_local(async move {
            let answer = api::track(&c, &k).await;
            // try_set: the page may have been left while the lookup was under way.
            result.try_set(Some(answer));
            busy.try_set(false);
        });
    };
    let hash = crate::nav::nav().hash;
    Effect::new(move |_| {
        let (c, k) = from_hash(&hash.get());
        if !c.is_empty() && !k.is_empty() {
            code.set(c);
            secret.set(k);
            look_up();
        }
    });

    view! {
        <Page title=Msg::TrackTitle tab=Tab::Track>
            <section class="card form">
                <form on:submit=move |ev| { ev.prevent_default(); look_up(); }>
                    <p>{tr(Msg::TrackIntro)}</p>
                    <div class="field">
                        <label for="t-code">{tr(Msg::ReceiptCode)}</label>
                        <input id="t-code" autocapitalize="characters" autocomplete="off" spellcheck="false" class="code-input"
                            prop:value=move || code.get() on:input=move |ev| code.set(event_target_value(&ev))/>
                    </div>
                    <div class="field">
                        <label for="t-secret">{tr(Msg::Secret)}</label>
                        <input id="t-secret" autocapitalize="characters" autocomplete="off" spellcheck="false" class="code-input"
                            prop:value=move || secret.get() on:input=move |ev| secret.set(event_target_value(&ev))/>
                    </div>
                    <button type="submit" class="btn-primary" disabled=move || busy.get()>{tr(Msg::TrackButton)}</button>
                </form>
            </section>
            {move || match result.get() {
                None => ().into_any(),
                Some(Err(e)) => view! { <section class="card"><p class="error" role="alert">{e.message(s.lang.get())}</p></section> }.into_any(),
                Some(Ok(view)) => view! { <ReportStatusCard view=view code=code secret=secret result=result/> }.into_any(),
            }}
            {(!saved.is_empty()).then(|| view! {
                <section class="card">
                    <h3>{tr(Msg::MyReports)}</h3>
                    <ul class="saved-receipts">
                        {saved.into_iter().map(|r| {
                            let (c, k) = (r.code.clone(), r.secret.clone());
                            view! {
                                <li>
                                    <button type="button" class="btn-link" on:click=move |_| { code.set(c.clone()); secret.set(k.clone()); look_up(); }>
                                        <span class="code">{r.code.clone()}</span>
                                        <span class="muted small">{browser::format_time(r.created_at)}</span>
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </section>
            })}
        </Page>
    }
}

#[component]
fn ReportStatusCard(
    view: ReportView,
    code: RwSignal<String>,
    secret: RwSignal<String>,
    result: RwSignal<Option<Result<ReportView, ApiFailure>>>,
) -> impl IntoView {
    let s = state();
    let category = move || {
        s.taxonomy
            .get()
            .and_then(Result::ok)
            .and_then(|t| t.category(&view.category).map(|c| c.name(s.lang.get()).to_owned()))
            .unwrap_or_default()
    };
    let status = view.status;
    let (can_rate, reopen_until) = (view.can_rate, view.reopen_until);
    let office = view.office.clone();
    view! {
        <section class="card" aria-live="polite">
            <div class="row-between">
                <span class="code">{view.receipt_code.clone()}</span>
                <span class=format!("badge status-{}", status.as_str()) data-testid="status">{move || status.label(s.lang.get())}</span>
            </div>
            <p class="muted small">{category}" · "{browser::format_time(view.created_at)}</p>
            {office.map(|o| view! {
                <p class="small" data-testid="office">{move || fill(s.t(Msg::HeldBy), &[("name", o.name(s.lang.get()))])}</p>
            })}
            <p class="prewrap">{view.description.clone()}</p>
            <h3>{tr(Msg::Timeline)}</h3>
            <ol class="timeline">
                {view.timeline.into_iter().rev().map(|e| view! {
                    <li>
                        <p>
                            <strong>{move || s.t(event_label(e.kind))}</strong>
                            {e.rating.map(|r| view! { " · "<span class="rating" data-testid="rating">{move || r.label(s.lang.get())}</span> })}
                        </p>
                        <p class="muted small">{browser::format_time(e.at)}</p>
                        {e.text.map(|t| view! { <p class="prewrap">{t}</p> })}
                    </li>
                }).collect_view()}
            </ol>
        </section>
        {can_rate.then(|| view! { <RatingForm code=code secret=secret result=result/> })}
        {reopen_until.map(|until| view! { <ReopenForm until=until code=code secret=secret result=result/> })}
    }
}

/// 满意 / 基本满意 / 不满意 and an optional comment, while the reporter may rate.
#[component]
fn RatingForm(
    code: RwSignal<String>,
    secret: RwSignal<String>,
    result: RwSignal<Option<Result<ReportView, ApiFailure>>>,
) -> impl IntoView {
    let s = state();
    let choice = RwSignal::new(None::<Rating>);
    let comment = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let send = move || {
        let Some(rating) = choice.get_untracked() else {
            error.set(Some(s.t(Msg::RateChoose).to_owned()));
            return;
        };
        let request = RatingRequest { rating, comment: comment.get_untracked().trim().to_owned() };
        let (c, k) = (code.get_untracked(), secret.get_untracked());
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match api::rate(&c, &k, &request).await {
                Ok(view) => {
                    result.try_set(Some(Ok(view)));
                }
                Err(e) => {
                    error.try_set(Some(e.message(s.lang.get_untracked())));
                    busy.try_set(false);
                }
            }
        });
    };
    view! {
        <section class="card form" data-testid="rating-form">
            <form on:submit=move |ev| { ev.prevent_default(); send(); }>
                <fieldset class="choices">
                    <legend><h3>{tr(Msg::RateTitle)}</h3></legend>
                    {Rating::ALL.into_iter().map(|r| view! {
                        <label class="choice">
                            <input type="radio" name="rating" value=r.as_str()
                                prop:checked=move || choice.get() == Some(r)
                                on:change=move |_| choice.set(Some(r))/>
                            <span>{move || r.label(s.lang.get())}</span>
                        </label>
                    }).collect_view()}
                </fieldset>
                <div class="field">
                    <label for="r-comment">{tr(Msg::RateComment)}</label>
                    <textarea id="r-comment" rows="3" maxlength="500"
                        prop:value=move || comment.get() on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
                </div>
                {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                <button type="submit" class="btn-primary" disabled=move || busy.get()>{tr(Msg::RateSubmit)}</button>
            </form>
        </section>
    }
}

/// "Not resolved": reopens the case with a reason, until the reopen window closes.
#[component]
fn ReopenForm(
    until: i64,
    code: RwSignal<String>,
    secret: RwSignal<String>,
    result: RwSignal<Option<Result<ReportView, ApiFailure>>>,
) -> impl IntoView {
    let s = state();
    let reason = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let send = move || {
        let request = ReopenRequest { reason: reason.get_untracked().trim().to_owned() };
        let (c, k) = (code.get_untracked(), secret.get_untracked());
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match api::reopen(&c, &k, &request).await {
                Ok(view) => {
                    result.try_set(Some(Ok(view)));
                }
                Err(e) => {
                    error.try_set(Some(e.message(s.lang.get_untracked())));
                    busy.try_set(false);
                }
            }
        });
    };
    let until = browser::format_time(until);
    view! {
        <section class="card form" data-testid="reopen-form">
            <form on:submit=move |ev| { ev.prevent_default(); send(); }>
                <h3>{tr(Msg::ReopenTitle)}</h3>
                <p class="muted small">{move || crate::i18n::fill(s.t(Msg::ReopenHint), &[("date", &until)])}</p>
                <div class="field">
                    <label for="r-reason">{tr(Msg::ReopenReason)}</label>
                    <textarea id="r-reason" rows="3" maxlength="500"
                        prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                </div>
                {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                <button type="submit" class="btn-secondary" disabled=move || busy.get()>{tr(Msg::ReopenSubmit)}</button>
            </form>
        </section>
    }
}
