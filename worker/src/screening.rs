//! The authoritative re-screen: every submitted report goes through the moderation engine here,
//! whatever the phone's pre-screen said, and this result is what staff see.

use std::sync::OnceLock;

use qinglang_domain::Report;
use qinglang_engine::{Engine, Fingerprint, Screening};

use crate::error::ApiError;

/// The server rule pack compiled from the term list at build time (see `build.rs`).
static PACK: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/rules.qlrp"));

/// Loaded once per isolate; later requests reuse it.
static ENGINE: OnceLock<Engine> = OnceLock::new();

fn engine() -> Result<&'static Engine, ApiError> {
    if let Some(engine) = ENGINE.get() {
        return Ok(engine);
    }
    let engine = Engine::from_pack(PACK).map_err(|e| ApiError::Internal(format!("rule pack: {e}")))?;
    Ok(ENGINE.get_or_init(|| engine))
}

/// The text that is screened: the description, then each link on its own line. Offsets in the
/// result therefore point into the description first.
pub fn screened_text(report: &Report) -> String {
    let mut text = report.description.clone();
    for link in &report.links {
        text.push('\n');
        text.push_str(link);
    }
    text
}

/// Screens a validated report, with the near-duplicate fingerprint that is stored with it
/// (`Screening::fingerprint` is always `Some` here).
pub fn screen(report: &Report) -> Result<Screening, ApiError> {
    Ok(engine()?.screen_with_fingerprint(&screened_text(report)))
}

/// The fingerprint of the description alone, which the "already refuted" lookup compares (the
/// screened text also holds the links, whose characters would dilute it). Without links the
/// screened text is the description, so the screening's own fingerprint is that one and is reused.
pub fn description_fingerprint(report: &Report, screening: &Screening) -> Fingerprint {
    match screening.fingerprint {
        Some(fingerprint) if report.links.is_empty() => fingerprint,
        _ => qinglang_engine::fingerprint(&report.description),
    }
}
