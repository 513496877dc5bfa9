//! Request and answer bodies of the refutation routes (editor, public, partners), shared by the
//! worker and the app. README.md ("Refutations API") lists the routes.

use serde::{Deserialize, Serialize};

use crate::error::ErrorCode;
use crate::taxonomy::{District, Taxonomy};

use super::{
    Block, Refutation, RefutationAction, RefutationContent, RefutationEventKind, RefutationId, RefutationStatus,
    Source, Verdict, rfc3339_utc,
};

/// How long the description in heads, feeds and summaries may be, in characters.
pub const DESCRIPTION_CHARS: usize = 120;

// ---- Editor (console) ----

/// `PUT /api/staff/refutations/{id}`: new content for a draft or unpublished refutation, or, with a
/// `note`, an update of a published one.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateRefutation {
    /// The revision the editor loaded; a newer one stored means someone else saved (409).
    pub revision: u32,
    /// The whole content (not a patch).
    pub content: RefutationContent,
    /// Required when the refutation is published: what changed, shown to readers.
    #[serde(default)]
    pub note: Option<String>,
}

/// `POST /api/staff/refutations/{id}/publish`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishRefutation {
    /// The revision the editor previewed: exactly that text is published.
    pub revision: u32,
}

/// `POST /api/staff/refutations/{id}/unpublish`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnpublishRefutation {
    /// The revision the editor saw.
    pub revision: u32,
    /// Why it is withdrawn (staff-only).
    pub reason: String,
}

/// A field that stops a draft from being published.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// The field, as in the request (`authority`, `body`).
    pub field: String,
    /// Why.
    pub error: ErrorCode,
}

/// Answer of every editor route that returns one refutation.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffRefutation {
    /// The refutation, with staff-only fields (status, revision, case ids, unpublish reason).
    pub refutation: Refutation,
    /// What this user may do now, in button order.
    pub allowed_actions: Vec<RefutationAction>,
    /// The first field that stops publishing, if any.
    #[serde(default)]
    pub problem: Option<Problem>,
}

/// One line of `GET /api/staff/refutations`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffRefutationSummary {
    /// The id.
    pub id: RefutationId,
    /// Where it stands.
    pub status: RefutationStatus,
    /// The title (may be empty in a draft).
    pub title: String,
    /// The verdict code.
    #[serde(default)]
    pub verdict: Option<String>,
    /// The current revision.
    pub revision: u32,
    /// When anything last changed.
    pub updated_at: i64,
    /// When it was first published.
    #[serde(default)]
    pub published_at: Option<i64>,
}

/// `GET /api/staff/refutations` answer: most recently changed first.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffRefutationList {
    /// One page.
    pub items: Vec<StaffRefutationSummary>,
    /// Pass as `after` for the next page; absent on the last.
    #[serde(default)]
    pub next: Option<String>,
}

/// One audit record in `GET /api/staff/refutations/{id}/history`, oldest first.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefutationHistoryEntry {
    /// What happened.
    pub kind: RefutationEventKind,
    /// `staff:<id>`.
    pub actor: String,
    /// The actor's display name.
    pub actor_name: String,
    /// The update note or unpublish reason.
    #[serde(default)]
    pub note: Option<String>,
    /// The revision after the change.
    pub revision: u32,
    /// The status after the change.
    pub status: RefutationStatus,
    /// When.
    pub at: i64,
    /// The content of that revision.
    pub content: RefutationContent,
}

/// `GET /api/staff/refutations/{id}/history` answer.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefutationHistory {
    /// Every change, oldest first.
    pub events: Vec<RefutationHistoryEntry>,
}

/// What crawlers and chat apps get in the article page's `<head>`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleHead {
    /// `<title>`.
    pub title: String,
    /// `<meta name=description>` and `og:description`.
    pub description: String,
    /// `<link rel=canonical>` and `og:url`.
    pub canonical_url: String,
    /// The schema.org `ClaimReview` JSON-LD, as it is embedded.
    pub json_ld: String,
}

/// `GET /api/staff/refutations/{id}/preview` answer: exactly what publishing this revision would
/// show — the public JSON and the article page's head.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefutationPreview {
    /// The revision previewed; pass it to publish.
    pub revision: u32,
    /// As `GET /api/refutations/{id}` would answer; absent while the draft has no verdict.
    #[serde(default)]
    pub article: Option<PublicRefutation>,
    /// As the article URL's HTML head would carry; absent with `article`.
    #[serde(default)]
    pub head: Option<ArticleHead>,
    /// The first field that stops publishing, if any.
    #[serde(default)]
    pub problem: Option<Problem>,
}

