//! The case queue (`/admin`) and, for a liaison, the department's cases (the server pins a liaison's
//! queue to their department). The filters live in the address's query string, with the same names
//! the API takes, so a reload, the back button and a shared link keep them; "more" pages with the
//! API's keyset cursor.

use leptos::prelude::*;
use qinglang_domain::ReportStatus;
use qinglang_domain::api::{CaseSummary, QueueFindings, StaffSession};
use qinglang_domain::workflow::{Role, may_be_assigned};

use super::i18n::{Text, fill};
use super::{api, console, countdown, ct, department_name, priority_label};
use crate::nav::nav;
use crate::state;

/// The queue's filters, as in the address and the API's query string.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// `state`.
    pub state: Option<String>,
    /// `category`.
    pub category: Option<String>,
    /// `district`.
    pub district: Option<String>,
    /// `department`.
    pub department: Option<String>,
    /// `handler` (a staff id).
    pub handler: Option<String>,
    /// `overdue=1`.
    pub overdue: bool,
    /// `due_today=1`.
    pub due_today: bool,
    /// `sort=priority` (due time is the default).
    pub by_priority: bool,
    /// `office`: an office in the account's subtree (the office switcher).
    pub office: Option<String>,
    /// `handover=in|out`: the office's hand-overs instead of its queue.
    pub handover: Option<String>,
    /// `receipt`: the one case with this receipt code instead of the queue (the staff search).
    pub receipt: Option<String>,
}

impl Filters {
    /// Reads the filters from a query string (with or without `?`); unknown keys are dropped so a
    /// hand-edited address cannot make the API refuse.
    pub fn from_query(query: &str) -> Filters {
        let mut f = Filters::default();
        for pair in query.trim_start_matches('?').split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = decode(value);
            let some = || Some(value.clone()).filter(|v| !v.is_empty());
            match key {
                "state" => f.state = some().filter(|v| ReportStatus::from_name(v).is_some()),
                "category" => f.category = some(),
                "district" => f.district = some(),
                "department" => f.department = some(),
                "handler" => f.handler = some().filter(|v| v.parse::<i64>().is_ok()),
                "overdue" => f.overdue = value == "1",
                "due_today" => f.due_today = value == "1",
                "sort" => f.by_priority = value == "priority",
                "office" => f.office = some(),
                "handover" => f.handover = some().filter(|v| v == "in" || v == "out"),
                "receipt" => f.receipt = some().map(|v| v.trim().to_owned()).filter(|v| !v.is_empty()),
                _ => {}
            }
        }
        f
    }

    /// The query string (without `?`), in a fixed order.
    pub fn to_query(&self) -> String {
        let mut parts = Vec::new();
        for (key, value) in [
            ("state", &self.state),
            ("category", &self.category),
            ("district", &self.district),
            ("department", &self.department),
            ("handler", &self.handler),
            ("office", &self.office),
            ("handover", &self.handover),
            ("receipt", &self.receipt),
        ] {
            if let Some(value) = value {
                parts.push(format!("{key}={}", encode(value)));
            }
        }
        for (key, on) in [("overdue", self.overdue), ("due_today", self.due_today)] {
            if on {
                parts.push(format!("{key}=1"));
            }
        }
        if self.by_priority {
            parts.push("sort=priority".to_owned());
        }
        parts.join("&")
    }
}

fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 3;
                    }
                    None => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The queue page.
