//! The refutation editor (`/admin/refutations…`, editors and admins) and the partner sites
//! (`/admin/partners`): the list with drafts, the edit form, a preview rendered by the reader's own
//! article component (so it is exactly what readers will see), publish, update with a note,
//! unpublish with a reason, the audit history, and partners with their deliveries.
//!
//! The form edits text the way editors type it — one paragraph per line, one source per line — and
//! [`Form`] turns it into the API's `RefutationContent` and back; the worker validates everything
//! again and its refusals name the field, which the form shows next to the buttons.

use leptos::prelude::*;
use qinglang_domain::refutation::api::{
    DeliveryList, DeliveryStatus, NewPartner, PartnerCreated, PartnerList, PublishRefutation, RefutationHistory,
    RefutationPreview, StaffRefutation, StaffRefutationList, UnpublishRefutation, UpdateRefutation, VerdictList,
};
use qinglang_domain::refutation::{
    Block, RefutationAction, RefutationContent, RefutationEventKind, RefutationStatus, Source,
};

use qinglang_domain::ErrorCode;

use super::api::{self, ApiFailure};
use super::ct;
use super::i18n::Text;
use crate::components::article::{Article, date};
use crate::i18n::fill;
use crate::nav::nav;
use crate::state;

/// The editor's pages, by the address below `/admin`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditorRoute {
    /// `/admin/refutations`.
    List,
    /// `/admin/refutations/new`.
    New,
    /// `/admin/refutations/{id}`.
    Edit(i64),
    /// `/admin/partners`.
    Partners,
}

impl EditorRoute {
    /// The route of the path segments after `/admin/`, if it is an editor page.
    pub fn parse(segments: &[&str]) -> Option<EditorRoute> {
        match segments {
            ["refutations"] => Some(EditorRoute::List),
            ["refutations", "new"] => Some(EditorRoute::New),
            ["refutations", id] => id.parse().ok().filter(|n| *n > 0).map(EditorRoute::Edit),
            ["partners"] => Some(EditorRoute::Partners),
            _ => None,
        }
    }
}

/// The page for an editor route.
pub fn page(route: EditorRoute) -> AnyView {
    match route {
        EditorRoute::List => view! { <RefutationList/> }.into_any(),
        EditorRoute::New => view! { <Editor id=None/> }.into_any(),
        EditorRoute::Edit(id) => view! { <Editor id=Some(id)/> }.into_any(),
        EditorRoute::Partners => view! { <Partners/> }.into_any(),
    }
}

fn status_text(status: RefutationStatus) -> Text {
    match status {
        RefutationStatus::Draft => Text::StatusDraft,
        RefutationStatus::Published => Text::StatusPublished,
        RefutationStatus::Unpublished => Text::StatusUnpublished,
    }
}

/// The form's fields as the editor types them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Form {
    /// Title.
    pub title: String,
    /// Claim.
    pub claim: String,
    /// Claim address.
    pub claim_url: String,
    /// Verdict code ("" for none).
    pub verdict: String,
    /// Body, one block per line.
    pub body: String,
    /// Sources, `title url` per line.
    pub sources: String,
    /// Authority.
    pub authority: String,
    /// District code ("" for none).
    pub region: String,
    /// Tags, space-separated.
    pub tags: String,
    /// Case ids, space-separated.
    pub cases: String,
}

const IMAGE_MARK: &str = "[图片]";

fn is_address(word: &str) -> bool {
    word.starts_with("https://") || word.starts_with("http://")
}

