//! `/report`: the report flow, one thing per step — category, details, contact, review — then
//! the receipt. `?c=` carries the poster code. The draft is saved on the phone after every
//! change, and every send of it carries the same idempotency key, so a retry, a double tap or a
//! reload after a lost answer never files the report twice.

use leptos::prelude::*;
use qinglang_domain::api::ReportCreated;
use qinglang_domain::report::DESCRIPTION_MAX_CHARS;
use qinglang_domain::report::{FieldError, validate_channel_code};
use qinglang_domain::{CategoryKind, ErrorCode, Report, Taxonomy};

use crate::api::ApiFailure;
use crate::components::{CopyButton, FieldMessage, Page, Tab};
use crate::draft::{Draft, Step};
use crate::i18n::{Msg, fill};
use crate::outbox::{OutboxRoot, Sent};
use crate::prescreen::{self, EngineModule, Prescreen};
use crate::storage;
use crate::tr;
use crate::{browser, state};

/// Where sending stands.
#[derive(Debug, Clone, PartialEq)]
enum Sending {
    Idle,
    Busy,
    Failed(ApiFailure),
}

/// The report flow page.
#[component]
pub fn ReportFlow() -> impl IntoView {
    let s = state();
    let channel = crate::nav::nav().query("c").and_then(|c| validate_channel_code(&c).ok());
    let mut initial = storage::load_draft().unwrap_or_else(|| Draft::new(browser::random_token(), channel.clone()));
    // An office's own entry address (`?o=CODE`) names where the report lands (the worker checks the
    // code; an unknown one is refused with its reason).
    if let Some(office) = crate::nav::nav().query("o").filter(|o| !o.is_empty() && o.len() <= 40) {
        initial.office = Some(office);
    }
    if initial.channel.is_none() {
        initial.channel = channel;
    }
    let draft = RwSignal::new(initial);
    let receipt = RwSignal::new(None::<(ReportCreated, Vec<String>)>);
    // The report went to the outbox (待发送) because the network failed; the outbox list says so.
    let waiting = RwSignal::new(false);
    tell_channel(draft);
    let sending = RwSignal::new(Sending::Idle);
    let show_errors = RwSignal::new(false);
    let banner = RwSignal::new(None::<String>);

    Effect::new(move |_| draft.with(storage::save_draft));
    let step = Memo::new(move |_| draft.with(|d| d.step));
    let errors = Memo::new(move |_| {
        let taxonomy = s.taxonomy.get().and_then(Result::ok).unwrap_or_default();
        // A too-long description has its own notice with a way out (DetailsStep), shown at once:
        // the same sentence is not repeated under the field.
        let mut shown = if show_errors.get() { draft.with(|d| d.errors(step.get(), &taxonomy)) } else { Vec::new() };
        shown.retain(|e| e.code != ErrorCode::DescriptionTooLong);
        shown
    });

    let go = move |to: Step| {
        show_errors.set(false);
        banner.set(None);
        draft.update(|d| d.step = to);
        scroll_to_top();
    };
    let next = move || {
        let taxonomy = s.taxonomy.get_untracked().and_then(Result::ok).unwrap_or_default();
        if draft.with_untracked(|d| d.errors(step.get_untracked(), &taxonomy)).is_empty() {
            go(step.get_untracked().next());
        } else {
            show_errors.set(true);
        }
    };
    let send = move || {
        if sending.get_untracked() == Sending::Busy {
            return; // a double tap sends once
        }
        sending.set(Sending::Busy);
        leptos::task::spawn_local(async move {
            let Some(request) = draft.try_with_untracked(Draft::to_request) else { return };
            let key = request.idempotency_key.clone();
            let thumbs = crate::evidence::thumbs(&key).await;
            // The outbox keeps the report on the phone first, uploads its pictures, then sends it;
            // if the answer never comes it sends it again later with the same idempotency key.
            let outcome = crate::outbox::send(&request, s.lang.get_untracked()).await;
            // The citizen may have left the page while it was sending: the receipt is kept by the
            // outbox and shows on the track page; there is no view to update.
            let refusal = match outcome {
                Some(Sent::Created(created)) => {
                    storage::clear_draft();
                    if sending.try_set(Sending::Idle).is_none() {
                        receipt.set(Some((created, thumbs)));
                        scroll_to_top();
                    }
                    return;
                }
                Some(Sent::Waiting(durable)) => {
                    // Kept only in memory, the draft stays saved too, for a reload.
                    if durable {
                        storage::clear_draft();
                    }
                    if sending.try_set(Sending::Idle).is_none() {
                        waiting.set(true);
                        scroll_to_top();
                    }
                    return;
                }
                Some(Sent::Refused(body)) => body,
                Some(Sent::Photo(failure)) => {
                    // "slot:n:code": the picture's slot, its position from 1 and the refusal code.
                    let mut parts = failure.splitn(3, ':');
                    let slot = parts.next().and_then(|p| p.parse().ok()).unwrap_or(u32::MAX);
                    let _position = parts.next();
                    let code = parts.next().and_then(|c| serde_json::from_str(&format!("\"{c}\"")).ok());
                    let error = code.unwrap_or(qinglang_domain::ErrorCode::ImageInvalid);
                    if sending.try_set(Sending::Idle).is_none() {
                        go(Step::Evidence);
                        let message = error.message(s.lang.get_untracked());
                        banner.set(Some(message.to_owned()));
                        crate::evidence::fail(&key, slot, message).await;
                    }
                    return;
                }
                None => {
                    sending.try_set(Sending::Failed(ApiFailure::Network));
                    return;
                }
            };
            if refusal.field.is_some() {
                if sending.try_set(Sending::Idle).is_some() {
                    return;
                }
                let field = refusal.field.clone().unwrap_or_default();
                go(Draft::step_of_field(&field));
                show_errors.set(true);
                banner.set(Some(refusal.error.message(s.lang.get_untracked()).to_owned()));
            } else {
                sending.try_set(Sending::Failed(ApiFailure::Refused(refusal)));
            }
        });
    };
    let start_over = move |_| {
        receipt.set(None);
        waiting.set(false);
        let (channel, office) = draft.with_untracked(|d| (d.channel.clone(), d.office.clone()));
        draft.set(Draft { office, ..Draft::new(browser::random_token(), channel) });
    };

    view! {
        <Page title=Msg::TabReport tab=Tab::Report>
            <OutboxRoot/>
            {move || {
                if let Some((created, thumbs)) = receipt.get() {
                    return view! { <Receipt created=created thumbs=thumbs on_again=start_over/> }.into_any();
                }
                if waiting.get() {
                    return view! {
                        <button type="button" class="btn-secondary" on:click=move |_| start_over(())>{tr(Msg::NewReport)}</button>
                    }.into_any();
                }
                match s.taxonomy.get() {
                    None => view! { <section class="card"><p class="muted">{s.t(Msg::Loading)}</p></section> }.into_any(),
                    Some(Err(e)) => view! {
                        <section class="card">
                            <p class="error" role="alert">{e.message(s.lang.get())}</p>
                            <button type="button" class="btn-secondary" on:click=move |_| s.load_taxonomy()>{s.t(Msg::Retry)}</button>
                        </section>
                    }.into_any(),
                    Some(Ok(taxonomy)) => view! {
                        <StepHeader step=step channel=draft.with_untracked(|d| d.channel.clone())/>
                        <p class="error banner" role="alert" hidden=move || banner.get().is_none()>{move || banner.get()}</p>
                        {move || match step.get() {
                            Step::Category => view! { <CategoryStep draft=draft taxonomy=taxonomy.clone() errors=errors on_pick=move || go(Step::Details)/> }.into_any(),
                            Step::Details => view! { <DetailsStep draft=draft taxonomy=taxonomy.clone() errors=errors/> }.into_any(),
                            Step::Evidence => view! { <EvidenceStep draft=draft/> }.into_any(),
                            Step::Contact => view! { <ContactStep draft=draft errors=errors/> }.into_any(),
                            Step::Review => view! { <ReviewStep draft=draft taxonomy=taxonomy.clone() errors=errors on_edit=go/> }.into_any(),
                        }}
                        <div class="actions">
                            <button type="button" class="btn-secondary" hidden=move || step.get() == Step::Category
                                on:click=move |_| go(step.get_untracked().previous())>{tr(Msg::Back)}</button>
                            {move || if step.get() == Step::Review {
                                view! {
                                    <button type="button" class="btn-primary" disabled=move || sending.get() == Sending::Busy
                                        on:click=move |_| send()>
                                        {move || match sending.get() {
                                            Sending::Busy => s.t(Msg::Submitting),
                                            Sending::Failed(_) => s.t(Msg::Retry),
                                            Sending::Idle => s.t(Msg::Submit),
                                        }}
                                    </button>
                                }.into_any()
                            } else {
                                view! { <button type="button" class="btn-primary" on:click=move |_| next()>{tr(Msg::Next)}</button> }.into_any()
                            }}
                        </div>
                        {move || match sending.get() {
                            Sending::Failed(ApiFailure::Network) => view! { <p class="error" role="alert">{s.t(Msg::NetworkFailed)}</p> }.into_any(),
                            Sending::Failed(f) => view! { <p class="error" role="alert">{f.message(s.lang.get())}</p> }.into_any(),
                            _ => ().into_any(),
                        }}
                    }.into_any(),
                }
            }}
        </Page>
    }
}