#[component]
pub fn Queue(me: StaffSession) -> impl IntoView {
    let s = state();
    let nav = nav();
    let liaison = me.staff.role == Role::Liaison;
    let my_id = me.staff.id.0.to_string();
    let filters = Memo::new(move |_| Filters::from_query(&nav.search.get()));
    let items = RwSignal::new(Vec::<CaseSummary>::new());
    let next = RwSignal::new(None::<String>);
    let loading = RwSignal::new(true);
    let error = RwSignal::new(None::<api::ApiFailure>);
    // Answers to an older filter must not overwrite a newer one's.
    let generation = RwSignal::new(0u32);

    let fetch = move |query: String, append: bool| {
        let mine = generation.get_untracked();
        loading.set(true);
        leptos::task::spawn_local(async move {
            let answer = api::queue(query).await;
            if generation.try_get_untracked() != Some(mine) {
                return;
            }
            match answer {
                Ok(page) => {
                    items.try_update(|list| {
                        if !append {
                            list.clear();
                        }
                        list.extend(page.items);
                    });
                    next.try_set(page.next);
                    error.try_set(None);
                }
                Err(e) => {
                    error.try_set(Some(e));
                }
            }
            loading.try_set(false);
        });
    };
    Effect::new(move |_| {
        let query = filters.get().to_query();
        generation.update(|g| *g = g.wrapping_add(1));
        fetch(query, false);
    });
    let more = move |_| {
        if let Some(cursor) = next.get_untracked() {
            let mut query = filters.get_untracked().to_query();
            if !query.is_empty() {
                query.push('&');
            }
            query.push_str(&format!("after={}", encode(&cursor)));
            fetch(query, true);
        }
    };
    let set = move |change: Box<dyn FnOnce(&mut Filters)>| {
        let mut f = filters.get_untracked();
        change(&mut f);
        let query = f.to_query();
        let path = nav.path.get_untracked();
        nav.go(&if query.is_empty() { path } else { format!("{path}?{query}") });
    };
    let select = move |key: &'static str| {
        move |ev: leptos::ev::Event| {
            let value = Some(event_target_value(&ev)).filter(|v| !v.is_empty());
            set(Box::new(move |f| match key {
                "state" => f.state = value,
                "category" => f.category = value,
                "district" => f.district = value,
                "department" => f.department = value,
                "handler" => f.handler = value,
                "office" => f.office = value,
                "handover" => f.handover = value,
                _ => f.by_priority = value.as_deref() == Some("priority"),
            }));
        }
    };
    let departments = console().departments;
    let directory = console().directory;
    let taxonomy = move || s.taxonomy.get().and_then(Result::ok);
    let districts = move || s.taxonomy.get().and_then(Result::ok).map(|t| t.districts).unwrap_or_default();
    let chosen = move |get: fn(&Filters) -> Option<String>, value: String| filters.with(|f| get(f) == Some(value));
    // The office switcher: the account's office and every office below it (shown when there are any).
    let offices = console().offices;
    let my_office = me.staff.office.clone();
    let reach = {
        let my_office = my_office.clone();
        Memo::new(move |_| {
            offices.get().map_or_else(Vec::new, |tree| super::offices_below(&tree, &my_office, s.lang.get()))
        })
    };
    let row_office = my_office.clone();

    view! {
        <section class="c-panel">
            <h1>{ct(if liaison { Text::NavDepartment } else { Text::NavQueue })}</h1>
            <form class="c-filters" on:submit=|ev| ev.prevent_default()>
                <label>
                    <span>{ct(Text::ReceiptSearch)}</span>
                    <input type="search" name="receipt" data-testid="receipt-search" autocomplete="off" enterkeyhint="search"
                        placeholder="ABC-DEF-GHJ" prop:value=move || filters.with(|f| f.receipt.clone().unwrap_or_default())
                        on:change=move |ev| {
                            let typed = Some(event_target_value(&ev).trim().to_owned()).filter(|v| !v.is_empty());
                            set(Box::new(move |f| f.receipt = typed));
                        }/>
                </label>
                {(!liaison).then(|| view! {
                    <label hidden=move || reach.with(Vec::len) < 2>
                        <span>{ct(Text::OfficeSwitch)}</span>
                        <select name="office" data-testid="office-switch" on:change=select("office")>
                            {move || reach.get().into_iter().enumerate().map(|(i, (code, label))| {
                                // The account's own office is the default: no parameter.
                                let value = if i == 0 { String::new() } else { code.clone() };
                                let pick = value.clone();
                                view! { <option value=value selected=move || filters.with(|f| f.office.clone().unwrap_or_default() == pick)>{label}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                    <label>
                        <span>{ct(Text::Handovers)}</span>
                        <select name="handover" data-testid="handover-filter" on:change=select("handover")>
                            <option value="">{ct(Text::Any)}</option>
                            <option value="in" selected=move || chosen(|f| f.handover.clone(), "in".to_owned())>{ct(Text::HandoversIn)}</option>
                            <option value="out" selected=move || chosen(|f| f.handover.clone(), "out".to_owned())>{ct(Text::HandoversOut)}</option>
                        </select>
                    </label>
                })}
                {(!liaison).then(|| view! {
                    <label>
                        <span>{ct(Text::FilterState)}</span>
                        <select name="state" on:change=select("state")>
                            <option value="">{ct(Text::Any)}</option>
                            {ReportStatus::ALL.into_iter().map(|st| view! {
                                <option value=st.as_str() selected=move || chosen(|f| f.state.clone(), st.as_str().to_owned())>
                                    {move || st.label(s.lang.get())}
                                </option>
                            }).collect_view()}
                        </select>
                    </label>
                })}
                <label>
                    <span>{ct(Text::FilterCategory)}</span>
                    <select name="category" on:change=select("category")>
                        <option value="">{ct(Text::Any)}</option>
                        {move || taxonomy().map(|t| t.categories.iter().map(|c| {
                            let code = c.code.clone();
                            view! {
                                <option value=c.code.clone() selected=move || chosen(|f| f.category.clone(), code.clone())>
                                    {super::category_option(&t, c, s.lang.get())}
                                </option>
                            }
                        }).collect_view())}
                    </select>
                </label>
                <label>
                    <span>{ct(Text::FilterDistrict)}</span>
                    <select name="district" on:change=select("district")>
                        <option value="">{ct(Text::Any)}</option>
                        {move || districts().into_iter().map(|d| {
                            let code = d.code.clone();
                            view! {
                                <option value=d.code.clone() selected=move || chosen(|f| f.district.clone(), code.clone())>
                                    {d.name(s.lang.get()).to_owned()}
                                </option>
                            }
                        }).collect_view()}
                    </select>
                </label>
                {(!liaison).then(|| view! {
                    <label>
                        <span>{ct(Text::Department)}</span>
                        <select name="department" on:change=select("department")>
                            <option value="">{ct(Text::Any)}</option>
                            {move || departments.get().unwrap_or_default().into_iter().map(|d| {
                                let code = d.code.clone();
                                view! {
                                    <option value=d.code.clone() selected=move || chosen(|f| f.department.clone(), code.clone())>
                                        {d.name(s.lang.get()).to_owned()}
                                    </option>
                                }
                            }).collect_view()}
                        </select>
                    </label>
                    <label>
                        <span>{ct(Text::FilterHandler)}</span>
                        <select name="handler" on:change=select("handler")>
                            <option value="">{ct(Text::Any)}</option>
                            <option value=my_id.clone() selected={
                                let id = my_id.clone();
                                move || chosen(|f| f.handler.clone(), id.clone())
                            }>{ct(Text::FilterMine)}</option>
                            // Everyone else who can be a case's handler, by name (the staff directory).
                            {move || {
                                let me = my_id.clone();
                                let list = directory.get().unwrap_or_default();
                                // Handlers first, then admins, each by name (the directory's order).
                                [Role::Handler, Role::Admin].into_iter()
                                    .flat_map(|role| list.iter().filter(move |n| n.role == role).cloned())
                                    .filter(|n| may_be_assigned(n.role) && n.id.0.to_string() != me)
                                    .map(|n| {
                                        let id = n.id.0.to_string();
                                        let value = id.clone();
                                        view! {
                                            <option value=value selected=move || chosen(|f| f.handler.clone(), id.clone())>
                                                {n.display_name}
                                            </option>
                                        }
                                    })
                                    .collect_view()
                            }}
                        </select>
                    </label>
                })}
                <label class="c-check">
                    <input type="checkbox" name="overdue" prop:checked=move || filters.with(|f| f.overdue)
                        on:change=move |ev| { let on = event_target_checked(&ev); set(Box::new(move |f| f.overdue = on)); }/>
                    <span>{ct(Text::FilterOverdue)}</span>
                </label>
                <label class="c-check">
                    <input type="checkbox" name="due_today" prop:checked=move || filters.with(|f| f.due_today)
                        on:change=move |ev| { let on = event_target_checked(&ev); set(Box::new(move |f| f.due_today = on)); }/>
                    <span>{ct(Text::FilterDueToday)}</span>
                </label>
                <label>
                    <span>{ct(Text::SortBy)}</span>
                    <select name="sort" on:change=select("sort")>
                        <option value="due" selected=move || filters.with(|f| !f.by_priority)>{ct(Text::SortDue)}</option>
                        <option value="priority" selected=move || filters.with(|f| f.by_priority)>{ct(Text::SortPriority)}</option>
                    </select>
                </label>
                <a class="c-link" href=move || nav.path.get() hidden=move || filters.with(|f| *f == Filters::default())>
                    {ct(Text::ClearFilters)}
                </a>
            </form>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e.message(s.lang.get())}</p> })}
            <table class="c-table" aria-busy=move || loading.get().to_string()>
                <thead>
                    <tr>
                        <th scope="col">{ct(Text::ColCase)}</th>
                        <th scope="col">{ct(Text::ColReport)}</th>
                        <th scope="col">{ct(Text::Priority)}</th>
                        <th scope="col">{ct(Text::ColDeadline)}</th>
                        <th scope="col">{ct(Text::Department)}</th>
                    </tr>
                </thead>
                <tbody>
                    <For each=move || items.get() key=|item| (item.case.id, item.case.updated_at) let:item>
                        <QueueRow item=item viewed=filters.with_untracked(|f| f.office.clone()).unwrap_or_else(|| row_office.clone()) mine=row_office.clone()/>
                    </For>
                </tbody>
            </table>
            <p class="muted c-empty" hidden=move || loading.get() || !items.with(Vec::is_empty)>
                {move || ct(if filters.with(|f| f.receipt.is_some()) {
                    Text::NoSuchReceipt
                } else if filters.with(|f| f.handover.is_some()) {
                    Text::NoHandovers
                } else {
                    Text::QueueEmpty
                })}
            </p>
            <p class="muted" hidden=move || !loading.get()>{crate::tr(crate::i18n::Msg::Loading)}</p>
            <button type="button" class="c-btn" hidden=move || next.with(Option::is_none) disabled=move || loading.get() on:click=more>
                {ct(Text::More)}
            </button>
        </section>
    }
}

