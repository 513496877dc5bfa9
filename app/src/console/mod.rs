//! The staff console (`/admin…`), built only into the console bundle (feature `console`, see
//! `crate::bundle`): sign-in, a left navigation that lists only what the account's role may use,
//! and one module per page. Strings live in [`i18n`], HTTP calls in [`api`].
//!
//! Session handling: on start the console asks `GET /api/staff/me`; without a session it shows the
//! sign-in form at whatever `/admin…` address was asked for, and shows that page after signing in.
//! Any call answered `not_signed_in` later (expiry, sign-out elsewhere, a disabled account) returns
//! to the sign-in form with a notice, and the address — with its queue filters — is kept.

mod actions;
pub mod api;
mod case;
mod channels;
mod deadlines;
pub mod i18n;
mod intake;
mod queue;
mod refutations;
mod settings;
mod sign_in;
mod taxonomy;

use leptos::prelude::*;
use qinglang_domain::Lang;
use qinglang_domain::api::{StaffName, StaffSession};
use qinglang_domain::workflow::{Permission, Role, StaffId, role_has};

use self::i18n::{Text, fill};
use self::refutations::EditorRoute;
use crate::nav::nav;
use crate::state;

/// The console's state below [`Console`].
#[derive(Clone, Copy)]
pub struct ConsoleState {
    /// The signed-in account, once known.
    pub session: RwSignal<Option<StaffSession>>,
    /// Departments for names and the transfer form (`None` while loading or unavailable).
    pub departments: RwSignal<Option<Vec<api::Department>>>,
    /// The office network, for office names (`None` while loading or unavailable).
    pub offices: RwSignal<Option<qinglang_domain::office::OfficeTree>>,
    /// The staff directory for the assign form and the queue's handler filter (`None` while loading,
    /// unavailable, or for a role without [`Permission::ReadStaffDirectory`]).
    pub directory: RwSignal<Option<Vec<StaffName>>>,
}

/// The console's state, from any page.
pub fn console() -> ConsoleState {
    expect_context::<ConsoleState>()
}

/// A reactive console text.
pub fn ct(text: Text) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = state().lang;
    move || text.text(lang.get())
}

/// A page of the console's navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// The case queue (handlers, supervisors, admins).
    Queue,
    /// The cases transferred to the liaison's department.
    Department,
    /// Case figures per department and handler (supervisors, admins, liaisons).
    Figures,
    /// The account's notifications (everyone), with the unread count.
    Notifications,
    /// Staff accounts (admins).
    Staff,
    /// Routing rules (admins).
    Routing,
    /// Digest webhooks (admins).
    Webhooks,
    /// QR channels with their funnels and posters (admins).
    Channels,
    /// How deadlines are counted: working days, holidays, campaigns (admins).
    Deadlines,
    /// Categories (a tree), districts and departments, and the settings log (admins).
    Taxonomy,
    /// Enter a report taken by phone, letter or in person, or import cases passed down (handlers,
    /// admins).
    Intake,
    /// The refutation editor's list (editors, admins).
    Refutations,
    /// Partner sites that receive published refutations (editors, admins).
    Partners,
    /// The account's own details (everyone).
    Account,
}

