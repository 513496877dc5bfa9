//! `/`: the way in from a poster — report, track, and the public figures.
//!
//! `public/index.html` carries the same title bar and hero (same words, same sizes) so that the page
//! is usable before the WASM runs and the app replacing it paints nothing larger: the largest
//! contentful paint stays that early paint (issue 17; a test below keeps the two in step). It has
//! them in simplified Chinese and in English; `public/lang.js` picks before the first paint.

use leptos::prelude::*;

use crate::components::{Page, Tab};
use crate::i18n::Msg;
use crate::{prescreen, state, tr};

/// The home page.
///
/// Two parts are drawn by modules imported after the page is up (`public/figures.js`: the public
/// figures' counts into `#home-figures`, "loading" until then; `public/refutation-hints.js`: the
/// three newest refutations into `#latest-refutations`, hidden while loading, when none is
/// published or when they cannot be loaded): the citizen bundle's first load has a hard budget, and
/// reading the answers and drawing them in Rust cost 2.8 KB and about 2 KB brotli of it (measured).
#[component]
pub fn Home() -> impl IntoView {
    let lang = state().lang;
    Effect::new(move |_| {
        let tag = lang.get().tag();
        prescreen::show_latest_refutations(3, tag);
        let tag = wasm_bindgen::JsValue::from_str(tag);
        leptos::task::spawn_local(async move {
            let none = wasm_bindgen::JsValue::UNDEFINED;
            let _ = crate::evidence::call_module("/figures.js", "show", &tag, &none, &none).await;
        });
    });
    view! {
        <Page title=Msg::AppName tab=Tab::Home>
            <crate::outbox::OutboxRoot/>
            <section class="card hero">
                <h2>{tr(Msg::HomeHeadline)}</h2>
                <p>{tr(Msg::HomeIntro)}</p>
                <a class="btn-primary" href="/report">{tr(Msg::HomeReportButton)}</a>
                <a class="btn-secondary" href="/track">{tr(Msg::HomeTrackButton)}</a>
                <p class="muted small">{tr(Msg::HomeAnonymous)}</p>
            </section>
            <section class="card">
                <h2>{tr(Msg::HomeFigures)}</h2>
                <div id="home-figures"><p class="muted">{tr(Msg::Loading)}</p></div>
                <p class="muted small"><a href="/stats">{tr(Msg::FiguresTitle)}" ›"</a></p>
            </section>
            <p class="muted small center">{tr(Msg::HomeHotline)}</p>
            // Last: it appears (or not) once loaded, and what it pushed down would move on screen.
            <section class="card" id="latest-refutations" hidden></section>
        </Page>
    }
}

#[cfg(test)]
mod tests {
    use qinglang_domain::Lang;

    use crate::i18n::Msg;

    /// The hero `public/index.html` shows before the WASM runs is the app's: same words (in both of
    /// its languages), same links.
    #[test]
    fn the_boot_page_shows_the_home_hero() {
        let html = include_str!("../../../public/index.html");
        for msg in [
            Msg::AppName,
            Msg::HomeHeadline,
            Msg::HomeIntro,
            Msg::HomeReportButton,
            Msg::HomeTrackButton,
            Msg::HomeAnonymous,
        ] {
            for (lang, tag) in [(Lang::ZhHans, "zh-Hans"), (Lang::En, "en")] {
                let text = msg.text(lang);
                assert!(html.contains(&format!("<span lang=\"{tag}\">{text}</span>")), "{msg:?}: {text}");
            }
        }
        assert!(html.contains("<a class=\"btn-primary\" href=\"/report\">"));
        assert!(html.contains("<a class=\"btn-secondary\" href=\"/track\">"));
    }
}
