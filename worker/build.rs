//! Compiles the demo term list into the server rule pack that the worker embeds, so a fresh
//! checkout screens reports without any deployment data. A deployment's real list is deployment
//! data: compile it with `qinglang-screen compile` and point `RULES_TSV` at it when building.

use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let tsv_path = std::env::var("RULES_TSV")
        .map(PathBuf::from)
        .unwrap_or_else(|_| manifest.join("../engine/data/demo-terms.tsv"));
    println!("cargo:rerun-if-changed={}", tsv_path.display());
    println!("cargo:rerun-if-env-changed=RULES_TSV");
    let tsv = std::fs::read_to_string(&tsv_path).unwrap_or_else(|e| panic!("read {}: {e}", tsv_path.display()));
    let list = qinglang_engine::TermList::parse_tsv(&tsv).unwrap_or_else(|e| panic!("{}: {e}", tsv_path.display()));
    let label = tsv_path.file_stem().and_then(|s| s.to_str()).unwrap_or("terms").to_owned();
    let options = qinglang_engine::CompileOptions {
        label,
        protected_in_browser: qinglang_engine::ProtectedInBrowser::Hashed,
        hash_key: None,
    };
    let packs = qinglang_engine::compile(&list, &options).unwrap_or_else(|e| panic!("compile rules: {e}"));
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("rules.qlrp");
    std::fs::write(&out, &packs.server).unwrap_or_else(|e| panic!("write {}: {e}", out.display()));
}