impl Form {
    /// The form showing `c`.
    pub fn from_content(c: &RefutationContent) -> Form {
        let body = c
            .body
            .iter()
            .map(|b| match b {
                Block::Paragraph { text } => text.replace('\n', " "),
                Block::Link { text, url } if text.is_empty() => url.clone(),
                Block::Link { text, url } => format!("{url} {text}"),
                Block::Image { url, alt } => format!("{IMAGE_MARK} {url} {alt}").trim_end().to_owned(),
            })
            .collect::<Vec<_>>()
            .join("\n");
        Form {
            title: c.title.clone(),
            claim: c.claim.clone(),
            claim_url: c.claim_url.clone().unwrap_or_default(),
            verdict: c.verdict.clone().unwrap_or_default(),
            body,
            sources: c.sources.iter().map(|s| format!("{} {}", s.title, s.url)).collect::<Vec<_>>().join("\n"),
            authority: c.authority.clone(),
            region: c.region.clone().unwrap_or_default(),
            tags: c.tags.join(" "),
            cases: c.case_ids.iter().map(i64::to_string).collect::<Vec<_>>().join(" "),
        }
    }

    /// The content to send. Shapes only: the worker checks every value. A case id that is not a
    /// number is sent as 0, which the worker refuses with the field's name.
    pub fn to_content(&self) -> RefutationContent {
        let some = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let body = self
            .body
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|line| {
                let (first, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
                if first == IMAGE_MARK {
                    let (url, alt) = rest.trim().split_once(char::is_whitespace).unwrap_or((rest.trim(), ""));
                    Block::Image { url: url.to_owned(), alt: alt.trim().to_owned() }
                } else if is_address(first) {
                    Block::Link { url: first.to_owned(), text: rest.trim().to_owned() }
                } else {
                    Block::Paragraph { text: line.to_owned() }
                }
            })
            .collect();
        let sources = self
            .sources
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|line| match line.rsplit_once(char::is_whitespace) {
                Some((title, url)) if is_address(url) => Source { title: title.trim().to_owned(), url: url.to_owned() },
                _ => Source { title: line.to_owned(), url: String::new() },
            })
            .collect();
        let words = |s: &str| -> Vec<String> {
            s.split(|c: char| c.is_whitespace() || matches!(c, ',' | '，' | '、'))
                .filter(|w| !w.is_empty())
                .map(str::to_owned)
                .collect()
        };
        RefutationContent {
            title: self.title.trim().to_owned(),
            claim: self.claim.trim().to_owned(),
            claim_url: some(&self.claim_url),
            verdict: some(&self.verdict),
            body,
            sources,
            authority: self.authority.trim().to_owned(),
            region: some(&self.region),
            tags: words(&self.tags),
            case_ids: words(&self.cases).iter().map(|w| w.trim_start_matches('#').parse().unwrap_or(0)).collect(),
        }
    }
}

