//! Client-side navigation: the current URL as signals, same-origin link clicks turned into
//! `history.pushState`, and the back button (`popstate`).
//!
//! Why not leptos_router: the app has five flat routes and no nested layouts, and the router's
//! generic machinery cost about a sixth of the phone bundle (measured with twiggy), which the
//! 150 KB first-load budget for slow networks cannot afford.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use crate::bundle;

/// The current URL's parts, as signals.
#[derive(Clone, Copy)]
pub struct Nav {
    /// `location.pathname`.
    pub path: RwSignal<String>,
    /// `location.search`, with its `?`.
    pub search: RwSignal<String>,
    /// `location.hash`, without its `#`.
    pub hash: RwSignal<String>,
}

fn read_location() -> (String, String, String) {
    let Some(location) = web_sys::window().map(|w| w.location()) else {
        return ("/".into(), String::new(), String::new());
    };
    (
        location.pathname().unwrap_or_else(|_| "/".into()),
        location.search().unwrap_or_default(),
        location.hash().unwrap_or_default().trim_start_matches('#').to_owned(),
    )
}

impl Nav {
    /// Reads the URL and starts following link clicks and the back button.
    pub fn install() -> Nav {
        let (path, search, hash) = read_location();
        let nav = Nav { path: RwSignal::new(path), search: RwSignal::new(search), hash: RwSignal::new(hash) };
        let popstate = window_event_listener(ev::popstate, move |_| nav.sync());
        let hashchange = window_event_listener(ev::hashchange, move |_| nav.sync());
        let click = window_event_listener(ev::click, move |ev| nav.on_click(&ev));
        // The app lives as long as the page; the listeners do too.
        std::mem::forget((popstate, hashchange, click));
        nav
    }

    fn sync(self) {
        let (path, search, hash) = read_location();
        self.path.set(path);
        self.search.set(search);
        self.hash.set(hash);
    }

    /// Goes to a same-origin `href` without reloading the page.
    pub fn go(self, href: &str) {
        if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
            let _ = history.push_state_with_url(&JsValue::NULL, "", Some(href));
        }
        self.sync();
        if let Some(window) = web_sys::window() {
            window.scroll_to_with_x_and_y(0.0, 0.0);
        }
    }

    /// The value of query parameter `name`, if present.
    pub fn query(self, name: &str) -> Option<String> {
        web_sys::UrlSearchParams::new_with_str(&self.search.get_untracked()).ok()?.get(name)
    }

    fn on_click(self, ev: &web_sys::MouseEvent) {
        if ev.default_prevented()
            || ev.button() != 0
            || ev.meta_key()
            || ev.ctrl_key()
            || ev.shift_key()
            || ev.alt_key()
        {
            return;
        }
        let Some(anchor) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("a[href]").ok().flatten())
        else {
            return;
        };
        if anchor.has_attribute("target") || anchor.has_attribute("download") {
            return;
        }
        let href = anchor.get_attribute("href").unwrap_or_default();
        // Only app paths; `tel:`, other sites and protocol-relative links load normally.
        // Another bundle's pages load in full (src/bundle.rs).
        if is_app_href(&href) && bundle::owner(bundle::path_of(&href)) == bundle::CURRENT {
            ev.prevent_default();
            self.go(&href);
        }
    }
}

/// Whether `href` is a path inside the app that the app renders itself (not an API or a file).
pub fn is_app_href(href: &str) -> bool {
    href.starts_with('/') && !href.starts_with("//") && !href.starts_with("/api/") && !href.starts_with("/pkg/")
}

/// The navigation state, from any component below the app.
pub fn nav() -> Nav {
    expect_context::<Nav>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_app_paths_are_handled_in_page() {
        for (href, inside) in [
            ("/report?c=bus-12", true),
            ("/track#code=A&secret=B", true),
            ("//evil.example/x", false),
            ("https://weibo.com/1", false),
            ("tel:12377", false),
            ("/api/health", false),
        ] {
            assert_eq!(is_app_href(href), inside, "{href}");
        }
    }
}