// ---- Public ----

/// A published refutation as everyone may read it (`GET /api/refutations/{id}`). Linked cases and
/// the audit trail are never part of it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicRefutation {
    /// The id.
    pub id: RefutationId,
    /// The article's absolute address.
    pub url: String,
    /// The headline.
    pub title: String,
    /// The claim as it circulated.
    pub claim: String,
    /// Where the claim was seen.
    #[serde(default)]
    pub claim_url: Option<String>,
    /// The verdict with its names and rating.
    pub verdict: Verdict,
    /// The truth, block by block.
    pub body: Vec<Block>,
    /// The sources.
    pub sources: Vec<Source>,
    /// The issuing authority.
    pub authority: String,
    /// The region, with its names.
    #[serde(default)]
    pub region: Option<District>,
    /// Tags.
    pub tags: Vec<String>,
    /// A one-line summary.
    pub description: String,
    /// When first published.
    pub published_at: i64,
    /// When the published text was last updated.
    #[serde(default)]
    pub revised_at: Option<i64>,
    /// What that update changed.
    #[serde(default)]
    pub update_note: Option<String>,
}

impl PublicRefutation {
    /// The public view of `r` (published or, for the preview, about to be), with absolute addresses
    /// under `origin` (`https://example.gov.cn`). `None` when its verdict is not in `verdicts` (the
    /// content was validated against them, so only a removed verdict leads here).
    pub fn build(
        r: &Refutation,
        verdicts: &[Verdict],
        taxonomy: &Taxonomy,
        origin: &str,
        now: i64,
    ) -> Option<PublicRefutation> {
        let c = &r.content;
        let verdict = verdicts.iter().find(|v| Some(&v.code) == c.verdict.as_ref())?.clone();
        Some(PublicRefutation {
            id: r.id,
            url: format!("{origin}/refutations/{}", r.id),
            title: c.title.clone(),
            claim: c.claim.clone(),
            claim_url: c.claim_url.clone(),
            verdict,
            body: c.body.clone(),
            sources: c.sources.clone(),
            authority: c.authority.clone(),
            region: c.region.as_deref().and_then(|code| taxonomy.district(code)).cloned(),
            tags: c.tags.clone(),
            description: c.description(DESCRIPTION_CHARS),
            published_at: r.published_at.unwrap_or(now),
            revised_at: r.revised_at,
            update_note: r.revised_at.and(r.update_note.clone()),
        })
    }

    /// The summary the list and feeds use.
    pub fn summary(&self) -> PublicRefutationSummary {
        PublicRefutationSummary {
            id: self.id,
            url: self.url.clone(),
            title: self.title.clone(),
            claim: self.claim.clone(),
            verdict: self.verdict.clone(),
            authority: self.authority.clone(),
            region: self.region.clone(),
            tags: self.tags.clone(),
            description: self.description.clone(),
            published_at: self.published_at,
            revised_at: self.revised_at,
        }
    }

    /// `date_published` in RFC 3339.
    pub fn published_rfc3339(&self) -> String {
        rfc3339_utc(self.published_at)
    }

    /// The last change readers saw, in RFC 3339: the update, else the publication.
    pub fn modified_rfc3339(&self) -> String {
        rfc3339_utc(self.revised_at.unwrap_or(self.published_at))
    }
}

/// One line of `GET /api/refutations`: everything but the body and sources.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicRefutationSummary {
    /// The id.
    pub id: RefutationId,
    /// The article's absolute address.
    pub url: String,
    /// The headline.
    pub title: String,
    /// The claim.
    pub claim: String,
    /// The verdict.
    pub verdict: Verdict,
    /// The issuing authority.
    pub authority: String,
    /// The region.
    #[serde(default)]
    pub region: Option<District>,
    /// Tags.
    pub tags: Vec<String>,
    /// A one-line summary.
    pub description: String,
    /// When first published.
    pub published_at: i64,
    /// When last updated.
    #[serde(default)]
    pub revised_at: Option<i64>,
}

/// `GET /api/refutations` and `GET /api/refutations/latest` answer: newest first.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefutationPage {
    /// One page.
    pub items: Vec<PublicRefutationSummary>,
    /// Pass as `after` for the next page; absent on the last.
    #[serde(default)]
    pub next: Option<String>,
}