/// `/admin/refutations`: every refutation, drafts included, most recently changed first.
#[component]
fn RefutationList() -> impl IntoView {
    let s = state();
    let nav = nav();
    let status = RwSignal::new(String::new());
    let list = RwSignal::new(None::<Result<StaffRefutationList, ApiFailure>>);
    let verdicts = crate::load(async { api::get::<VerdictList>("/api/refutations/verdicts").await });
    // The verdict's name in the page's language (its code until the list has loaded).
    let verdict_name = move |code: String| {
        move || {
            let lang = s.lang.get();
            verdicts
                .with(|v| {
                    let list = v.as_ref()?.as_ref().ok()?;
                    list.verdicts.iter().find(|v| v.code == code).map(|v| v.name(lang).to_owned())
                })
                .unwrap_or_else(|| code.clone())
        }
    };
    Effect::new(move |_| {
        let status = status.get();
        list.set(None);
        leptos::task::spawn_local(async move {
            let query = if status.is_empty() { String::new() } else { format!("?status={status}") };
            list.try_set(Some(api::get(&format!("/api/staff/refutations{query}")).await));
        });
    });
    // The next page (keyset cursor from the last answer), appended to the rows already shown.
    let more = move |after: String| {
        let status = status.get_untracked();
        leptos::task::spawn_local(async move {
            let mut query = format!("?after={}", js_sys::encode_uri_component(&after));
            if !status.is_empty() {
                query.push_str(&format!("&status={status}"));
            }
            let next: Result<StaffRefutationList, ApiFailure> =
                api::get(&format!("/api/staff/refutations{query}")).await;
            list.try_update(|l| match (l, next) {
                (Some(Ok(shown)), Ok(next)) => {
                    shown.items.extend(next.items);
                    shown.next = next.next;
                }
                (l, Err(e)) => *l = Some(Err(e)),
                _ => {}
            });
        });
    };
    view! {
        <section class="c-panel">
            <div class="row-between">
                <h1>{ct(Text::NavRefutations)}</h1>
                <button type="button" class="c-btn c-btn-primary" on:click=move |_| nav.go("/admin/refutations/new")>
                    {ct(Text::NewRefutation)}
                </button>
            </div>
            <div class="c-filters">
                <label>
                    {ct(Text::Status)}
                    <select on:change=move |ev| status.set(event_target_value(&ev))>
                        <option value="">{ct(Text::StatusAll)}</option>
                        {RefutationStatus::ALL.into_iter().map(|st| view! { <option value=st.as_str()>{ct(status_text(st))}</option> }).collect_view()}
                    </select>
                </label>
            </div>
            {move || match list.get() {
                None => view! { <p class="muted">{s.t(crate::i18n::Msg::Loading)}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e.message(s.lang.get())}</p> }.into_any(),
                Some(Ok(page)) if page.items.is_empty() => view! { <p class="c-empty muted">{ct(Text::Nothing)}</p> }.into_any(),
                Some(Ok(page)) => view! {
                    <table class="c-table">
                        <thead><tr>
                            <th>{ct(Text::Title)}</th><th>{ct(Text::Status)}</th><th>{ct(Text::Verdict)}</th><th>{ct(Text::LastChange)}</th>
                        </tr></thead>
                        <tbody>
                            {page.items.into_iter().map(|r| {
                                let title = if r.title.is_empty() { Text::Untitled.text(s.lang.get_untracked()).to_owned() } else { r.title };
                                view! {
                                    <tr>
                                        <td><a href=format!("/admin/refutations/{}", r.id)>{title}</a></td>
                                        <td><span class=format!("badge status-{}", r.status.as_str())>{ct(status_text(r.status))}</span></td>
                                        <td>{verdict_name(r.verdict.unwrap_or_default())}</td>
                                        <td>{crate::browser::format_time(r.updated_at)}" · "{move || fill(Text::Revision.text(s.lang.get()), &[("n", &r.revision.to_string())])}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                    {page.next.map(|after| view! {
                        <p><button type="button" class="c-btn" data-testid="refutations-more" on:click=move |_| more(after.clone())>{ct(Text::More)}</button></p>
                    })}
                }.into_any(),
            }}
        </section>
    }
}

/// What the editor last did, shown beside the buttons.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Idle,
    Busy,
    Done(Text),
    Failed(ApiFailure),
}

/// A text field of the form.
#[component]
fn FormField(
    form: RwSignal<Form>,
    id: &'static str,
    label: Text,
    #[prop(optional)] rows: Option<u32>,
    get: fn(&Form) -> String,
    set: fn(&mut Form, String),
) -> impl IntoView {
    let input = move |ev| {
        let v = event_target_value(&ev);
        form.update(|f| set(f, v));
    };
    view! {
        <div class="field">
            <label for=id>{ct(label)}</label>
            {match rows {
                Some(rows) => view! { <textarea id=id rows=rows prop:value=move || form.with(get) on:input=input></textarea> }.into_any(),
                None => view! { <input id=id prop:value=move || form.with(get) on:input=input/> }.into_any(),
            }}
        </div>
    }
}

/// `/admin/refutations/new` and `/admin/refutations/{id}`.
#[component]
fn Editor(id: Option<i64>) -> impl IntoView {
    let s = state();
    let nav = nav();
    let form = RwSignal::new(Form::default());
    let stored = RwSignal::new(None::<StaffRefutation>);
    let outcome = RwSignal::new(Outcome::Idle);
    let note = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let preview = RwSignal::new(None::<RefutationPreview>);
    let history = RwSignal::new(None::<RefutationHistory>);
    let verdicts = crate::load(async { api::get::<VerdictList>("/api/refutations/verdicts").await });
    // Loads the stored refutation into the form (on arrival, and when a save met a newer revision).
    let fetch = move |after: Outcome| {
        let Some(id) = id else { return };
        leptos::task::spawn_local(async move {
            match api::get::<StaffRefutation>(&format!("/api/staff/refutations/{id}")).await {
                Ok(r) => {
                    form.try_set(Form::from_content(&r.refutation.content));
                    stored.try_set(Some(r));
                    outcome.try_set(after);
                }
                Err(e) => {
                    outcome.try_set(Outcome::Failed(e));
                }
            }
        });
    };
    fetch(Outcome::Idle);
    let status = move || stored.with(|r| r.as_ref().map(|r| r.refutation.status));
    let allowed = move |action: RefutationAction| {
        stored.with(|r| match r {
            Some(r) => r.allowed_actions.contains(&action),
            None => action == RefutationAction::Save,
        })
    };
    let revision = move || stored.with_untracked(|r| r.as_ref().map_or(0, |r| r.refutation.revision));
    // Runs one call; its answer, a refutation, becomes the stored state.
    let run =
        move |done: Text,
              call: std::pin::Pin<Box<dyn std::future::Future<Output = Result<StaffRefutation, ApiFailure>>>>| {
            outcome.set(Outcome::Busy);
            leptos::task::spawn_local(async move {
                match call.await {
                    Ok(r) => {
                        let first = id.is_none();
                        let new_id = r.refutation.id;
                        preview.try_set(None);
                        history.try_set(None);
                        stored.try_set(Some(r));
                        outcome.try_set(Outcome::Done(done));
                        if first {
                            nav.go(&format!("/admin/refutations/{new_id}"));
                        }
                    }
                    Err(e) => {
                        outcome.try_set(Outcome::Failed(e));
                    }
                }
            });
        };
    let save = move |_| {
        let content = form.get_untracked().to_content();
        match id {
            None => run(Text::Saved, Box::pin(async move { api::post("/api/staff/refutations", &content).await })),
            Some(id) => {
                let published = status() == Some(RefutationStatus::Published);
                let body = UpdateRefutation {
                    revision: revision(),
                    content,
                    note: published.then(|| note.get_untracked().trim().to_owned()),
                };
                run(
                    Text::Saved,
                    Box::pin(async move { api::put(&format!("/api/staff/refutations/{id}"), &body).await }),
                );
            }
        }
    };
    let publish = move |_| {
        let Some(id) = id else { return };
        let body = PublishRefutation { revision: revision() };
        run(
            Text::StatusPublished,
            Box::pin(async move { api::post(&format!("/api/staff/refutations/{id}/publish"), &body).await }),
        );
    };
    let unpublish = move |_| {
        let Some(id) = id else { return };
        let body = UnpublishRefutation { revision: revision(), reason: reason.get_untracked().trim().to_owned() };
        run(
            Text::StatusUnpublished,
            Box::pin(async move { api::post(&format!("/api/staff/refutations/{id}/unpublish"), &body).await }),
        );
    };
    let show_preview = move |_| {
        let Some(id) = id else { return };
        leptos::task::spawn_local(async move {
            match api::get::<RefutationPreview>(&format!("/api/staff/refutations/{id}/preview")).await {
                Ok(p) => {
                    preview.try_set(Some(p));
                }
                Err(e) => {
                    outcome.try_set(Outcome::Failed(e));
                }
            }
        });
    };
    let show_history = move |_| {
        let Some(id) = id else { return };
        leptos::task::spawn_local(async move {
            match api::get::<RefutationHistory>(&format!("/api/staff/refutations/{id}/history")).await {
                Ok(h) => {
                    history.try_set(Some(h));
                }
                Err(e) => {
                    outcome.try_set(Outcome::Failed(e));
                }
            }
        });
    };
    let problem = move || {
        stored.with(|r| r.as_ref().and_then(|r| r.problem.clone())).map(|p| {
            let lang = s.lang.get();
            fill(Text::Problem.text(lang), &[("field", &p.field), ("message", p.error.message(lang))])
        })
    };
    let verdict_options = move || {
        let lang = s.lang.get();
        let current = form.with(|f| f.verdict.clone());
        verdicts.get().and_then(Result::ok).map(|list| {
            list.verdicts
                .into_iter()
                .map(|v| {
                    let selected = v.code == current;
                    view! { <option value=v.code.clone() selected=selected>{v.name(lang).to_owned()}</option> }
                })
                .collect_view()
        })
    };
    let region_options = move || {
        let lang = s.lang.get();
        let current = form.with(|f| f.region.clone());
        s.taxonomy.get().and_then(Result::ok).map(|t| {
            t.districts
                .into_iter()
                .filter(|d| d.active || d.code == current)
                .map(|d| {
                    let selected = d.code == current;
                    view! { <option value=d.code.clone() selected=selected>{d.name(lang).to_owned()}</option> }
                })
                .collect_view()
        })
    };
    view! {
        <section class="c-panel">
            <div class="row-between">
                <h1>{move || stored.with(|r| r.as_ref().map(|r| r.refutation.content.title.clone()).filter(|t| !t.is_empty()))
                    .unwrap_or_else(|| Text::NewRefutation.text(s.lang.get()).to_owned())}</h1>
                <a class="c-link" href="/admin/refutations">{ct(Text::BackToList)}</a>
            </div>
            <p class="muted small">
                {move || status().map(|st| view! { <span class=format!("badge status-{}", st.as_str())>{ct(status_text(st))}</span> })}
                " "
                {move || stored.with(|r| r.as_ref().map(|r| fill(Text::Revision.text(s.lang.get()), &[("n", &r.refutation.revision.to_string())])))}
                " "
                {move || (status() == Some(RefutationStatus::Published)).then(|| {
                    let href = format!("/refutations/{}", id.unwrap_or_default());
                    view! { <a class="c-link" href=href target="_blank" rel="noopener">{ct(Text::ViewPublic)}</a> }
                })}
            </p>
            <div class="editor-form">
                <FormField form=form id="e-title" label=Text::Title get=|f| f.title.clone() set=|f, v| f.title = v/>
                <FormField form=form id="e-claim" label=Text::ClaimField rows=3 get=|f| f.claim.clone() set=|f, v| f.claim = v/>
                <FormField form=form id="e-claim-url" label=Text::ClaimUrl get=|f| f.claim_url.clone() set=|f, v| f.claim_url = v/>
                <div class="field">
                    <label for="e-verdict">{ct(Text::Verdict)}</label>
                    <select id="e-verdict" on:change=move |ev| { let v = event_target_value(&ev); form.update(|f| f.verdict = v); }>
                        <option value="" selected=move || form.with(|f| f.verdict.is_empty())>{ct(Text::Choose)}</option>
                        {verdict_options}
                    </select>
                </div>
                <FormField form=form id="e-body" label=Text::BodyField rows=8 get=|f| f.body.clone() set=|f, v| f.body = v/>
                <p class="muted small">{ct(Text::BodyHint)}</p>
                <FormField form=form id="e-sources" label=Text::SourcesField rows=3 get=|f| f.sources.clone() set=|f, v| f.sources = v/>
                <FormField form=form id="e-authority" label=Text::AuthorityField get=|f| f.authority.clone() set=|f, v| f.authority = v/>
                <div class="field">
                    <label for="e-region">{ct(Text::RegionField)}</label>
                    <select id="e-region" on:change=move |ev| { let v = event_target_value(&ev); form.update(|f| f.region = v); }>
                        <option value="" selected=move || form.with(|f| f.region.is_empty())>{ct(Text::AnyRegion)}</option>
                        {region_options}
                    </select>
                </div>
                <FormField form=form id="e-tags" label=Text::TagsField get=|f| f.tags.clone() set=|f, v| f.tags = v/>
                <FormField form=form id="e-cases" label=Text::CasesField get=|f| f.cases.clone() set=|f, v| f.cases = v/>
                {move || (status() == Some(RefutationStatus::Published)).then(|| view! {
                    <div class="field">
                        <label for="e-note">{ct(Text::NoteField)}</label>
                        <input id="e-note" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))/>
                    </div>
                })}
            </div>
            <p class="c-notice" role="status" hidden=move || problem().is_none()>{problem}</p>
            <div class="c-form-buttons">
                <button type="button" class="c-btn" on:click=save disabled=move || outcome.get() == Outcome::Busy
                    hidden=move || !(allowed(RefutationAction::Save) || allowed(RefutationAction::Update))>
                    {move || if status() == Some(RefutationStatus::Published) { ct(Text::SaveUpdate)() } else { ct(Text::SaveDraft)() }}
                </button>
                <button type="button" class="c-btn" on:click=show_preview hidden=move || id.is_none()>{ct(Text::Preview)}</button>
                <button type="button" class="c-btn c-btn-primary" on:click=publish disabled=move || outcome.get() == Outcome::Busy
                    hidden=move || !allowed(RefutationAction::Publish) || id.is_none()>{ct(Text::Publish)}</button>
                <button type="button" class="c-btn" on:click=show_history hidden=move || id.is_none()>{ct(Text::History)}</button>
            </div>
            <p role="status" aria-live="polite" class="editor-outcome">
                {move || match outcome.get() {
                    Outcome::Idle => ().into_any(),
                    Outcome::Busy => view! { <span class="muted">{ct(Text::Working)}</span> }.into_any(),
                    Outcome::Done(text) => view! { <span class="c-ok">{ct(text)}</span> }.into_any(),
                    // Someone else saved meanwhile (409 refutation_changed): say so, and offer
                    // their version; saving again on the old revision would only be refused again.
                    Outcome::Failed(ApiFailure::Refused(body)) if body.error == ErrorCode::RefutationChanged => view! {
                        <span class="error" data-testid="stale">{body.error.message(s.lang.get())}</span>
                        " "
                        <button type="button" class="c-btn" on:click=move |_| fetch(Outcome::Done(Text::LatestLoaded))>
                            {ct(Text::LoadLatest)}
                        </button>
                    }
                    .into_any(),
                    Outcome::Failed(ApiFailure::Refused(body)) => {
                        let field = body.field.clone().map(|f| format!("{f}: ")).unwrap_or_default();
                        view! { <span class="error">{field}{body.error.message(s.lang.get()).to_owned()}</span> }.into_any()
                    }
                    Outcome::Failed(e) => view! { <span class="error">{e.message(s.lang.get())}</span> }.into_any(),
                }}
            </p>
            {move || allowed(RefutationAction::Unpublish).then(|| view! {
                <div class="c-action-form">
                    <div class="field">
                        <label for="e-reason">{ct(Text::ReasonField)}</label>
                        <input id="e-reason" prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))/>
                    </div>
                    <button type="button" class="c-btn" on:click=unpublish>{ct(Text::Unpublish)}</button>
                </div>
            })}
        </section>
        {move || preview.get().map(|p| view! {
            <section class="c-panel preview">
                <h2>{ct(Text::PreviewNote)}</h2>
                {p.article.map(|a| view! { <div class="preview-page"><Article article=a/></div> })}
                {p.head.map(|h| view! { <p class="muted small">"<title>"{h.title}"</title> · "{h.description}</p> })}
            </section>
        })}
        {move || history.get().map(|h| view! {
            <section class="c-panel">
                <h2>{ct(Text::History)}</h2>
                <ol class="c-timeline">
                    {h.events.into_iter().rev().map(|e| {
                        let kind = match e.kind {
                            RefutationEventKind::Created => Text::EvCreated,
                            RefutationEventKind::Saved => Text::EvSaved,
                            RefutationEventKind::Published => Text::EvPublished,
                            RefutationEventKind::Updated => Text::EvUpdated,
                            RefutationEventKind::Unpublished => Text::EvUnpublished,
                        };
                        view! {
                            <li>
                                <strong>{ct(kind)}</strong>" · "{e.actor_name}" · "{crate::browser::format_time(e.at)}
                                " · "{move || fill(Text::Revision.text(s.lang.get()), &[("n", &e.revision.to_string())])}
                                {e.note.map(|n| view! { <p class="small">{n}</p> })}
                            </li>
                        }
                    }).collect_view()}
                </ol>
            </section>
        })}
    }
}

