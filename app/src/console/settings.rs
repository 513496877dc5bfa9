//! The console's figures, notifications and admin settings pages (staff accounts, routing rules,
//! webhooks). Each page loads its list on arrival and reloads it after a change, so what is shown
//! is what the server stored.

use leptos::prelude::*;
use qinglang_domain::admin::{NewStaff, NewWebhook, RoutingRules, StaffAccount, StaffPatch, WebhookKind, WebhookView};
use qinglang_domain::api::Notifications;
use qinglang_domain::figures::{StaffFigures, WorkloadFigures};
use qinglang_domain::workflow::{Role, RoutingRule};

use super::api::{self, ApiFailure};
use super::i18n::Text;
use super::{console, ct, department_name};
use crate::state;

/// A loaded list, or the failure to show.
type Loaded<T> = RwSignal<Option<Result<T, ApiFailure>>>;

fn failure(e: &ApiFailure) -> impl IntoView + use<> {
    let lang = state().lang;
    let e = e.clone();
    view! { <p class="error" role="alert">{move || e.message(lang.get())}</p> }
}

/// The status line under a form: nothing, saved, or the server's reason.
fn status(st: RwSignal<Option<Result<(), ApiFailure>>>) -> impl IntoView {
    move || match st.get() {
        None => ().into_any(),
        Some(Ok(())) => view! { <p class="c-ok" role="status">{ct(Text::Saved)}</p> }.into_any(),
        Some(Err(e)) => failure(&e).into_any(),
    }
}

fn department_options(selected: Option<String>) -> impl IntoView {
    move || {
        let lang = state().lang.get();
        let selected = selected.clone();
        console()
            .departments
            .get()
            .unwrap_or_default()
            .into_iter()
            .filter(|d| d.active || selected.as_deref() == Some(d.code.as_str()))
            .map(|d| {
                let is = selected.as_deref() == Some(d.code.as_str());
                view! { <option value=d.code.clone() selected=is>{d.name(lang).to_owned()}</option> }
            })
            .collect_view()
    }
}

// Figures are rounded to integers before they are printed: `f64`'s `Display` would bring the
// float formatting machinery (~11 KB of WASM before wasm-opt) into the console bundle.

/// A rate (0–1) as a whole percentage.
fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(|| "—".to_owned(), |r| format!("{}%", (r * 100.0).round() as i64))
}

/// Days with one decimal (2.25 → "2.3").
fn one_decimal(days: f64) -> String {
    let tenths = (days * 10.0).round() as i64;
    format!("{}.{}", tenths / 10, tenths % 10)
}

fn figure_cells(f: &WorkloadFigures) -> impl IntoView + use<> {
    let median = f.median_days_to_close.map_or_else(|| "—".to_owned(), one_decimal);
    view! {
        // On a phone the table's head is hidden and each cell says what it is (`data-label`).
        <td data-label=ct(Text::Open)>{f.open}</td>
        <td data-label=ct(Text::Overdue)>{f.overdue}</td>
        <td data-label=ct(Text::ClosedCount)>{f.closed}</td>
        <td data-label=ct(Text::MedianDays)>{median}</td>
        <td data-label=ct(Text::OnTimeRate)>{percent(f.on_time_rate)}</td>
        <td data-label=ct(Text::SatisfactionRate)>{percent(f.satisfaction_rate)}{(f.rated > 0).then(|| format!(" ({})", f.rated))}</td>
    }
}

fn figure_head(first: Text) -> impl IntoView {
    view! {
        <thead>
            <tr>
                <th>{ct(first)}</th>
                <th>{ct(Text::Open)}</th>
                <th>{ct(Text::Overdue)}</th>
                <th>{ct(Text::ClosedCount)}</th>
                <th>{ct(Text::MedianDays)}</th>
                <th>{ct(Text::OnTimeRate)}</th>
                <th>{ct(Text::SatisfactionRate)}</th>
            </tr>
        </thead>
    }
}