/// A tag in use, for the filter chips (`GET /api/refutations/tags`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagCount {
    /// The tag.
    pub tag: String,
    /// Published refutations carrying it.
    pub count: u32,
}

/// `GET /api/refutations/verdicts` answer: the deployment's verdicts, worst rating first (the
/// editor's choice list).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerdictList {
    /// The verdicts.
    pub verdicts: Vec<Verdict>,
}

/// `GET /api/refutations/tags` answer, most used first.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagList {
    /// The tags.
    pub tags: Vec<TagCount>,
}

/// `GET /api/refutations/match` answer.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchList {
    /// Published refutations whose claim is close to the fingerprint, closest first (at most 3).
    pub matches: Vec<RefutationMatch>,
}

/// A published refutation close to a report's text, on the staff case view ("already refuted").
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefutationMatch {
    /// The refutation.
    pub id: RefutationId,
    /// Its title.
    pub title: String,
    /// Differing bits of the two 64-bit fingerprints.
    pub distance: u32,
    /// `100 × (1 - distance / 64)`, rounded down.
    pub similarity_percent: u8,
}

// ---- Partners ----

/// `POST /api/staff/partners`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewPartner {
    /// The partner's name.
    pub name: String,
    /// Its webhook address (`https://`).
    pub url: String,
}

/// A registered partner.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Partner {
    /// The id.
    pub id: i64,
    /// The name.
    pub name: String,
    /// The webhook address.
    pub url: String,
    /// Whether pushes go to it.
    pub active: bool,
    /// Who registered it (`staff:<id>`).
    pub created_by: String,
    /// When.
    pub created_at: i64,
}

/// `POST /api/staff/partners` answer: the signing secret is shown this once.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerCreated {
    /// The partner.
    pub partner: Partner,
    /// The HMAC-SHA256 key for checking `x-qinglang-signature`; never shown again.
    pub secret: String,
}

/// `GET /api/staff/partners` answer.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerList {
    /// Every partner, newest first.
    pub partners: Vec<Partner>,
}

/// Where a delivery stands.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Not yet tried, or waiting for its next attempt.
    Pending,
    /// The partner answered 2xx.
    Delivered,
    /// Every attempt failed.
    Failed,
}

impl DeliveryStatus {
    /// The snake_case name stored in D1.
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => "pending",
            DeliveryStatus::Delivered => "delivered",
            DeliveryStatus::Failed => "failed",
        }
    }
}

/// One push to one partner.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    /// The id (also sent in `x-qinglang-delivery`).
    pub id: i64,
    /// `refutation.published`, `refutation.updated` or `refutation.unpublished`.
    pub event: String,
    /// The refutation.
    pub refutation_id: RefutationId,
    /// Where it stands.
    pub status: DeliveryStatus,
    /// Attempts so far.
    pub attempts: u32,
    /// The partner's last HTTP status, if it answered.
    #[serde(default)]
    pub last_status: Option<u16>,
    /// The last network error or non-2xx summary.
    #[serde(default)]
    pub last_error: Option<String>,
    /// When the next attempt is due (pending only).
    #[serde(default)]
    pub next_attempt_at: Option<i64>,
    /// When it was queued.
    pub created_at: i64,
    /// When the partner accepted it.
    #[serde(default)]
    pub delivered_at: Option<i64>,
}

/// `GET /api/staff/partners/{id}/deliveries` answer, newest first.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryList {
    /// The deliveries.
    pub deliveries: Vec<Delivery>,
}

/// The JSON a partner receives.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushPayload {
    /// `refutation.published`, `refutation.updated` or `refutation.unpublished`.
    pub event: String,
    /// The refutation.
    pub refutation_id: RefutationId,
    /// Its revision after the change.
    pub revision: u32,
    /// The article's address.
    pub url: String,
    /// When the change happened, RFC 3339.
    pub occurred_at: String,
    /// The refutation as published; absent for `refutation.unpublished`.
    #[serde(default)]
    pub refutation: Option<PublicRefutation>,
}

/// The push event name of an audit kind that changes public output.
pub fn push_event_name(kind: RefutationEventKind) -> Option<&'static str> {
    match kind {
        RefutationEventKind::Published => Some("refutation.published"),
        RefutationEventKind::Updated => Some("refutation.updated"),
        RefutationEventKind::Unpublished => Some("refutation.unpublished"),
        RefutationEventKind::Created | RefutationEventKind::Saved => None,
    }
}