fn scroll_to_top() {
    if let Some(window) = web_sys::window() {
        window.scroll_to_with_x_and_y(0.0, 0.0);
    }
}

#[component]
fn StepHeader(step: Memo<Step>, channel: Option<String>) -> impl IntoView {
    let s = state();
    let title = move || match step.get() {
        Step::Category => Msg::StepCategory,
        Step::Details => Msg::StepDetails,
        Step::Evidence => Msg::StepEvidence,
        Step::Contact => Msg::StepContact,
        Step::Review => Msg::StepReview,
    };
    view! {
        <div class="step-header">
            <ol class="progress" aria-hidden="true">
                {Step::ALL.into_iter().map(|st| view! { <li class:done=move || st.number() <= step.get().number()></li> }).collect_view()}
            </ol>
            <p class="muted small">
                {move || fill(s.t(Msg::StepOf), &[("n", &step.get().number().to_string()), ("total", &Step::ALL.len().to_string())])}
            </p>
            <h2>{move || s.t(title())}</h2>
            {channel.map(|code| view! { <p class="muted small">{move || fill(s.t(Msg::ChannelFrom), &[("code", &code)])}</p> })}
        </div>
    }
}

#[component]
fn CategoryStep(
    draft: RwSignal<Draft>,
    taxonomy: Taxonomy,
    errors: Memo<Vec<FieldError>>,
    on_pick: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let s = state();
    let group = move |kind: CategoryKind, heading: Msg| {
        // Top-level categories only; the details step offers a chosen one's subcategories.
        let items = taxonomy
            .categories
            .iter()
            .filter(|c| c.kind == kind && c.active && c.parent.is_none())
            .cloned()
            .collect::<Vec<_>>();
        let roots = taxonomy.clone();
        view! {
            <section class="card">
                <h3>{tr(heading)}</h3>
                <div class="category-grid" role="radiogroup" aria-label=tr(heading)>
                    {items.into_iter().map(|c| {
                        let code = c.code.clone();
                        let selected = {
                            let code = code.clone();
                            let roots = roots.clone();
                            move || draft.with(|d| d.category.as_deref().is_some_and(|c| roots.root_of(c) == code))
                        };
                        view! {
                            <button type="button" role="radio" class="category" class:selected=selected.clone() aria-checked=move || selected().to_string()
                                on:click=move |_| { draft.update(|d| d.category = Some(code.clone())); on_pick(); }>
                                {move || c.name(s.lang.get()).to_owned()}
                            </button>
                        }
                    }).collect_view()}
                </div>
            </section>
        }
    };
    view! {
        {group(CategoryKind::Online, Msg::KindOnline)}
        {group(CategoryKind::Offline, Msg::KindOffline)}
        <FieldMessage errors=errors field="category".to_owned()/>
    }
}