/// `/admin/partners`: partner sites, a form to add one (its secret is shown once) and each one's
/// deliveries.
#[component]
fn Partners() -> impl IntoView {
    let s = state();
    let list = RwSignal::new(None::<Result<PartnerList, ApiFailure>>);
    let reload = move || {
        leptos::task::spawn_local(async move {
            list.try_set(Some(api::get("/api/staff/partners").await));
        });
    };
    reload();
    let name = RwSignal::new(String::new());
    let url = RwSignal::new(String::new());
    let created = RwSignal::new(None::<Result<PartnerCreated, ApiFailure>>);
    let deliveries = RwSignal::new(None::<(i64, Result<DeliveryList, ApiFailure>)>);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body =
            NewPartner { name: name.get_untracked().trim().to_owned(), url: url.get_untracked().trim().to_owned() };
        leptos::task::spawn_local(async move {
            let result = api::post::<PartnerCreated, _>("/api/staff/partners", &body).await;
            if result.is_ok() {
                name.try_set(String::new());
                url.try_set(String::new());
                reload();
            }
            created.try_set(Some(result));
        });
    };
    let show = move |id: i64| {
        leptos::task::spawn_local(async move {
            deliveries.try_set(Some((id, api::get(&format!("/api/staff/partners/{id}/deliveries")).await)));
        });
    };
    view! {
        <section class="c-panel">
            <h1>{ct(Text::NavPartners)}</h1>
            {move || match list.get() {
                None => view! { <p class="muted">{s.t(crate::i18n::Msg::Loading)}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e.message(s.lang.get())}</p> }.into_any(),
                Some(Ok(l)) if l.partners.is_empty() => view! { <p class="c-empty muted">{ct(Text::NoPartners)}</p> }.into_any(),
                Some(Ok(l)) => view! {
                    <table class="c-table">
                        <thead><tr><th>{ct(Text::PartnerName)}</th><th>{ct(Text::PartnerUrl)}</th><th>{ct(Text::Status)}</th><th></th></tr></thead>
                        <tbody>
                            {l.partners.into_iter().map(|p| {
                                let id = p.id;
                                view! {
                                    <tr>
                                        <td>{p.name}</td>
                                        <td class="prewrap">{p.url}</td>
                                        <td>{ct(if p.active { Text::PartnerActive } else { Text::Stopped })}</td>
                                        <td><button type="button" class="c-btn" on:click=move |_| show(id)>{ct(Text::Deliveries)}</button></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            }}
            <form class="c-action-form" on:submit=add>
                <div class="field">
                    <label for="p-name">{ct(Text::PartnerName)}</label>
                    <input id="p-name" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="p-url">{ct(Text::PartnerUrl)}</label>
                    <input id="p-url" type="url" prop:value=move || url.get() on:input=move |ev| url.set(event_target_value(&ev))/>
                </div>
                <button type="submit" class="c-btn c-btn-primary">{ct(Text::AddPartner)}</button>
            </form>
            {move || created.get().map(|r| match r {
                Ok(c) => view! { <p class="c-notice" role="status">{ct(Text::SecretOnce)}" "<code class="c-code">{c.secret}</code></p> }.into_any(),
                Err(ApiFailure::Refused(body)) => {
                    let field = body.field.clone().map(|f| format!("{f}: ")).unwrap_or_default();
                    view! { <p class="error" role="alert">{field}{body.error.message(s.lang.get()).to_owned()}</p> }.into_any()
                }
                Err(e) => view! { <p class="error" role="alert">{e.message(s.lang.get())}</p> }.into_any(),
            })}
        </section>
        {move || deliveries.get().map(|(id, r)| view! {
            <section class="c-panel">
                <h2>{ct(Text::Deliveries)}" #"{id}</h2>
                {match r {
                    Err(e) => view! { <p class="error">{e.message(s.lang.get())}</p> }.into_any(),
                    Ok(d) if d.deliveries.is_empty() => view! { <p class="c-empty muted">{ct(Text::NoDeliveries)}</p> }.into_any(),
                    Ok(d) => view! {
                        <table class="c-table">
                            <thead><tr><th>{ct(Text::Event)}</th><th>{ct(Text::Status)}</th><th>{ct(Text::Attempts)}</th><th>{ct(Text::Time)}</th></tr></thead>
                            <tbody>
                                {d.deliveries.into_iter().map(|d| {
                                    let status = match d.status {
                                        DeliveryStatus::Pending => Text::Pending,
                                        DeliveryStatus::Delivered => Text::Delivered,
                                        DeliveryStatus::Failed => Text::Failed,
                                    };
                                    let detail = d.last_status.map(|c| format!(" (HTTP {c})")).or(d.last_error.map(|e| format!(" ({e})"))).unwrap_or_default();
                                    view! {
                                        <tr>
                                            <td>{d.event}" · #"{d.refutation_id.0}</td>
                                            <td>{ct(status)}{detail}</td>
                                            <td>{d.attempts}</td>
                                            <td>{date(d.delivered_at.unwrap_or(d.created_at))}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                }}
            </section>
        })}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_addresses_route_to_pages() {
        for (segments, expected) in [
            (&["refutations"][..], Some(EditorRoute::List)),
            (&["refutations", "new"][..], Some(EditorRoute::New)),
            (&["refutations", "7"][..], Some(EditorRoute::Edit(7))),
            (&["refutations", "0"][..], None),
            (&["refutations", "x"][..], None),
            (&["partners"][..], Some(EditorRoute::Partners)),
            (&["cases", "1"][..], None),
        ] {
            assert_eq!(EditorRoute::parse(segments), expected, "{segments:?}");
        }
    }

    #[test]
    fn the_form_turns_typed_lines_into_blocks_and_back() {
        let form = Form {
            title: " 标题 ".into(),
            claim: "网传内容".into(),
            verdict: "rumour".into(),
            body: "第一段。\n\n https://a.example.cn/x 发布会实录\nhttps://b.example.cn\n[图片] /img/a.png 现场照片\n"
                .into(),
            sources: "市公安局 通报 https://police.example.cn/1\n".into(),
            tags: "疫情， 封城 ".into(),
            cases: "12 #13".into(),
            ..Form::default()
        };
        let c = form.to_content();
        assert_eq!(c.title, "标题");
        assert_eq!(c.claim_url, None);
        assert_eq!(c.verdict.as_deref(), Some("rumour"));
        assert_eq!(
            c.body,
            vec![
                Block::Paragraph { text: "第一段。".into() },
                Block::Link { url: "https://a.example.cn/x".into(), text: "发布会实录".into() },
                Block::Link { url: "https://b.example.cn".into(), text: String::new() },
                Block::Image { url: "/img/a.png".into(), alt: "现场照片".into() },
            ]
        );
        assert_eq!(
            c.sources,
            vec![Source { title: "市公安局 通报".into(), url: "https://police.example.cn/1".into() }]
        );
        assert_eq!(c.tags, vec!["疫情".to_owned(), "封城".to_owned()]);
        assert_eq!(c.case_ids, vec![12, 13]);
        // And back: the form shows what it was given, so a save without edits changes nothing.
        assert_eq!(Form::from_content(&c).to_content(), c);
    }

    #[test]
    fn a_source_without_an_address_is_sent_for_the_worker_to_refuse() {
        let c = Form { sources: "只有标题".into(), ..Form::default() }.to_content();
        assert_eq!(c.sources, vec![Source { title: "只有标题".into(), url: String::new() }]);
    }
}