impl Section {
    fn href(self) -> &'static str {
        match self {
            Section::Queue | Section::Department => "/admin",
            Section::Figures => "/admin/figures",
            Section::Notifications => "/admin/notifications",
            Section::Staff => "/admin/staff",
            Section::Routing => "/admin/routing",
            Section::Webhooks => "/admin/webhooks",
            Section::Channels => "/admin/channels",
            Section::Intake => "/admin/intake",
            Section::Deadlines => "/admin/deadlines",
            Section::Taxonomy => "/admin/taxonomy",
            Section::Refutations => "/admin/refutations",
            Section::Partners => "/admin/partners",
            Section::Account => "/admin/account",
        }
    }

    fn label(self) -> Text {
        match self {
            Section::Queue => Text::NavQueue,
            Section::Department => Text::NavDepartment,
            Section::Figures => Text::NavFigures,
            Section::Notifications => Text::NavNotifications,
            Section::Staff => Text::NavStaff,
            Section::Routing => Text::NavRouting,
            Section::Webhooks => Text::NavWebhooks,
            Section::Channels => Text::NavChannels,
            Section::Intake => Text::NavIntake,
            Section::Deadlines => Text::NavDeadlines,
            Section::Taxonomy => Text::NavTaxonomy,
            Section::Refutations => Text::NavRefutations,
            Section::Partners => Text::NavPartners,
            Section::Account => Text::NavAccount,
        }
    }

    /// The page this section shows.
    fn route(self) -> Route {
        match self {
            Section::Queue | Section::Department => Route::Home,
            Section::Figures => Route::Figures,
            Section::Notifications => Route::Notifications,
            Section::Staff => Route::Staff,
            Section::Routing => Route::Routing,
            Section::Webhooks => Route::Webhooks,
            Section::Channels => Route::Channels,
            Section::Intake => Route::Intake,
            Section::Deadlines => Route::Deadlines,
            Section::Taxonomy => Route::Taxonomy,
            Section::Refutations => Route::Editor(EditorRoute::List),
            Section::Partners => Route::Editor(EditorRoute::Partners),
            Section::Account => Route::Account,
        }
    }
}

/// The navigation a role sees: only pages whose API the role may call (the worker's `auth` and
/// `qinglang_domain::workflow::access` decide; this mirrors them so no link leads to a 403).
pub fn sections(role: Role) -> Vec<Section> {
    let mut list = Vec::new();
    if role_has(role, Permission::ReadCases) {
        list.push(if role == Role::Liaison { Section::Department } else { Section::Queue });
    }
    if role_has(role, Permission::EnterReports) {
        list.push(Section::Intake);
    }
    if role_has(role, Permission::ReadFigures) {
        list.push(Section::Figures);
    }
    if role_has(role, Permission::ReadNotifications) {
        list.push(Section::Notifications);
    }
    if role_has(role, Permission::Administer) {
        list.extend([
            Section::Staff,
            Section::Routing,
            Section::Taxonomy,
            Section::Deadlines,
            Section::Webhooks,
            Section::Channels,
        ]);
    }
    if edits_refutations(role) {
        list.extend([Section::Refutations, Section::Partners]);
    }
    list.push(Section::Account);
    list
}

/// Whether the role writes refutations: `qinglang_domain::refutation::may_edit`, which the worker's
/// editor routes (refutations, partners) ask, admits editors and admins.
fn edits_refutations(role: Role) -> bool {
    matches!(role, Role::Editor | Role::Admin)
}

/// What a console address shows.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Route {
    Home,
    Case(i64),
    Figures,
    Notifications,
    Staff,
    Routing,
    Webhooks,
    Channels,
    Intake,
    Deadlines,
    Taxonomy,
    Editor(EditorRoute),
    Account,
    NotFound,
}

fn route(path: &str) -> Route {
    let rest = path.trim_end_matches('/').strip_prefix("/admin").unwrap_or("");
    match rest.trim_start_matches('/').split('/').collect::<Vec<_>>().as_slice() {
        [""] => Route::Home,
        ["account"] => Route::Account,
        ["figures"] => Route::Figures,
        ["notifications"] => Route::Notifications,
        ["staff"] => Route::Staff,
        ["routing"] => Route::Routing,
        ["webhooks"] => Route::Webhooks,
        ["channels"] => Route::Channels,
        ["intake"] => Route::Intake,
        ["deadlines"] => Route::Deadlines,
        ["taxonomy"] => Route::Taxonomy,
        ["cases", id] => id.parse().map_or(Route::NotFound, Route::Case),
        segments => EditorRoute::parse(segments).map_or(Route::NotFound, Route::Editor),
    }
}

/// "2 d 3 h left" / "overdue by 5 h 10 min" for milliseconds left (negative when overdue).
pub fn countdown(left_ms: i64, lang: Lang) -> String {
    let overdue = left_ms < 0;
    let minutes = left_ms.unsigned_abs() / 60_000;
    let (d, h, m) = (minutes / 1440, minutes / 60 % 24, minutes % 60);
    let (text, values) = match (overdue, d > 0) {
        (false, true) => (Text::LeftDays, [("d", d), ("h", h)]),
        (false, false) => (Text::LeftHours, [("h", h), ("m", m)]),
        (true, true) => (Text::OverDays, [("d", d), ("h", h)]),
        (true, false) => (Text::OverHours, [("h", h), ("m", m)]),
    };
    let values = values.map(|(k, v)| (k, v.to_string()));
    fill(text.text(lang), &[(values[0].0, &values[0].1), (values[1].0, &values[1].1)])
}

