//! Small bridges to browser APIs, each with the fallback WeChat's in-app browser needs.

use wasm_bindgen::{JsCast, JsValue};

/// A 128-bit random token (32 hex digits) from the browser's CSPRNG, for idempotency keys.
/// Falls back to `Math.random` only where `crypto` is missing entirely (very old engines);
/// the key then is merely unlikely to collide, which is all an idempotency key needs.
pub fn random_token() -> String {
    let mut bytes = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        for b in &mut bytes {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    qinglang_domain::receipt::hex(&bytes)
}

/// Copies `text` to the clipboard. Uses `navigator.clipboard` where it exists and works, else a
/// selected off-screen textarea and `execCommand('copy')`, as WeChat's browser needs.
/// Returns whether either way reported success; the UI always shows the text as well.
pub async fn copy_text(text: &str) -> bool {
    if let Some(promise) = clipboard_write(text)
        && wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
    {
        return true;
    }
    copy_with_textarea(text)
}

fn clipboard_write(text: &str) -> Option<js_sys::Promise> {
    let navigator = web_sys::window()?.navigator();
    let clipboard = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard")).ok()?;
    if clipboard.is_undefined() || clipboard.is_null() {
        return None;
    }
    let write = js_sys::Reflect::get(&clipboard, &JsValue::from_str("writeText")).ok()?;
    let write: js_sys::Function = write.dyn_into().ok()?;
    write.call1(&clipboard, &JsValue::from_str(text)).ok()?.dyn_into().ok()
}

fn copy_with_textarea(text: &str) -> bool {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return false };
    let Some(body) = document.body() else { return false };
    let Ok(area) = document.create_element("textarea") else { return false };
    let Ok(area) = area.dyn_into::<web_sys::HtmlTextAreaElement>() else { return false };
    area.set_value(text);
    let _ = area.set_attribute("readonly", "");
    // A class, not a style attribute: the Content-Security-Policy forbids inline styles.
    let _ = area.set_attribute("class", "copy-buffer");
    let _ = body.append_child(&area);
    area.select();
    let copied = document.dyn_ref::<web_sys::HtmlDocument>().and_then(|d| d.exec_command("copy").ok()).unwrap_or(false);
    area.remove();
    copied
}

/// `YYYY-MM-DD HH:MM` in the phone's time zone.
pub fn format_time(ms: i64) -> String {
    let d = js_sys::Date::new(&JsValue::from_f64(ms as f64));
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes()
    )
}

/// The browser's preferred languages joined by commas, for [`qinglang_domain::Lang::negotiate`].
pub fn preferred_languages() -> String {
    let Some(window) = web_sys::window() else { return String::new() };
    let languages = window.navigator().languages();
    let list: Vec<String> = languages.iter().filter_map(|v| v.as_string()).collect();
    if list.is_empty() { window.navigator().language().unwrap_or_default() } else { list.join(",") }
}

/// Sets `<html lang>` so screen readers and fonts pick the right script.
pub fn set_document_lang(tag: &str) {
    if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = root.set_attribute("lang", tag);
    }
}

/// Sets or removes a `data-` attribute on `<html>` (the elder-friendly mode's `data-elder`), so
/// the style sheet can change the whole page.
pub fn set_root_flag(name: &str, on: bool) {
    if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = if on { root.set_attribute(name, "") } else { root.remove_attribute(name) };
    }
}

/// Removes the loading notice that `index.html` shows before the app starts.
pub fn remove_boot_notice() {
    if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("boot")) {
        el.remove();
    }
}

const HOP_KEY: &str = "qinglang.bundle-hop";

/// Forgets a hand-over made by [`load_page`]: called once the right bundle has started.
pub fn clear_page_hop() {
    if let Some(session) = web_sys::window().and_then(|w| w.session_storage().ok().flatten()) {
        let _ = session.remove_item(HOP_KEY);
    }
}

/// Loads `path` as a new document (a page of another bundle, see `bundle.rs`). Returns false,
/// doing nothing, if this very path was handed over a moment ago and came back here: the server
/// would then be serving the wrong bundle, and a reload loop must not follow.
pub fn load_page(path: &str) -> bool {
    let Some(window) = web_sys::window() else { return false };
    let session = window.session_storage().ok().flatten();
    if let Some(session) = &session {
        if session.get_item(HOP_KEY).ok().flatten().as_deref() == Some(path) {
            let _ = session.remove_item(HOP_KEY);
            return false;
        }
        let _ = session.set_item(HOP_KEY, path);
    }
    let href = format!(
        "{path}{}{}",
        window.location().search().unwrap_or_default(),
        window.location().hash().unwrap_or_default()
    );
    window.location().replace(&href).is_ok()
}

/// Waits `ms` milliseconds without blocking the page.
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Whether the browser offers the Web Share API (`navigator.share`).
#[cfg(feature = "reader")]
pub fn can_share() -> bool {
    web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w.navigator(), &JsValue::from_str("share")).ok())
        .is_some_and(|f| f.is_function())
}

/// Opens the system share sheet for a link. Returns whether the reader shared it (false when they
/// cancelled or the browser refused).
#[cfg(feature = "reader")]
pub async fn share(title: &str, url: &str) -> bool {
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else { return false };
    let Some(share) = js_sys::Reflect::get(&navigator, &JsValue::from_str("share"))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    else {
        return false;
    };
    let data = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&data, &JsValue::from_str("title"), &JsValue::from_str(title));
    let _ = js_sys::Reflect::set(&data, &JsValue::from_str("url"), &JsValue::from_str(url));
    match share.call1(&navigator, &data).ok().and_then(|p| p.dyn_into::<js_sys::Promise>().ok()) {
        Some(promise) => wasm_bindgen_futures::JsFuture::from(promise).await.is_ok(),
        None => false,
    }
}