/// Open, overdue and closed cases, median days to close, on-time rate and 满意率 (with the number of
/// ratings) per department and handler.
#[component]
pub fn FiguresPage() -> impl IntoView {
    let s = state();
    let data: Loaded<StaffFigures> = RwSignal::new(None);
    // The office the figures are about: the account's own (None) or one below it, picked in the
    // league table.
    let office = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let asked = office.get();
        leptos::task::spawn_local(async move {
            let r = api::figures(asked).await;
            data.try_set(Some(r));
        });
    });
    let offices = super::console().offices;
    view! {
        <section class="c-panel" data-testid="figures">
            <h1>{ct(Text::Figures)}</h1>
            {move || data.with(|d| d.as_ref().and_then(|r| r.as_ref().ok()).and_then(|f| f.office.clone())).map(|code| {
                let parent = offices.with(|t| t.as_ref().and_then(|t| t.get(&code)).and_then(|o| o.parent.clone()));
                let back = office.with(Option::is_some).then_some(parent).flatten();
                view! {
                    <p class="c-office-line">
                        <strong data-testid="figures-office">{super::office_name(&code)}</strong>
                        {back.map(|up| {
                            let name = super::office_name(&up);
                            view! { " " <button type="button" class="c-link" on:click=move |_| office.set(Some(up.clone()))>{format!("↑ {name}")}</button> }
                        })}
                    </p>
                }
            })}
            {move || match data.get() {
                None => view! { <p class="muted">"…"</p> }.into_any(),
                Some(Err(e)) => failure(&e).into_any(),
                Some(Ok(f)) => {
                    let departments = f
                        .departments
                        .iter()
                        .map(|d| {
                            let code = d.department.clone();
                            let name = move || code.as_deref().map_or_else(|| ct(Text::Unassigned)().to_owned(), department_name);
                            view! { <tr><td>{name}</td>{figure_cells(&d.figures)}</tr> }
                        })
                        .collect_view();
                    let handlers = f
                        .handlers
                        .iter()
                        .map(|h| {
                            let name = h.display_name.clone();
                            let name = move || name.clone().unwrap_or_else(|| ct(Text::Unassigned)().to_owned());
                            view! { <tr><td>{name}</td>{figure_cells(&h.figures)}</tr> }
                        })
                        .collect_view();
                    let has_handlers = !f.handlers.is_empty();
                    // The league table: the office's own cases, then each office below it (its whole
                    // subtree); a child's name opens its own figures.
                    let has_offices = f.offices.len() > 1;
                    let office_lines = f
                        .offices
                        .iter()
                        .map(|o| {
                            let code = o.office.clone();
                            let name = super::office_name(&code);
                            let cell = if o.own {
                                view! { <td>{move || format!("{}（{}）", name, Text::OwnCases.text(s.lang.get()))}</td> }.into_any()
                            } else {
                                view! { <td><button type="button" class="c-link" on:click=move |_| office.set(Some(code.clone()))>{name}</button></td> }.into_any()
                            };
                            view! { <tr>{cell}{figure_cells(&o.figures)}</tr> }
                        })
                        .collect_view();
                    view! {
                        {has_offices.then(|| view! {
                            <h2>{ct(Text::ByOffice)}</h2>
                            <table class="c-table" data-testid="figures-offices">
                                {figure_head(Text::HeldByOffice)}
                                <tbody>{office_lines}</tbody>
                            </table>
                        })}
                        <h2>{ct(Text::ByDepartment)}</h2>
                        <table class="c-table" data-testid="figures-departments">
                            {figure_head(Text::Department)}
                            <tbody>{departments}</tbody>
                        </table>
                        {has_handlers.then(|| view! {
                            <h2>{ct(Text::ByHandler)}</h2>
                            <table class="c-table" data-testid="figures-handlers">
                                {figure_head(Text::FilterHandler)}
                                <tbody>{handlers}</tbody>
                            </table>
                        })}
                    }
                    .into_any()
                }
            }}
        </section>
    }
}