/// A category as a `<select>` option or checkbox label: its name, indented by a dash per level
/// below the top (`— 食品药品谣言`).
pub fn category_option(
    taxonomy: &qinglang_domain::Taxonomy,
    category: &qinglang_domain::Category,
    lang: Lang,
) -> String {
    let depth = taxonomy.depth(&category.code).max(1);
    format!("{}{}", "— ".repeat(depth - 1), category.name(lang))
}

/// A case's category with its parents, top first (`谣言 › 食品药品谣言`), reactive; the code while
/// the taxonomy loads or for a code it does not know.
pub fn category_path(code: &str) -> String {
    let s = state();
    let lang = s.lang.get();
    s.taxonomy
        .get()
        .and_then(Result::ok)
        .map(|t| t.ancestry(code).iter().rev().map(|c| c.name(lang).to_owned()).collect::<Vec<_>>().join(" › "))
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| code.to_owned())
}

/// The browser's clock, for deadline countdowns.
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// The engine's priority name as a label and a CSS class.
pub fn priority_label(priority: &str) -> Option<Text> {
    match priority {
        "low" => Some(Text::PriorityLow),
        "normal" => Some(Text::PriorityNormal),
        "high" => Some(Text::PriorityHigh),
        "urgent" => Some(Text::PriorityUrgent),
        _ => None,
    }
}

/// A department's name from the loaded list, else its code.
pub fn department_name(code: &str) -> String {
    // use_context, not expect_context: a reactive closure may run where no context is reachable.
    let (Some(app), Some(console)) = (use_context::<crate::AppState>(), use_context::<ConsoleState>()) else {
        return code.to_owned();
    };
    let lang = app.lang.get();
    console
        .departments
        .get()
        .and_then(|list| list.iter().find(|d| d.code == code).map(|d| d.name(lang).to_owned()))
        .unwrap_or_else(|| code.to_owned())
}

/// An office's name from the loaded network, else its code.
/// `office` and every office below it as `(code, indented name)`, in tree order: the options of
/// the console's office pickers (switcher, poster office).
pub fn offices_below(tree: &qinglang_domain::office::OfficeTree, office: &str, lang: Lang) -> Vec<(String, String)> {
    let base = tree.ancestry(office).len();
    tree.subtree(office)
        .into_iter()
        .filter_map(|code| tree.get(code))
        .map(|o| {
            let depth = tree.ancestry(&o.code).len().saturating_sub(base);
            (o.code.clone(), format!("{}{}", "— ".repeat(depth), o.name(lang)))
        })
        .collect()
}

pub fn office_name(code: &str) -> String {
    let (Some(app), Some(console)) = (use_context::<crate::AppState>(), use_context::<ConsoleState>()) else {
        return code.to_owned();
    };
    let lang = app.lang.get();
    console
        .offices
        .get()
        .and_then(|tree| tree.get(code).map(|o| o.name(lang).to_owned()))
        .unwrap_or_else(|| code.to_owned())
}

/// How the console names a staff account: its name from `names` (marked when the account is disabled),
/// else "staff #id" — an account the list does not hold.
pub fn staff_label(id: StaffId, names: &[StaffName], lang: Lang) -> String {
    match names.iter().find(|n| n.id == id) {
        Some(n) if n.active => n.display_name.clone(),
        Some(n) => fill(Text::StaffDisabled.text(lang), &[("name", &n.display_name)]),
        None => fill(Text::ByStaff.text(lang), &[("id", &id.to_string())]),
    }
}

