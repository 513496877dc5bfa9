//! Qinglang's browser app: the citizen pages, client-side rendered with Leptos.
//!
//! Entry point: [`App`], mounted by `main.rs`. Routes are listed here; each page is a module
//! under `pages/`. Only `api.rs` talks HTTP; `draft.rs` holds the report flow's pure logic.

pub mod api;
pub mod browser;
pub mod bundle;
pub mod components;
#[cfg(feature = "console")]
pub mod console;
pub mod draft;
pub mod evidence;
pub mod i18n;
pub mod nav;
pub mod outbox;
pub mod pages;
pub mod prescreen;
#[cfg(feature = "reader")]
pub mod qr;
#[cfg(any(feature = "reader", feature = "console"))]
pub mod refutation_text;
pub mod storage;

use leptos::prelude::*;
use qinglang_domain::{Lang, Taxonomy};

use crate::api::ApiFailure;
use crate::i18n::Msg;

/// State every page may read: the language and the deployment's taxonomy.
#[derive(Clone, Copy)]
pub struct AppState {
    /// The language the UI speaks.
    pub lang: RwSignal<Lang>,
    /// Categories and districts, once loaded (`None` while loading).
    pub taxonomy: RwSignal<Option<Result<Taxonomy, ApiFailure>>>,
    /// The elder-friendly mode (适老化): larger text and targets, higher contrast, plain words.
    pub elder: RwSignal<bool>,
}

impl AppState {
    /// Translates a message into the current language (reactive).
    pub fn t(&self, msg: Msg) -> &'static str {
        let msg = if self.elder.get() { msg.plain() } else { msg };
        msg.text(self.lang.get())
    }

    /// The name of category `code` in the current language (reactive); the code itself while
    /// the taxonomy loads, or for a code it does not know.
    pub fn category_name(&self, code: &str) -> String {
        self.taxonomy
            .get()
            .and_then(Result::ok)
            .and_then(|t| t.category(code).map(|c| c.name(self.lang.get()).to_owned()))
            .unwrap_or_else(|| code.to_owned())
    }

    /// The name of district `code` in the current language (reactive), once the taxonomy knows it.
    pub fn district_name(&self, code: &str) -> Option<String> {
        self.taxonomy
            .get()
            .and_then(Result::ok)
            .and_then(|t| t.district(code).map(|d| d.name(self.lang.get()).to_owned()))
    }

    /// (Re)loads the taxonomy from the API.
    pub fn load_taxonomy(&self) {
        let taxonomy = self.taxonomy;
        taxonomy.set(None);
        leptos::task::spawn_local(async move {
            taxonomy.set(Some(api::taxonomy().await));
        });
    }
}

/// The state, from any component below [`App`].
pub fn state() -> AppState {
    expect_context::<AppState>()
}

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    let lang = storage::saved_lang().unwrap_or_else(|| Lang::negotiate(&browser::preferred_languages()));
    let state = AppState {
        lang: RwSignal::new(lang),
        taxonomy: RwSignal::new(None),
        elder: RwSignal::new(storage::saved_elder()),
    };
    provide_context(state);
    state.load_taxonomy();
    Effect::new(move |_| {
        let lang = state.lang.get();
        browser::set_document_lang(lang.tag());
        storage::save_lang(lang);
    });
    Effect::new(move |_| {
        let elder = state.elder.get();
        browser::set_root_flag("data-elder", elder);
        storage::save_elder(elder);
    });
    let nav = nav::Nav::install();
    provide_context(nav);
    browser::remove_boot_notice();
    if bundle::owner(nav.path.get_untracked().trim_end_matches('/')) == bundle::CURRENT {
        browser::clear_page_hop();
    }
    // The route table. A Memo, so the page is rebuilt only when the path changes, not on
    // query or hash changes within a page.
    let path = Memo::new(move |_| {
        let path = nav.path.get();
        // The console routes its own addresses (src/console/mod.rs) and keeps its session across them.
        if cfg!(feature = "console") && bundle::owner(path.trim_end_matches('/')) == bundle::Bundle::Console {
            return "/admin".to_owned();
        }
        path
    });
    move || {
        let full = path.get();
        let path = full.trim_end_matches('/');
        match path {
            #[cfg(feature = "citizen")]
            "" => view! { <pages::home::Home/> }.into_any(),
            #[cfg(feature = "citizen")]
            "/report" => view! { <pages::report::ReportFlow/> }.into_any(),
            #[cfg(feature = "reader")]
            "/track" => view! { <pages::track::Track/> }.into_any(),
            #[cfg(feature = "reader")]
            "/refutations" => view! { <pages::refutations::Refutations/> }.into_any(),
            #[cfg(feature = "reader")]
            p if p.starts_with("/refutations/") => {
                let id = p["/refutations/".len()..].to_owned();
                view! { <pages::refutations::ArticlePage id=id/> }.into_any()
            }
            #[cfg(feature = "reader")]
            "/stats" => view! { <pages::stats::Stats/> }.into_any(),
            #[cfg(feature = "console")]
            _ if bundle::owner(path) == bundle::Bundle::Console => view! { <console::Console/> }.into_any(),
            // Another bundle's page (reached by the back button): load it in full, once.
            _ if bundle::owner(path) != bundle::CURRENT && browser::load_page(&full) => ().into_any(),
            _ => view! { <pages::not_found::NotFound/> }.into_any(),
        }
    }
}

/// A reactive translation of `msg`: text that follows the language switch.
///
/// Every call returns the same closure type, so the view code for a translated text is
/// generated once for the whole app instead of once per call site (a large share of the WASM
/// size when each site had its own `move || …` closure).
pub fn tr(msg: Msg) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let s = state();
    move || s.t(msg)
}

/// Starts `future` and returns a signal that holds its output once it is ready (`None` before).
/// Setting is skipped if the page that asked has gone in the meantime.
pub fn load<T: Send + Sync + 'static>(future: impl std::future::Future<Output = T> + 'static) -> RwSignal<Option<T>> {
    let slot = RwSignal::new(None);
    leptos::task::spawn_local(async move {
        let value = future.await;
        slot.try_set(Some(value));
    });
    slot
}
