//! What the app keeps on the phone: the report being written and the receipts it got.
//!
//! localStorage can be missing or wiped (WeChat clears it on log-out), so every read tolerates
//! absence and every write may silently fail; the server holds the real data.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

const DRAFT_KEY: &str = "ql.draft";
const RECEIPTS_KEY: &str = "ql.receipts";
const LANG_KEY: &str = "ql.lang";
const ELDER_KEY: &str = "ql.elder";
/// How many receipts the track page remembers.
const MAX_RECEIPTS: usize = 20;

fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn load<T: DeserializeOwned>(key: &str) -> Option<T> {
    let raw = local()?.get_item(key).ok().flatten()?;
    serde_json::from_str(&raw).ok()
}

fn save<T: Serialize>(key: &str, value: &T) {
    if let (Some(storage), Ok(raw)) = (local(), serde_json::to_string(value)) {
        let _ = storage.set_item(key, &raw);
    }
}

fn remove(key: &str) {
    if let Some(storage) = local() {
        let _ = storage.remove_item(key);
    }
}

/// The report being written, if one was left unfinished.
pub fn load_draft() -> Option<crate::draft::Draft> {
    load(DRAFT_KEY)
}

/// Keeps the report being written across reloads.
pub fn save_draft(draft: &crate::draft::Draft) {
    save(DRAFT_KEY, draft);
}

/// Forgets the draft once its report was acknowledged.
pub fn clear_draft() {
    remove(DRAFT_KEY);
}

/// A receipt this phone received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedReceipt {
    /// Receipt code, grouped.
    pub code: String,
    /// Secret, grouped.
    pub secret: String,
    /// When it was received, ms since the epoch.
    pub created_at: i64,
}

/// Receipts received on this phone, newest first.
pub fn receipts() -> Vec<SavedReceipt> {
    load(RECEIPTS_KEY).unwrap_or_default()
}

/// Remembers a receipt (once).
pub fn remember_receipt(receipt: SavedReceipt) {
    let mut all = receipts();
    all.retain(|r| r.code != receipt.code);
    all.insert(0, receipt);
    all.truncate(MAX_RECEIPTS);
    save(RECEIPTS_KEY, &all);
}

/// The language the user chose, if they chose one.
pub fn saved_lang() -> Option<qinglang_domain::Lang> {
    load(LANG_KEY)
}

/// Remembers the chosen language.
pub fn save_lang(lang: qinglang_domain::Lang) {
    save(LANG_KEY, &lang);
}

/// Whether the elder-friendly mode is on (off unless it was switched on here).
pub fn saved_elder() -> bool {
    load(ELDER_KEY).unwrap_or(false)
}

/// Remembers the elder-friendly mode switch.
pub fn save_elder(on: bool) {
    save(ELDER_KEY, &on);
}

/// A value another module keeps in localStorage, parsed by the browser's own JSON parser (no
/// serde code for these in the citizen bundle).
fn load_js(key: &str) -> Option<wasm_bindgen::JsValue> {
    let raw = local()?.get_item(key).ok().flatten()?;
    js_sys::JSON::parse(&raw).ok()
}

fn field(value: &wasm_bindgen::JsValue, name: &str) -> Option<wasm_bindgen::JsValue> {
    js_sys::Reflect::get(value, &wasm_bindgen::JsValue::from_str(name)).ok()
}

/// How many pictures draft `key` has (`/evidence.js` keeps their list in localStorage
/// `ql.evidence.<key>` as `{"items": [...]}`), without loading that module.
pub fn picture_count(key: &str) -> usize {
    load_js(&format!("ql.evidence.{key}"))
        .and_then(|list| field(&list, "items"))
        .filter(js_sys::Array::is_array)
        .map_or(0, |items| js_sys::Array::from(&items).length() as usize)
}

/// Whether the citizen added the phone's coarse position to draft `key` (`/outbox.js` keeps it
/// in localStorage `ql.position.<key>` until the report is queued).
pub fn has_position(key: &str) -> bool {
    load_js(&format!("ql.position.{key}")).is_some_and(|p| {
        ["lat", "lon"].iter().all(|name| field(&p, name).and_then(|v| v.as_f64()).is_some_and(f64::is_finite))
    })
}
