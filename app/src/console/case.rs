//! One case (`/admin/cases/{id}`): the report, the screening findings (personal data only masked),
//! every event, the actions this account may take now — exactly the server's `allowed_actions`, so
//! every button shown would succeed given valid input — with their forms, and the reporter's
//! contact behind a confirmation that says the viewing is logged.
//!
//! Everything the reporter wrote is shown as text (Leptos sets text nodes, never HTML); links are
//! anchors only for `http(s)` addresses, opened in a new tab with `rel="noopener noreferrer"`.

use std::sync::Arc;

use leptos::prelude::*;
use qinglang_domain::Lang;
use qinglang_domain::api::{CaseDetail, StaffEvent, StaffName, StaffSession};
use qinglang_domain::report::Contact;
use qinglang_domain::workflow::{ActionKind, CaseRequest, Role, StaffId, read_assignment, read_extension};
use serde::Deserialize;

use super::actions::{ActionForm, FormContext, action_label};
use super::api::{self, ApiFailure};
use super::i18n::{Text, fill};
use super::{countdown, ct, department_name, now_ms, priority_label, staff_label};
use crate::browser::format_time;
use crate::state;

/// The parts of the engine's screening JSON the console shows. PII arrives masked only.
#[derive(Debug, Default, Deserialize)]
struct Findings {
    #[serde(default)]
    matches: Vec<TermHit>,
    #[serde(default)]
    pii: Vec<PiiHit>,
    #[serde(default)]
    links: Vec<LinkHit>,
    #[serde(default)]
    category: Option<String>,
    #[serde(default)]
    junk: bool,
}

#[derive(Debug, Deserialize)]
struct TermHit {
    term: String,
}

#[derive(Debug, Deserialize)]
struct PiiHit {
    kind: String,
    masked: String,
    #[serde(default)]
    start: u32,
    #[serde(default)]
    end: u32,
}

/// The description with each piece of personal data the screening found replaced by its masked
/// form (DESIGN: staff see personal data masked). Offsets count characters of the screened text,
/// which starts with the description (worker/src/screening.rs); spans past it or overlapping an
/// earlier one are left alone.
fn mask_pii(description: &str, pii: &[PiiHit]) -> String {
    qinglang_domain::mask::mask_spans(
        description,
        pii.iter().map(|p| (p.start as usize, p.end as usize, p.masked.as_str())),
    )
}

#[derive(Debug, Deserialize)]
struct LinkHit {
    url: String,
    #[serde(default)]
    shortener: bool,
    #[serde(default)]
    malformed: bool,
}

fn pii_label(kind: &str) -> Text {
    match kind {
        "mobile" => Text::PiiMobile,
        "id_number" => Text::PiiId,
        "bank_card" => Text::PiiBank,
        _ => Text::PiiEmail,
    }
}

/// The label of a timeline line's kind (the stored snake_case names).
fn event_label(kind: &str) -> Text {
    match kind {
        "submitted" => Text::EvSubmitted,
        "accepted" => Text::EvAccepted,
        "rejected" => Text::EvRejected,
        "transferred" => Text::EvTransferred,
        "referred" => Text::EvReferred,
        "handed_back" => Text::EvHandedBack,
        "feedback" => Text::EvFeedback,
        "resolved" => Text::EvResolved,
        "reopened" => Text::EvReopened,
        "merged" => Text::EvMerged,
        "assigned" => Text::EvAssigned,
        "reminded" => Text::EvReminded,
        "supervised" => Text::EvSupervised,
        "escalated" => Text::EvEscalated,
        "reply" => Text::EvReply,
        "contact_viewed" => Text::EvContactViewed,
        "device_position" => Text::EvDevicePosition,
        "rated" => Text::EvRated,
        "returned" => Text::EvReturned,
        "extension_requested" => Text::EvExtensionRequested,
        "extension_granted" => Text::EvExtensionGranted,
        "extension_refused" => Text::EvExtensionRefused,
        "consulted" => Text::EvConsulted,
        "opinion" => Text::EvOpinion,
        "concluded" => Text::EvConcluded,
        "assist_requested" => Text::EvAssistRequested,
        "assist_answered" => Text::EvAssistAnswered,
        "escalated_to_parent" => Text::EvEscalatedToParent,
        "taken_over" => Text::EvTakenOver,
        "guided" => Text::EvGuided,
        "delegated" => Text::EvDelegated,
        "review_requested" => Text::EvReviewRequested,
        "review_returned" => Text::EvReviewReturned,
        _ => Text::EvNote,
    }
}

