//! The outbox (待发送) and the device-location button: the bridge to `/outbox.js`, the lazily loaded
//! module that keeps reports in IndexedDB until the server acknowledged them, sends them with one
//! sender per page (retries with backoff, at once when the network returns), uploads their waiting
//! pictures first (through `/evidence.js`) and forgets the pictures once a report is acknowledged.
//! Every send of a report carries its idempotency key, so it is stored exactly once.
//!
//! JavaScript, loaded after first paint, because IndexedDB and geolocation through web-sys, the
//! list's markup and its strings would add several KB to the citizen first load (150 KB brotli).

use qinglang_domain::api::{ApiErrorBody, ReportCreated};
use qinglang_domain::{Lang, api::NewReport};
use serde::Deserialize;
use wasm_bindgen::JsValue;

use crate::evidence::call_module;

const PATH: &str = "/outbox.js";

/// What became of the report flow's send.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sent {
    /// The server acknowledged it.
    Created(ReportCreated),
    /// No network (or the server failed): it waits in the outbox; `true` when kept durably
    /// (IndexedDB), `false` when only for the life of the page.
    Waiting(bool),
    /// The server refused it; it left the outbox.
    Refused(ApiErrorBody),
    /// A picture was refused (`slot:n:code`); the report left the outbox.
    Photo(String),
}

/// Keeps `report` in the outbox and sends it once; `None` when the module did not load (the
/// caller keeps the draft and offers to retry).
pub async fn send(report: &NewReport, lang: Lang) -> Option<Sent> {
    let json = serde_json::to_string(report).ok()?;
    let key = JsValue::from_str(&report.idempotency_key);
    let answer = call_module(PATH, "send", &key, &JsValue::from_str(&json), &JsValue::from_str(lang.tag())).await;
    serde_json::from_str(&answer.ok()?.as_string()?).ok()
}

/// Draws the outbox into `#outbox-root` and starts the sender if anything waits.
pub fn show(lang: Lang) {
    let tag = JsValue::from_str(lang.tag());
    leptos::task::spawn_local(async move {
        let _ = call_module(PATH, "show", &tag, &JsValue::UNDEFINED, &JsValue::UNDEFINED).await;
    });
}

/// Draws the optional location button for draft `key` into the element with id `root_id`.
pub fn position(root_id: &'static str, key: String, lang: Lang) {
    leptos::task::spawn_local(async move {
        let (id, key, tag) = (JsValue::from_str(root_id), JsValue::from_str(&key), JsValue::from_str(lang.tag()));
        let _ = call_module(PATH, "position", &id, &key, &tag).await;
    });
}

/// Where `/outbox.js` draws the outbox on the citizen pages (hidden while it is empty); the list
/// follows the language switch.
#[leptos::component]
pub fn OutboxRoot() -> impl leptos::IntoView {
    use leptos::prelude::*;
    let lang = crate::state().lang;
    Effect::new(move |_| show(lang.get()));
    view! { <div id="outbox-root" hidden></div> }
}
