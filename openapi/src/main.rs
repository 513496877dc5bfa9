//! Writes the OpenAPI document: `qinglang-openapi worker/openapi.json` (or to stdout without an
//! argument). `scripts/build.sh` runs it before building the worker, which serves the file.

use std::process::ExitCode;

fn main() -> ExitCode {
    let json = qinglang_openapi::to_json();
    match std::env::args().nth(1) {
        None => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Some(path) => match std::fs::write(&path, json) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("cannot write {path}: {e}");
                ExitCode::FAILURE
            }
        },
    }
}
