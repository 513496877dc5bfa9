//! The mini-program look: a title bar on top, the page's cards, a tab bar at the bottom.

use leptos::prelude::*;
use qinglang_domain::Lang;
use qinglang_domain::report::FieldError;

use crate::i18n::Msg;
use crate::state;
use crate::tr;

/// Which tab a page belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    /// 首页.
    Home,
    /// 举报.
    Report,
    /// 辟谣.
    Refutations,
    /// 查询.
    Track,
}

/// A page in the shell: title bar with the language switch, content, tab bar.
#[component]
pub fn Page(title: Msg, tab: Tab, children: Children) -> impl IntoView {
    let s = state();
    let tabs = [
        (Tab::Home, "/", Msg::TabHome, "⌂"),
        (Tab::Report, "/report", Msg::TabReport, "✎"),
        (Tab::Refutations, "/refutations", Msg::TabRefutations, "✓"),
        (Tab::Track, "/track", Msg::TabTrack, "⌕"),
    ];
    view! {
        <header class="titlebar">
            <button type="button" class="elder-switch" aria-pressed=move || s.elder.get().to_string()
                aria-label=tr(Msg::ElderMode) on:click=move |_| s.elder.update(|on| *on = !*on)>
                {tr(Msg::ElderSwitch)}
            </button>
            <h1>{tr(title)}</h1>
            <label class="lang-switch">
                <span class="sr-only">{tr(Msg::Language)}</span>
                <select
                    aria-label=tr(Msg::Language)
                    on:change=move |ev| {
                        let tag = event_target_value(&ev);
                        if let Some(lang) = Lang::ALL.into_iter().find(|l| l.tag() == tag) {
                            s.lang.set(lang);
                        }
                    }
                >
                    <option value="zh-Hans" selected=move || s.lang.get() == Lang::ZhHans>"简"</option>
                    <option value="zh-Hant" selected=move || s.lang.get() == Lang::ZhHant>"繁"</option>
                    <option value="en" selected=move || s.lang.get() == Lang::En>"EN"</option>
                </select>
            </label>
        </header>
        <main class="content">{children()}</main>
        <nav class="tabbar" aria-label=tr(Msg::AppName)>
            {tabs
                .into_iter()
                .map(|(t, href, label, icon)| {
                    view! {
                        <a href=href class="tab" class:active=t == tab aria-current=(t == tab).then_some("page")>
                            <span class="tab-icon" aria-hidden="true">{icon}</span>
                            <span class="tab-label">{tr(label)}</span>
                        </a>
                    }
                })
                .collect_view()}
        </nav>
    }
}

/// The message under a form field, if one of `errors` is about `field` (or a sub-field of it
/// when `field` ends with a dot).
#[component]
pub fn FieldMessage(#[prop(into)] errors: Signal<Vec<FieldError>>, field: String) -> impl IntoView {
    let s = state();
    let id = format!("err-{}", field.replace('.', "-"));
    let message = Memo::new(move |_| {
        let lang = s.lang.get();
        errors.with(|errors| errors.iter().find(|e| e.field == field).map(|e| e.code.message(lang)))
    });
    view! {
        <p class="field-error" id=id role="alert" hidden=move || message.get().is_none()>
            {move || message.get()}
        </p>
    }
}