/// A labelled text input bound to one field of the draft.
#[component]
fn TextField(
    draft: RwSignal<Draft>,
    errors: Memo<Vec<FieldError>>,
    field: &'static str,
    label: Msg,
    #[prop(optional)] hint: Option<Msg>,
    #[prop(optional)] optional: bool,
    #[prop(optional)] input_type: Option<&'static str>,
    get: fn(&Draft) -> String,
    set: fn(&mut Draft, String),
) -> impl IntoView {
    let s = state();
    let id = format!("f-{}", field.replace('.', "-"));
    let invalid = move || errors.with(|e| e.iter().any(|e| e.field == field));
    view! {
        <div class="field">
            <label for=id.clone()>{tr(label)}{optional.then(|| view! { <span class="muted">{tr(Msg::Optional)}</span> })}</label>
            <input id=id type=input_type.unwrap_or("text") prop:value=move || draft.with(get)
                aria-invalid=move || invalid().to_string() aria-describedby=format!("err-{} hint-{}", field.replace('.', "-"), field.replace('.', "-"))
                placeholder=move || hint.map(|h| s.t(h)).unwrap_or_default()
                on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| set(d, v)); }/>
            <FieldMessage errors=errors field=field.to_owned()/>
        </div>
    }
}

#[component]
fn DetailsStep(draft: RwSignal<Draft>, taxonomy: Taxonomy, errors: Memo<Vec<FieldError>>) -> impl IntoView {
    let s = state();
    let offline = draft.with_untracked(|d| d.is_offline(&taxonomy));
    let n_links = Memo::new(move |_| draft.with(|d| d.links.len().max(1)));
    let n_chars = move || draft.with(|d| d.description.trim().chars().count());
    let too_long = move || n_chars() > DESCRIPTION_MAX_CHARS;
    let districts = taxonomy.districts.iter().filter(|d| d.active).cloned().collect::<Vec<_>>();
    let advice_taxonomy = taxonomy.clone();
    // The chosen category's active subcategories, to narrow it down (optional).
    let root =
        draft.with_untracked(|d| d.category.clone()).map(|c| taxonomy.root_of(&c).to_owned()).unwrap_or_default();
    let subs: Vec<_> =
        taxonomy.subtree(&root).into_iter().skip(1).filter_map(|c| taxonomy.selectable(c)).cloned().collect();
    let refine = (!subs.is_empty()).then(|| view! {
        <div class="field">
            <label for="f-subcategory">{tr(Msg::SubcategoryLabel)}</label>
            <select id="f-subcategory" on:change=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.category = Some(v)); }>
                <option value=root.clone()>{tr(Msg::SubcategoryAny)}</option>
                {subs.into_iter().map(|c| {
                    let (code, value) = (c.code.clone(), c.code.clone());
                    let selected = move || draft.with(|d| d.category.as_deref() == Some(code.as_str()));
                    view! { <option value=value selected=selected>{move || c.name(s.lang.get()).to_owned()}</option> }
                }).collect_view()}
            </select>
        </div>
    });
    let place = if offline {
        view! {
            <div class="field">
                <label for="f-district">{tr(Msg::DistrictLabel)}</label>
                <select id="f-district" aria-invalid=move || errors.with(|e| e.iter().any(|e| e.field == "district")).to_string()
                    aria-describedby="err-district"
                    on:change=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.district = v); }>
                    <option value="">{tr(Msg::DistrictPlaceholder)}</option>
                    {districts.into_iter().map(|d| {
                        let code = d.code.clone();
                        let selected = move || draft.with(|dr| dr.district == code);
                        let value = d.code.clone();
                        view! { <option value=value selected=selected>{move || d.name(s.lang.get()).to_owned()}</option> }
                    }).collect_view()}
                </select>
                <FieldMessage errors=errors field="district".to_owned()/>
            </div>
            <TextField draft=draft errors=errors field="location" label=Msg::LocationLabel hint=Msg::LocationHint optional=true
                get=|d| d.location.clone() set=|d, v| d.location = v/>
            <PositionField key=draft.with_untracked(|d| d.idempotency_key.clone())/>
        }
        .into_any()
    } else {
        view! {
            <div class="field">
                <label>{tr(Msg::LinksLabel)}</label>
                <p class="muted small" id="hint-links">{tr(Msg::LinksHint)}</p>
                {move || (0..n_links.get()).map(|i| {
                    let field = format!("links.{i}");
                    view! {
                        <div class="link-row">
                            <input type="url" inputmode="url" aria-label=move || format!("{} {}", s.t(Msg::LinksLabel), i + 1)
                                aria-describedby=format!("err-links-{i} hint-links")
                                prop:value=move || draft.with(|d| d.links.get(i).cloned().unwrap_or_default())
                                on:input=move |ev| {
                                    let v = event_target_value(&ev);
                                    draft.update(|d| {
                                        if d.links.len() <= i { d.links.resize(i + 1, String::new()); }
                                        d.links[i] = v;
                                    });
                                }/>
                            {(i > 0).then(|| view! {
                                <button type="button" class="btn-icon" aria-label=tr(Msg::RemoveLink)
                                    on:click=move |_| draft.update(|d| { if i < d.links.len() { d.links.remove(i); } })>"×"</button>
                            })}
                        </div>
                        <FieldMessage errors=errors field=field/>
                    }
                }).collect_view()}
                <FieldMessage errors=errors field="links".to_owned()/>
                <button type="button" class="btn-link" hidden=move || n_links.get() >= qinglang_domain::report::MAX_LINKS
                    on:click=move |_| draft.update(|d| { if d.links.is_empty() { d.links.push(String::new()); } d.links.push(String::new()); })>
                    {tr(Msg::AddLink)}
                </button>
            </div>
            <TextField draft=draft errors=errors field="platform" label=Msg::PlatformLabel hint=Msg::PlatformHint optional=true
                get=|d| d.platform.clone() set=|d, v| d.platform = v/>
            <TextField draft=draft errors=errors field="account" label=Msg::AccountLabel optional=true
                get=|d| d.account.clone() set=|d, v| d.account = v/>
        }
        .into_any()
    };
    view! {
        <section class="card form">
            {refine}
            <div class="field">
                <label for="f-description">{tr(Msg::DescriptionLabel)}</label>
                // No `maxlength`: it would cut a long paste silently. Past the limit the counter turns
                // red, the limit's error shows at once, and one tap keeps the first 2,000 characters.
                <textarea id="f-description" rows="6" aria-describedby="hint-description err-description"
                    aria-invalid=move || (too_long() || errors.with(|e| e.iter().any(|e| e.field == "description"))).to_string()
                    prop:value=move || draft.with(|d| d.description.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.description = v); }></textarea>
                <p class="muted small row-between" id="hint-description">
                    <span>{tr(Msg::DescriptionHint)}</span>
                    <span class="char-count" class:over=too_long>{move || fill(s.t(Msg::CharCount), &[("n", &n_chars().to_string())])}</span>
                </p>
                {move || too_long().then(|| view! {
                    <p class="field-error" role="alert">{move || ErrorCode::DescriptionTooLong.message(s.lang.get())}" "
                        <button type="button" class="btn-small" on:click=move |_| draft.update(|d| {
                            d.description = d.description.trim().chars().take(DESCRIPTION_MAX_CHARS).collect();
                        })>{tr(Msg::KeepFirst)}</button>
                    </p>
                })}
                <FieldMessage errors=errors field="description".to_owned()/>
            </div>
            <PrescreenAdvice draft=draft taxonomy=advice_taxonomy/>
            {place}
        </section>
    }
}