/// What a case waits on between offices, as a queue badge: a referral to accept, an escalation to
/// answer, a result to review, or a delegation in progress.
fn handover_badge(case: &qinglang_domain::workflow::Case) -> Option<Text> {
    if !case.is_open() {
        return None;
    }
    if case.referred_from.is_some() {
        Some(Text::HandoverReferral)
    } else if case.escalated_to.is_some() {
        Some(Text::HandoverEscalation)
    } else if case.review_reply.is_some() {
        Some(Text::HandoverReview)
    } else if case.delegated_by.is_some() {
        Some(Text::HandoverDelegated)
    } else {
        None
    }
}

/// One queue line. `viewed` is the office the queue is about (its own cases show no office name);
/// `mine` the account's office: a case referred out of its reach is listed without a link.
#[component]
fn QueueRow(item: CaseSummary, viewed: String, mine: String) -> impl IntoView {
    let s = state();
    let case = item.case;
    let reachable = console().offices.with_untracked(|t| t.as_ref().is_none_or(|t| t.within(&case.office, &mine)));
    let href = format!("/admin/cases/{}", case.id);
    let elsewhere = (case.office != viewed).then(|| case.office.clone());
    let badge = handover_badge(&case);
    let category = case.category.clone();
    let district = case.district.clone();
    let category_name = move || super::category_path(&category);
    let district_name = move || s.district_name(district.as_deref()?);
    let status = case.status;
    let priority = item.priority.clone();
    // Every open case has a deadline from the first minute; a submitted one's is to accept it.
    let deadline = case.due_at.filter(|_| case.is_open());
    let to_accept = status == ReportStatus::Submitted;
    let overdue = item.overdue;
    let department = case.department.clone();
    view! {
        <tr class:c-overdue=overdue data-case=case.id.0>
            <td>
                {if reachable {
                    view! { <a href=href class="c-code">{item.receipt_code.clone()}</a> }.into_any()
                } else {
                    view! { <span class="c-code">{item.receipt_code.clone()}</span> }.into_any()
                }}
                <span class=format!("badge status-{}", status.as_str())>{move || status.label(s.lang.get())}</span>
                {badge.map(|b| view! { <span class="badge c-badge-warn" data-testid="handover-badge">{ct(b)}</span> })}
                {elsewhere.map(|code| view! { <p class="muted small" data-testid="row-office">{move || super::office_name(&code)}</p> })}
                {case.supervised_at.map(|_| view! { <span class="badge c-badge-warn">{ct(Text::Supervised)}</span> })}
            </td>
            <td>
                <p class="small"><strong>{category_name}</strong>{move || district_name().map(|d| format!(" · {d}"))}</p>
                <p class="c-excerpt">{item.excerpt.clone()}</p>
                {item.findings.clone().map(|f| view! { <FindingBadges findings=f chosen=case.category.clone()/> })}
            </td>
            <td>
                {priority_label(&priority).map(|label| view! { <span class=format!("badge c-prio-{priority}")>{ct(label)}</span> })}
            </td>
            <td class="c-deadline" class:c-late=overdue>
                {move || match deadline {
                    Some(due) if to_accept => format!(
                        "{} {}",
                        Text::AcceptWithin.text(s.lang.get()),
                        countdown(due - crate::console::now_ms(), s.lang.get())
                    ),
                    Some(due) => countdown(due - crate::console::now_ms(), s.lang.get()),
                    None => Text::NoDeadline.text(s.lang.get()).to_owned(),
                }}
            </td>
            <td>{move || department.as_deref().map(department_name)}</td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_round_trip_through_the_query_string() {
        let f = Filters {
            state: Some("accepted".into()),
            category: Some("fraud".into()),
            district: None,
            department: Some("police".into()),
            handler: Some("3".into()),
            overdue: true,
            due_today: false,
            by_priority: true,
            office: Some("county1".into()),
            handover: Some("in".into()),
            receipt: Some("ABC-DEF-GHJ".into()),
        };
        let q = f.to_query();
        assert_eq!(
            q,
            "state=accepted&category=fraud&department=police&handler=3&office=county1&handover=in&receipt=ABC-DEF-GHJ&overdue=1&sort=priority"
        );
        assert_eq!(Filters::from_query(&format!("?{q}")), f);
    }

    #[test]
    fn unknown_or_malformed_filters_are_dropped() {
        let f = Filters::from_query("?state=bogus&handler=abc&after=9.9&x=1&category=a%20b&sort=due&handover=sideways");
        assert_eq!(f, Filters { category: Some("a b".into()), ..Filters::default() });
        assert_eq!(Filters::from_query("").to_query(), "");
        assert_eq!(decode("%E5%8C%97%"), "北%");
    }
}

/// The screening's counts on a queue row: matched terms, personal data, junk, and the engine's
/// category when it differs from the reporter's.
#[component]
fn FindingBadges(findings: QueueFindings, chosen: String) -> impl IntoView {
    let s = state();
    let n = |text: Text, count: u32| move || fill(text.text(s.lang.get()), &[("n", &count.to_string())]);
    let suggested = findings.suggested_category.filter(|c| *c != chosen);
    let suggested_name = move |code: String| {
        move || {
            let name = s
                .taxonomy
                .get()
                .and_then(Result::ok)
                .and_then(|t| t.category(&code).map(|c| c.name(s.lang.get()).to_owned()))
                .unwrap_or_else(|| code.clone());
            fill(Text::SuggestedCategory.text(s.lang.get()), &[("name", &name)])
        }
    };
    view! {
        <p class="c-findings" data-testid="queue-findings">
            {(findings.matches > 0).then(|| view! { <span class="badge c-badge-warn">{n(Text::QueueMatches, findings.matches)}</span> })}
            {(findings.pii > 0).then(|| view! { <span class="badge c-badge-warn">{n(Text::QueuePii, findings.pii)}</span> })}
            {findings.junk.then(|| view! { <span class="badge">{ct(Text::QueueJunk)}</span> })}
            {suggested.map(|code| view! { <span class="badge">{suggested_name(code)}</span> })}
        </p>
    }
}