/// The account's notifications; opening the page does not mark them read, the button does.
#[component]
pub fn NotificationsPage(unread: RwSignal<u32>) -> impl IntoView {
    let data: Loaded<Notifications> = RwSignal::new(None);
    let show = move |r: Result<Notifications, ApiFailure>| {
        if let Ok(n) = &r {
            unread.try_set(n.unread);
        }
        data.try_set(Some(r));
    };
    leptos::task::spawn_local(async move { show(api::notifications().await) });
    let mark_all = move |_| leptos::task::spawn_local(async move { show(api::mark_read(None).await) });
    view! {
        <section class="c-panel" data-testid="notifications">
            <h1>{ct(Text::NavNotifications)}</h1>
            {move || match data.get() {
                None => view! { <p class="muted">"…"</p> }.into_any(),
                Some(Err(e)) => failure(&e).into_any(),
                Some(Ok(n)) if n.items.is_empty() => view! { <p class="muted">{ct(Text::NotificationsEmpty)}</p> }.into_any(),
                Some(Ok(n)) => view! {
                    <p>
                        <button type="button" class="c-btn" disabled=n.unread == 0 on:click=mark_all>{ct(Text::MarkAllRead)}</button>
                    </p>
                    <ol class="c-timeline">
                        {n.items.into_iter().map(|item| {
                            let when = crate::browser::format_time(item.created_at);
                            let unread = item.read_at.is_none();
                            view! {
                                <li class:c-internal=!unread>
                                    <p><strong>{item.title}</strong>" "{unread.then(|| view! { <span class="badge">{ct(Text::Unread)}</span> })}</p>
                                    <p class="muted small">{when}</p>
                                    <p class="c-pre">{item.body}</p>
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any(),
            }}
        </section>
    }
}

/// Staff accounts: the list (disable/enable, role change) and the form for a new account.
#[component]
pub fn StaffPage() -> impl IntoView {
    let s = state();
    let list: Loaded<Vec<StaffAccount>> = RwSignal::new(None);
    let reload = move || {
        leptos::task::spawn_local(async move {
            let r = api::staff().await;
            list.try_set(Some(r));
        })
    };
    reload();
    let list_status = RwSignal::new(None::<Result<(), ApiFailure>>);
    let patch = move |id: i64, patch: StaffPatch| {
        leptos::task::spawn_local(async move {
            let r = api::patch_staff(id, &patch).await.map(|_| ());
            list_status.try_set(Some(r));
            reload();
        });
    };
    let username = RwSignal::new(String::new());
    let display_name = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Handler);
    let department = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let form_status = RwSignal::new(None::<Result<(), ApiFailure>>);
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = NewStaff {
            username: username.get_untracked().trim().to_owned(),
            display_name: display_name.get_untracked().trim().to_owned(),
            role: role.get_untracked(),
            department: (role.get_untracked() == Role::Liaison).then(|| department.get_untracked()),
            password: password.get_untracked(),
            office: None,
        };
        leptos::task::spawn_local(async move {
            let r = api::create_staff(&input).await.map(|_| ());
            if r.is_ok() {
                username.try_set(String::new());
                display_name.try_set(String::new());
                password.try_set(String::new());
                reload();
            }
            form_status.try_set(Some(r));
        });
    };
    let role_options = move |selected: Role| {
        Role::ALL
            .into_iter()
            .map(|r| view! { <option value=r.as_str() selected=r == selected>{move || r.label(s.lang.get())}</option> })
            .collect_view()
    };
    view! {
        <section class="c-panel" data-testid="staff">
            <h1>{ct(Text::NavStaff)}</h1>
            {move || match list.get() {
                None => view! { <p class="muted">"…"</p> }.into_any(),
                Some(Err(e)) => failure(&e).into_any(),
                Some(Ok(accounts)) => view! {
                    <table class="c-table">
                        <thead><tr>
                            <th>{ct(Text::Username)}</th><th>{ct(Text::DisplayName)}</th><th>{ct(Text::Role)}</th>
                            <th>{ct(Text::Department)}</th><th>{ct(Text::Active)}</th>
                        </tr></thead>
                        <tbody>
                            {accounts.into_iter().map(|a| {
                                let id = a.id.0;
                                let active = a.active;
                                let dept = a.department.clone();
                                view! {
                                    <tr data-username=a.username.clone()>
                                        <td>{a.username.clone()}</td>
                                        <td>{a.display_name.clone()}</td>
                                        <td>
                                            <select aria-label=ct(Text::Role) on:change=move |ev| {
                                                if let Some(r) = Role::from_name(&event_target_value(&ev)) {
                                                    patch(id, StaffPatch { role: Some(r), ..StaffPatch::default() });
                                                }
                                            }>{role_options(a.role)}</select>
                                        </td>
                                        <td>{move || dept.as_deref().map(department_name)}</td>
                                        <td>
                                            {if active { ct(Text::Active)() } else { ct(Text::Disabled)() }}" "
                                            <button type="button" class="c-btn" on:click=move |_| {
                                                patch(id, StaffPatch { active: Some(!active), ..StaffPatch::default() });
                                            }>{ct(if active { Text::Disable } else { Text::Enable })}</button>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            }}
            {status(list_status)}
        </section>
        <section class="c-panel">
            <h2>{ct(Text::NewAccount)}</h2>
            <form class="c-action-form" on:submit=create>
                <label class="field">{ct(Text::Username)}
                    <input required bind:value=username autocomplete="off"/>
                </label>
                <label class="field">{ct(Text::DisplayName)}
                    <input required bind:value=display_name/>
                </label>
                <label class="field">{ct(Text::Role)}
                    <select on:change=move |ev| {
                        if let Some(r) = Role::from_name(&event_target_value(&ev)) { role.set(r); }
                    }>{role_options(Role::Handler)}</select>
                </label>
                <label class="field" hidden=move || role.get() != Role::Liaison>{ct(Text::Department)}
                    <select on:change=move |ev| department.set(event_target_value(&ev))>
                        <option value="">"—"</option>
                        {department_options(None)}
                    </select>
                </label>
                <label class="field">{ct(Text::InitialPassword)}
                    <input type="password" required bind:value=password autocomplete="new-password"/>
                </label>
                <p class="c-form-buttons"><button type="submit" class="c-btn c-btn-primary">{ct(Text::Add)}</button></p>
                {status(form_status)}
            </form>
        </section>
    }
}

/// The routing rules as an editable list; saving replaces the whole list.
#[component]
pub fn RoutingPage() -> impl IntoView {
    let rules = RwSignal::new(None::<Result<Vec<RwSignal<RoutingRule>>, ApiFailure>>);
    let load = move |r: Result<RoutingRules, ApiFailure>| {
        rules.try_set(Some(r.map(|r| r.rules.into_iter().map(RwSignal::new).collect())));
    };
    leptos::task::spawn_local(async move { load(api::routing_rules().await) });
    let st = RwSignal::new(None::<Result<(), ApiFailure>>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(Ok(list)) = rules.get_untracked() else { return };
        let body = RoutingRules { rules: list.iter().map(|r| r.get_untracked()).collect() };
        leptos::task::spawn_local(async move {
            match api::put_routing_rules(&body).await {
                Ok(saved) => {
                    load(Ok(saved));
                    st.try_set(Some(Ok(())));
                }
                Err(e) => {
                    st.try_set(Some(Err(e)));
                }
            }
        });
    };
    let add = move |_| {
        rules.update(|r| {
            if let Some(Ok(list)) = r {
                let department = console().departments.get_untracked().and_then(|d| d.first().map(|d| d.code.clone()));
                list.push(RwSignal::new(RoutingRule {
                    category: None,
                    district: None,
                    department: department.unwrap_or_default(),
                }));
            }
        });
    };
    let text = |v: Option<String>| v.unwrap_or_default();
    let opt = |v: String| Some(v.trim().to_owned()).filter(|v| !v.is_empty());
    view! {
        <section class="c-panel" data-testid="routing">
            <h1>{ct(Text::NavRouting)}</h1>
            <p class="muted small">{ct(Text::RuleOrder)}</p>
            {move || match rules.get() {
                None => view! { <p class="muted">"…"</p> }.into_any(),
                Some(Err(e)) => failure(&e).into_any(),
                Some(Ok(list)) => view! {
                    <form on:submit=save>
                        <table class="c-table">
                            <thead><tr>
                                <th>{ct(Text::FilterCategory)}</th><th>{ct(Text::FilterDistrict)}</th>
                                <th>{ct(Text::Department)}</th><th></th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().enumerate().map(|(i, rule)| {
                                    let r = rule.get_untracked();
                                    view! {
                                        <tr data-rule=i>
                                            <td><input aria-label=ct(Text::FilterCategory) placeholder=ct(Text::AnyValue)
                                                value=text(r.category.clone())
                                                on:change=move |ev| rule.update(|r| r.category = opt(event_target_value(&ev)))/></td>
                                            <td><input aria-label=ct(Text::FilterDistrict) placeholder=ct(Text::AnyValue)
                                                value=text(r.district.clone())
                                                on:change=move |ev| rule.update(|r| r.district = opt(event_target_value(&ev)))/></td>
                                            <td><select aria-label=ct(Text::Department)
                                                on:change=move |ev| rule.update(|r| r.department = event_target_value(&ev))>
                                                {department_options(Some(r.department.clone()))}
                                            </select></td>
                                            <td><button type="button" class="c-btn" on:click=move |_| rules.update(|l| {
                                                if let Some(Ok(l)) = l { l.retain(|x| *x != rule); }
                                            })>{ct(Text::Remove)}</button></td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                        <p class="c-form-buttons">
                            <button type="button" class="c-btn" on:click=add>{ct(Text::Add)}</button>
                            <button type="submit" class="c-btn c-btn-primary">{ct(Text::Save)}</button>
                        </p>
                    </form>
                }.into_any(),
            }}
            {status(st)}
        </section>
    }
}

/// Digest webhooks: the list (URLs masked by the server), remove, and add.
#[component]
pub fn WebhooksPage() -> impl IntoView {
    let list: Loaded<Vec<WebhookView>> = RwSignal::new(None);
    let reload = move || {
        leptos::task::spawn_local(async move {
            let r = api::webhooks().await;
            list.try_set(Some(r));
        })
    };
    reload();
    let st = RwSignal::new(None::<Result<(), ApiFailure>>);
    let kind = RwSignal::new(WebhookKind::Wecom);
    let url = RwSignal::new(String::new());
    let label = RwSignal::new(String::new());
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = NewWebhook {
            kind: kind.get_untracked(),
            url: url.get_untracked().trim().to_owned(),
            label: label.get_untracked(),
            office: None,
        };
        leptos::task::spawn_local(async move {
            let r = api::add_webhook(&input).await.map(|_| ());
            if r.is_ok() {
                url.try_set(String::new());
                label.try_set(String::new());
            }
            st.try_set(Some(r));
            reload();
        });
    };
    let remove = move |id: i64| {
        leptos::task::spawn_local(async move {
            let r = api::delete_webhook(id).await;
            st.try_set(Some(r));
            reload();
        })
    };
    view! {
        <section class="c-panel" data-testid="webhooks">
            <h1>{ct(Text::NavWebhooks)}</h1>
            {move || match list.get() {
                None => view! { <p class="muted">"…"</p> }.into_any(),
                Some(Err(e)) => failure(&e).into_any(),
                Some(Ok(hooks)) => view! {
                    <table class="c-table">
                        <thead><tr><th>{ct(Text::WebhookKind)}</th><th>{ct(Text::WebhookUrl)}</th><th>{ct(Text::DisplayName)}</th><th></th></tr></thead>
                        <tbody>
                            {hooks.into_iter().map(|h| {
                                let id = h.id;
                                view! {
                                    <tr>
                                        <td>{h.kind.as_str()}</td>
                                        <td class="c-inert">{h.url}</td>
                                        <td>{h.label}</td>
                                        <td><button type="button" class="c-btn" on:click=move |_| remove(id)>{ct(Text::Remove)}</button></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            }}
            <form class="c-action-form" on:submit=add>
                <label class="field">{ct(Text::WebhookKind)}
                    <select on:change=move |ev| {
                        if let Some(k) = WebhookKind::from_name(&event_target_value(&ev)) { kind.set(k); }
                    }>
                        {WebhookKind::ALL.into_iter().map(|k| view! { <option value=k.as_str()>{k.as_str()}</option> }).collect_view()}
                    </select>
                </label>
                <label class="field">{ct(Text::WebhookUrl)}
                    <input type="url" required bind:value=url placeholder="https://"/>
                </label>
                <label class="field">{ct(Text::DisplayName)}
                    <input bind:value=label/>
                </label>
                <p class="c-form-buttons"><button type="submit" class="c-btn c-btn-primary">{ct(Text::Add)}</button></p>
            </form>
            {status(st)}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_printed_without_float_formatting() {
        assert_eq!(percent(Some(0.876)), "88%");
        assert_eq!(percent(Some(1.0)), "100%");
        assert_eq!(percent(None), "—");
        assert_eq!(one_decimal(2.25), "2.3");
        assert_eq!(one_decimal(0.04), "0.0");
        assert_eq!(one_decimal(13.0), "13.0");
    }
}