/// The console: sign-in until there is a session, then the navigation and the page.
#[component]
pub fn Console() -> impl IntoView {
    let session = RwSignal::new(None::<StaffSession>);
    let departments = RwSignal::new(None);
    let directory = RwSignal::new(None);
    let checked = RwSignal::new(false);
    let expired = api::expired();
    let offices = RwSignal::new(None);
    provide_context(ConsoleState { session, departments, offices, directory });
    leptos::task::spawn_local(async move {
        if let Ok(me) = api::me().await {
            session.try_set(Some(me));
        }
        checked.try_set(true);
    });
    // Departments are loaded once per session (names in the queue, the transfer form); the staff
    // directory likewise, for the roles that may read it (the assign form, the queue's handler
    // filter), and forgotten on sign-out, since the next account may not read it.
    Effect::new(move |_| {
        let Some(role) = session.with(|s| s.as_ref().map(|s| s.staff.role)) else {
            directory.set(None);
            return;
        };
        let need_departments = departments.with_untracked(Option::is_none);
        let need_directory =
            role_has(role, Permission::ReadStaffDirectory) && directory.with_untracked(Option::is_none);
        // Two requests side by side: the directory need not wait for the departments.
        if need_departments {
            leptos::task::spawn_local(async move {
                if let Ok(list) = api::departments().await {
                    departments.try_set(Some(list));
                }
            });
        }
        if offices.with_untracked(Option::is_none) {
            leptos::task::spawn_local(async move {
                if let Ok(tree) = api::get::<qinglang_domain::office::OfficeTree>("/api/offices").await {
                    offices.try_set(Some(tree));
                }
            });
        }
        if need_directory {
            leptos::task::spawn_local(async move {
                if let Ok(list) = api::directory().await {
                    directory.try_set(Some(list.items));
                }
            });
        }
    });
    Effect::new(move |_| {
        if expired.get() {
            session.set(None);
        }
    });
    move || {
        if !checked.get() {
            return view! { <p class="c-loading muted">{ct(Text::SignIn)}"…"</p> }.into_any();
        }
        match session.get() {
            None => view! { <sign_in::SignIn/> }.into_any(),
            Some(me) => view! { <Layout me=me/> }.into_any(),
        }
    }
}