#[component]
fn ContactStep(draft: RwSignal<Draft>, errors: Memo<Vec<FieldError>>) -> impl IntoView {
    let anonymous = Memo::new(move |_| draft.with(|d| d.anonymous));
    view! {
        <section class="card form">
            <p>{tr(Msg::ContactIntro)}</p>
            <label class="switch">
                <input type="checkbox" prop:checked=move || anonymous.get()
                    on:change=move |ev| { let on = event_target_checked(&ev); draft.update(|d| d.anonymous = on); }/>
                <span>{tr(Msg::Anonymous)}</span>
            </label>
            <div hidden=move || anonymous.get()>
                <TextField draft=draft errors=errors field="contact.name" label=Msg::NameLabel optional=true
                    get=|d| d.name.clone() set=|d, v| d.name = v/>
                <TextField draft=draft errors=errors field="contact.phone" label=Msg::PhoneLabel optional=true input_type="tel"
                    get=|d| d.phone.clone() set=|d, v| d.phone = v/>
            </div>
            <p class="muted small">{tr(Msg::ContactPrivacy)}</p>
        </section>
    }
}

#[component]
fn ReviewStep(
    draft: RwSignal<Draft>,
    taxonomy: Taxonomy,
    errors: Memo<Vec<FieldError>>,
    on_edit: impl Fn(Step) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let s = state();
    // Show what will be stored: the same normalisation the worker applies (links pulled out of
    // share text, phone digits only). A draft that does not validate shows its raw fields and
    // the error below.
    let request = draft.with_untracked(Draft::to_request);
    let (links, location, district_code, contact) = match Report::validate(&request, &taxonomy) {
        Ok(r) => (r.links, r.location, r.district, r.contact),
        Err(_) => (request.links.clone(), request.location.clone(), request.district.clone(), request.contact.clone()),
    };
    let category = taxonomy.category(&request.category).cloned();
    let district = district_code.as_deref().and_then(|c| taxonomy.district(c)).cloned();
    let place = move || {
        let lang = s.lang.get();
        [district.as_ref().map(|d| d.name(lang).to_owned()), location.clone()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" · ")
    };
    let contact = contact.map(|c| [c.name, c.phone].into_iter().flatten().collect::<Vec<_>>().join(" · "));
    // The pictures and the coarse position live with the outbox and evidence modules: counted from
    // localStorage, the pictures' thumbnails (the bytes that will be sent) loaded only if there are any.
    let key = request.idempotency_key.clone();
    let n_pictures = storage::picture_count(&key);
    let position_added = storage::has_position(&key);
    let thumbs = RwSignal::new(Vec::<String>::new());
    if n_pictures > 0 {
        let key = key.clone();
        leptos::task::spawn_local(async move {
            let urls = crate::evidence::thumbs(&key).await;
            let _ = thumbs.try_set(urls);
        });
    }
    let edit = move |step: Step| {
        view! { <dd><button type="button" class="btn-link" on:click=move |_| on_edit(step)>{tr(Msg::Edit)}</button></dd> }
    };
    let row = move |label: Msg, value: String, step: Step| {
        view! {
            <div class="review-row">
                <dt>{tr(label)}</dt>
                <dd class="prewrap">{value}</dd>
                {edit(step)}
            </div>
        }
    };
    view! {
        <section class="card">
            <p>{tr(Msg::ReviewIntro)}</p>
            <dl class="review">
                {move || row(Msg::ReviewCategory, category.as_ref().map(|c| c.name(s.lang.get()).to_owned()).unwrap_or_default(), Step::Category)}
                {row(Msg::ReviewDescription, request.description.trim().to_owned(), Step::Details)}
                {(!links.is_empty()).then(|| row(Msg::ReviewLinks, links.join("\n"), Step::Details))}
                {move || { let p = place(); (!p.is_empty()).then(|| row(Msg::ReviewPlace, p, Step::Details)) }}
                {position_added.then(|| row(Msg::ReviewPosition, s.t(Msg::ReviewPositionAdded).to_owned(), Step::Details))}
                {(n_pictures > 0).then(|| view! {
                    <div class="review-row">
                        <dt>{tr(Msg::ReviewPhotos)}</dt>
                        <dd>{move || thumbs_list(thumbs.get(), "review-thumbs")}</dd>
                        {edit(Step::Evidence)}
                    </div>
                })}
                {move || row(Msg::ReviewContact, contact.clone().unwrap_or_else(|| s.t(Msg::Anonymous).to_owned()), Step::Contact)}
            </dl>
            <FieldMessage errors=errors field="idempotency_key".to_owned()/>
        </section>
    }
}

