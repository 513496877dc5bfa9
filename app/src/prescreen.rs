//! The phone-side pre-screen: the moderation engine, loaded lazily as its own WASM module
//! (`/engine/`, built from `engine/web`) so it never enlarges the first load, runs as the citizen
//! types and warns about personal data, a likelier category and doubtful links. It is advice
//! only; the worker re-screens every report and its result is what staff see.

use serde::Deserialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = r#"
let loading = null;
export function ql_engine_load(base) {
  if (!loading) {
    loading = (async () => {
      const packed = fetch(base + '/demo.browser.qlrp');
      packed.catch(() => {});
      const m = await import(base + '/qinglang_engine.js');
      const wasm = base + '/qinglang_engine_bg.wasm';
      try {
        await m.default({ module_or_path: wasm });
      } catch (e) {
        const bytes = await (await fetch(wasm)).arrayBuffer();
        await m.default({ module_or_path: bytes });
      }
      m.warm_up();
      const pack = await packed;
      if (pack.ok) {
        const body = pack.body && pack.body.getReader(), parts = [];
        let n = 0;
        if (body) for (let c; !(c = await body.read()).done;) { parts.push(c.value); m.reserve_for_pack(n += c.value.length); }
        else parts.push(new Uint8Array(await pack.arrayBuffer()));
        let bytes = parts[0];
        // Joined with set: new Blob(parts).arrayBuffer() took ~10 times as long.
        if (parts.length > 1) { bytes = new Uint8Array(n); let at = 0; for (const p of parts) { bytes.set(p, at); at += p.length; } }
        m.load_pack(bytes);
      }
      return m;
    })();
    loading.catch(() => { loading = null; });
  }
  return loading;
}
export function ql_engine_call(m, name, text) { return m[name](text); }
const hints = (run) => { import('/refutation-hints.js').then(run).catch(() => {}); };
export function ql_engine_refuted(m, text, lang) { hints((h) => h.refuted(m, text, lang)); }
export function ql_latest_refutations(n, lang) { hints((h) => h.latest(n, lang)); }
"#)]
extern "C" {
    #[wasm_bindgen(catch)]
    async fn ql_engine_load(base: &str) -> Result<JsValue, JsValue>;
    fn ql_engine_call(module: &JsValue, name: &str, text: &str) -> String;
    fn ql_engine_refuted(module: &JsValue, text: &str, lang: &str);
    fn ql_latest_refutations(n: u32, lang: &str);
}

/// Fills the home page's `#latest-refutations` section with the newest `n` published refutations
/// in language `lang` (hidden when there are none or they cannot be loaded). The code that reads the
/// answer and writes the HTML (escaping every text) is `public/refutation-hints.js`, imported on
/// first use, so it adds nothing to the citizen first load; the list is fetched once.
pub fn show_latest_refutations(n: u32, lang: &str) {
    ql_latest_refutations(n, lang);
}

/// The loaded engine module.
#[derive(Clone)]
pub struct EngineModule(JsValue);

/// Loads the engine and its browser rule pack; `None` where that fails (offline, old engine),
/// in which case the flow simply goes on without pre-screen advice. The pack is requested
/// together with the module; the module's `warm_up` runs while the pack downloads and its heap
/// grows as the pack's chunks arrive (`reserve_for_pack`: a compressed response has no usable
/// `Content-Length`), so that `load_pack` finds the loader in optimised code and the memory
/// ready (BENCHMARKS.md, "Ninth round" and "Tenth round").
pub async fn load() -> Option<EngineModule> {
    ql_engine_load("/engine").await.ok().map(EngineModule)
}

impl EngineModule {
    /// Screens `text`.
    pub fn screen(&self, text: &str) -> Option<Prescreen> {
        serde_json::from_str(&ql_engine_call(&self.0, "screen", text)).ok()
    }

    /// "Already refuted": shows the `#refuted-hint` element (in language `lang`, the refutation's
    /// title linking to it) if `text` repeats the claim of a published refutation, and hides it
    /// otherwise or for an empty `text`. Only the engine's fingerprint of `text` is sent
    /// (`GET /api/refutations/match`); the worker compares it with every published claim at the
    /// threshold it uses for the staff case view. The code is
    /// `public/refutation-hints.js`, imported on first use like the engine itself.
    pub fn show_refuted(&self, text: &str, lang: &str) {
        ql_engine_refuted(&self.0, text, lang);
    }

    /// `text` with personal data masked (138****5678).
    pub fn mask(&self, text: &str) -> String {
        ql_engine_call(&self.0, "mask", text)
    }
}

/// The parts of the engine's result the report flow shows (unknown fields are ignored).
#[derive(Debug, Clone, PartialEq, Deserialize, Default)]
pub struct Prescreen {
    /// Personal data found.
    #[serde(default)]
    pub pii: Vec<PiiHit>,
    /// Links found.
    #[serde(default)]
    pub links: Vec<LinkHit>,
    /// Suggested category code.
    #[serde(default)]
    pub category: Option<String>,
}

/// A piece of personal data.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PiiHit {
    /// `mobile`, `id_number`, `bank_card`, `email`.
    pub kind: String,
    /// Masked rendering.
    pub masked: String,
}

/// A link and what is doubtful about it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct LinkHit {
    /// The link as found.
    pub url: String,
    /// A URL shortener (t.cn, dwz.cn …): the real target is hidden.
    #[serde(default)]
    pub shortener: bool,
    /// Not a well-formed address.
    #[serde(default)]
    pub malformed: bool,
}

impl Prescreen {
    /// Links worth a warning.
    pub fn doubtful_links(&self) -> impl Iterator<Item = &LinkHit> {
        self.links.iter().filter(|l| l.shortener || l.malformed)
    }
}

/// Whether a description is worth checking against published refutations: under the rumour
/// category always, else once it is long enough to carry a claim (the index is only fetched then).
pub fn worth_matching(category: Option<&str>, description: &str) -> bool {
    category == Some("rumor") || description.trim().chars().count() >= 12
}

/// The text the worker screens for a report: description, then each link on its own line.
pub fn screened_text(description: &str, links: &[String]) -> String {
    let mut text = description.to_owned();
    for link in links.iter().filter(|l| !l.trim().is_empty()) {
        text.push('\n');
        text.push_str(link.trim());
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_engines_json_and_ignores_the_rest() {
        let json = r#"{"matches":[{"term":"x","category":"fraud","severity":4,"start":0,"end":1}],
            "pii":[{"kind":"mobile","start":3,"end":14,"masked":"139****5678"}],
            "links":[{"url":"https://t.cn/A","host":"t.cn","platform":null,"shortener":true,"malformed":false,"start":0,"end":1}],
            "category":"fraud","priority":"high","junk":false,"fingerprint":"00ff00ff00ff00ff"}"#;
        let p: Prescreen = serde_json::from_str(json).expect("parses");
        assert_eq!(p.pii[0].masked, "139****5678");
        assert_eq!(p.category.as_deref(), Some("fraud"));
        assert_eq!(p.doubtful_links().count(), 1);
    }

    #[test]
    fn only_rumours_or_long_enough_texts_are_matched() {
        assert!(worth_matching(Some("rumor"), "封城"));
        assert!(!worth_matching(Some("fraud"), "明天封城"));
        assert!(worth_matching(None, "明天起全市全面封城，大家赶紧囤货"));
        assert!(!worth_matching(None, "   短短的一句话   "));
    }

    #[test]
    fn screened_text_matches_the_workers() {
        assert_eq!(screened_text("描述", &["https://a.cn".into(), " ".into()]), "描述\nhttps://a.cn");
    }
}