#[component]
fn Layout(me: StaffSession) -> impl IntoView {
    let s = state();
    let nav = nav();
    let path = Memo::new(move |_| nav.path.get());
    let role = me.staff.role;
    let sections = sections(role);
    let session = console().session;
    let sign_out = move |_| {
        leptos::task::spawn_local(async move {
            // Whatever the answer, the console forgets the session; the cookie is HttpOnly and the
            // server clears it when it can.
            let _ = api::sign_out().await;
            api::remember_csrf("");
            session.try_set(None);
        });
    };
    let current = move |section: Section| {
        let here = route(&path.get());
        here == section.route()
            || (section.route() == Route::Home && matches!(here, Route::Case(_)))
            || (section == Section::Refutations
                && matches!(here, Route::Editor(EditorRoute::New | EditorRoute::Edit(_))))
    };
    // The unread count in the navigation: asked once on arrival, kept current by the notifications page.
    let unread = RwSignal::new(0_u32);
    leptos::task::spawn_local(async move {
        if let Ok(n) = api::notifications().await {
            unread.try_set(n.unread);
        }
    });
    let allowed = sections.clone();
    let name = me.staff.display_name.clone();
    let me_for_page = me.clone();
    view! {
        <div class="c-shell">
            <aside class="c-side">
                <p class="c-brand">{ct(Text::ConsoleName)}</p>
                <nav aria-label=ct(Text::Menu)>
                    <ul class="c-nav">
                        {sections
                            .into_iter()
                            .map(|section| {
                                view! {
                                    <li>
                                        <a
                                            href=section.href()
                                            class:active=move || current(section)
                                            aria-current=move || current(section).then_some("page")
                                        >
                                            {ct(section.label())}
                                            // Only when there is something unread: a hidden "0" would
                                            // still be part of the link's text.
                                            {(section == Section::Notifications).then_some(move || {
                                                let n = unread.get();
                                                (n > 0).then(|| view! { <span class="badge" data-testid="unread">{n}</span> })
                                            })}
                                        </a>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </nav>
                <div class="c-me">
                    <p class="c-me-name" data-testid="me">{name}</p>
                    <p class="muted small">{move || role.label(s.lang.get())}</p>
                    <LangSwitch/>
                    <button type="button" class="c-btn" on:click=sign_out>{ct(Text::SignOut)}</button>
                </div>
            </aside>
            <main class="c-main">
                {move || {
                    let me = me_for_page.clone();
                    let here = route(&path.get());
                    // A page the role has no entry for is not shown (its API would answer 403).
                    let listed = |r: Route| allowed.iter().any(|s| s.route() == r);
                    match here {
                        Route::Figures if listed(Route::Figures) => view! { <settings::FiguresPage/> }.into_any(),
                        Route::Notifications => view! { <settings::NotificationsPage unread=unread/> }.into_any(),
                        Route::Staff if listed(Route::Staff) => view! { <settings::StaffPage/> }.into_any(),
                        Route::Routing if listed(Route::Routing) => view! { <settings::RoutingPage/> }.into_any(),
                        Route::Webhooks if listed(Route::Webhooks) => view! { <settings::WebhooksPage/> }.into_any(),
                        Route::Channels if listed(Route::Channels) => view! { <channels::ChannelsPage/> }.into_any(),
                        Route::Intake if listed(Route::Intake) => view! { <intake::IntakePage/> }.into_any(),
                        Route::Deadlines if listed(Route::Deadlines) => view! { <deadlines::DeadlinesPage/> }.into_any(),
                        Route::Taxonomy if listed(Route::Taxonomy) => view! { <taxonomy::TaxonomyPage/> }.into_any(),
                        Route::Editor(r) if listed(Section::Refutations.route()) => refutations::page(r),
                        Route::Figures
                        | Route::Staff
                        | Route::Routing
                        | Route::Webhooks
                        | Route::Channels
                        | Route::Intake
                        | Route::Deadlines
                        | Route::Taxonomy
                        | Route::Editor(_) => {
                            view! { <p class="c-panel">{ct(Text::NotFoundPage)}</p> }.into_any()
                        }
                        Route::Home if role == Role::Editor => view! { <Account me=me/> }.into_any(),
                        Route::Home => view! { <queue::Queue me=me/> }.into_any(),
                        Route::Case(id) => view! { <case::CasePage id=id me=me/> }.into_any(),
                        Route::Account => view! { <Account me=me/> }.into_any(),
                        Route::NotFound => view! { <p class="c-panel">{ct(Text::NotFoundPage)}</p> }.into_any(),
                    }
                }}
            </main>
        </div>
    }
}

/// The language switch (the same three languages as the citizen pages).
#[component]
pub fn LangSwitch() -> impl IntoView {
    let s = state();
    view! {
        <select
            class="c-lang"
            aria-label=crate::tr(crate::i18n::Msg::Language)
            on:change=move |ev| {
                let tag = event_target_value(&ev);
                if let Some(lang) = Lang::ALL.into_iter().find(|l| l.tag() == tag) {
                    s.lang.set(lang);
                }
            }
        >
            <option value="zh-Hans" selected=move || s.lang.get() == Lang::ZhHans>"简体中文"</option>
            <option value="zh-Hant" selected=move || s.lang.get() == Lang::ZhHant>"繁體中文"</option>
            <option value="en" selected=move || s.lang.get() == Lang::En>"English"</option>
        </select>
    }
}

#[component]
fn Account(me: StaffSession) -> impl IntoView {
    let s = state();
    let role = me.staff.role;
    let department = me.staff.department.clone();
    view! {
        <section class="c-panel">
            <h1>{ct(Text::NavAccount)}</h1>
            <dl class="c-facts">
                <dt>{ct(Text::Username)}</dt>
                <dd>{me.staff.username.clone()}</dd>
                <dt>{ct(Text::DisplayName)}</dt>
                <dd>{me.staff.display_name.clone()}</dd>
                <dt>{ct(Text::Role)}</dt>
                <dd>{move || role.label(s.lang.get())}</dd>
                {department.map(|d| view! { <dt>{ct(Text::Department)}</dt><dd>{move || department_name(&d)}</dd> })}
            </dl>
            {(role == Role::Editor).then(|| view! { <p class="muted">{ct(Text::EditorHome)}</p> })}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countdown_says_time_left_or_overdue() {
        let hour = 3_600_000;
        for (left, lang, expected) in [
            (2 * 24 * hour + 3 * hour + 59 * 60_000, Lang::En, "2 d 3 h left"),
            (5 * hour + 10 * 60_000, Lang::En, "5 h 10 min left"),
            (-(5 * hour + 10 * 60_000), Lang::En, "overdue by 5 h 10 min"),
            (-(26 * hour), Lang::ZhHans, "超期 1 天 2 小时"),
            (0, Lang::ZhHans, "剩 0 小时 0 分"),
        ] {
            assert_eq!(countdown(left, lang), expected, "{left}");
        }
    }

    /// Two handlers for the tests of staff names: #3 张受理 (active), #4 陈协办 (disabled).
    pub(super) fn two_handlers() -> [StaffName; 2] {
        let name = |id, display_name: &str, active| StaffName {
            id: StaffId(id),
            display_name: display_name.to_owned(),
            role: Role::Handler,
            department: None,
            active,
        };
        [name(3, "张受理", true), name(4, "陈协办", false)]
    }

    #[test]
    fn staff_are_named_disabled_ones_marked_unknown_ones_numbered() {
        let names = two_handlers();
        assert_eq!(staff_label(StaffId(3), &names, Lang::ZhHans), "张受理");
        assert_eq!(staff_label(StaffId(4), &names, Lang::ZhHant), "陈协办（已停用）");
        assert_eq!(staff_label(StaffId(4), &names, Lang::En), "陈协办 (disabled)");
        assert_eq!(staff_label(StaffId(9), &names, Lang::ZhHans), "工作人员 #9");
        assert_eq!(staff_label(StaffId(9), &[], Lang::En), "staff #9");
    }

    #[test]
    fn console_addresses_route_to_pages() {
        for (path, expected) in [
            ("/admin", Route::Home),
            ("/admin/", Route::Home),
            ("/admin/cases/42", Route::Case(42)),
            ("/admin/cases/x", Route::NotFound),
            ("/admin/account", Route::Account),
            ("/admin/figures", Route::Figures),
            ("/admin/notifications", Route::Notifications),
            ("/admin/staff", Route::Staff),
            ("/admin/routing", Route::Routing),
            ("/admin/webhooks/", Route::Webhooks),
            ("/admin/channels", Route::Channels),
            ("/admin/refutations", Route::Editor(EditorRoute::List)),
            ("/admin/refutations/new", Route::Editor(EditorRoute::New)),
            ("/admin/refutations/5", Route::Editor(EditorRoute::Edit(5))),
            ("/admin/partners", Route::Editor(EditorRoute::Partners)),
            ("/admin/nothing", Route::NotFound),
        ] {
            assert_eq!(route(path), expected, "{path}");
        }
    }

    #[test]
    fn each_role_sees_only_its_pages() {
        use Section::*;
        assert_eq!(sections(Role::Liaison), vec![Department, Figures, Notifications, Account]);
        assert_eq!(sections(Role::Editor), vec![Notifications, Refutations, Partners, Account]);
        assert_eq!(sections(Role::Handler), vec![Queue, Intake, Notifications, Account]);
        assert_eq!(sections(Role::Supervisor), vec![Queue, Figures, Notifications, Account]);
        assert_eq!(
            sections(Role::Admin),
            vec![
                Queue,
                Intake,
                Figures,
                Notifications,
                Staff,
                Routing,
                Taxonomy,
                Deadlines,
                Webhooks,
                Channels,
                Refutations,
                Partners,
                Account
            ]
        );
        // Every entry leads to a page whose API the role may call.
        for role in Role::ALL {
            for section in sections(role) {
                let needs = match section {
                    Queue | Department => Permission::ReadCases,
                    Figures => Permission::ReadFigures,
                    Notifications | Account => Permission::ReadNotifications,
                    Staff | Routing | Taxonomy | Deadlines | Webhooks | Channels => Permission::Administer,
                    Intake => Permission::EnterReports,
                    Refutations | Partners => {
                        assert!(edits_refutations(role), "{role:?} {section:?}");
                        continue;
                    }
                };
                assert!(role_has(role, needs), "{role:?} {section:?}");
            }
        }
    }
}
