//! `check-wasm-features FILE.wasm...` — validates each file with only the WebAssembly 1.0 (MVP)
//! features plus import/export of mutable globals, which is what Chrome 78-class WeChat XWeb and
//! iOS 14 Safari (WKWebView) accept. Reference types, multi-value, SIMD, sign-extension, bulk memory
//! and non-trapping float-to-int are all off; with reference types off, wasmparser also rejects the
//! overlong `call_indirect` table index LLVM writes when reference types are enabled.
//! Exits 1 and names the file and the offending offset on the first failure.
use wasmparser::{Validator, WasmFeatures};

fn main() {
    let files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        eprintln!("usage: check-wasm-features FILE.wasm...");
        std::process::exit(2);
    }
    let features = WasmFeatures::WASM1; // MVP (floats, funcref table) + mutable-global
    let mut failed = false;
    for file in &files {
        let bytes = match std::fs::read(file) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("FAIL {file}: {e}");
                failed = true;
                continue;
            }
        };
        match Validator::new_with_features(features).validate_all(&bytes) {
            Ok(_) => println!("ok   {file}: baseline WebAssembly (MVP + mutable-globals)"),
            Err(e) => {
                eprintln!("FAIL {file}: not baseline WebAssembly: {e}");
                failed = true;
            }
        }
    }
    if failed {
        std::process::exit(1);
    }
}
