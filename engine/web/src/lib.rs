//! `qinglang-engine-web`: the moderation engine as a separate browser bundle.
//!
//! The citizen app imports this bundle *after* first paint (a dynamic `import()` of
//! `qinglang_engine.js`), so the engine and its fold tables never enlarge the app's first-load
//! WASM. Build it with `bash engine/scripts/build-web.sh OUT_DIR SERVER_PACK_DIR`; the API is
//! described in `engine/web/README.md`.
//!
//! *API boundary:* every export takes and returns plain strings, bytes, booleans and numbers;
//! results are JSON strings in the shapes documented by `qinglang-engine` (`Screening`,
//! `NearDuplicate`). The JSON is built by the pure functions at the bottom of this file, which are
//! unit-tested natively; the `#[wasm_bindgen]` exports only hold the loaded engine and convert
//! errors.
//!
//! Before a pack is loaded, `screen` runs an engine with no terms: personal data, links and junk
//! are already found (they need no pack), `matches` is empty, and
//! `rule_pack_version` is [`NO_PACK_VERSION`] (`"none"`). The app can therefore screen while the pack is still
//! downloading, and use `is_loaded()` to say that the term check is not ready yet.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use qinglang_engine::{Engine, FingerprintIndex, Screening, mask_pii};
use wasm_bindgen::prelude::*;

/// `rule_pack_version` of the screenings made before any pack was loaded.
pub const NO_PACK_VERSION: &str = "none";

thread_local! {
    /// The engine loaded by `load_pack`. WASM in the browser is single-threaded; a thread-local
    /// needs no locking and no `unsafe`. `Rc` lets `screen` run without holding the borrow.
    static LOADED: RefCell<Option<Rc<Engine>>> = const { RefCell::new(None) };
    /// The term-less engine used until a pack is loaded, built on first use.
    static EMPTY: RefCell<Option<Rc<Engine>>> = const { RefCell::new(None) };
}

/// Loads a rule pack (normally `demo.browser.qlrp` or the deployment's browser pack) and keeps
/// it for later calls, replacing any pack loaded before. Throws an `Error` whose message says
/// why a pack is refused (bad magic, wrong format or fold-table version, checksum).
#[wasm_bindgen]
pub fn load_pack(bytes: &[u8]) -> Result<(), JsError> {
    let engine = Engine::from_pack(bytes).map_err(|err| JsError::new(&err.to_string()))?;
    LOADED.with(|slot| *slot.borrow_mut() = Some(Rc::new(engine)));
    Ok(())
}

/// The largest pack `reserve_for_pack` grows the heap for: a 100k-term browser pack is 5.3 MB,
/// and a phone should not be made to set aside memory for an arbitrarily large download.
pub const MAX_RESERVE_PACK_BYTES: usize = 64 << 20;

thread_local! {
    /// The pack size the heap has been grown for by `reserve_for_pack`.
    static RESERVED_FOR: Cell<usize> = const { Cell::new(0) };
}

/// Grows the module's heap to what a `load_pack` of a pack of `pack_bytes` bytes needs (a copy
/// of the bytes and the automaton built from them: about 2.5 times the pack), writing one byte per
/// 4 KB page so the memory is really there. Call it with the bytes received so far after each
/// chunk of the pack's download (a compressed response has no usable `Content-Length`): the
/// heap then grows, and its pages are first written, while the rest is on the network instead
/// of inside the load. It grows only past the largest size asked for before (and then by an
/// eighth more, so that a download of many small chunks grows it a few dozen times, not once a
/// chunk); sizes past [`MAX_RESERVE_PACK_BYTES`] count as that. Never throws.
#[wasm_bindgen]
pub fn reserve_for_pack(pack_bytes: usize) {
    let Some(pack_bytes) = reserve_step(RESERVED_FOR.get(), pack_bytes) else { return };
    // The memory is taken in 64 KB blocks and freed at once: freed neighbours merge, so the
    // load's large allocations find one free region. (One large block would not: the
    // allocator gives each a region of its own, and a larger one later would not reuse it but
    // grow the heap again.) Each block's spare capacity is written, not a zeroed vector's bytes:
    // zeroing reused memory is a byte loop without bulk memory.
    let blocks: Vec<Vec<u8>> = (0..(pack_bytes.saturating_mul(5) / 2).div_ceil(RESERVE_BLOCK))
        .map(|_| {
            let mut block = Vec::with_capacity(RESERVE_BLOCK);
            block.spare_capacity_mut().iter_mut().step_by(4096).for_each(|byte| {
                byte.write(1);
            });
            block
        })
        .collect();
    std::hint::black_box(&blocks);
    RESERVED_FOR.set(pack_bytes);
}