/// The pictures of a report (object URLs of the bytes that are or were sent), numbered in their
/// alt text: on the review step and on the receipt.
fn thumbs_list(urls: Vec<String>, testid: &'static str) -> impl IntoView {
    view! {
        <ul class="thumbs" data-testid=testid>
            {urls.into_iter().enumerate().map(|(i, url)| view! {
                <li><img src=url alt=move || fill(state().t(Msg::PhotoAlt), &[("n", &(i + 1).to_string())])/></li>
            }).collect_view()}
        </ul>
    }
}

#[component]
fn Receipt(
    created: ReportCreated,
    thumbs: Vec<String>,
    on_again: impl Fn(()) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let track_href = format!(
        "/track#code={}&secret={}",
        js_sys::encode_uri_component(&created.receipt_code),
        js_sys::encode_uri_component(&created.secret)
    );
    view! {
        <section class="card receipt" aria-live="polite">
            <div class="done-mark" aria-hidden="true">"✓"</div>
            <h2>{tr(Msg::DoneTitle)}</h2>
            <p>{tr(Msg::DoneIntro)}</p>
            <dl class="receipt-codes">
                <dt>{tr(Msg::ReceiptCode)}</dt>
                <dd><span class="code" data-testid="receipt-code">{created.receipt_code.clone()}</span>
                    <CopyButton text=created.receipt_code.clone() label=Msg::ReceiptCode/></dd>
                <dt>{tr(Msg::Secret)}</dt>
                <dd><span class="code" data-testid="receipt-secret">{created.secret.clone()}</span>
                    <CopyButton text=created.secret.clone() label=Msg::Secret/></dd>
                <dt>{tr(Msg::SubmittedAt)}</dt>
                <dd>{browser::format_time(created.created_at)}</dd>
            </dl>
            {(!thumbs.is_empty()).then(|| thumbs_list(thumbs, "receipt-thumbs"))}
            <a class="btn-primary" href=track_href>{tr(Msg::TrackThis)}</a>
            <button type="button" class="btn-secondary" on:click=move |_| on_again(())>{tr(Msg::NewReport)}</button>
        </section>
    }
}

