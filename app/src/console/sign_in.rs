//! The sign-in form. Errors are the server's codes translated here (wrong username or password is
//! one message for both; too many failures says to wait), never the raw server text.

use leptos::prelude::*;

use super::i18n::Text;
use super::{LangSwitch, api, console, ct};
use crate::state;

/// Username and password in, a session out.
#[component]
pub fn SignIn() -> impl IntoView {
    let s = state();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let expired = api::expired();
    // Read here: contexts are not reachable from inside the spawned future.
    let session = console().session;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (user, pass) = (username.get_untracked().trim().to_owned(), password.get_untracked());
        let lang = s.lang.get_untracked();
        if user.is_empty() || pass.is_empty() {
            error.set(Some(Text::FillBoth.text(lang).to_owned()));
            return;
        }
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match api::sign_in(user, pass, lang).await {
                Ok(signed_in) => {
                    expired.try_set(false);
                    session.try_set(Some(signed_in));
                }
                Err(e) => {
                    password.try_set(String::new());
                    error.try_set(Some(e.message(lang)));
                }
            }
            busy.try_set(false);
        });
    };
    view! {
        <div class="c-signin">
            <form class="c-panel c-signin-form" on:submit=submit>
                <div class="row-between">
                    <h1>{ct(Text::SignInTitle)}</h1>
                    <LangSwitch/>
                </div>
                <p class="muted small">{ct(Text::ConsoleName)}</p>
                <p class="c-notice" role="status" hidden=move || !expired.get()>{ct(Text::SessionExpired)}</p>
                <div class="field">
                    <label for="si-user">{ct(Text::Username)}</label>
                    <input id="si-user" name="username" autocomplete="username" autocapitalize="off" spellcheck="false"
                        prop:value=move || username.get() on:input=move |ev| username.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="si-pass">{ct(Text::Password)}</label>
                    <input id="si-pass" name="password" type="password" autocomplete="current-password"
                        prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev))/>
                </div>
                <p class="error" role="alert" hidden=move || error.with(Option::is_none)>{move || error.get()}</p>
                <button type="submit" class="c-btn c-btn-primary" disabled=move || busy.get()>
                    {move || if busy.get() { Text::SigningIn.text(s.lang.get()) } else { Text::SignIn.text(s.lang.get()) }}
                </button>
            </form>
        </div>
    }
}