/// Who did it: a staff member by name (from the case's own `staff` names), the reporter, or the system.
fn actor_label(actor: &str, names: &[StaffName], lang: Lang) -> String {
    match actor.strip_prefix("staff:") {
        Some(id) => match id.parse() {
            Ok(id) => staff_label(StaffId(id), names, lang),
            Err(_) => fill(Text::ByStaff.text(lang), &[("id", id)]),
        },
        None if actor == "reporter" => Text::ByReporter.text(lang).to_owned(),
        None => Text::BySystem.text(lang).to_owned(),
    }
}

/// A timeline line's text as shown: a transfer's department code becomes its name, an assignment's
/// or escalation's `primary=… backup=…` the two people's names.
fn event_text(kind: &str, body: Option<String>, names: &[StaffName], lang: Lang) -> Option<String> {
    let body = body?;
    Some(match kind {
        "transferred" => department_name(&body),
        "referred" | "handed_back" | "taken_over" | "delegated" => super::office_name(&body),
        "assigned" | "escalated" => match read_assignment(&body) {
            Some((primary, backup)) => {
                let name = |id: Option<StaffId>| id.map_or_else(|| "—".to_owned(), |id| staff_label(id, names, lang));
                fill(Text::AssignedTo.text(lang), &[("a", &name(primary)), ("b", &name(backup))])
            }
            None => body,
        },
        _ => body,
    })
}

/// A timeline line's staff-only detail as shown: an extension's `until=<ms>` becomes the date, and
/// the department codes of a return, consultation or request their names.
fn event_detail(kind: &str, detail: String) -> String {
    match kind {
        "extension_requested" | "extension_granted" | "extension_refused" => {
            read_extension(&detail).map(format_time).unwrap_or(detail)
        }
        "returned" | "consulted" | "opinion" | "concluded" | "assist_requested" | "assist_answered" => {
            detail.split(',').map(department_name).collect::<Vec<_>>().join("、")
        }
        _ => detail,
    }
}

