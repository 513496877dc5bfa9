//! 登记举报: staff enter a report taken by phone, letter or in person, from a self-media clue or
//! passed down from a higher office, and import a CSV file of cases passed down. Both go to the
//! worker's intake routes, which validate exactly as for the public form; the page shows the receipt
//! to give the reporter, or every bad row of an import.

use leptos::prelude::*;
use qinglang_domain::api::ReportCreated;
use qinglang_domain::intake::import::ImportAnswer;
use qinglang_domain::intake::{Source, StaffReportRequest};
use qinglang_domain::report::{Contact, NewReport};
use qinglang_domain::workflow::SHANGHAI_UTC_OFFSET_MINUTES;

use super::api;
use super::ct;
use super::i18n::{Text, fill};
use crate::state;

/// The channels staff enter for (the public form is `web`).
const STAFF_SOURCES: [Source; 5] =
    [Source::Phone, Source::Letter, Source::Visit, Source::SelfMedia, Source::HigherOffice];

fn optional(text: String) -> Option<String> {
    Some(text.trim().to_owned()).filter(|t| !t.is_empty())
}

/// The page: one report by hand, and an import below it.
#[component]
pub fn IntakePage() -> impl IntoView {
    view! {
        <h1>{ct(Text::NavIntake)}</h1>
        <EnterForm/>
        <ImportForm/>
    }
}

#[component]
fn EnterForm() -> impl IntoView {
    let s = state();
    let source = RwSignal::new(Source::Phone);
    let reference = RwSignal::new(String::new());
    let received = RwSignal::new(String::new());
    let category = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let links = RwSignal::new(String::new());
    let platform = RwSignal::new(String::new());
    let account = RwSignal::new(String::new());
    let location = RwSignal::new(String::new());
    let district = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<ReportCreated>);
    // One key per report being entered: a retry after a network failure is the same report.
    let key = RwSignal::new(crate::browser::random_token());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lang = s.lang.get_untracked();
        // `datetime-local` gives `YYYY-MM-DDTHH:MM` in the office's time; empty means now.
        let received_at = match received.get_untracked().trim() {
            "" => None,
            text => match qinglang_domain::intake::import::parse_local_time(text, SHANGHAI_UTC_OFFSET_MINUTES) {
                Some(at) => Some(at),
                None => {
                    error.set(Some(Text::PickDate.text(lang).to_owned()));
                    return;
                }
            },
        };
        let contact = (optional(name.get_untracked()).is_some() || optional(phone.get_untracked()).is_some())
            .then(|| Contact { name: optional(name.get_untracked()), phone: optional(phone.get_untracked()) });
        let request = StaffReportRequest {
            source: source.get_untracked(),
            source_reference: optional(reference.get_untracked()),
            received_at,
            report: NewReport {
                idempotency_key: key.get_untracked(),
                category: category.get_untracked(),
                description: description.get_untracked(),
                links: links.get_untracked().split_whitespace().map(str::to_owned).collect(),
                platform: optional(platform.get_untracked()),
                account: optional(account.get_untracked()),
                location: optional(location.get_untracked()),
                district: optional(district.get_untracked()),
                contact,
                ..NewReport::default()
            },
        };
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match api::post::<ReportCreated, _>("/api/staff/reports", &request).await {
                Ok(created) => {
                    done.try_set(Some(created));
                    key.try_set(crate::browser::random_token());
                    for field in [reference, received, description, links, platform, account, location, name, phone] {
                        field.try_set(String::new());
                    }
                }
                Err(e) => {
                    error.try_set(Some(e.message(lang)));
                }
            }
            busy.try_set(false);
        });
    };
    let text_input = |id: &'static str, label: Text, value: RwSignal<String>| {
        view! {
            <div class="field">
                <label for=id>{ct(label)}</label>
                <input id=id prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
            </div>
        }
    };
    view! {
        <form class="c-panel c-intake" on:submit=submit aria-label=ct(Text::IntakeEnterTitle)>
            <h2>{ct(Text::IntakeEnterTitle)}</h2>
            <p class="muted small">{ct(Text::IntakeEnterHint)}</p>
            <div class="field">
                <label for="in-source">{ct(Text::IntakeSource)}</label>
                <select id="in-source" on:change=move |ev| {
                    if let Some(v) = Source::from_name(&event_target_value(&ev)) { source.set(v); }
                }>
                    {STAFF_SOURCES.into_iter().map(|v| view! {
                        <option value=v.as_str() selected=move || source.get() == v>{move || v.label(s.lang.get())}</option>
                    }).collect_view()}
                </select>
            </div>
            {text_input("in-ref", Text::IntakeReference, reference)}
            <div class="field">
                <label for="in-received">{ct(Text::IntakeReceived)}</label>
                <input id="in-received" type="datetime-local" prop:value=move || received.get()
                    on:input=move |ev| received.set(event_target_value(&ev))/>
            </div>
            <div class="field">
                <label for="in-category">{ct(Text::FilterCategory)}</label>
                <select id="in-category" on:change=move |ev| category.set(event_target_value(&ev))>
                    <option value="" selected=move || category.get().is_empty()>"—"</option>
                    {move || s.taxonomy.get().and_then(Result::ok).map(|t| t.categories.iter().filter(|c| c.active).map(|c| {
                        let code = c.code.clone();
                        let label = super::category_option(&t, c, s.lang.get());
                        view! { <option value=c.code.clone() selected=move || category.get() == code>{label}</option> }
                    }).collect_view())}
                </select>
            </div>
            <div class="field">
                <label for="in-description">{ct(Text::IntakeDescription)}</label>
                <textarea id="in-description" rows="5" prop:value=move || description.get()
                    on:input=move |ev| description.set(event_target_value(&ev))></textarea>
            </div>
            {text_input("in-links", Text::IntakeLinks, links)}
            {text_input("in-platform", Text::Platform, platform)}
            {text_input("in-account", Text::Account, account)}
            {text_input("in-location", Text::Place, location)}
            <div class="field">
                <label for="in-district">{ct(Text::FilterDistrict)}</label>
                <select id="in-district" on:change=move |ev| district.set(event_target_value(&ev))>
                    <option value="" selected=move || district.get().is_empty()>"—"</option>
                    {move || s.taxonomy.get().and_then(Result::ok).map(|t| t.districts.into_iter().filter(|d| d.active).map(|d| {
                        let code = d.code.clone();
                        view! { <option value=d.code.clone() selected=move || district.get() == code>{d.name(s.lang.get()).to_owned()}</option> }
                    }).collect_view())}
                </select>
            </div>
            {text_input("in-name", Text::IntakeContactName, name)}
            {text_input("in-phone", Text::IntakeContactPhone, phone)}
            <p class="error" role="alert" hidden=move || error.with(Option::is_none)>{move || error.get()}</p>
            <div class="c-form-buttons">
                <button type="submit" class="c-btn c-btn-primary" disabled=move || busy.get()>{ct(Text::IntakeSubmit)}</button>
            </div>
            {move || done.get().map(|d| view! {
                <div class="c-note" data-testid="intake-receipt" role="status">
                    <p>{move || fill(Text::IntakeDone.text(s.lang.get()), &[("code", &d.receipt_code), ("secret", &d.secret)])}</p>
                </div>
            })}
        </form>
    }
}

