//! The engine: a loaded rule pack and the `screen` pipeline (fold → match → PII → links →
//! fingerprint → suggest).
//!
//! *Architecture invariant:* screening never fails and never does I/O; an `Engine` is
//! immutable after loading, so the worker can keep one per isolate and share it.

use std::sync::{Arc, OnceLock};

use daachorse::CharwiseDoubleArrayAhoCorasick;

use crate::fold::{Folded, fold_text};
use crate::pack::{
    CompileError, CompileOptions, HashedTier, LoadedPack, NO_CATEGORY, PackError, PackKind, Rule, compile, load,
};
use crate::rules::{RuleListError, TermList};
use crate::screening::{JunkReason, Priority, Screening, TermMatch};
use crate::{ENGINE_VERSION, links, pii};

/// Fewer word characters than this makes a text junk.
pub const JUNK_MIN_CHARS: u32 = 4;

/// Loading an engine from a term list failed.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EngineError {
    /// The term list has bad lines.
    #[error(transparent)]
    RuleList(#[from] RuleListError),
    /// The list could not be compiled.
    #[error(transparent)]
    Compile(#[from] CompileError),
    /// The pack could not be read.
    #[error(transparent)]
    Pack(#[from] PackError),
}

/// A moderation engine loaded with one rule pack.
pub struct Engine {
    kind: PackKind,
    version: String,
    /// Category codes, shared with every `TermMatch` that names one.
    categories: Vec<Arc<str>>,
    rules: Vec<Rule>,
    /// The folded spelling of each rule, filled on the rule's first hit and shared by every
    /// later `TermMatch` of it, so that a hit costs no allocation for its `term`. Filled
    /// lazily because the pack stores the automaton, not the term strings.
    terms: Vec<OnceLock<Arc<str>>>,
    automaton: Option<CharwiseDoubleArrayAhoCorasick<u32>>,
    hashed: Option<HashedTier>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("kind", &self.kind)
            .field("version", &self.version)
            .field("n_rules", &self.rules.len())
            .finish_non_exhaustive()
    }
}

/// A hit in folded coordinates, before mapping back.
struct FoldedHit {
    start: u32,
    end: u32,
    byte_start: usize,
    byte_end: usize,
    rule_idx: u32,
    rule: Rule,
}

impl Engine {
    /// Loads a rule pack (server or browser) produced by [`compile`].
    pub fn from_pack(bytes: &[u8]) -> Result<Engine, PackError> {
        let LoadedPack { kind, version, categories, rules, automaton, hashed } = load(bytes)?;
        let categories = categories.into_iter().map(Arc::from).collect();
        let terms = std::iter::repeat_with(OnceLock::new).take(rules.len()).collect();
        Ok(Engine { kind, version, categories, rules, terms, automaton, hashed })
    }

    /// Builds a server engine straight from a parsed term list.
    pub fn from_term_list(list: &TermList, label: &str) -> Result<Engine, EngineError> {
        let options = CompileOptions { label: label.to_string(), ..CompileOptions::default() };
        let packs = compile(list, &options)?;
        Ok(Engine::from_pack(&packs.server)?)
    }

    /// Parses a TSV term list and builds a server engine from it.
    pub fn from_tsv(tsv: &str, label: &str) -> Result<Engine, EngineError> {
        Engine::from_term_list(&TermList::parse_tsv(tsv)?, label)
    }

    /// Version of the loaded rule pack (`label@contenthash`).
    pub fn rule_pack_version(&self) -> &str {
        &self.version
    }

    /// Whether this is a server or a browser pack.
    pub fn pack_kind(&self) -> PackKind {
        self.kind
    }

    /// Number of rules (lines of the term list) in the pack.
    pub fn n_rules(&self) -> usize {
        self.rules.len()
    }

    /// Number of leftmost-longest automaton matches in `text` as is (no folding): lets the
    /// benchmark separate the automaton from the rest of the pipeline.
    #[doc(hidden)]
    pub fn raw_match_count(&self, text: &str) -> usize {
        self.automaton.as_ref().map_or(0, |a| a.leftmost_find_iter(text).count())
    }

    /// Screens a text. Never fails: any text, however odd, gets a result.
    pub fn screen(&self, text: &str) -> Screening {
        let folded = fold_text(text);
        let hits = self.find_hits(&folded);

        let mut matches = Vec::with_capacity(hits.len());
        for hit in &hits {
            let (start, end) = folded.original_span(hit.start, hit.end);
            let category =
                self.categories.get(usize::from(hit.rule.category)).cloned().unwrap_or_else(|| Arc::from(""));
            matches.push(TermMatch {
                term: self.shared_term(
                    hit.rule_idx,
                    hit.rule,
                    folded.text.get(hit.byte_start..hit.byte_end).unwrap_or(""),
                ),
                category,
                severity: hit.rule.severity,
                start,
                end,
                protected: hit.rule.flags.protected,
                urgent: hit.rule.flags.urgent,
            });
        }

        let mut pii = Vec::new();
        pii::scan(&folded.ascii_runs, &mut pii);
        let mut links = Vec::new();
        links::scan(&folded.ascii_runs, &mut links);
        let junk_reason = junk_reason(&folded);
        let category = suggest_category(&hits, &self.categories);
        let priority = priority(&hits, junk_reason.is_some(), !pii.is_empty() || !links.is_empty());

        Screening {
            matches,
            pii,
            links,
            category,
            priority,
            junk: junk_reason.is_some(),
            junk_reason,
            fingerprint: folded.fingerprint,
            engine_version: ENGINE_VERSION.to_string(),
            rule_pack_version: self.version.clone(),
        }
    }

    /// The `term` of a hit of `rule` (index `rule_idx`) whose folded text is `matched`: the
    /// rule's cached spelling when it is the same, else a fresh allocation. Only a `digits`
    /// rule has several spellings (`TermEntry::spellings`), so only its hits need the full
    /// comparison; for the others equal length is a cheap guard.
    fn shared_term(&self, rule_idx: u32, rule: Rule, matched: &str) -> Arc<str> {
        match self.terms.get(rule_idx as usize) {
            Some(cell) => {
                let cached = cell.get_or_init(|| Arc::from(matched));
                let same = if rule.flags.digits { **cached == *matched } else { cached.len() == matched.len() };
                if same { Arc::clone(cached) } else { Arc::from(matched) }
            }
            None => Arc::from(matched),
        }
    }

    /// Dictionary hits (allow-list applied), in folded coordinates and text order.
    fn find_hits(&self, folded: &Folded) -> Vec<FoldedHit> {
        let mut hits = Vec::new();
        let mut allowed: Vec<(u32, u32)> = Vec::new();
        if let Some(automaton) = &self.automaton {
            // Leftmost-longest gives the allow-list rule for free: an allow-listed word that
            // contains a listed term starts at or before it, so it is found first and the
            // term inside is never reported (三黄片 hides 黄片, 路口交通 hides 口交).
            let raw = raw_matches(automaton, &folded.text);
            hits.reserve(raw.len());
            let mut counter = CharCounter::new(&folded.text);
            for (byte_start, byte_end, value) in raw {
                let Some(&rule) = self.rules.get(value as usize) else { continue };
                let start = counter.char_index(byte_start);
                let end = counter.char_index(byte_end);
                if rule.flags.allow {
                    allowed.push((start, end));
                    continue;
                }
                hits.push(FoldedHit { start, end, byte_start, byte_end, rule_idx: value, rule });
            }
        }
        if let Some(tier) = &self.hashed {
            let hashed = self.find_hashed(tier, folded, &allowed);
            if !hashed.is_empty() {
                // Merge the two sources as one leftmost-longest pass would: sort by start
                // (longest first) and drop hits that overlap an earlier kept one, so that a
                // browser pack reports what the server pack reports in all but contrived cases.
                hits.extend(hashed);
                hits.sort_by_key(|h| (h.start, std::cmp::Reverse(h.end)));
                let mut kept_end = 0;
                hits.retain(|h| {
                    let keep = h.start >= kept_end;
                    if keep {
                        kept_end = h.end;
                    }
                    keep
                });
            }
        }
        hits
    }

    /// Protected terms of a browser pack: every window whose length some protected spelling
    /// has is hashed and looked up. Leftmost-longest, non-overlapping, allow-list applied.
    fn find_hashed(&self, tier: &HashedTier, folded: &Folded, allowed: &[(u32, u32)]) -> Vec<FoldedHit> {
        let longest = tier.longest() as usize;
        // Byte offsets of every character boundary, so that windows are plain slices.
        let offsets: Vec<usize> =
            folded.text.char_indices().map(|(i, _)| i).chain(std::iter::once(folded.text.len())).collect();
        let n_chars = offsets.len() - 1;
        let mut hits = Vec::new();
        let mut start = 0;
        while start < n_chars {
            let mut best: Option<(usize, (u32, Rule))> = None;
            let mut quick = 0u32;
            for len in 1..=longest.min(n_chars - start) {
                let (from, to) = (offsets[start], offsets[start + len]);
                let window = folded.text.get(from..to).unwrap_or("");
                quick = window.chars().next_back().map_or(quick, |c| HashedTier::quick_step(quick, c));
                // Most windows stop at the length mask or the filter: no SipHash for them.
                if tier.length_mask >> (len - 1) & 1 == 0 || !tier.filter_has(quick) {
                    continue;
                }
                let digest = HashedTier::digest(&tier.key, window);
                let rule = tier
                    .digests
                    .binary_search_by_key(&digest, |&(d, _)| d)
                    .ok()
                    .and_then(|idx| tier.digests.get(idx))
                    .and_then(|&(_, r)| self.rules.get(r as usize).map(|&rule| (r, rule)));
                if let Some(found) = rule {
                    best = Some((len, found));
                }
            }
            match best {
                Some((len, (rule_idx, rule))) => {
                    let (s, e) = (start as u32, (start + len) as u32);
                    let inside_allowed = allowed.iter().any(|&(a, b)| a <= s && e <= b);
                    if !inside_allowed {
                        hits.push(FoldedHit {
                            start: s,
                            end: e,
                            byte_start: offsets[start],
                            byte_end: offsets[start + len],
                            rule_idx,
                            rule,
                        });
                    }
                    start += len;
                }
                None => start += 1,
            }
        }
        hits
    }
}

/// The automaton's leftmost-longest matches as `(byte start, byte end, rule)`. Kept out of
/// line on purpose: inlined into `screen`, the tight search loop was compiled several times
/// slower than on its own (measured with the benchmark).
#[inline(never)]
fn raw_matches(automaton: &CharwiseDoubleArrayAhoCorasick<u32>, text: &str) -> Vec<(usize, usize, u32)> {
    automaton.leftmost_find_iter(text).map(|m| (m.start(), m.end(), m.value())).collect()
}

/// Converts increasing byte offsets of a string to character indices in one pass overall.
struct CharCounter<'a> {
    text: &'a str,
    byte: usize,
    chars: u32,
}

