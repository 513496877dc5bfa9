//! 办理时限 (admins): whether handling limits count working days, each year's official holidays and
//! make-up working days (调休) as the State Council publishes them, and campaigns (专项行动) that
//! shorten chosen categories' limits for a period. Every change answers with the settings as stored.

use leptos::prelude::*;
use qinglang_domain::workflow::{Campaign, DeadlineSettings, WorkingDaysSwitch, YearCalendar};

use super::actions::DateField;
use super::api;
use super::ct;
use super::i18n::{Text, fill};
use crate::state;

/// Dates typed one per line (or separated by spaces or commas).
fn dates(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || c == ',' || c == '，')
        .filter(|d| !d.is_empty())
        .map(str::to_owned)
        .collect()
}

#[component]
pub fn DeadlinesPage() -> impl IntoView {
    let s = state();
    let settings = RwSignal::new(None::<DeadlineSettings>);
    let error = RwSignal::new(None::<String>);
    let saved = RwSignal::new(false);
    // Every change answers with the settings now; one place shows them and the outcome.
    let apply = move |answer: Result<DeadlineSettings, api::ApiFailure>| match answer {
        Ok(now) => {
            settings.try_set(Some(now));
            error.try_set(None);
            saved.try_set(true);
        }
        Err(e) => {
            error.try_set(Some(e.message(s.lang.get_untracked())));
            saved.try_set(false);
        }
    };
    leptos::task::spawn_local(async move {
        if let Ok(now) = api::get::<DeadlineSettings>("/api/admin/deadlines").await {
            settings.try_set(Some(now));
        }
    });
    let toggle = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        leptos::task::spawn_local(async move {
            apply(api::put("/api/admin/deadlines", &WorkingDaysSwitch { working_days: on }).await);
        });
    };
    // The year form.
    let year = RwSignal::new(String::new());
    let holidays = RwSignal::new(String::new());
    let workdays = RwSignal::new(String::new());
    let save_year = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let y = year.get_untracked().trim().to_owned();
        let body =
            YearCalendar { holidays: dates(&holidays.get_untracked()), workdays: dates(&workdays.get_untracked()) };
        leptos::task::spawn_local(async move { apply(api::put(&format!("/api/admin/calendar/{y}"), &body).await) });
    };
    // The campaign form.
    let name = RwSignal::new(String::new());
    let days = RwSignal::new("3".to_owned());
    let starts = RwSignal::new(String::new());
    let ends = RwSignal::new(String::new());
    let chosen = RwSignal::new(Vec::<String>::new());
    let add_campaign = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let campaign = Campaign {
            id: 0,
            name: name.get_untracked(),
            categories: chosen.get_untracked(),
            deadline_days: days.get_untracked().trim().parse().unwrap_or(0),
            starts_on: starts.get_untracked(),
            ends_on: ends.get_untracked(),
        };
        leptos::task::spawn_local(async move { apply(api::post("/api/admin/campaigns", &campaign).await) });
    };
    let withdraw = move |id: i64| {
        leptos::task::spawn_local(async move { apply(api::delete(&format!("/api/admin/campaigns/{id}")).await) });
    };
    view! {
        <h1>{ct(Text::NavDeadlines)}</h1>
        <p class="error" role="alert" hidden=move || error.with(Option::is_none)>{move || error.get()}</p>
        <p class="c-note" role="status" hidden=move || !saved.get()>{ct(Text::Saved)}</p>
        <section class="c-panel">
            <label class="c-check">
                <input type="checkbox" prop:checked=move || settings.with(|s| s.as_ref().is_some_and(|s| s.working_days)) on:change=toggle/>
                <span>{ct(Text::CountWorkingDays)}</span>
            </label>
            <p class="muted small">{ct(Text::CountWorkingDaysHint)}</p>
        </section>
        <section class="c-panel">
            <h2>{ct(Text::HolidayCalendar)}</h2>
            <ul class="c-years" data-testid="years">
                {move || settings.get().map(|st| st.years.into_iter().map(|y| {
                    let (h, w, n) = (y.days.holidays.len().to_string(), y.days.workdays.len().to_string(), y.year.to_string());
                    let key = n.clone();
                    view! { <li data-year=key>{move || fill(Text::YearCounts.text(s.lang.get()), &[("year", &n), ("h", &h), ("w", &w)])}</li> }
                }).collect_view())}
            </ul>
            <form on:submit=save_year aria-label=ct(Text::HolidayCalendar)>
                <div class="field">
                    <label for="cal-year">{ct(Text::Year)}</label>
                    <input id="cal-year" inputmode="numeric" prop:value=move || year.get() on:input=move |ev| year.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="cal-holidays">{ct(Text::Holidays)}</label>
                    <textarea id="cal-holidays" rows="4" placeholder="2027-01-01" prop:value=move || holidays.get() on:input=move |ev| holidays.set(event_target_value(&ev))></textarea>
                </div>
                <div class="field">
                    <label for="cal-workdays">{ct(Text::MakeUpDays)}</label>
                    <textarea id="cal-workdays" rows="2" prop:value=move || workdays.get() on:input=move |ev| workdays.set(event_target_value(&ev))></textarea>
                </div>
                <button type="submit" class="c-btn c-btn-primary">{ct(Text::SaveYear)}</button>
            </form>
        </section>
        <section class="c-panel">
            <h2>{ct(Text::Campaigns)}</h2>
            <table class="c-table" data-testid="campaigns">
                <tbody>
                    {move || settings.get().map(|st| st.campaigns.into_iter().map(|c| {
                        let id = c.id;
                        let names = c.categories.iter().map(|code| s.category_name(code)).collect::<Vec<_>>().join("、");
                        let limit = c.deadline_days.to_string();
                        view! {
                            <tr data-campaign=id>
                                <td>{c.name}</td>
                                <td>{names}</td>
                                <td>{move || fill(Text::DaysLimit.text(s.lang.get()), &[("n", &limit)])}</td>
                                <td>{format!("{} – {}", c.starts_on, c.ends_on)}</td>
                                <td><button type="button" class="c-btn" on:click=move |_| withdraw(id)>{ct(Text::Withdraw)}</button></td>
                            </tr>
                        }
                    }).collect_view())}
                </tbody>
            </table>
            <form on:submit=add_campaign aria-label=ct(Text::NewCampaign)>
                <h3>{ct(Text::NewCampaign)}</h3>
                <div class="field">
                    <label for="cp-name">{ct(Text::CampaignName)}</label>
                    <input id="cp-name" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                </div>
                <fieldset class="c-reasons">
                    <legend>{ct(Text::FilterCategory)}</legend>
                    {move || s.taxonomy.get().and_then(Result::ok).map(|t| t.categories.iter().filter(|c| c.active).map(|c| {
                        let code = c.code.clone();
                        let toggle = code.clone();
                        let label = super::category_option(&t, c, s.lang.get());
                        view! {
                            <label class="c-check">
                                <input type="checkbox" name="cp-category" value=code.clone()
                                    prop:checked=move || chosen.with(|list| list.contains(&code))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        chosen.update(|list| { list.retain(|x| *x != toggle); if on { list.push(toggle.clone()); } });
                                    }/>
                                <span>{label}</span>
                            </label>
                        }
                    }).collect_view())}
                </fieldset>
                <div class="field">
                    <label for="cp-days">{ct(Text::CampaignDays)}</label>
                    <input id="cp-days" inputmode="numeric" prop:value=move || days.get() on:input=move |ev| days.set(event_target_value(&ev))/>
                </div>
                <DateField id="cp-start" label=Text::StartsOn date=starts/>
                <DateField id="cp-end" label=Text::EndsOn date=ends/>
                <button type="submit" class="c-btn c-btn-primary">{ct(Text::StartCampaign)}</button>
            </form>
        </section>
    }
}