/// Size of the blocks `reserve_for_pack` takes the heap in.
const RESERVE_BLOCK: usize = 64 << 10;

/// The pack size `reserve_for_pack` grows the heap for when it has grown it for `reserved` and
/// is asked for `asked`, if it must grow it at all: `asked` and an eighth more, at most
/// [`MAX_RESERVE_PACK_BYTES`].
pub fn reserve_step(reserved: usize, asked: usize) -> Option<usize> {
    let asked = asked.min(MAX_RESERVE_PACK_BYTES);
    (asked > reserved).then(|| asked.saturating_add(asked / 8).min(MAX_RESERVE_PACK_BYTES))
}

/// A small pack (150 made-up terms, compiled by `build.rs`) that `warm_up` loads.
static WARM_UP_PACK: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/warm-up.qlrp"));

/// How often `warm_up` loads its pack: enough for V8 to move every loader function from its
/// baseline compiler to its optimising one (BENCHMARKS.md, "Ninth round": 10 loads left part of
/// the gain on the table, 30 and 20 gave the warm speed).
const WARM_UP_LOADS: u32 = 20;

/// Readies the module's code for a `load_pack`; call it while the pack
/// downloads. A browser runs a WebAssembly function's first calls in baseline code and swaps in
/// optimised code only after the function has run a while, and only on a later call: a load
/// is one call, so a fresh page's first load of a 100k-term pack ran wholly in baseline code
/// (~75 ms in headless Chromium; a later one ~20 ms). This loads a small built-in pack a few
/// times (about 5-15 ms). Installs nothing; never throws.
#[wasm_bindgen]
pub fn warm_up() {
    for _ in 0..WARM_UP_LOADS {
        std::hint::black_box(Engine::from_pack(WARM_UP_PACK).ok());
    }
}

/// Whether `load_pack` has succeeded.
#[wasm_bindgen]
pub fn is_loaded() -> bool {
    LOADED.with(|slot| slot.borrow().is_some())
}

/// Version of the loaded rule pack (`label@contenthash`), or `"none"` before one is loaded.
#[wasm_bindgen]
pub fn rule_pack_version() -> String {
    LOADED
        .with(|slot| slot.borrow().as_ref().map(|engine| engine.rule_pack_version().to_string()))
        .unwrap_or_else(|| NO_PACK_VERSION.to_string())
}

/// Screens a text and returns the `Screening` as JSON (see the engine README for the shape),
/// without the `fingerprint` field (see `fingerprint_hex`).
/// Never throws. Without a loaded pack, see the module docs: no term matches, everything else
/// is screened.
#[wasm_bindgen]
pub fn screen(text: &str) -> String {
    match current_engine() {
        Ok(engine) => screening_json(&screen_with(&engine, text, is_loaded())),
        Err(message) => error_json("engine_unavailable", &message),
    }
}

/// The text with every personal-data finding of `screen` replaced by its masked form
/// (`138****5678`). Needs no pack.
#[wasm_bindgen]
pub fn mask(text: &str) -> String {
    match current_engine() {
        Ok(engine) => mask_pii(text, &engine.screen(text).pii),
        // Unreachable in practice (the empty engine always builds); returning the text
        // unchanged is safer than throwing inside a keystroke handler.
        Err(_) => text.to_string(),
    }
}

/// The near-duplicate fingerprint of a text as 16 hex digits. `screen` leaves the fingerprint out
/// (it would double the cost of a keystroke's screen); the "already refuted" hint calls this or
/// `closest`, which fingerprint the text themselves, only when it needs one.
#[wasm_bindgen]
pub fn fingerprint_hex(text: &str) -> String {
    qinglang_engine::fingerprint(text).to_hex()
}

/// The closest entry of a `FingerprintIndex` (JSON `{"ids":[..],"fingerprints":["hex",..]}`)
/// to the text's fingerprint with at least `min_similarity` (0..1; the engine's default is
/// 0.85): a `NearDuplicate` as JSON (`{"id","distance","similarity"}`), or `"null"`. A malformed
/// index gives `{"error":"bad_index","message":...}`.
#[wasm_bindgen]
pub fn closest(text: &str, index_json: &str, min_similarity: f32) -> String {
    closest_json(text, index_json, min_similarity)
}

