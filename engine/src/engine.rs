//! The engine: a loaded rule pack and the `screen` pipeline (fold → match → PII → links →
//! suggest, and the fingerprint when asked for).
//!
//! *Architecture invariant:* screening never fails and never does I/O; an `Engine` is
//! immutable after loading, so the worker can keep one per isolate and share it.

use std::sync::{Arc, OnceLock};

use crate::automaton::{self, Automaton};
use crate::fold::{FoldSink, FoldSummary, fold_into_with};
use crate::pack::{
    CompileError, CompileOptions, HashedTier, LoadedPack, NO_CATEGORY, PackError, PackKind, Rule, VALUE_LEN_BITS,
    compile, load,
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
    /// Standard (overlapping) automaton; values are `rule << 7 | length in characters`.
    automaton: Option<Automaton>,
    /// Longest spelling in the automaton, in characters (≤ 64).
    longest: u32,
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

/// A dictionary hit, in folded coordinates (for merging) and original ones (for reporting).
struct FoldedHit {
    start: u32,
    end: u32,
    orig_start: u32,
    orig_end: u32,
    term: Arc<str>,
    rule: Rule,
}

impl Engine {
    /// Loads a rule pack (server or browser) produced by [`compile`].
    pub fn from_pack(bytes: &[u8]) -> Result<Engine, PackError> {
        let LoadedPack { kind, version, categories, rules, automaton, longest, hashed } = load(bytes)?;
        let categories = categories.into_iter().map(Arc::from).collect();
        let mut terms = Vec::with_capacity(rules.len());
        terms.resize_with(rules.len(), OnceLock::new);
        Ok(Engine { kind, version, categories, rules, terms, automaton, longest, hashed })
    }

    /// An engine with no terms, reporting `version` as its rule-pack version: screening still
    /// finds personal data and links and judges junk. The same as [`Engine::from_tsv`] of a list
    /// with only its header, but without the compiler, so a module that only needs this (the
    /// browser bundle before its pack has loaded) does not ship the TSV parser and the
    /// automaton builder.
    pub fn without_terms(version: &str) -> Engine {
        Engine {
            kind: PackKind::Server,
            version: version.to_string(),
            categories: Vec::new(),
            rules: Vec::new(),
            terms: Vec::new(),
            automaton: None,
            longest: 0,
            hashed: None,
        }
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

    /// Number of leftmost-longest automaton matches in `text` as is (no folding, allow-list
    /// entries counted too): lets the benchmark separate the automaton from the rest of the
    /// pipeline.
    #[doc(hidden)]
    pub fn raw_match_count(&self, text: &str) -> usize {
        let mut folded = FoldedText::new(self, text.len());
        text.chars().zip(0u32..).for_each(|(c, i)| folded.add(c, i));
        let window = self.resolve(&folded, false);
        window.n_counted + window.allowed.len()
    }

    /// Screens a text. Never fails: any text, however odd, gets a result.
    ///
    /// One pass over the text folds it, keeping each folded character with its original index
    /// and its code in the automaton's alphabet; the automaton then walks the codes (two walks
    /// side by side, see [`Automaton::overlapping`]) and a window resolves its overlapping
    /// matches to leftmost-longest hits with their original offsets.
    ///
    /// The near-duplicate fingerprint is *not* computed (`fingerprint` is `None`): it costs about
    /// as much per character as the folding, and the pre-screen while typing does not need it.
    /// Callers that store it use [`Engine::screen_with_fingerprint`] (the same pass plus the
    /// SimHash), or [`crate::fingerprint`] on its own.
    pub fn screen(&self, text: &str) -> Screening {
        self.screen_inner::<false>(text)
    }

    /// [`Engine::screen`] with `fingerprint` filled in (equal to [`crate::fingerprint`] of the
    /// text), in the same pass: what the worker stores with every report.
    pub fn screen_with_fingerprint(&self, text: &str) -> Screening {
        self.screen_inner::<true>(text)
    }

    fn screen_inner<const FINGERPRINT: bool>(&self, text: &str) -> Screening {
        let mut folded = FoldedText::new(self, text.len());
        let summary = fold_into_with::<FINGERPRINT, _>(text, &mut folded);
        let Window { mut hits, allowed, .. } = self.resolve(&folded, true);
        if let Some(tier) = &self.hashed {
            let hashed = self.find_hashed(tier, &folded.chars, &folded.origs, &allowed);
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

        let junk_reason = junk_reason(&summary);
        let category = suggest_category(&hits, &self.categories);
        // PII and links live in the ASCII runs only; a text without any skips both scanners.
        let mut pii = Vec::new();
        let mut links = Vec::new();
        if !summary.ascii_runs.is_empty() {
            pii::scan(&summary.ascii_runs, &mut pii);
            links::scan(&summary.ascii_runs, &mut links);
        }
        let priority = priority(&hits, junk_reason.is_some(), !pii.is_empty() || !links.is_empty());
        let matches = hits
            .into_iter()
            .map(|hit| TermMatch {
                term: hit.term,
                category: self.category(hit.rule.category),
                severity: hit.rule.severity,
                start: hit.orig_start,
                end: hit.orig_end,
                protected: hit.rule.flags.protected,
                urgent: hit.rule.flags.urgent,
            })
            .collect();

        Screening {
            matches,
            pii,
            links,
            category,
            priority,
            junk: junk_reason.is_some(),
            junk_reason,
            fingerprint: FINGERPRINT.then_some(summary.fingerprint),
            engine_version: ENGINE_VERSION.to_string(),
            rule_pack_version: self.version.clone(),
        }
    }

    /// The leftmost-longest hits of the folded text: the automaton's overlapping matches
    /// (two walks side by side, see [`Automaton::overlapping`]) resolved by a [`Window`].
    fn resolve<'a>(&'a self, folded: &'a FoldedText<'a>, resolve_terms: bool) -> Window<'a> {
        let mut window = Window::new(self, folded, resolve_terms);
        let codes = folded.codes();
        let mut ends = Vec::with_capacity(codes.len() / 8 + 8);
        folded.automaton.overlapping(&codes, window.longest as usize, &mut ends);
        if resolve_terms {
            self.touch_terms(folded.automaton, &ends);
        }
        for &(end, first) in &ends {
            // Every start before end - longest is final: no match ending at `end` or later
            // reaches back past it.
            window.decide(end.saturating_sub(window.longest));
            let mut output = first;
            while output != 0 {
                let (value, next) = folded.automaton.output(output);
                window.candidate(output, value, end);
                output = next;
            }
        }
        window.decide(codes.len() as u32);
        window
    }

    /// Reads the cached spelling of each matched rule once, in a loop of independent loads
    /// before the hits are taken: on a large list each is a cache miss (the rule's cell, then
    /// the string with its reference count), and the processor overlaps independent misses
    /// where taking the hits one by one would wait for each in turn.
    fn touch_terms(&self, automaton: &Automaton, ends: &[(u32, u32)]) {
        let mut touched = 0u8;
        for &(_, output) in ends {
            let (value, _) = automaton.output(output);
            if let Some(term) = self.terms.get((value >> VALUE_LEN_BITS) as usize).and_then(OnceLock::get) {
                touched ^= term.as_bytes().first().copied().unwrap_or(0);
            }
        }
        std::hint::black_box(touched);
    }

    fn category(&self, idx: u8) -> Arc<str> {
        self.categories.get(usize::from(idx)).cloned().unwrap_or_else(|| Arc::from(""))
    }

    /// The `term` of a hit of rule `rule_idx` whose folded text is `matched`: the rule's cached
    /// spelling when it is the same, else a fresh allocation. Only a `digits` rule has several
    /// spellings (`TermEntry::spellings`), so only its hits need the full comparison; for the
    /// others the cache is right by construction. `matched` is only called when needed.
    fn shared_term(&self, rule_idx: u32, rule: Rule, matched: impl Fn() -> String) -> Arc<str> {
        match self.terms.get(rule_idx as usize) {
            Some(cell) => {
                let cached = cell.get_or_init(|| Arc::from(matched()));
                if !rule.flags.digits {
                    return Arc::clone(cached);
                }
                let matched = matched();
                if **cached == *matched { Arc::clone(cached) } else { Arc::from(matched) }
            }
            None => Arc::from(matched()),
        }
    }

    /// Protected terms of a browser pack: every window whose length some protected spelling
    /// has is hashed and looked up. Leftmost-longest, non-overlapping, allow-list applied.
    /// `chars` is the folded text and `origs[i]` the original index of `chars[i]`.
    fn find_hashed(&self, tier: &HashedTier, chars: &[char], origs: &[u32], allowed: &[(u32, u32)]) -> Vec<FoldedHit> {
        let longest = tier.longest() as usize;
        let n_chars = chars.len();
        let mut hits = Vec::new();
        // UTF-8 of the window being hashed (at most 64 characters of 4 bytes).
        let mut utf8 = [0u8; 4 * crate::rules::MAX_TERM_CHARS];
        let mut start = 0;
        while start < n_chars {
            let mut best: Option<(usize, (u32, Rule))> = None;
            let mut quick = 0u32;
            let window_chars = chars.get(start..(start + longest).min(n_chars)).unwrap_or(&[]);
            // The first `n_encoded` characters of the window are in `utf8[..n_bytes]`: encoded
            // only once some window passes the filter, and each character only once.
            let (mut n_encoded, mut n_bytes) = (0, 0);
            for (len, &c) in (1..).zip(window_chars) {
                quick = HashedTier::quick_step(quick, c);
                // Most windows stop at the length mask or the filter: no SipHash for them.
                if tier.length_mask >> (len - 1) & 1 == 0 || !tier.filter_has(quick) {
                    continue;
                }
                for &w in window_chars.get(n_encoded..len).unwrap_or(&[]) {
                    n_bytes += w.encode_utf8(utf8.get_mut(n_bytes..).unwrap_or(&mut [])).len();
                }
                n_encoded = len;
                let digest = HashedTier::digest_utf8(&tier.key, utf8.get(..n_bytes).unwrap_or(&[]));
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
                        let matched = chars.get(start..start + len).unwrap_or(&[]);
                        hits.push(FoldedHit {
                            start: s,
                            end: e,
                            orig_start: origs.get(start).copied().unwrap_or(0),
                            orig_end: origs.get(start + len - 1).map_or(0, |&o| o + 1),
                            term: self.shared_term(rule_idx, rule, || matched.iter().collect()),
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

/// The folded text: each folded character and the original index it came from.
struct FoldedText<'a> {
    automaton: &'a Automaton,
    chars: Vec<char>,
    origs: Vec<u32>,
}

impl<'a> FoldedText<'a> {
    fn new(engine: &'a Engine, capacity: usize) -> FoldedText<'a> {
        FoldedText {
            automaton: engine.automaton.as_ref().unwrap_or(&automaton::EMPTY),
            chars: Vec::with_capacity(capacity),
            origs: Vec::with_capacity(capacity),
        }
    }

    #[inline(always)]
    fn add(&mut self, c: char, orig: u32) {
        self.chars.push(c);
        self.origs.push(orig);
    }

    /// Every folded character's code in the automaton's alphabet, looked up once the text is
    /// folded: a loop of independent table reads (the table spans the CJK block, beyond the
    /// first-level cache), which the processor overlaps where one read per step of the folder's
    /// longer loop would not. The walk then reads only codes.
    fn codes(&self) -> Vec<u32> {
        self.chars.iter().map(|&c| self.automaton.code(c)).collect()
    }
}

impl FoldSink for &mut FoldedText<'_> {
    #[inline(never)]
    fn push(&mut self, c: char, orig: u32) {
        self.add(c, orig);
    }

    #[inline(always)]
    fn push_ideograph(&mut self, c: char, orig: u32) {
        self.add(c, orig);
    }
}

/// Slots for candidates, by start: more than twice the longest spelling (64), a power of two.
const RING: usize = 128;
const RING_MASK: u32 = RING as u32 - 1;

/// Resolves the overlapping matches of a standard automaton, fed in order of end, to
/// leftmost-longest hits, the way a leftmost-longest automaton over the whole folded text would
/// (that is what the allow-list rule relies on: an allow-listed word that contains a listed
/// term starts at or before it, so it wins and the term inside is never reported — 三黄片
/// hides 黄片, 路口交通 hides 口交).
///
/// Every match is a candidate for its start; per start only the longest is kept (later matches
/// end later, so they replace). A candidate is final once no match still to come can start at
/// or before it: every later match ends at or after the current end and is at most `longest`
/// characters long. Final candidates are taken in order of start; one that overlaps the
/// previous hit is never recorded. Candidates live in a ring of [`RING`] slots by start; a
/// slot is valid only if it is tagged with the start it stands for, so nothing is ever cleared.
struct Window<'a> {
    engine: &'a Engine,
    folded: &'a FoldedText<'a>,
    longest: u32,
    /// Whether to build hits (with term strings) or only count them.
    resolve_terms: bool,
    /// Next start not yet decided: every candidate starting before it was taken or dropped.
    scan: u32,
    /// Per start (mod RING): the start the slot holds a candidate for (`u32::MAX`: none yet).
    slot_start: [u32; RING],
    /// Per start (mod RING): the automaton output (1 + index) of the longest candidate.
    slot_output: [u32; RING],
    /// Per start (mod RING): end of that candidate.
    slot_end: [u32; RING],
    hits: Vec<FoldedHit>,
    /// Spans of allow-list entries that won (for the browser pack's hashed tier).
    allowed: Vec<(u32, u32)>,
    /// Hits counted without building them (`resolve_terms == false`).
    n_counted: usize,
}

impl<'a> Window<'a> {
    fn new(engine: &'a Engine, folded: &'a FoldedText<'a>, resolve_terms: bool) -> Window<'a> {
        Window {
            engine,
            folded,
            longest: engine.longest.max(1),
            resolve_terms,
            scan: 0,
            slot_start: [u32::MAX; RING],
            slot_output: [0; RING],
            slot_end: [0; RING],
            hits: Vec::with_capacity(16),
            allowed: Vec::new(),
            n_counted: 0,
        }
    }

    /// Takes or drops the candidates starting before `frontier`, in order of start.
    fn decide(&mut self, frontier: u32) {
        while self.scan < frontier {
            let slot = (self.scan & RING_MASK) as usize;
            if self.slot_start[slot] == self.scan {
                self.take(slot);
            } else {
                self.scan += 1;
            }
        }
    }

    /// Records the match of automaton output `output` (with value `value`) ending at `end` as
    /// the candidate for its start.
    fn candidate(&mut self, output: u32, value: u32, end: u32) {
        let len = value & ((1 << VALUE_LEN_BITS) - 1);
        // A length the pack cannot have had (a corrupted pack) is ignored, never trusted.
        if len == 0 || len > end || len > self.longest {
            return;
        }
        let start = end - len;
        if start < self.scan {
            return; // overlaps a hit already taken
        }
        // Matches arrive in order of end, so a later one for the same start is longer.
        let slot = (start & RING_MASK) as usize;
        self.slot_start[slot] = start;
        self.slot_output[slot] = output;
        self.slot_end[slot] = end;
    }

    /// Takes the candidate in `slot`, which starts at `scan`: the leftmost, and the longest there.
    fn take(&mut self, slot: usize) {
        let (start, end, output) = (self.scan, self.slot_end[slot], self.slot_output[slot]);
        // Candidates starting inside the hit overlap it: skipped, never looked at again.
        self.scan = end;
        // The output's line was read when the match was found: no lookup in the rule table.
        let automaton = self.folded.automaton;
        let (value, _) = automaton.output(output);
        let rule_idx = value >> VALUE_LEN_BITS;
        let rule = Rule::from_word(automaton.output_rule(output));
        if rule.flags.allow {
            self.allowed.push((start, end));
            return;
        }
        if !self.resolve_terms {
            self.n_counted += 1;
            return;
        }
        let folded = self.folded;
        let span = start as usize..end as usize;
        let orig_start = folded.origs.get(span.start).copied().unwrap_or(0);
        let orig_end = folded.origs.get(span.end - 1).map_or(0, |&o| o + 1);
        let term =
            self.engine.shared_term(rule_idx, rule, || folded.chars.get(span.clone()).unwrap_or(&[]).iter().collect());
        self.hits.push(FoldedHit { start, end, orig_start, orig_end, term, rule });
    }
}

fn junk_reason(summary: &FoldSummary) -> Option<JunkReason> {
    if summary.n_word_chars == 0 {
        return Some(JunkReason::NoContent);
    }
    if summary.n_word_chars < JUNK_MIN_CHARS {
        return Some(JunkReason::TooShort);
    }
    summary.repetitive.then_some(JunkReason::Repeated)
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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use daachorse::{CharwiseDoubleArrayAhoCorasickBuilder, MatchKind};

    /// `without_terms` screens exactly like an engine compiled from an empty list (the browser
    /// bundle uses it before its pack loads, so that it need not ship the compiler).
    #[test]
    fn without_terms_is_an_empty_list() {
        let compiled = Engine::from_tsv("term\tcategory\tseverity\tflags\n", "none").unwrap();
        let bare = Engine::without_terms("none");
        for text in [
            "加我13812345678，网址 https://t.cn/abc 赌博",
            "哈哈哈哈哈哈",
            "",
            "邮箱 a.b@example.com 身份证110101199003071234",
        ] {
            let mut expected = compiled.screen_with_fingerprint(text);
            expected.rule_pack_version = "none".to_string();
            assert_eq!(bare.screen_with_fingerprint(text), expected, "{text}");
        }
    }

    use super::*;

    /// The window over the standard automaton gives exactly daachorse's own leftmost-longest
    /// matches (allow-list entries removed afterwards), on dense random terms that overlap a lot,
    /// in texts short enough for one walk of the automaton and long enough for two.
    #[test]
    fn window_equals_leftmost_longest() {
        let alphabet: Vec<char> = "赌博网站刷单返利黄片三口交路通".chars().collect();
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for round in 0..40 {
            let mut terms: Vec<(String, bool)> = Vec::new();
            while terms.len() < 25 {
                let len = 1 + next(5);
                let term: String = (0..len).map(|_| alphabet[next(alphabet.len())]).collect();
                if !terms.iter().any(|(t, _)| *t == term) {
                    terms.push((term, next(4) == 0));
                }
            }
            let mut tsv = String::from("term\tcategory\tseverity\tflags\n");
            for (term, allow) in &terms {
                tsv.push_str(&if *allow { format!("{term}\t-\t-\tallow\n") } else { format!("{term}\tfraud\t3\t\n") });
            }
            let engine = Engine::from_tsv(&tsv, "t").unwrap();
            let reference = CharwiseDoubleArrayAhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .build_with_values(terms.iter().map(|(t, allow)| (t.as_str(), *allow)))
                .unwrap();
            let text: String = (0..[200, 300, 777, 1500][round % 4]).map(|_| alphabet[next(alphabet.len())]).collect();
            let char_of = |byte: usize| text[..byte].chars().count() as u32;
            let expected: Vec<(u32, u32)> = reference
                .leftmost_find_iter(&text)
                .filter(|m| !m.value())
                .map(|m| (char_of(m.start()), char_of(m.end())))
                .collect();
            let found: Vec<(u32, u32)> = engine.screen(&text).matches.iter().map(|m| (m.start, m.end)).collect();
            assert_eq!(found, expected, "round {round}, text {text}");
            let all = reference.leftmost_find_iter(&text).count();
            assert_eq!(engine.raw_match_count(&text), all, "round {round}");
        }
    }
}
