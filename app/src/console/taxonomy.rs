//! 类别与单位 (admins): the categories as a tree, the districts and the departments — add, rename,
//! change limits and departments, retire and restore (never delete) — and the settings log of every
//! change. Each change answers with the list as stored, which replaces the console's copy at once
//! (the report form, the queue filters and the transfer dialog all read it).

use leptos::prelude::*;
use leptos::task::spawn_local;
use qinglang_domain::admin::SettingsChanges;
use qinglang_domain::taxonomy::MAX_DEPTH;
use qinglang_domain::taxonomy::edit::{CategoryPatch, ChangeAction, EntryPatch, NewCategory, NewEntry};
use qinglang_domain::{CategoryKind, Lang, Taxonomy};

use super::api::{self, ApiFailure, Department};
use super::i18n::{Text, fill};
use super::{category_option, console, ct};
use crate::state;

/// What a form's answer did: nothing yet, saved, or refused with this sentence.
type Outcome = RwSignal<Option<Result<(), String>>>;

fn outcome_view(outcome: Outcome) -> impl IntoView {
    move || match outcome.get() {
        None => ().into_any(),
        Some(Ok(())) => view! { <p class="c-ok" role="status">{ct(Text::Saved)}</p> }.into_any(),
        Some(Err(message)) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
    }
}

/// Keeps an answer: `keep` stores the new list (which replaces the console's copy), and the change
/// log is read again; a refusal's sentence goes under the form. Everything it touches is captured
/// before the request is sent: no context is looked up once the answer arrives.
fn settle<T>(
    outcome: Outcome,
    log: RwSignal<u32>,
    lang: Lang,
    answer: Result<T, ApiFailure>,
    keep: impl FnOnce(T),
) -> bool {
    match answer {
        Ok(value) => {
            keep(value);
            outcome.try_set(Some(Ok(())));
            log.try_update(|n| *n += 1);
            true
        }
        Err(e) => {
            outcome.try_set(Some(Err(e.message(lang))));
            false
        }
    }
}

#[component]
pub fn TaxonomyPage() -> impl IntoView {
    // Bumped after every change so the log below reads itself again.
    let log = RwSignal::new(0u32);
    view! {
        <h1>{ct(Text::NavTaxonomy)}</h1>
        <p class="muted small">{ct(Text::TaxonomyIntro)}</p>
        <CategoriesPanel log=log/>
        <EntriesPanel departments=false log=log/>
        <EntriesPanel departments=true log=log/>
        <OfficesPanel/>
        <ChangesPanel log=log/>
    }
}

/// A text input bound to a signal.
#[component]
fn Input(
    id: &'static str,
    label: Text,
    value: RwSignal<String>,
    #[prop(optional)] disabled: Signal<bool>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{ct(label)}</label>
            <input id=id prop:value=move || value.get() prop:disabled=move || disabled.get()
                on:input=move |ev| value.set(event_target_value(&ev))/>
        </div>
    }
}