#[component]
fn ImportForm() -> impl IntoView {
    let s = state();
    let busy = RwSignal::new(false);
    let answer = RwSignal::new(None::<Result<ImportAnswer, String>>);
    let on_file = move |ev: leptos::ev::Event| {
        let Some(file) = chosen_file(&ev) else { return };
        let lang = s.lang.get_untracked();
        busy.set(true);
        answer.set(None);
        leptos::task::spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text()).await.ok().and_then(|v| v.as_string());
            let result = match text {
                Some(text) => api::import_csv(text, lang).await.map_err(|e| e.message(lang)),
                None => Err(Text::IntakeFileUnreadable.text(lang).to_owned()),
            };
            answer.try_set(Some(result));
            busy.try_set(false);
        });
    };
    view! {
        <section class="c-panel c-intake">
            <h2>{ct(Text::IntakeImportTitle)}</h2>
            <p class="muted small">{ct(Text::IntakeImportHint)}</p>
            <div class="field">
                <label for="in-file">{ct(Text::IntakeImportFile)}</label>
                <input id="in-file" type="file" accept=".csv,text/csv" on:change=on_file disabled=move || busy.get()/>
            </div>
            {move || answer.get().map(|a| match a {
                Err(message) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
                Ok(a) if a.rows.is_empty() => {
                    let n = a.imported.len().to_string();
                    view! {
                        <div data-testid="import-done">
                            <p class="c-note" role="status">{move || fill(Text::IntakeImported.text(s.lang.get()), &[("n", &n)])}</p>
                            <table class="c-table">
                                <thead><tr><th>"#"</th><th>{ct(Text::IntakeReference)}</th><th>{ct(Text::ReceiptCode)}</th></tr></thead>
                                <tbody>
                                    {a.imported.into_iter().map(|r| view! {
                                        <tr><td>{r.row}</td><td>{r.source_reference}</td><td class="c-code">{r.receipt_code}</td></tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any()
                }
                Ok(a) => view! { <RowErrors testid="import-errors" message=a.message.unwrap_or_default() rows=a.rows/> }.into_any(),
            })}
        </section>
    }
}

/// The file a `<input type=file>` change event chose, if any.
pub(super) fn chosen_file(ev: &leptos::ev::Event) -> Option<web_sys::File> {
    use wasm_bindgen::JsCast;
    let input = ev.target()?.dyn_into::<web_sys::HtmlInputElement>().ok()?;
    input.files()?.get(0)
}

/// An import's bad rows (row, field, why), after the refusal's sentence; at most 300 listed.
#[component]
pub(super) fn RowErrors(
    testid: &'static str,
    message: String,
    rows: Vec<qinglang_domain::intake::import::RowError>,
) -> impl IntoView {
    view! {
        <div data-testid=testid>
            <p class="error" role="alert">{message}</p>
            <table class="c-table">
                <thead><tr><th>{ct(Text::IntakeRow)}</th><th>{ct(Text::IntakeField)}</th><th>{ct(Text::IntakeProblem)}</th></tr></thead>
                <tbody>
                    {rows.into_iter().take(300).map(|r| view! {
                        <tr data-row=r.row><td>{r.row}</td><td>{r.field}</td><td>{r.message}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
