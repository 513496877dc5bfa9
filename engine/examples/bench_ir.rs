//! Instruction counts for the throughput ratios, repeatable on a shared machine where wall-clock
//! times are noisy: each stage runs alone, so `valgrind --tool=callgrind
//! --toggle-collect='bench_ir::run_*'` counts exactly its measured loop (not the automaton
//! builds). Used by `engine/scripts/bench-ir.sh`, on the data `examples/bench.rs` writes to its
//! OUT_DIR.
//!
//! `bench_ir STAGE DIR BYTES` with STAGE one of `daachorse` (raw leftmost-longest over the text
//! as is), `aho-corasick` (default builder, leftmost-longest), `overlapping` (daachorse standard
//! automaton, every overlapping match), `raw` (the engine's automaton and leftmost-longest window,
//! no folding), `compile` (parse + both packs), `load` (loading the browser pack), `screen` (the engine's full screen, server pack, 2,000-character chunks),
//! `screen-fp` (the same with the fingerprint, `screen_with_fingerprint`), `fold-daachorse` (each
//! chunk folded to a string by `qinglang_engine::fold`, then daachorse's leftmost-longest search),
//! `screen-browser` (`screen` with the browser pack); BYTES is the length of the haystack prefix.
//! With `BENCH_TIME=N` the loop also runs N times and the best wall-clock time is printed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use aho_corasick::{AhoCorasick, MatchKind as AcMatchKind};
use daachorse::{CharwiseDoubleArrayAhoCorasick, CharwiseDoubleArrayAhoCorasickBuilder, MatchKind};
use qinglang_engine::Engine;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (stage, dir, bytes) = (args[1].as_str(), &args[2], args[3].parse::<usize>().unwrap());
    let haystack = std::fs::read_to_string(format!("{dir}/haystack.txt")).unwrap();
    let mut cut = bytes.min(haystack.len());
    while !haystack.is_char_boundary(cut) {
        cut -= 1;
    }
    let haystack = &haystack[..cut];
    let tsv = std::fs::read_to_string(format!("{dir}/terms.tsv")).unwrap();
    let terms: Vec<&str> = tsv.lines().skip(1).filter_map(|l| l.split('\t').next()).collect();
    let mut chunks: Vec<&str> = Vec::new();
    let mut rest = haystack;
    while !rest.is_empty() {
        let cut = rest.char_indices().nth(2000).map_or(rest.len(), |(i, _)| i);
        let (chunk, tail) = rest.split_at(cut);
        chunks.push(chunk);
        rest = tail;
    }
    let reps: usize = std::env::var("BENCH_TIME").ok().and_then(|v| v.parse().ok()).unwrap_or(1);
    let engine_of = |file: &str| Engine::from_pack(&std::fs::read(format!("{dir}/{file}")).unwrap()).unwrap();
    let (time, count) = match stage {
        "daachorse" => {
            let automaton: CharwiseDoubleArrayAhoCorasick<u32> = CharwiseDoubleArrayAhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .build(&terms)
                .unwrap();
            timed(reps, || run_daachorse(&automaton, haystack))
        }
        "fold-daachorse" => {
            let automaton: CharwiseDoubleArrayAhoCorasick<u32> = CharwiseDoubleArrayAhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .build(&terms)
                .unwrap();
            timed(reps, || run_fold_daachorse(&automaton, &chunks))
        }
        "overlapping" => {
            let automaton: CharwiseDoubleArrayAhoCorasick<u32> =
                CharwiseDoubleArrayAhoCorasickBuilder::new().match_kind(MatchKind::Standard).build(&terms).unwrap();
            timed(reps, || run_overlapping(&automaton, haystack))
        }
        "aho-corasick" => {
            let ac = AhoCorasick::builder().match_kind(AcMatchKind::LeftmostLongest).build(&terms).unwrap();
            timed(reps, || run_aho_corasick(&ac, haystack))
        }
        "compile" => timed(reps, || run_compile(&tsv)),
        "load" => {
            let pack = std::fs::read(format!("{dir}/bench.browser.qlrp")).unwrap();
            timed(reps, || run_load(&pack))
        }
        "raw" => {
            let engine = engine_of("bench.qlrp");
            timed(reps, || run_raw(&engine, &chunks))
        }
        "screen" => {
            let engine = engine_of("bench.qlrp");
            warm_up(&engine, &chunks);
            timed(reps, || run_screen(&engine, &chunks))
        }
        "screen-fp" => {
            let engine = engine_of("bench.qlrp");
            warm_up(&engine, &chunks);
            timed(reps, || run_screen_fp(&engine, &chunks))
        }
        "screen-browser" => {
            let engine = engine_of("bench.browser.qlrp");
            warm_up(&engine, &chunks);
            timed(reps, || run_screen(&engine, &chunks))
        }
        other => panic!("unknown stage {other}"),
    };
    let mb_s = haystack.len() as f64 / 1e6 / time.as_secs_f64();
    println!(
        "{stage}: {count} matches in {} bytes; best of {reps}: {mb_s:.0} MB/s, {:.2} ms",
        haystack.len(),
        time.as_secs_f64() * 1e3
    );
}