/// The loaded engine, or the term-less one before a pack is loaded.
fn current_engine() -> Result<Rc<Engine>, String> {
    if let Some(engine) = LOADED.with(|slot| slot.borrow().clone()) {
        return Ok(engine);
    }
    EMPTY.with(|slot| {
        if let Some(engine) = slot.borrow().clone() {
            return Ok(engine);
        }
        let engine = Rc::new(empty_engine()?);
        *slot.borrow_mut() = Some(engine.clone());
        Ok(engine)
    })
}

/// An engine with no terms: screening still finds personal data and links.
pub fn empty_engine() -> Result<Engine, String> {
    Ok(Engine::without_terms(NO_PACK_VERSION))
}

/// Screens with `engine`; a screening by the term-less engine says `"none"` as its rule-pack
/// version (not the empty list's content hash), so nobody mistakes it for a real pack's result.
pub fn screen_with(engine: &Engine, text: &str, pack_loaded: bool) -> Screening {
    let mut screening = engine.screen(text);
    if !pack_loaded {
        screening.rule_pack_version = NO_PACK_VERSION.to_string();
    }
    screening
}

/// `Screening` as JSON. Serialising it cannot fail (plain strings and numbers); the fallback
/// keeps the "never throws" promise without an `unwrap`.
pub fn screening_json(screening: &Screening) -> String {
    serde_json::to_string(screening).unwrap_or_else(|err| error_json("internal", &err.to_string()))
}

/// `closest` without the thread-local state: pure, unit-tested natively.
pub fn closest_json(text: &str, index_json: &str, min_similarity: f32) -> String {
    let index: FingerprintIndex = match serde_json::from_str(index_json) {
        Ok(index) => index,
        Err(err) => return error_json("bad_index", &err.to_string()),
    };
    match index.closest(qinglang_engine::fingerprint(text), min_similarity) {
        Some(near) => serde_json::to_string(&near).unwrap_or_else(|err| error_json("internal", &err.to_string())),
        None => "null".to_string(),
    }
}

/// `{"error": code, "message": ...}`, the project's error shape.
fn error_json(code: &str, message: &str) -> String {
    serde_json::json!({ "error": code, "message": message }).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_warm_up_pack_loads() {
        let engine = Engine::from_pack(WARM_UP_PACK).expect("the built-in warm-up pack loads");
        assert!(engine.rule_pack_version().starts_with("warm-up@"));
        warm_up();
    }

    #[test]
    fn reserving_only_grows_and_is_capped() {
        reserve_for_pack(8 << 20);
        assert_eq!(RESERVED_FOR.get(), 9 << 20);
        reserve_for_pack(9 << 20);
        assert_eq!(RESERVED_FOR.get(), 9 << 20);
        assert_eq!(reserve_step(0, 800), Some(900));
        assert_eq!(reserve_step(900, 900), None);
        assert_eq!(reserve_step(900, 901), Some(1013));
        assert_eq!(reserve_step(5, usize::MAX), Some(MAX_RESERVE_PACK_BYTES));
        assert_eq!(reserve_step(MAX_RESERVE_PACK_BYTES - 1, MAX_RESERVE_PACK_BYTES), Some(MAX_RESERVE_PACK_BYTES));
        assert_eq!(reserve_step(MAX_RESERVE_PACK_BYTES, usize::MAX), None);
    }

    #[test]
    fn empty_engine_finds_pii_but_no_terms() {
        let engine = empty_engine().expect("empty engine builds");
        let screening = screen_with(&engine, "示例违规词，电话13812345678", false);
        assert!(screening.matches.is_empty());
        assert_eq!(screening.pii.len(), 1);
        assert_eq!(screening.rule_pack_version, NO_PACK_VERSION);
        let json: serde_json::Value = serde_json::from_str(&screening_json(&screening)).expect("valid json");
        assert_eq!(json["pii"][0]["masked"], "138****5678");
    }

    #[test]
    fn closest_finds_a_near_duplicate_and_reports_bad_indexes() {
        let claim = "某地发生重大事故死亡上百人，官方隐瞒真相，请大家转发";
        let mut index = FingerprintIndex::new();
        index.insert("refutation-1", qinglang_engine::fingerprint(claim));
        let index_json = serde_json::to_string(&index).expect("index serialises");

        let found: serde_json::Value =
            serde_json::from_str(&closest_json(claim, &index_json, 0.85)).expect("valid json");
        assert_eq!(found["id"], "refutation-1");
        assert_eq!(closest_json("完全不同的另一段文字内容", &index_json, 0.99), "null");

        let bad: serde_json::Value = serde_json::from_str(&closest_json(claim, "{", 0.85)).expect("valid json");
        assert_eq!(bad["error"], "bad_index");
    }
}
