//! Qinglang's moderation engine: evasion-proof screening of Chinese report text, in one pass,
//! identically in the browser (wasm32) and at the edge.
//!
//! ```
//! use qinglang_engine::{Engine, Priority};
//!
//! let tsv = "term\tcategory\tseverity\tflags\n刷单返利\tfraud\t4\t\n三黄片\t-\t-\tallow\n";
//! let engine = Engine::from_tsv(tsv, "demo").expect("valid list");
//! let screening = engine.screen("兼职刷 单 返 利，加我13812345678");
//! assert_eq!(&*screening.matches[0].category, "fraud");
//! assert_eq!((screening.matches[0].start, screening.matches[0].end), (2, 9));
//! assert_eq!(screening.pii[0].masked, "138****5678");
//! assert_eq!(screening.priority, Priority::High);
//! ```
//!
//! Code map:
//! - [`fold`](crate::fold) (private): the folding pass, which hands each folded character with its
//!   original index to a sink (the screen keeps them with their automaton codes);
//!   `fold_table` is generated from OpenCC and Unicode data by `data/gen_fold_table.py`.
//! - `double_array` (private): builds the standard charwise double-array Aho-Corasick automaton
//!   in daachorse 5's serialised form; `automaton` (private): loads it into our own arrays
//!   (validated: stepping cannot panic or loop) and walks it.
//! - [`rules`]: the TSV term list and its typed line errors.
//! - [`pack`]: compiling a list into a server pack and a browser pack; loading packs.
//! - [`engine`]: [`Engine::screen`], the pipeline, and the window that turns the standard
//!   automaton's overlapping matches into leftmost-longest hits.
//! - `pii`, `links` (private): personal information and links, on the ASCII runs of the text.
//! - [`fingerprint`]: SimHash and near-duplicate lookup.
//! - [`screening`]: the result types.
//!
//! *Architecture invariant:* no I/O, no clock, no randomness; everything is a pure function of
//! the pack bytes and the text, which is what lets the browser and the worker agree.

mod automaton;
mod double_array;
pub mod engine;
#[cfg(test)]
mod evasion_corpus;
pub mod fingerprint;
mod fold;
#[rustfmt::skip]
mod fold_table;
mod links;
pub mod pack;
mod pii;
pub mod rules;
pub mod screening;

pub use engine::{Engine, EngineError, JUNK_MIN_CHARS};
pub use fingerprint::{DEFAULT_MIN_SIMILARITY, Fingerprint, FingerprintIndex, NearDuplicate, closest};
pub use fold_table::FOLD_TABLE_VERSION;
pub use pack::{CompileError, CompileOptions, CompiledPacks, PackError, PackKind, ProtectedInBrowser, compile};
pub use rules::{LineError, LineErrorReason, RuleListError, TermEntry, TermFlags, TermList};
pub use screening::{JunkReason, Link, PiiFinding, PiiKind, Platform, Priority, Screening, TermMatch, mask_pii};

/// Version of this engine, stored with every screening result.
pub const ENGINE_VERSION: &str = concat!("qinglang-engine/", env!("CARGO_PKG_VERSION"));

/// Folds a text exactly as the engine does before matching (traditional → simplified, widths,
/// case, look-alikes, separators dropped). Useful to show staff what the engine saw.
pub fn fold(text: &str) -> String {
    fold::fold_plain(text)
}

/// The near-duplicate fingerprint of a text, as [`Engine::screen_with_fingerprint`] computes it;
/// needs no rule pack (the worker fingerprints refutation claims with it, the browser a report
/// description for the "already refuted" hint).
pub fn fingerprint(text: &str) -> Fingerprint {
    fold::fold_into(text, |_, _| {}).fingerprint
}