/// What the phone-side pre-screen found, shown under the description as the citizen types:
/// other people's personal data (with a button to mask it), a likelier category, doubtful links.
#[component]
fn PrescreenAdvice(draft: RwSignal<Draft>, taxonomy: Taxonomy) -> impl IntoView {
    let engine = RwSignal::new_local(None::<EngineModule>);
    let result = RwSignal::new(None::<Prescreen>);
    // Loaded after the step has painted; a failure just means no advice.
    leptos::task::spawn_local(async move {
        // try_set: the citizen may have left the step before the engine arrived.
        if let Some(module) = prescreen::load().await {
            engine.try_set(Some(module));
        }
    });
    let text = Memo::new(move |_| draft.with(|d| prescreen::screened_text(&d.description, &d.links)));
    let generation = StoredValue::new(0u32);
    let lang = state().lang;
    Effect::new(move |_| {
        let text = text.get();
        let Some(module) = engine.get() else { return };
        let this = generation.get_value().wrapping_add(1);
        generation.set_value(this);
        leptos::task::spawn_local(async move {
            // Debounce: screen only once typing pauses.
            browser::sleep(300).await;
            // The step may be gone by now (its signals disposed): then there is nothing to show.
            if generation.try_get_value() != Some(this) {
                return;
            }
            result.try_set(module.screen(&text));
            // "Already refuted": the description alone (as the worker fingerprints it), and only under
            // the rumour category or once it is long enough, so most reports never fetch the index.
            let claim = draft
                .try_with_untracked(|d| {
                    prescreen::worth_matching(d.category.as_deref(), &d.description)
                        .then(|| d.description.trim().to_owned())
                })
                .flatten();
            module.show_refuted(&claim.unwrap_or_default(), lang.get_untracked().tag());
        });
    });
    let mask = move |_| {
        if let Some(module) = engine.get_untracked() {
            draft.update(|d| d.description = module.mask(&d.description));
        }
    };
    let advice = move || {
        let Some(found) = result.get() else { return ().into_any() };
        let lang = state().lang.get();
        let pii = (!found.pii.is_empty()).then(|| {
            let items = found.pii.iter().map(|p| p.masked.as_str()).collect::<Vec<_>>().join("、");
            view! {
                <div class="advice" role="status">
                    <p>{fill(Msg::PrescreenPii.text(lang), &[("items", &items)])}</p>
                    <button type="button" class="btn-small" on:click=mask>{tr(Msg::MaskPii)}</button>
                </div>
            }
        });
        let chosen = draft.with_untracked(|d| d.category.clone());
        let suggested =
            found.category.as_deref().filter(|c| Some(*c) != chosen.as_deref()).and_then(|c| taxonomy.category(c));
        let suggestion = suggested.map(|c| {
            let code = c.code.clone();
            // The advice reads the category untracked, so taking it ends the advice here.
            let take = move |_| {
                draft.update(|d| d.category = Some(code.clone()));
                result.update(|r| r.iter_mut().for_each(|r| r.category = None));
            };
            view! {
                <div class="advice" role="status">
                    <p>{fill(Msg::PrescreenCategory.text(lang), &[("name", c.name(lang))])}</p>
                    <button type="button" class="btn-small" on:click=take>{tr(Msg::UseCategory)}</button>
                </div>
            }
        });
        let links = found
            .doubtful_links()
            .map(|l| {
                let msg = if l.malformed { Msg::PrescreenMalformed } else { Msg::PrescreenShortener };
                view! { <p class="advice" role="status">{fill(msg.text(lang), &[("url", &l.url)])}</p> }
            })
            .collect_view();
        view! { <div class="advice-list" data-testid="prescreen">{pii}{suggestion}{links}</div> }.into_any()
    };
    view! {
        <div class="advice" id="refuted-hint" role="status" data-testid="refuted" hidden></div>
        {advice}
    }
}