#[component]
fn CategoriesPanel(log: RwSignal<u32>) -> impl IntoView {
    let s = state();
    let outcome: Outcome = RwSignal::new(None);
    // The form: a new category (editing None) or the one being changed.
    let editing = RwSignal::new(None::<String>);
    let code = RwSignal::new(String::new());
    let parent = RwSignal::new(String::new());
    let kind = RwSignal::new("online".to_owned());
    let hans = RwSignal::new(String::new());
    let hant = RwSignal::new(String::new());
    let en = RwSignal::new(String::new());
    let days = RwSignal::new(String::new());
    let department = RwSignal::new(String::new());
    let link = RwSignal::new(false);
    let place = RwSignal::new(false);
    let reset = move |under: String| {
        editing.set(None);
        for field in [code, hans, hant, en, days, department] {
            field.set(String::new());
        }
        parent.set(under);
        link.set(false);
        place.set(false);
    };
    let taxonomy = move || s.taxonomy.get().and_then(Result::ok);
    let edit = move |c: qinglang_domain::Category| {
        editing.set(Some(c.code.clone()));
        code.set(c.code);
        parent.set(c.parent.unwrap_or_default());
        kind.set(c.kind.as_str().to_owned());
        hans.set(c.name_zh_hans);
        hant.set(c.name_zh_hant);
        en.set(c.name_en);
        days.set(c.deadline_days.to_string());
        department.set(c.default_department.unwrap_or_default());
        link.set(c.requires_link);
        place.set(c.requires_location);
    };
    let shared = s.taxonomy;
    let keep_taxonomy = move |t: Taxonomy| {
        shared.try_set(Some(Ok(t)));
    };
    let set_active = move |code: String, active: bool| {
        let patch = CategoryPatch { active: Some(active), ..CategoryPatch::default() };
        let lang = s.lang.get_untracked();
        spawn_local(async move {
            let answer = api::patch(&format!("/api/admin/categories/{code}"), &patch).await;
            settle(outcome, log, lang, answer, keep_taxonomy);
        });
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lang = s.lang.get_untracked();
        let number = |v: String| v.trim().parse::<u32>().ok();
        let dept = department.get_untracked();
        match editing.get_untracked() {
            Some(current) => {
                let patch = CategoryPatch {
                    name_zh_hans: Some(hans.get_untracked()),
                    name_zh_hant: Some(hant.get_untracked()),
                    name_en: Some(en.get_untracked()),
                    // An unreadable number is sent as 0 so the server names the field.
                    deadline_days: Some(number(days.get_untracked()).unwrap_or(0)),
                    requires_link: Some(link.get_untracked()),
                    requires_location: Some(place.get_untracked()),
                    default_department: Some(dept),
                    ..CategoryPatch::default()
                };
                spawn_local(async move {
                    let answer = api::patch(&format!("/api/admin/categories/{current}"), &patch).await;
                    if settle(outcome, log, lang, answer, keep_taxonomy) {
                        reset(String::new());
                    }
                });
            }
            None => {
                let under = Some(parent.get_untracked()).filter(|p| !p.is_empty());
                let top = under.is_none();
                let raw_days = days.get_untracked();
                let input = NewCategory {
                    code: code.get_untracked(),
                    kind: top.then(|| {
                        if kind.get_untracked() == "offline" { CategoryKind::Offline } else { CategoryKind::Online }
                    }),
                    parent: under,
                    name_zh_hans: hans.get_untracked(),
                    name_zh_hant: hant.get_untracked(),
                    name_en: en.get_untracked(),
                    deadline_days: if raw_days.trim().is_empty() { None } else { Some(number(raw_days).unwrap_or(0)) },
                    // A subcategory follows its parent unless the admin ticks more.
                    requires_link: (top || link.get_untracked()).then(|| link.get_untracked()),
                    requires_location: (top || place.get_untracked()).then(|| place.get_untracked()),
                    default_department: Some(dept).filter(|d| !d.is_empty()),
                };
                spawn_local(async move {
                    let answer = api::post("/api/admin/categories", &input).await;
                    if settle(outcome, log, lang, answer, keep_taxonomy) {
                        reset(String::new());
                    }
                });
            }
        }
    };
    let is_edit = Signal::derive(move || editing.get().is_some());
    let is_sub = move || !parent.get().is_empty();
    // Tianjin's list has 248 entries: a search narrows the table to names or codes containing it.
    let find = RwSignal::new(String::new());
    let department_name = move |code: &str| {
        let lang = s.lang.get();
        console()
            .departments
            .get()
            .and_then(|list| list.into_iter().find(|d| d.code == code).map(|d| d.name(lang).to_owned()))
            .unwrap_or_else(|| code.to_owned())
    };
    view! {
        <section class="c-panel" data-testid="tax-categories">
            <h2>{ct(Text::CategoriesTitle)}</h2>
            <div class="field">
                <input type="search" aria-label=ct(Text::FindCategory) placeholder=ct(Text::FindCategory)
                    prop:value=move || find.get() on:input=move |ev| find.set(event_target_value(&ev))/>
            </div>
            <table class="c-table c-tax">
                <thead><tr>
                    <th scope="col">{ct(Text::CategoriesTitle)}</th>
                    <th scope="col">{ct(Text::Code)}</th>
                    <th scope="col">{ct(Text::LimitDays)}</th>
                    <th scope="col">{ct(Text::DefaultDept)}</th>
                    <th scope="col"></th>
                </tr></thead>
                <tbody>
                    {move || taxonomy().map(|t| {
                        let needle = find.get().trim().to_lowercase();
                        let lang = s.lang.get();
                        t.categories.iter().filter(|c| {
                            needle.is_empty() || c.code.contains(&needle) || c.name(lang).to_lowercase().contains(&needle)
                        }).map(|c| {
                        let label = category_option(&t, c, s.lang.get());
                        let dept = c.default_department.clone().map(|d| department_name(&d)).unwrap_or_default();
                        let deep_enough = t.depth(&c.code) >= MAX_DEPTH;
                        let (active, code) = (c.active, c.code.clone());
                        let (c_edit, code_toggle, code_sub) = (c.clone(), code.clone(), code.clone());
                        view! {
                            <tr data-category=code.clone() class:c-retired=!active>
                                <td>{label}{(!active).then(|| view! { " " <span class="c-tag">{ct(Text::Retired)}</span> })}</td>
                                <td><code>{code.clone()}</code></td>
                                <td>{fill(Text::DaysLimit.text(s.lang.get()), &[("n", &c.deadline_days.to_string())])}</td>
                                <td>{dept}</td>
                                <td class="c-row-actions">
                                    <button type="button" class="c-btn" on:click=move |_| edit(c_edit.clone())>{ct(Text::Edit)}</button>
                                    <button type="button" class="c-btn" on:click=move |_| set_active(code_toggle.clone(), !active)>
                                        {ct(if active { Text::Retire } else { Text::Restore })}
                                    </button>
                                    {(active && !deep_enough).then(|| view! {
                                        <button type="button" class="c-btn" on:click=move |_| reset(code_sub.clone())>{ct(Text::AddSubcategory)}</button>
                                    })}
                                </td>
                            </tr>
                        }
                    }).collect_view()})}
                </tbody>
            </table>
            <form on:submit=submit aria-label=ct(Text::NewCategoryTitle) data-testid="category-form">
                <h3>{move || match editing.get() {
                    Some(c) => fill(Text::EditCategoryTitle.text(s.lang.get()), &[("code", &c)]),
                    None => Text::NewCategoryTitle.text(s.lang.get()).to_owned(),
                }}</h3>
                <div class="field">
                    <label for="cat-parent">{ct(Text::ParentCategory)}</label>
                    <select id="cat-parent" prop:disabled=move || is_edit.get() on:change=move |ev| parent.set(event_target_value(&ev))>
                        <option value="" selected=move || parent.get().is_empty()>{ct(Text::TopLevel)}</option>
                        {move || taxonomy().map(|t| t.categories.iter().filter(|c| c.active && t.depth(&c.code) < MAX_DEPTH).map(|c| {
                            let code = c.code.clone();
                            view! { <option value=c.code.clone() selected=move || parent.get() == code>{category_option(&t, c, s.lang.get())}</option> }
                        }).collect_view())}
                    </select>
                </div>
                <Input id="cat-code" label=Text::Code value=code disabled=is_edit/>
                <div class="field" hidden=move || is_sub() || is_edit.get()>
                    <label for="cat-kind">{ct(Text::KindLabel)}</label>
                    <select id="cat-kind" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        place.set(v == "offline");
                        kind.set(v);
                    }>
                        <option value="online" selected=move || kind.get() == "online">{ct(Text::KindOnlineC)}</option>
                        <option value="offline" selected=move || kind.get() == "offline">{ct(Text::KindOfflineC)}</option>
                    </select>
                </div>
                <Input id="cat-hans" label=Text::NameHans value=hans/>
                <Input id="cat-hant" label=Text::NameHant value=hant/>
                <Input id="cat-en" label=Text::NameEn value=en/>
                <Input id="cat-days" label=Text::LimitDays value=days/>
                <div class="field">
                    <label for="cat-dept">{ct(Text::DefaultDept)}</label>
                    <select id="cat-dept" on:change=move |ev| department.set(event_target_value(&ev))>
                        <option value="" selected=move || department.get().is_empty()>{ct(Text::NoDept)}</option>
                        {move || console().departments.get().unwrap_or_default().into_iter().filter(|d| d.active).map(|d| {
                            let code = d.code.clone();
                            view! { <option value=d.code.clone() selected=move || department.get() == code>{d.name(s.lang.get()).to_owned()}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <label class="c-check">
                    <input type="checkbox" prop:checked=move || link.get() on:change=move |ev| link.set(event_target_checked(&ev))/>
                    <span>{ct(Text::NeedsLink)}</span>
                </label>
                <label class="c-check">
                    <input type="checkbox" prop:checked=move || place.get() on:change=move |ev| place.set(event_target_checked(&ev))/>
                    <span>{ct(Text::NeedsPlace)}</span>
                </label>
                <p class="c-form-buttons">
                    <button type="submit" class="c-btn c-btn-primary">{ct(Text::Save)}</button>
                    <button type="button" class="c-btn" on:click=move |_| reset(String::new())>{ct(Text::Cancel)}</button>
                </p>
                {outcome_view(outcome)}
            </form>
        </section>
    }
}

/// One district or department as the list shows it.
#[derive(Clone)]
struct Row {
    code: String,
    names: [String; 3],
    active: bool,
    /// A district's office (its reports land there), a department's (it serves that office and below).
    office: Option<String>,
}

#[component]
fn EntriesPanel(departments: bool, log: RwSignal<u32>) -> impl IntoView {
    let s = state();
    let outcome: Outcome = RwSignal::new(None);
    let path = if departments { "/api/admin/departments" } else { "/api/admin/districts" };
    let editing = RwSignal::new(None::<String>);
    let code = RwSignal::new(String::new());
    let hans = RwSignal::new(String::new());
    let hant = RwSignal::new(String::new());
    let en = RwSignal::new(String::new());
    let office = RwSignal::new(String::new());
    let reset = move || {
        editing.set(None);
        for field in [code, hans, hant, en, office] {
            field.set(String::new());
        }
    };
    let offices = console().offices;
    let rows = move || -> Vec<Row> {
        if departments {
            console()
                .departments
                .get()
                .unwrap_or_default()
                .into_iter()
                .map(|d| Row {
                    code: d.code,
                    names: [d.name_zh_hans, d.name_zh_hant, d.name_en],
                    active: d.active,
                    office: Some(d.office),
                })
                .collect()
        } else {
            s.taxonomy
                .get()
                .and_then(Result::ok)
                .map(|t| t.districts)
                .unwrap_or_default()
                .into_iter()
                .map(|d| Row {
                    code: d.code,
                    names: [d.name_zh_hans, d.name_zh_hant, d.name_en],
                    active: d.active,
                    office: d.office,
                })
                .collect()
        }
    };
    // Both lists answer with what they keep: the taxonomy for districts, the departments for departments.
    let (shared, shared_departments) = (s.taxonomy, console().departments);
    let keep_taxonomy = move |t: Taxonomy| {
        shared.try_set(Some(Ok(t)));
    };
    let keep_departments = move |d: Vec<Department>| {
        shared_departments.try_set(Some(d));
    };
    let send = move |patch: Option<(String, EntryPatch)>, new: Option<NewEntry>| {
        let lang = s.lang.get_untracked();
        spawn_local(async move {
            let ok = match (departments, patch, new) {
                (true, Some((c, p)), _) => {
                    settle(outcome, log, lang, api::patch(&format!("{path}/{c}"), &p).await, keep_departments)
                }
                (false, Some((c, p)), _) => {
                    settle(outcome, log, lang, api::patch(&format!("{path}/{c}"), &p).await, keep_taxonomy)
                }
                (true, None, Some(n)) => settle(outcome, log, lang, api::post(path, &n).await, keep_departments),
                (false, None, Some(n)) => settle(outcome, log, lang, api::post(path, &n).await, keep_taxonomy),
                (_, None, None) => false,
            };
            if ok {
                reset();
            }
        });
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match editing.get_untracked() {
            Some(current) => {
                let patch = EntryPatch {
                    name_zh_hans: Some(hans.get_untracked()),
                    name_zh_hant: Some(hant.get_untracked()),
                    name_en: Some(en.get_untracked()),
                    office: Some(office.get_untracked()),
                    ..EntryPatch::default()
                };
                send(Some((current, patch)), None);
            }
            None => send(
                None,
                Some(NewEntry {
                    code: code.get_untracked(),
                    name_zh_hans: hans.get_untracked(),
                    name_zh_hant: hant.get_untracked(),
                    name_en: en.get_untracked(),
                    office: Some(office.get_untracked()).filter(|o| !o.is_empty()),
                }),
            ),
        }
    };
    let is_edit = Signal::derive(move || editing.get().is_some());
    let prefix = if departments { "dep" } else { "dis" };
    let ids: [&'static str; 4] = if departments {
        ["dep-code", "dep-hans", "dep-hant", "dep-en"]
    } else {
        ["dis-code", "dis-hans", "dis-hant", "dis-en"]
    };
    let title = if departments { Text::DepartmentsTitle } else { Text::DistrictsTitle };
    view! {
        <section class="c-panel" data-testid=format!("tax-{prefix}")>
            <h2>{ct(title)}</h2>
            <table class="c-table c-tax">
                <tbody>
                    {move || rows().into_iter().map(|row| {
                        let lang = s.lang.get();
                        let name = match lang {
                            qinglang_domain::Lang::ZhHans => row.names[0].clone(),
                            qinglang_domain::Lang::ZhHant => row.names[1].clone(),
                            qinglang_domain::Lang::En => row.names[2].clone(),
                        };
                        let active = row.active;
                        let (for_edit, for_toggle) = (row.clone(), row.code.clone());
                        view! {
                            <tr data-code=row.code.clone() class:c-retired=!active>
                                <td>{name}{(!active).then(|| view! { " " <span class="c-tag">{ct(Text::Retired)}</span> })}</td>
                                <td><code>{row.code.clone()}</code></td>
                                <td class="muted small">{row.office.clone().filter(|o| o != qinglang_domain::office::ROOT).map(|o| super::office_name(&o))}</td>
                                <td class="c-row-actions">
                                    <button type="button" class="c-btn" on:click=move |_| {
                                        let r = for_edit.clone();
                                        editing.set(Some(r.code.clone()));
                                        code.set(r.code);
                                        let [a, b, c] = r.names;
                                        hans.set(a);
                                        hant.set(b);
                                        en.set(c);
                                        office.set(r.office.unwrap_or_default());
                                    }>{ct(Text::Edit)}</button>
                                    <button type="button" class="c-btn" on:click=move |_| {
                                        let patch = EntryPatch { active: Some(!active), ..EntryPatch::default() };
                                        send(Some((for_toggle.clone(), patch)), None);
                                    }>{ct(if active { Text::Retire } else { Text::Restore })}</button>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <form on:submit=submit aria-label=ct(title)>
                <h3>{move || match editing.get() {
                    Some(c) => fill(Text::EditEntryTitle.text(s.lang.get()), &[("code", &c)]),
                    None => Text::NewEntryTitle.text(s.lang.get()).to_owned(),
                }}</h3>
                <div class="c-inline-fields">
                    <Input id=ids[0] label=Text::Code value=code disabled=is_edit/>
                    <Input id=ids[1] label=Text::NameHans value=hans/>
                    <Input id=ids[2] label=Text::NameHant value=hant/>
                    <Input id=ids[3] label=Text::NameEn value=en/>
                    <label class="field">
                        <span>{ct(if departments { Text::DepartmentOffice } else { Text::DistrictOffice })}</span>
                        <select data-testid=format!("{prefix}-office") on:change=move |ev| office.set(event_target_value(&ev))>
                            <option value="" selected=move || office.get().is_empty()>"—"</option>
                            {move || offices.get().map(|tree| super::offices_below(&tree, qinglang_domain::office::ROOT, s.lang.get())
                                .into_iter()
                                .map(|(code, label)| {
                                    let pick = code.clone();
                                    view! { <option value=code selected=move || office.get() == pick>{label}</option> }
                                })
                                .collect_view())}
                        </select>
                    </label>
                </div>
                <p class="c-form-buttons">
                    <button type="submit" class="c-btn c-btn-primary">{ct(Text::Save)}</button>
                    <button type="button" class="c-btn" on:click=move |_| reset()>{ct(Text::Cancel)}</button>
                </p>
                {outcome_view(outcome)}
            </form>
        </section>
    }
}

/// What changed between two JSON rows of the log: `name_en: A → B; active: true → false`.
fn difference(before: Option<&str>, after: &str) -> String {
    let parse =
        |text: &str| serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(text).unwrap_or_default();
    let after = parse(after);
    let Some(before) = before.map(parse) else {
        // A creation: its name says most.
        return after.get("name_zh_hans").or_else(|| after.get("name")).map(ToString::to_string).unwrap_or_default();
    };
    after
        .iter()
        .filter(|(k, v)| before.get(*k) != Some(v))
        .map(|(k, v)| {
            format!("{k}: {} → {v}", before.get(k).map(ToString::to_string).unwrap_or_else(|| "—".to_owned()))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[component]
fn ChangesPanel(log: RwSignal<u32>) -> impl IntoView {
    let s = state();
    let changes = RwSignal::new(None::<SettingsChanges>);
    Effect::new(move |_| {
        log.track();
        spawn_local(async move {
            if let Ok(page) = api::get::<SettingsChanges>("/api/admin/changes?limit=20").await {
                changes.try_set(Some(page));
            }
        });
    });
    let subject = |name: &str| match name {
        "category" => Some(Text::SubjCategory),
        "district" => Some(Text::SubjDistrict),
        "department" => Some(Text::SubjDepartment),
        "deadlines" => Some(Text::SubjDeadlines),
        "calendar" => Some(Text::SubjCalendar),
        "campaign" => Some(Text::SubjCampaign),
        _ => None,
    };
    let action = |a: ChangeAction| match a {
        ChangeAction::Create => Text::ActCreate,
        ChangeAction::Update => Text::ActUpdate,
        ChangeAction::Retire => Text::ActRetire,
        ChangeAction::Restore => Text::ActRestore,
    };
    view! {
        <section class="c-panel" data-testid="tax-changes">
            <h2>{ct(Text::ChangesTitle)}</h2>
            {move || match changes.get() {
                None => ().into_any(),
                Some(page) if page.changes.is_empty() => view! { <p class="muted">{ct(Text::NoChanges)}</p> }.into_any(),
                Some(page) => view! {
                    <ul class="c-log">
                        {page.changes.into_iter().map(|c| {
                            let what = difference(c.before.as_deref(), &c.after);
                            view! {
                                <li data-change=c.id>
                                    <span class="muted small">{crate::browser::format_time(c.at)}</span>" "
                                    <strong>{c.by}</strong>" "{move || action(c.action).text(s.lang.get())}" "
                                    {move || subject(&c.subject).map_or_else(|| c.subject.clone(), |t| t.text(s.lang.get()).to_owned())}" "
                                    <code>{c.code}</code>
                                    <span class="muted small">" "{what}</span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}

/// How many offices the list shows before "and N more" (a province has thousands).
const OFFICES_SHOWN: usize = 300;

/// The offices of the admin's subtree (indented, with level and code) and a CSV import of more.
#[component]
fn OfficesPanel() -> impl IntoView {
    let s = state();
    let offices = console().offices;
    let mine = console().session.with_untracked(|m| m.as_ref().map(|m| m.staff.office.clone())).unwrap_or_default();
    let busy = RwSignal::new(false);
    let answer = RwSignal::new(None::<Result<qinglang_domain::office::import::OfficeImportAnswer, String>>);
    let on_file = move |ev: leptos::ev::Event| {
        let Some(file) = super::intake::chosen_file(&ev) else { return };
        let lang = s.lang.get_untracked();
        busy.set(true);
        answer.set(None);
        spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text()).await.ok().and_then(|v| v.as_string());
            let result = match text {
                Some(text) => api::import_offices(text, lang).await.map_err(|e| e.message(lang)),
                None => Err(Text::IntakeFileUnreadable.text(lang).to_owned()),
            };
            // A good import changes the tree every picker reads.
            if matches!(&result, Ok(a) if a.rows.is_empty())
                && let Ok(tree) = api::get::<qinglang_domain::office::OfficeTree>("/api/offices").await
            {
                offices.try_set(Some(tree));
            }
            answer.try_set(Some(result));
            busy.try_set(false);
        });
    };
    view! {
        <section class="c-panel" data-testid="tax-offices">
            <h2>{ct(Text::OfficesTitle)}</h2>
            {move || offices.get().map(|tree| {
                let all = super::offices_below(&tree, &mine, s.lang.get());
                let more = all.len().saturating_sub(OFFICES_SHOWN);
                view! {
                    <table class="c-table c-tax">
                        <tbody>
                            {all.into_iter().take(OFFICES_SHOWN).map(|(code, label)| {
                                let level = tree.get(&code).map(|o| o.level.as_str()).unwrap_or_default();
                                let shown = code.clone();
                                view! { <tr data-code=code><td>{label}</td><td><code>{shown}</code></td><td class="muted small">{level}</td></tr> }
                            }).collect_view()}
                        </tbody>
                    </table>
                    {(more > 0).then(|| view! { <p class="muted small">{move || fill(Text::OfficesMore.text(s.lang.get()), &[("n", &more.to_string())])}</p> })}
                }
            })}
            <h3>{ct(Text::OfficesImport)}</h3>
            <p class="muted small">{ct(Text::OfficesImportHint)}</p>
            <div class="field">
                <label for="office-file">{ct(Text::IntakeImportFile)}</label>
                <input id="office-file" type="file" accept=".csv,text/csv" on:change=on_file disabled=move || busy.get()/>
            </div>
            {move || answer.get().map(|a| match a {
                Err(message) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
                Ok(a) if a.rows.is_empty() => {
                    let (n, total) = (a.imported.to_string(), a.offices.to_string());
                    view! { <p class="c-ok" role="status" data-testid="offices-imported">{move || fill(Text::OfficesImported.text(s.lang.get()), &[("n", &n), ("total", &total)])}</p> }.into_any()
                }
                Ok(a) => view! {
                    <super::intake::RowErrors testid="offices-import-errors" message=a.message.unwrap_or_default() rows=a.rows/>
                }.into_any(),
            })}
        </section>
    }
}