fn timed(reps: usize, mut run: impl FnMut() -> usize) -> (Duration, usize) {
    let mut best = Duration::MAX;
    let mut count = 0;
    for _ in 0..reps.max(1) {
        let started = Instant::now();
        count = run();
        best = best.min(started.elapsed());
    }
    (best, count)
}

#[inline(never)]
fn run_daachorse(automaton: &CharwiseDoubleArrayAhoCorasick<u32>, haystack: &str) -> usize {
    automaton.leftmost_find_iter(haystack).count()
}

/// A lower bound for the "fold into a string, then daachorse's own leftmost-longest search"
/// design: the folding as `qinglang_engine::fold` does it (no offset map, no PII, links or
/// result), then the search over the folded chunk.
#[inline(never)]
fn run_fold_daachorse(automaton: &CharwiseDoubleArrayAhoCorasick<u32>, chunks: &[&str]) -> usize {
    chunks.iter().map(|c| automaton.leftmost_find_iter(qinglang_engine::fold(c)).count()).sum()
}

#[inline(never)]
fn run_overlapping(automaton: &CharwiseDoubleArrayAhoCorasick<u32>, haystack: &str) -> usize {
    automaton.find_overlapping_iter(haystack).count()
}

#[inline(never)]
fn run_aho_corasick(ac: &AhoCorasick, haystack: &str) -> usize {
    ac.find_iter(haystack).count()
}

#[inline(never)]
fn run_compile(tsv: &str) -> usize {
    let list = qinglang_engine::TermList::parse_tsv(tsv).unwrap();
    let options = qinglang_engine::CompileOptions { label: "bench".into(), ..Default::default() };
    qinglang_engine::compile(&list, &options).unwrap().browser.len()
}

#[inline(never)]
fn run_load(pack: &[u8]) -> usize {
    Engine::from_pack(pack).unwrap().n_rules()
}

#[inline(never)]
fn run_raw(engine: &Engine, chunks: &[&str]) -> usize {
    chunks.iter().map(|c| engine.raw_match_count(c)).sum()
}

/// One uncounted round first: the engine caches each rule's spelling on its first hit, which a
/// long-running worker or page has long done.
#[inline(never)]
fn warm_up(engine: &Engine, chunks: &[&str]) {
    std::hint::black_box(chunks.iter().map(|c| engine.screen(c).matches.len()).sum::<usize>());
}

#[inline(never)]
fn run_screen(engine: &Engine, chunks: &[&str]) -> usize {
    chunks.iter().map(|c| engine.screen(c).matches.len()).sum()
}

#[inline(never)]
fn run_screen_fp(engine: &Engine, chunks: &[&str]) -> usize {
    chunks.iter().map(|c| engine.screen_with_fingerprint(c).matches.len()).sum()
}