impl<'a> CharCounter<'a> {
    fn new(text: &'a str) -> CharCounter<'a> {
        CharCounter { text, byte: 0, chars: 0 }
    }

    /// Character index of `byte` (which must not be below the previous call's).
    fn char_index(&mut self, byte: usize) -> u32 {
        if byte >= self.byte {
            let stretch = self.text.as_bytes().get(self.byte..byte).unwrap_or(&[]);
            // Counting non-continuation bytes counts characters.
            self.chars += stretch.iter().filter(|&&b| (b as i8) >= -0x40).count() as u32;
            self.byte = byte;
        }
        self.chars
    }
}

fn junk_reason(folded: &Folded) -> Option<JunkReason> {
    if folded.n_word_chars == 0 {
        return Some(JunkReason::NoContent);
    }
    if folded.n_word_chars < JUNK_MIN_CHARS {
        return Some(JunkReason::TooShort);
    }
    // Repetition: look at the first 256 word characters only; a long text that starts with
    // real content is not junk, and this keeps the check constant-time.
    let mut seen: Vec<(char, u32)> = Vec::with_capacity(8);
    let mut n = 0u32;
    for c in folded.text.chars().filter(|&c| crate::fold::class_of(c) == crate::fold::Class::Word).take(256) {
        n += 1;
        match seen.iter_mut().find(|(s, _)| *s == c) {
            Some((_, count)) => *count += 1,
            None => {
                if seen.len() > 8 {
                    return None; // many distinct characters: not repetition
                }
                seen.push((c, 1));
            }
        }
    }
    let top = seen.iter().map(|&(_, count)| count).max().unwrap_or(0);
    if seen.len() <= 2 || top * 10 >= n * 6 {
        return Some(JunkReason::Repeated);
    }
    None
}

/// The category with the highest total severity among the hits; ties go to the higher single
/// severity, then to the category listed first.
fn suggest_category(hits: &[FoldedHit], categories: &[Arc<str>]) -> Option<String> {
    let mut totals: Vec<(u32, u8)> = vec![(0, 0); categories.len()];
    for hit in hits {
        if hit.rule.category == NO_CATEGORY {
            continue;
        }
        if let Some(total) = totals.get_mut(usize::from(hit.rule.category)) {
            total.0 += u32::from(hit.rule.severity);
            total.1 = total.1.max(hit.rule.severity);
        }
    }
    let mut best: Option<(usize, (u32, u8))> = None;
    for (idx, &total) in totals.iter().enumerate() {
        if total.0 > 0 && best.is_none_or(|(_, b)| total > b) {
            best = Some((idx, total));
        }
    }
    best.and_then(|(idx, _)| categories.get(idx).map(|code| code.to_string()))
}

fn priority(hits: &[FoldedHit], junk: bool, other_findings: bool) -> Priority {
    // A self-harm or violence cue goes first even in a junk-looking text: never bury it.
    if hits.iter().any(|h| h.rule.flags.urgent) {
        return Priority::Urgent;
    }
    // Junk only lowers the priority of a text in which nothing was found.
    if junk && hits.is_empty() {
        return Priority::Low;
    }
    if hits.iter().any(|h| h.rule.severity >= 4) {
        return Priority::High;
    }
    if !hits.is_empty() || other_findings { Priority::Normal } else { Priority::Low }
}
