//! Exports for the wasm32 check: a plain C ABI over one input and one output buffer, so node
//! can drive it without wasm-bindgen. No `unsafe`: node writes into a buffer this module owns.
//!
//! Protocol: `input_buffer(n)` returns a pointer to `n` writable bytes; node fills them, then
//! calls `load_pack()` (input = pack bytes; returns 0 on success), `screen_jsonl()` (input =
//! JSONL; returns the output length, read at `output_ptr()`), or `bench_prepare(chunk_chars)`
//! (input = UTF-8 haystack, cut into chunks) and then `bench_screen()` (screens the chunks and
//! returns the number of matches; what the benchmark times).

use std::sync::Mutex;

use qinglang_engine::{Engine, Screening};
use serde::Serialize;

struct State {
    input: Vec<u8>,
    output: Vec<u8>,
    engine: Option<Engine>,
    /// The text `bench_screen` screens, and where its chunks end (byte offsets).
    bench_text: String,
    bench_cuts: Vec<usize>,
}

static STATE: Mutex<State> = Mutex::new(State {
    input: Vec::new(),
    output: Vec::new(),
    engine: None,
    bench_text: String::new(),
    bench_cuts: Vec::new(),
});

fn with_state<R>(f: impl FnOnce(&mut State) -> R) -> R {
    let mut guard = STATE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    f(&mut guard)
}

#[unsafe(no_mangle)]
pub extern "C" fn input_buffer(len: usize) -> *mut u8 {
    with_state(|s| {
        s.input.clear();
        s.input.resize(len, 0);
        s.input.as_mut_ptr()
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn output_ptr() -> *const u8 {
    with_state(|s| s.output.as_ptr())
}

#[unsafe(no_mangle)]
pub extern "C" fn load_pack() -> i32 {
    with_state(|s| match Engine::from_pack(&s.input) {
        Ok(engine) => {
            s.engine = Some(engine);
            0
        }
        Err(_) => 1,
    })
}

#[derive(Serialize)]
struct Output<'a> {
    id: &'a serde_json::Value,
    #[serde(flatten)]
    screening: &'a Screening,
}

#[derive(Serialize)]
struct LineFailure<'a> {
    line: usize,
    error: &'a str,
}

/// Same output as `qinglang-screen screen` for the same input.
#[unsafe(no_mangle)]
pub extern "C" fn screen_jsonl() -> usize {
    with_state(|s| {
        let mut output = Vec::new();
        if let Some(engine) = &s.engine {
            let input = String::from_utf8_lossy(&s.input);
            for (idx, line) in input.lines().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                let parsed: Result<serde_json::Value, _> = serde_json::from_str(line);
                let text = parsed.as_ref().ok().and_then(|v| v.get("text")).and_then(|t| t.as_str());
                let json = match (&parsed, text) {
                    (Ok(value), Some(text)) => {
                        let id = value.get("id").cloned().unwrap_or(serde_json::Value::Null);
                        serde_json::to_string(&Output { id: &id, screening: &engine.screen_with_fingerprint(text) })
                    }
                    _ => serde_json::to_string(&LineFailure { line: idx + 1, error: "bad line" }),
                };
                output.extend_from_slice(json.unwrap_or_default().as_bytes());
                output.push(b'\n');
            }
        }
        s.output = output;
        s.output.len()
    })
}

/// Takes the input (UTF-8) as the text `bench_screen` screens, cut into chunks of
/// `chunk_chars` characters; returns the number of chunks (0 for input that is not UTF-8).
/// Validating and cutting the text are kept out of the timed `bench_screen`, as the native
/// benchmark keeps them out of its timed loop.
#[unsafe(no_mangle)]
pub extern "C" fn bench_prepare(chunk_chars: usize) -> usize {
    with_state(|s| {
        s.bench_text = String::from_utf8(std::mem::take(&mut s.input)).unwrap_or_default();
        s.bench_cuts.clear();
        let mut at = 0;
        while at < s.bench_text.len() {
            let rest = &s.bench_text[at..];
            at += rest.char_indices().nth(chunk_chars).map_or(rest.len(), |(i, _)| i);
            s.bench_cuts.push(at);
        }
        s.bench_cuts.len()
    })
}

/// Screens the chunks `bench_prepare` made; returns the number of matches.
#[unsafe(no_mangle)]
pub extern "C" fn bench_screen() -> usize {
    with_state(|s| {
        let Some(engine) = &s.engine else { return 0 };
        let mut n_matches = 0;
        let mut start = 0;
        for &end in &s.bench_cuts {
            n_matches += s.bench_text.get(start..end).map_or(0, |chunk| engine.screen(chunk).matches.len());
            start = end;
        }
        n_matches
    })
}