/// Tells the poster's channel once per draft that a report was started from it, and pre-fills the
/// district from the channel when the citizen has not chosen one.
fn tell_channel(draft: RwSignal<Draft>) {
    let (code, key, started) =
        draft.with_untracked(|d| (d.channel.clone(), d.idempotency_key.clone(), d.channel_started));
    let Some(code) = code else { return };
    if started {
        return;
    }
    leptos::task::spawn_local(async move {
        if let Some(district) = crate::evidence::channel_start(&code, &key).await {
            draft.try_update(|d| {
                d.channel_started = true;
                if d.district.is_empty() {
                    d.district = district;
                }
            });
        }
    });
}

/// The evidence step: the lazily loaded `/evidence.js` renders the pictures (exactly what will be
/// sent), the remove buttons and the file input into `#evidence-root`, with the text given here.
#[component]
fn EvidenceStep(draft: RwSignal<Draft>) -> impl IntoView {
    let s = state();
    let key = draft.with_untracked(|d| d.idempotency_key.clone());
    Effect::new(move |_| {
        let lang = s.lang.get();
        let key = key.clone();
        let text = crate::evidence::StepText {
            add: Msg::AddPhotos.text(lang),
            remove: Msg::RemovePhoto.text(lang),
            photo: Msg::PhotoAlt.text(lang),
            preparing: Msg::PhotoPreparing.text(lang),
            invalid: qinglang_domain::ErrorCode::ImageInvalid.message(lang),
        };
        leptos::task::spawn_local(async move { crate::evidence::mount("evidence-root", &key, &text).await });
    });
    view! {
        <section class="card form">
            <p>{tr(Msg::EvidenceIntro)}</p>
            <div id="evidence-root"><p class="muted small">{tr(Msg::Loading)}</p></div>
        </section>
    }
}

/// The optional device position (offline categories): `/outbox.js` draws the button, asks for one
/// fix only when tapped (10 s at most; WeChat often has no working location service, and the
/// district picker above is the way then), rounds it to 0.01° on the phone and adds it to the
/// report when it is sent. Staff alone see it.
#[component]
fn PositionField(key: String) -> impl IntoView {
    let lang = state().lang;
    Effect::new(move |_| crate::outbox::position("position-root", key.clone(), lang.get()));
    view! { <div id="position-root" class="field position"></div> }
}
