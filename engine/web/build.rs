//! Compiles the warm-up pack that `warm_up` loads (see `src/lib.rs`): 150 made-up ASCII terms,
//! the same every build, into a server-kind pack in OUT_DIR (about 14 KB; about 3 KB brotli in
//! the module). Built here rather than checked in, so that it always has the pack format and fold
//! table of the engine it is built with.

use std::fmt::Write as _;

use qinglang_engine::{CompileOptions, TermList, compile};

const TERMS: usize = 150;

fn main() {
    let mut tsv = String::from("term\tcategory\tseverity\tflags\n");
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut seen = std::collections::BTreeSet::new();
    while seen.len() < TERMS {
        let len = 3 + next() % 6;
        let term: String = (0..len).map(|_| char::from(b'a' + (next() % 26) as u8)).collect();
        if seen.insert(term.clone()) {
            let category = ["fraud", "gambling", "porn", "rumor"][(next() % 4) as usize];
            let flags = if next() % 20 == 0 { "protected" } else { "" };
            let _ = writeln!(tsv, "{term}\t{category}\t{}\t{flags}", 1 + next() % 5);
        }
    }
    let list = TermList::parse_tsv(&tsv).expect("the generated warm-up list parses");
    let options = CompileOptions { label: "warm-up".to_string(), ..CompileOptions::default() };
    let packs = compile(&list, &options).expect("the generated warm-up list compiles");
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(format!("{out}/warm-up.qlrp"), packs.server).expect("OUT_DIR is writable");
    println!("cargo::rerun-if-changed=build.rs");
}
