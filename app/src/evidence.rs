//! Evidence pictures on the phone: the bridge to `/evidence.js`, the lazily loaded module that
//! re-encodes pictures through a canvas (upright, ≤ 2048 px, JPEG, no EXIF/GPS) and keeps them in
//! IndexedDB under `<idempotency key>/<slot>` so a reload of the report flow keeps them.
//!
//! Coordination note: the offline queue (issue 7) keeps drafts in IndexedDB too; it finds a
//! draft's pictures here by its idempotency key and the slots listed in `Draft::evidence`, and
//! calls [`forget_all`] once the report is acknowledged.
//!
//! The module is JavaScript because canvas, Blob and IndexedDB calls through web-sys would add
//! several KB to the citizen first load (budget 150 KB brotli); loaded on demand it adds nothing.

use qinglang_domain::ErrorCode;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = r#"
const loading = {};
export function ql_evidence_load(path) {
  if (!loading[path]) {
    loading[path] = import(path);
    loading[path].catch(() => { delete loading[path]; });
  }
  return loading[path];
}
export function ql_evidence_call(m, name, a, b, c) { return m[name](a, b, c); }
"#)]
extern "C" {
    #[wasm_bindgen(catch)]
    async fn ql_evidence_load(path: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch)]
    async fn ql_evidence_call(
        m: &JsValue,
        name: &str,
        a: &JsValue,
        b: &JsValue,
        c: &JsValue,
    ) -> Result<JsValue, JsValue>;
}

async fn call(name: &str, a: &JsValue, b: &JsValue, c: &JsValue) -> Result<JsValue, JsValue> {
    call_module("/evidence.js", name, a, b, c).await
}

/// Calls `name(a, b, c)` of the lazily imported module at `path` (imported once per page; an
/// import that failed is tried again on the next call). Also used by `outbox.rs`.
pub(crate) async fn call_module(
    path: &str,
    name: &str,
    a: &JsValue,
    b: &JsValue,
    c: &JsValue,
) -> Result<JsValue, JsValue> {
    let module = ql_evidence_load(path).await?;
    ql_evidence_call(&module, name, a, b, c).await
}

/// The evidence step's UI text, translated by the app (the module holds no text of its own).
#[derive(serde::Serialize)]
pub struct StepText {
    /// The file picker's label.
    pub add: &'static str,
    /// A remove button's label, with `{n}`.
    pub remove: &'static str,
    /// A picture's alternative text, with `{n}`.
    pub photo: &'static str,
    /// Shown while pictures are re-encoded.
    pub preparing: &'static str,
    /// Shown when a chosen file is not a picture.
    pub invalid: &'static str,
}

/// Renders the evidence step into the element with id `root_id` (after the current render).
pub async fn mount(root_id: &str, key: &str, text: &StepText) {
    let text = serde_json::to_string(text).ok().and_then(|t| js_sys::JSON::parse(&t).ok()).unwrap_or(JsValue::NULL);
    let _ = call("mount", &JsValue::from_str(root_id), &JsValue::from_str(key), &text).await;
}

/// Why a picture could not be uploaded.
pub struct UploadFailure {
    /// Its slot (to show the reason beside it with [`fail`]).
    pub slot: u32,
    /// Its position, from 1.
    pub n: u32,
    /// The API's refusal; `None` for a network failure.
    pub code: Option<ErrorCode>,
}

/// Uploads every picture of the draft not uploaded yet (network faults are retried with backoff in
/// the module) and returns all upload ids in order, or the first failure.
pub async fn upload_all(key: &str) -> Result<Vec<String>, UploadFailure> {
    match call("uploadAll", &JsValue::from_str(key), &JsValue::UNDEFINED, &JsValue::UNDEFINED).await {
        Ok(ids) => Ok(ids.as_string().and_then(|j| serde_json::from_str(&j).ok()).unwrap_or_default()),
        Err(e) => {
            // "slot:n:code", or a JS error when the module itself did not load.
            let text = e.as_string().unwrap_or_default();
            let mut parts = text.splitn(3, ':');
            let slot = parts.next().and_then(|p| p.parse().ok()).unwrap_or(u32::MAX);
            let n = parts.next().and_then(|p| p.parse().ok()).unwrap_or(0);
            let code = parts.next().and_then(|c| serde_json::from_str(&format!("\"{c}\"")).ok());
            Err(UploadFailure { slot, n, code })
        }
    }
}

/// Shows `message` beside the picture in `slot`.
pub async fn fail(key: &str, slot: u32, message: &str) {
    let _ = call("fail", &JsValue::from_str(key), &JsValue::from(slot), &JsValue::from_str(message)).await;
}

/// Object URLs of the draft's pictures (the bytes that were sent), for the receipt.
pub async fn thumbs(key: &str) -> Vec<String> {
    let urls = call("thumbs", &JsValue::from_str(key), &JsValue::UNDEFINED, &JsValue::UNDEFINED).await;
    urls.ok().and_then(|u| u.as_string()).and_then(|j| serde_json::from_str(&j).ok()).unwrap_or_default()
}

/// Tells the poster's channel that the draft `key` started from it (counted once per key) and
/// returns the channel's district code for the pre-fill, if it has one. Lives in `/channel.js`,
/// loaded only for drafts opened from a QR code.
pub async fn channel_start(code: &str, key: &str) -> Option<String> {
    let module = ql_evidence_load("/channel.js").await.ok()?;
    let district =
        ql_evidence_call(&module, "start", &JsValue::from_str(code), &JsValue::from_str(key), &JsValue::UNDEFINED)
            .await
            .ok()?
            .as_string()?;
    Some(district)
}

/// Drops every picture of a draft (after its report was acknowledged).
pub async fn forget_all(key: &str) {
    let _ = call("forgetAll", &JsValue::from_str(key), &JsValue::UNDEFINED, &JsValue::UNDEFINED).await;
}