/// Whether a link may be an anchor: only web addresses (never `javascript:` or `data:`).
pub fn is_web_link(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

/// The case page.
#[component]
pub fn CasePage(id: i64, me: StaffSession) -> impl IntoView {
    let s = state();
    let detail = RwSignal::new(None::<Result<CaseDetail, ApiFailure>>);
    let reload = move || {
        leptos::task::spawn_local(async move {
            let answer = api::case(id).await;
            detail.try_set(Some(answer));
        });
    };
    reload();
    let may_see_contact = matches!(me.staff.role, Role::Admin | Role::Handler | Role::Supervisor);
    let my_id = me.staff.id;
    // Kept here, not in the views below, because every action reloads (and so rebuilds) the case view.
    let ui = CaseUi { done: RwSignal::new(None), contact: RwSignal::new(ContactState::Hidden) };
    view! {
        <p><a class="c-link" href="/admin">"← "{ct(Text::BackToQueue)}</a></p>
        {move || match detail.get() {
            None => view! { <p class="muted">{crate::tr(crate::i18n::Msg::Loading)}</p> }.into_any(),
            Some(Err(e)) => view! { <p class="c-panel error" role="alert">{e.message(s.lang.get())}</p> }.into_any(),
            Some(Ok(d)) => view! {
                <CaseView detail=d may_see_contact=may_see_contact my_id=my_id ui=ui reload=Callback::new(move |()| reload())/>
            }.into_any(),
        }}
    }
}

#[component]
fn CaseView(
    detail: CaseDetail,
    may_see_contact: bool,
    my_id: StaffId,
    ui: CaseUi,
    reload: Callback<()>,
) -> impl IntoView {
    let s = state();
    let case = detail.case.clone();
    let status = case.status;
    let category = case.category.clone();
    let category_name = move || super::category_path(&category);
    let district = case.district.clone();
    let district_name = move || s.district_name(district.as_deref()?);
    let time_left = detail.time_left_ms;
    let read_at = now_ms();
    let findings: Findings = detail.screening.as_deref().and_then(|j| serde_json::from_str(j).ok()).unwrap_or_default();
    let description = mask_pii(&detail.description, &findings.pii);
    let priority = detail.priority.clone();
    let department = case.department.clone();
    let office = case.office.clone();
    // The hand-overs in progress: who referred it, whom it asked, who delegated it.
    let hand_overs: Vec<(Text, String)> = [
        (Text::ReferredFrom, case.referred_from.clone()),
        (Text::EscalatedTo, case.escalated_to.clone()),
        (Text::DelegatedBy, case.delegated_by.clone()),
    ]
    .into_iter()
    .filter_map(|(label, code)| Some((label, code?)))
    .collect();
    let review_reply = case.review_reply.clone();
    let names: Arc<[StaffName]> = detail.staff.clone().into();
    let handler = |id: Option<StaffId>| {
        let names = names.clone();
        move || id.map_or_else(|| "—".to_owned(), |id| staff_label(id, &names, s.lang.get()))
    };
    let (primary, backup) = (handler(case.primary_handler), handler(case.backup_handler));
    view! {
        <div class="c-case">
            <div class="c-case-main">
                <section class="c-panel">
                    <div class="c-case-head">
                        <h1><span class="c-code">{detail.receipt_code.clone()}</span>" "<span class="muted small">{format!("#{}", case.id)}</span></h1>
                        <span class=format!("badge status-{}", status.as_str()) data-testid="case-status">{move || status.label(s.lang.get())}</span>
                        {priority_label(&priority).map(|l| view! { <span class=format!("badge c-prio-{priority}")>{ct(l)}</span> })}
                        {case.supervised_at.map(|_| view! { <span class="badge c-badge-warn">{ct(Text::Supervised)}</span> })}
                        {case.awaits_supervisor().then(|| view! { <span class="badge c-badge-warn" data-testid="awaits-supervisor">{ct(Text::AwaitsSupervisor)}</span> })}
                    </div>
                    {review_reply.map(|reply| view! {
                        <div class="c-note" data-testid="review-pending">
                            <strong>{ct(Text::ReviewPending)}</strong>
                            <p>{reply}</p>
                        </div>
                    })}
                    {case.extension_until.map(|until| {
                        let date = format_time(until);
                        view! { <p class="c-note" data-testid="extension-pending">{move || fill(Text::ExtensionPendingUntil.text(s.lang.get()), &[("date", &date)])}</p> }
                    })}
                    <dl class="c-facts">
                        <dt>{ct(Text::FilterCategory)}</dt>
                        <dd>{category_name}{move || district_name().map(|d| format!(" · {d}"))}</dd>
                        <dt>{ct(Text::Received)}</dt>
                        <dd>{format_time(case.created_at)}</dd>
                        <dt>{ct(Text::DueAt)}</dt>
                        <dd class:c-late=time_left.is_some_and(|l| l < 0)>
                            {case.due_at.map_or_else(|| "—".to_owned(), format_time)}
                            {move || time_left.map(|l| format!(" ({})", countdown(l - (now_ms() - read_at), s.lang.get())))}
                        </dd>
                        <dt>{ct(Text::HeldByOffice)}</dt>
                        <dd data-testid="case-office">{move || super::office_name(&office)}</dd>
                        {hand_overs.iter().map(|(label, code)| {
                            let (label, code) = (*label, code.clone());
                            view! { <dt>{ct(label)}</dt><dd data-testid="case-handover">{move || super::office_name(&code)}</dd> }
                        }).collect_view()}
                        <dt>{ct(Text::Department)}</dt>
                        <dd>{move || department.as_deref().map(department_name).unwrap_or_else(|| "—".to_owned())}</dd>
                        <dt>{ct(Text::PrimaryHandler)}</dt>
                        <dd data-testid="primary-handler">{primary}</dd>
                        <dt>{ct(Text::BackupHandler)}</dt>
                        <dd data-testid="backup-handler">{backup}</dd>
                        {(case.return_count > 0 || case.extension_count > 0).then(|| {
                            let (returned, extended) = (case.return_count.to_string(), case.extension_count.to_string());
                            view! {
                                <dt>{ct(Text::Handling)}</dt>
                                <dd>
                                    {(case.return_count > 0).then(|| view! { <span>{move || fill(Text::ReturnedTimes.text(s.lang.get()), &[("n", &returned)])}</span>" " })}
                                    {(case.extension_count > 0).then(|| view! { <span>{move || fill(Text::ExtendedTimes.text(s.lang.get()), &[("n", &extended)])}</span> })}
                                </dd>
                            }
                        })}
                    </dl>
                </section>
                <section class="c-panel">
                    <h2>{ct(Text::TheReport)}</h2>
                    <p class="prewrap c-description" data-testid="description">{description}</p>
                    {(!detail.links.is_empty()).then(|| view! {
                        <h3>{ct(Text::Links)}</h3>
                        <ul class="c-links">
                            {detail.links.iter().map(|url| {
                                let url = url.clone();
                                if is_web_link(&url) {
                                    let text = url.clone();
                                    view! { <li><a href=url target="_blank" rel="noopener noreferrer nofollow">{text}</a></li> }.into_any()
                                } else {
                                    view! { <li><span class="c-inert">{url}</span></li> }.into_any()
                                }
                            }).collect_view()}
                        </ul>
                    })}
                    <dl class="c-facts">
                        {[(Text::Platform, detail.platform.clone()), (Text::Account, detail.account.clone()),
                          (Text::Place, detail.location.clone()), (Text::Channel, detail.channel.clone())]
                            .into_iter()
                            .filter_map(|(label, value)| value.map(|v| view! { <dt>{ct(label)}</dt><dd>{v}</dd> }))
                            .collect_view()}
                    </dl>
                    <ContactBox case_id=case.id.0 has_contact=detail.has_contact may_see=may_see_contact st=ui.contact reload=reload/>
                </section>
                {(!detail.evidence.is_empty()).then(|| view! { <EvidencePanel case_id=case.id.0 items=detail.evidence.clone()/> })}
                <FindingsPanel findings=findings/>
                {(!detail.refutation_matches.is_empty()).then(|| view! {
                    <section class="c-panel" data-testid="refuted">
                        <h2>{ct(Text::AlreadyRefuted)}</h2>
                        <ul class="c-links">
                            {detail.refutation_matches.iter().map(|m| {
                                let percent = m.similarity_percent.to_string();
                                view! {
                                    <li>
                                        <a href=format!("/refutations/{}", m.id) target="_blank" rel="noopener noreferrer">{m.title.clone()}</a>
                                        " "<span class="muted small">{move || fill(Text::Similarity.text(s.lang.get()), &[("n", &percent)])}</span>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </section>
                })}
                {(!detail.duplicates.is_empty()).then(|| view! {
                    <section class="c-panel" data-testid="duplicates">
                        <h2>{ct(Text::PossibleDuplicates)}</h2>
                        <p class="muted small">{ct(Text::PossibleDuplicatesHint)}</p>
                        <ul class="c-links">
                            {detail.duplicates.iter().map(|d| {
                                let percent = d.similarity_percent.to_string();
                                let status = d.status;
                                let category = d.category.clone();
                                let category_name = move || s.category_name(&category);
                                view! {
                                    <li data-case=d.id.0>
                                        <a href=format!("/admin/cases/{}", d.id.0)>{format!("#{}", d.id.0)}</a>
                                        " "<span class=format!("badge status-{}", status.as_str())>{move || status.label(s.lang.get())}</span>
                                        " "<strong class="small">{category_name}</strong>
                                        " "<span class="muted small">{move || fill(Text::Similarity.text(s.lang.get()), &[("n", &percent)])}</span>
                                        <p class="c-excerpt">{d.excerpt.clone()}</p>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </section>
                })}
                {(!case.requests.is_empty()).then(|| view! { <RequestsPanel requests=case.requests.clone() read_at=read_at/> })}
                <section class="c-panel">
                    <h2>{ct(Text::TimelineTitle)}</h2>
                    <ol class="c-timeline">
                        {detail.timeline.iter().rev().cloned().map(|e| view! { <TimelineLine event=e names=names.clone()/> }).collect_view()}
                    </ol>
                </section>
            </div>
            <aside class="c-case-side">
                <ActionsPanel detail=detail.clone() my_id=my_id done=ui.done reload=reload/>
            </aside>
        </div>
    }
}

/// The case's consultations and assistance requests, newest first: who was asked what by when, who
/// answered and what, and — for the open consultation — who has not answered yet.
#[component]
fn RequestsPanel(requests: Vec<CaseRequest>, read_at: i64) -> impl IntoView {
    let s = state();
    view! {
        <section class="c-panel" data-testid="requests">
            <h2>{ct(Text::RequestsTitle)}</h2>
            <ul class="c-requests">
                {requests.into_iter().rev().map(|r| {
                    let kind = r.kind;
                    let (state_text, state_class) = if r.answered_at.is_some() {
                        (Text::AnsweredAt, "c-req-answered")
                    } else if r.closed_at.is_some() {
                        (Text::RequestClosed, "c-req-closed")
                    } else if r.is_overdue(read_at) {
                        (Text::RequestLate, "c-req-late")
                    } else {
                        (Text::NotAnswered, "c-req-waiting")
                    };
                    view! {
                        <li data-party=r.party.clone() data-state=state_class>
                            <p>
                                <strong>{move || kind.label(s.lang.get())}</strong>" · "{department_name(&r.party)}
                                " "<span class=format!("badge {state_class}")>{ct(state_text)}</span>
                                {r.reference.clone().map(|n| view! { " "<span class="muted small">{n}</span> })}
                            </p>
                            <p class="small">{r.question.clone()}</p>
                            <p class="muted small">{ct(Text::AnswerBy)}" "{format_time(r.due_at)}</p>
                            {r.answer.clone().map(|a| view! { <p class="prewrap c-answer">{a}</p> })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn FindingsPanel(findings: Findings) -> impl IntoView {
    let s = state();
    let suggested = findings.category.clone();
    let suggested_name = move || {
        let code = suggested.clone()?;
        let name = s
            .taxonomy
            .get()
            .and_then(Result::ok)
            .and_then(|t| t.category(&code).map(|c| c.name(s.lang.get()).to_owned()))
            .unwrap_or(code);
        Some(fill(Text::SuggestedCategory.text(s.lang.get()), &[("name", &name)]))
    };
    let nothing = findings.pii.is_empty()
        && findings.matches.is_empty()
        && findings.category.is_none()
        && !findings.junk
        && findings.links.iter().all(|l| !l.shortener && !l.malformed);
    let mut terms: Vec<String> = findings.matches.iter().map(|m| m.term.clone()).collect();
    terms.dedup();
    view! {
        <section class="c-panel" data-testid="findings">
            <h2>{ct(Text::Screening)}</h2>
            {nothing.then(|| view! { <p class="muted">{ct(Text::NoFindings)}</p> })}
            <p class="c-badges">
                {move || suggested_name().map(|t| view! { <span class="badge">{t}</span> })}
                {findings.junk.then(|| view! { <span class="badge c-badge-warn">{ct(Text::Junk)}</span> })}
                {(!findings.pii.is_empty()).then(|| view! { <span class="badge c-badge-warn">{ct(Text::PiiFound)}</span> })}
            </p>
            {(!findings.pii.is_empty()).then(|| view! {
                <ul class="c-pii">
                    {findings.pii.into_iter().map(|p| view! { <li>{ct(pii_label(&p.kind))}": "<code>{p.masked}</code></li> }).collect_view()}
                </ul>
            })}
            {(!terms.is_empty()).then(|| view! { <p class="small">{ct(Text::Terms)}": "{terms.join("、")}</p> })}
            {findings.links.into_iter().filter(|l| l.shortener || l.malformed).map(|l| view! {
                <p class="small"><span class="c-inert">{l.url}</span>" — "{ct(if l.shortener { Text::ShortLink } else { Text::BadLink })}</p>
            }).collect_view()}
        </section>
    }
}

#[component]
fn TimelineLine(event: StaffEvent, names: Arc<[StaffName]>) -> impl IntoView {
    let s = state();
    let kind = event.kind.clone();
    let body = event.body.clone();
    let body_names = names.clone();
    let body_text = move || event_text(&kind, body.clone(), &body_names, s.lang.get());
    let actor = event.actor.clone();
    view! {
        <li class:c-internal=!event.public data-kind=event.kind.clone()>
            <p>
                <strong>{ct(event_label(&event.kind))}</strong>
                " · "<span class="muted small" data-testid="actor">{move || actor_label(&actor, &names, s.lang.get())}</span>
                <span class="muted small">" · "{format_time(event.at)}</span>
                {(!event.public).then(|| view! { " "<span class="badge c-badge-muted">{ct(Text::StaffOnly)}</span> })}
            </p>
            {move || body_text().map(|b| view! { <p class="prewrap">{b}</p> })}
            {event.detail.map(|d| view! { <p class="prewrap muted small">{event_detail(&event.kind, d)}</p> })}
        </li>
    }
}

/// Page state that outlives a reload of the case.
#[derive(Clone, Copy)]
struct CaseUi {
    /// The case's version (`updated_at`) right after the last successful action: the notice shows
    /// only on the view rendered from that version, never on the one being replaced.
    done: RwSignal<Option<i64>>,
    /// The contact box.
    contact: RwSignal<ContactState>,
}

/// Hidden → asked to confirm (the notice says the viewing is logged) → shown.
#[derive(Debug, Clone, PartialEq)]
enum ContactState {
    Hidden,
    Confirming,
    Shown(Contact),
    Failed(ApiFailure),
}

/// The report's pictures: each is fetched only when asked for, because every fetch is logged on the
/// case (`evidence_viewed`, staff-only).
#[component]
fn EvidencePanel(case_id: i64, items: Vec<qinglang_domain::evidence::EvidenceItem>) -> impl IntoView {
    let s = state();
    let count = items.len().to_string();
    view! {
        <section class="c-panel" data-testid="evidence">
            <h2>{move || fill(Text::EvidenceTitle.text(s.lang.get()), &[("n", &count)])}</h2>
            <p class="muted small">{ct(Text::EvidenceLogged)}</p>
            <ul class="c-evidence">
                {items.into_iter().map(|item| {
                    let shown = RwSignal::new(false);
                    let src = format!("/api/staff/cases/{case_id}/evidence/{}", item.index);
                    let kind = item.media_type.trim_start_matches("image/").to_ascii_uppercase();
                    let facts = format!("{kind}, {}×{}, {} KB", item.width, item.height, item.bytes.div_ceil(1024));
                    let number = item.index + 1;
                    let label = move || fill(Text::EvidenceShow.text(s.lang.get()), &[("n", &number.to_string())]);
                    view! {
                        <li>
                            <button type="button" class="btn btn-secondary" hidden=move || shown.get() on:click=move |_| shown.set(true)>
                                {label}" "<span class="muted small">{facts.clone()}</span>
                            </button>
                            {move || shown.get().then(|| view! {
                                <a href=src.clone() target="_blank" rel="noopener">
                                    <img src=src.clone() alt=label width=item.width height=item.height class="c-evidence-img"/>
                                </a>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn ContactBox(
    case_id: i64,
    has_contact: bool,
    may_see: bool,
    st: RwSignal<ContactState>,
    reload: Callback<()>,
) -> impl IntoView {
    let s = state();
    if !has_contact {
        return view! { <p class="muted small">{ct(Text::NoContact)}</p> }.into_any();
    }
    if !may_see {
        return ().into_any();
    }
    let show = move |_| {
        leptos::task::spawn_local(async move {
            match api::contact(case_id).await {
                Ok(contact) => {
                    st.try_set(ContactState::Shown(contact));
                    // The reading is now in the timeline.
                    reload.run(());
                }
                Err(e) => {
                    st.try_set(ContactState::Failed(e));
                }
            }
        });
    };
    view! {
        <div class="c-contact">
            {move || match st.get() {
                ContactState::Hidden => view! {
                    <button type="button" class="c-btn" on:click=move |_| st.set(ContactState::Confirming)>{ct(Text::ShowContact)}</button>
                }.into_any(),
                ContactState::Confirming => view! {
                    <div class="c-confirm" role="alertdialog" aria-labelledby="contact-confirm">
                        <p id="contact-confirm">{ct(Text::ContactLogged)}</p>
                        <button type="button" class="c-btn c-btn-primary" on:click=show>{ct(Text::Confirm)}</button>
                        <button type="button" class="c-btn" on:click=move |_| st.set(ContactState::Hidden)>{ct(Text::Cancel)}</button>
                    </div>
                }.into_any(),
                ContactState::Shown(c) => view! {
                    <dl class="c-facts" data-testid="contact">
                        <dt>{ct(Text::ContactName)}</dt><dd>{c.name.unwrap_or_else(|| "—".into())}</dd>
                        <dt>{ct(Text::ContactPhone)}</dt><dd>{c.phone.unwrap_or_else(|| "—".into())}</dd>
                    </dl>
                }.into_any(),
                ContactState::Failed(e) => view! { <p class="error" role="alert">{e.message(s.lang.get())}</p> }.into_any(),
            }}
        </div>
    }
    .into_any()
}

#[component]
fn ActionsPanel(
    detail: CaseDetail,
    my_id: StaffId,
    done: RwSignal<Option<i64>>,
    reload: Callback<()>,
) -> impl IntoView {
    let open = RwSignal::new(None::<ActionKind>);
    let actions: Vec<ActionKind> = detail.allowed_actions.clone();
    let has_department = detail.case.department.is_some();
    let proposed = detail.proposed_department.clone();
    let case_id = detail.case.id.0;
    let version = detail.case.updated_at;
    let assigned = (detail.case.primary_handler, detail.case.backup_handler);
    let names: Arc<[StaffName]> = detail.staff.clone().into();
    let held_by = (detail.case.office.clone(), detail.case.due_at);
    // A case handed to an office outside the account's reach (a referral to a sibling county) can
    // no longer be read here: the account goes to its hand-overs out, where the case is listed.
    let (session, offices, nav) = (super::console().session, super::console().offices, crate::nav::nav());
    let after = Callback::new(move |(updated_at, office): (i64, String)| {
        open.set(None);
        let mine = session.with_untracked(|m| m.as_ref().map(|m| m.staff.office.clone())).unwrap_or_default();
        if offices.with_untracked(|t| t.as_ref().is_none_or(|t| t.within(&office, &mine))) {
            done.set(Some(updated_at));
            reload.run(());
        } else {
            nav.go("/admin?handover=out");
        }
    });
    view! {
        <section class="c-panel" data-testid="actions">
            <h2>{ct(Text::Actions)}</h2>
            <p class="c-ok" role="status" hidden=move || done.get() != Some(version)>{ct(Text::Done)}</p>
            {actions.is_empty().then(|| view! { <p class="muted">{ct(Text::NoActions)}</p> })}
            <div class="c-action-buttons">
                {actions.iter().map(|&kind| view! {
                    <button type="button" class="c-btn" class:c-btn-primary=matches!(kind, ActionKind::Accept | ActionKind::Resolve)
                        aria-expanded=move || (open.get() == Some(kind)).to_string()
                        on:click=move |_| { done.set(None); open.set(Some(kind)); }>
                        {ct(action_label(kind))}
                    </button>
                }).collect_view()}
            </div>
            {move || open.get().map(|kind| {
                let cx = FormContext { case_id, on_done: after, on_cancel: Callback::new(move |()| open.set(None)) };
                view! {
                    <ActionForm kind=kind cx=cx proposed=proposed.clone() has_department=has_department
                        my_id=my_id assigned=assigned names=names.clone() held_by=held_by.clone()/>
                }
            })}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_addresses_become_anchors() {
        for (url, anchor) in [
            ("https://weibo.com/1", true),
            ("HTTP://example.cn/x", true),
            ("javascript:alert(1)", false),
            (" data:text/html,<script>", false),
            ("weibo.com/1", false),
        ] {
            assert_eq!(is_web_link(url), anchor, "{url}");
        }
    }

    #[test]
    fn the_timeline_names_actors_and_the_people_an_assignment_names() {
        let names = crate::console::tests::two_handlers();
        let text = |kind: &str, body: &str, lang| event_text(kind, Some(body.to_owned()), &names, lang);
        assert_eq!(
            text("assigned", "primary=3 backup=4", Lang::ZhHans).as_deref(),
            Some("主办：张受理；协办：陈协办（已停用）")
        );
        assert_eq!(
            text("escalated", "primary=4 backup=-", Lang::En).as_deref(),
            Some("Primary: 陈协办 (disabled); backup: —")
        );
        assert_eq!(
            text("assigned", "primary=3 backup=9", Lang::ZhHant).as_deref(),
            Some("主辦：张受理；協辦：工作人員 #9")
        );
        // Only assignments are read as ids; other text is shown as written.
        assert_eq!(text("note", "primary=3 backup=4", Lang::En).as_deref(), Some("primary=3 backup=4"));
        assert_eq!(text("assigned", "garbled", Lang::En).as_deref(), Some("garbled"));
        assert_eq!(event_text("assigned", None, &names, Lang::En), None);
        assert_eq!(actor_label("staff:3", &names, Lang::ZhHans), "张受理");
        assert_eq!(actor_label("staff:9", &names, Lang::En), "staff #9");
        assert_eq!(actor_label("staff:x", &names, Lang::En), "staff #x");
        assert_eq!(actor_label("reporter", &names, Lang::En), Text::ByReporter.text(Lang::En));
        assert_eq!(actor_label("system", &names, Lang::En), Text::BySystem.text(Lang::En));
    }

    #[test]
    fn screening_json_is_read_for_masked_pii_only() {
        let json = r#"{"matches":[{"term":"刷单","category":"fraud","severity":3,"start":0,"end":2}],
            "pii":[{"kind":"mobile","start":3,"end":14,"masked":"138****8000"}],
            "links":[{"url":"http://t.cn/x","host":"t.cn","platform":null,"shortener":true,"malformed":false,"start":0,"end":1}],
            "category":"fraud","priority":"normal","junk":false,"fingerprint":"0","engine_version":"1","rule_pack_version":"x"}"#;
        let f: Findings = serde_json::from_str(json).expect("parses");
        assert_eq!(f.pii[0].masked, "138****8000");
        assert_eq!(f.category.as_deref(), Some("fraud"));
        assert!(f.links[0].shortener);
    }

    #[test]
    fn personal_data_in_the_description_is_masked() {
        let hit = |start, end, masked: &str| PiiHit { kind: "mobile".into(), masked: masked.into(), start, end };
        let text = "电话13912345678，邮箱a@b.cn";
        let masked = mask_pii(text, &[hit(16, 22, "a***@b.cn"), hit(2, 13, "139****5678")]);
        assert_eq!(masked, "电话139****5678，邮箱a***@b.cn");
        // A span in the links after the description, or a broken one, changes nothing.
        assert_eq!(mask_pii("短文", &[hit(3, 14, "x"), hit(1, 1, "y")]), "短文");
    }
}
