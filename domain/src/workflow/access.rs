//! Who may do what to a case: staff roles, the actors of the workflow, and the permission rule.
//!
//! The rule is a pure function of (actor, action, case) so the worker, the console (which shows only
//! the buttons that would succeed) and the tests read the same table. The table is in the doc comment
//! of [`role_may`]; [`permits`] adds the one rule that depends on the case: a liaison acts only on cases
//! currently transferred to their own department.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::case::ReportStatus;
use crate::i18n::Lang;

use super::action::ActionKind;
use super::case::Case;
use super::refusal::Refusal;

/// A staff account's stable numeric id (the `staff.id` row in D1).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct StaffId(pub i64);

impl fmt::Display for StaffId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// What a staff account is for. A person with two jobs gets two accounts, so that every audit record
/// says in which capacity an action was taken.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Manages accounts, departments, routing, categories, channels and rule packs; may take every staff
    /// action on cases.
    Admin,
    /// 受理员: triages the queue, accepts or rejects, transfers, assigns, merges, replies and closes.
    Handler,
    /// 督办: watches deadlines, reminds and supervises; sees all figures.
    Supervisor,
    /// 承办单位联络员: bound to one department; sees and acts only on cases transferred to it.
    Liaison,
    /// 辟谣发布: writes refutations; takes no action on cases.
    Editor,
}

impl Role {
    /// Every role, in the order the settings page lists them.
    pub const ALL: [Role; 5] = [Role::Admin, Role::Handler, Role::Supervisor, Role::Liaison, Role::Editor];

    /// The snake_case name stored in D1.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Handler => "handler",
            Role::Supervisor => "supervisor",
            Role::Liaison => "liaison",
            Role::Editor => "editor",
        }
    }

    /// Reads the stored name back.
    pub fn from_name(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == name)
    }

    /// The role's name as the console shows it.
    pub fn label(self, lang: Lang) -> &'static str {
        let [hans, hant, en] = match self {
            Role::Admin => ["管理员", "管理員", "Administrator"],
            Role::Handler => ["受理员", "受理員", "Handler"],
            Role::Supervisor => ["督办员", "督辦員", "Supervisor"],
            Role::Liaison => ["承办单位联络员", "承辦單位聯絡員", "Department liaison"],
            Role::Editor => ["辟谣编辑", "闢謠編輯", "Refutation editor"],
        };
        match lang {
            Lang::ZhHans => hans,
            Lang::ZhHant => hant,
            Lang::En => en,
        }
    }
}

/// A signed-in staff member as the worker resolved them from the session.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Staff {
    /// The account id.
    pub id: StaffId,
    /// The account's role.
    pub role: Role,
    /// The department code a liaison is bound to. Ignored for other roles; a liaison without one may
    /// act on nothing, so a half-configured account fails closed.
    pub department: Option<String>,
    /// The office the account belongs to (`crate::office`).
    #[serde(default = "root_office")]
    pub office: String,
    /// Where the case at hand sits seen from [`Staff::office`]: the worker sets it for each case
    /// from the office tree ([`Reach`]); never on the wire.
    #[serde(skip)]
    pub reach: Reach,
}

fn root_office() -> String {
    crate::office::ROOT.to_owned()
}

/// Where a case's office sits seen from an account's office.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Reach {
    /// The account's own office: handling and supervising.
    #[default]
    Own,
    /// An office below the account's: reading and supervising (督办), not handling.
    Below,
    /// Anywhere else: the case does not exist for this account.
    Outside,
}

impl Staff {
    /// The account seeing a case held by `case_office`, in `tree`.
    pub fn reaching(&self, tree: &crate::office::OfficeTree, case_office: &str) -> Staff {
        let reach = if case_office == self.office {
            Reach::Own
        } else if tree.within(case_office, &self.office) {
            Reach::Below
        } else {
            Reach::Outside
        };
        Staff { reach, ..self.clone() }
    }
}

/// Whoever asks the workflow to do something.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// A staff member acting through the console.
    Staff(Staff),
    /// The reporter, proven by receipt code and secret; may only reopen and rate their own case.
    Reporter,
    /// The daily digest (cron); may only escalate overdue cases to the backup handler.
    System,
}

impl Actor {
    /// The `events.actor` text: `staff:<id>`, `reporter` or `system`.
    pub fn audit_name(&self) -> String {
        match self {
            Actor::Staff(staff) => format!("staff:{}", staff.id),
            Actor::Reporter => "reporter".to_owned(),
            Actor::System => "system".to_owned(),
        }
    }

    /// The staff id, when a staff member is acting.
    pub fn staff_id(&self) -> Option<StaffId> {
        match self {
            Actor::Staff(staff) => Some(staff.id),
            Actor::Reporter | Actor::System => None,
        }
    }
}

/// Whether `role` may ever take `action`, whatever the case. The role × action table:
///
/// | action     | admin | handler | supervisor | liaison¹ | editor |
/// |------------|:-----:|:-------:|:----------:|:--------:|:------:|
/// | accept     |   ✓   |    ✓    |            |          |        |
/// | reject     |   ✓   |    ✓    |            |          |        |
/// | transfer   |   ✓   |    ✓    |            |          |        |
/// | feedback   |   ✓   |         |            |    ✓     |        |
/// | resolve    |   ✓   |    ✓    |            |          |        |
/// | merge      |   ✓   |    ✓    |            |          |        |
/// | assign     |   ✓   |    ✓    |            |          |        |
/// | remind     |   ✓   |    ✓    |     ✓      |          |        |
/// | supervise  |   ✓   |         |     ✓      |          |        |
/// | note       |   ✓   |    ✓    |     ✓      |    ✓     |        |
/// | reply      |   ✓   |    ✓    |            |    ✓     |        |
/// | return     |   ✓   |   ✓³    |            |    ✓     |        |
/// | refer      |   ✓   |    ✓    |            |          |        |
/// | extend     |   ✓   |    ✓    |            |    ✓     |        |
/// | grant_extension / refuse_extension | ✓ |  |   ✓      |          |        |
/// | consult    |   ✓   |    ✓    |            |          |        |
/// | opinion    |       |         |            |    ✓²    |        |
/// | conclude   |   ✓   |    ✓    |            |          |        |
/// | assist     |   ✓   |    ✓    |            |          |        |
/// | assist_reply |     |         |            |    ✓²    |        |
/// | escalate_to_parent | ✓ | ✓    |            |          |        |
/// | take_over  |   ✓⁴  |   ✓⁴    |            |          |        |
/// | guide      |   ✓⁴  |   ✓⁴    |     ✓⁴     |          |        |
/// | delegate   |   ✓   |    ✓    |            |          |        |
/// | approve / send_back | ✓⁵ | ✓⁵ |   ✓⁵     |          |        |
/// | reopen     |       |         |            |          |        |
/// | rate       |       |         |            |          |        |
/// | escalate   |       |         |            |          |        |
///
/// ¹ Only on a case whose status is `transferred` and whose department is the liaison's own
/// (checked by [`permits`]). The liaison's part is to report what the department did (feedback) and
/// to reply to the reporter; closing stays with the handler, who answers for the whole case.
///
/// ² Only for the liaison's department when an open request of the case asks it (an opinion in a
/// consultation, an answer to an assistance request), whoever holds the case. An answer speaks for a
/// department, so admins (who have none) do not give them.
///
/// ³ A handler sends back a case referred to their office (before accepting it); returning a
/// transferred case is the department's (the liaison's).
///
/// ⁴ Only from the office a case was escalated to (报请上级支持), which sits above it.
///
/// ⁵ Only from the office that delegated the case (交办), once the office below proposed its reply.
///
/// Reopen and rate belong to the reporter alone (staff cannot say "not resolved" on the citizen's behalf) and
/// escalate to the daily digest alone (it is a rule applied on a schedule, not anyone's choice).
pub fn role_may(role: Role, action: ActionKind) -> bool {
    use ActionKind::*;
    match role {
        Role::Admin => !matches!(action, Reopen | Rate | Escalate | Opinion | AssistReply),
        Role::Handler => matches!(
            action,
            Accept
                | Refer
                | Return
                | Reject
                | Transfer
                | Resolve
                | Merge
                | Assign
                | Remind
                | Note
                | Reply
                | Extend
                | Consult
                | Conclude
                | Assist
                | EscalateToParent
                | TakeOver
                | Guide
                | Delegate
                | Approve
                | SendBack
        ),
        Role::Supervisor => {
            matches!(action, Remind | Supervise | Note | GrantExtension | RefuseExtension | Guide | Approve | SendBack)
        }
        Role::Liaison => matches!(action, Feedback | Note | Reply | Return | Extend | Opinion | AssistReply),
        Role::Editor => false,
    }
}

/// Whether an account of `role` may be named a case's primary or backup handler (AB角): only a role
/// that may close the case it answers for (handlers and admins). The daily digest hands an idle
/// primary's case to the backup, who must then be able to act on it.
pub fn may_be_assigned(role: Role) -> bool {
    role_may(role, ActionKind::Resolve)
}

/// Whether `actor` may take `action` on `case`, ignoring whether the case's state allows it.
///
/// Checked before the state so that someone without access learns nothing about the case.
pub fn permits(actor: &Actor, action: ActionKind, case: &Case) -> Result<(), Refusal> {
    match actor {
        Actor::Reporter if action == ActionKind::Rate => Ok(()),
        Actor::Reporter => allow_only(action, ActionKind::Reopen),
        Actor::System => allow_only(action, ActionKind::Escalate),
        Actor::Staff(staff) => {
            if staff.reach == Reach::Outside {
                return Err(Refusal::OutsideOffice);
            }
            if !role_may(staff.role, action) {
                return Err(Refusal::Forbidden { action });
            }
            // Below one's own office a case is read and supervised, never handled: handling stays
            // with the office that holds it. A liaison's department is not an office's, so its rule
            // below decides for it.
            if staff.reach == Reach::Below
                && staff.role != Role::Liaison
                && !supervises(action)
                && !answers_below(action)
            {
                return Err(Refusal::Forbidden { action });
            }
            // A handler sends back a referral (before acceptance); a transferred case is the liaison's
            // to return.
            if action == ActionKind::Return && staff.role == Role::Handler && case.status != ReportStatus::Submitted {
                return Err(Refusal::Forbidden { action });
            }
            if staff.role == Role::Liaison {
                // An opinion or an assistance answer speaks for a department the case asked, whoever
                // holds the case; everything else a liaison does needs the case to be with them.
                let department = staff.department.as_deref();
                let allowed = match action {
                    ActionKind::Opinion | ActionKind::AssistReply => {
                        department.is_some_and(|d| super::request::involves(&case.requests, d))
                    }
                    _ => transferred_to(case, department),
                };
                if !allowed {
                    return Err(Refusal::OutsideDepartment);
                }
            }
            Ok(())
        }
    }
}

/// What an account may do to a case held below its own office: remind, supervise, decide on an
/// extension, and note.
fn supervises(action: ActionKind) -> bool {
    matches!(
        action,
        ActionKind::Remind
            | ActionKind::Supervise
            | ActionKind::GrantExtension
            | ActionKind::RefuseExtension
            | ActionKind::Note
    )
}

/// What an office above does to a case that asked it (an escalation) or that it delegated (the
/// review): [`super::apply`] checks that the account's office is the one asked.
fn answers_below(action: ActionKind) -> bool {
    matches!(action, ActionKind::TakeOver | ActionKind::Guide | ActionKind::Approve | ActionKind::SendBack)
}

fn allow_only(action: ActionKind, only: ActionKind) -> Result<(), Refusal> {
    if action == only { Ok(()) } else { Err(Refusal::Forbidden { action }) }
}

/// A liaison's whole view of the case list: currently transferred, to this department. Once the case is
/// resolved, reopened or transferred elsewhere it leaves the department's hands.
fn transferred_to(case: &Case, department: Option<&str>) -> bool {
    case.status == ReportStatus::Transferred && department.is_some() && case.department.as_deref() == department
}

/// Whether a liaison of `department` may see `case` at all (the department view and the case page).
/// That is a case transferred to it, or one that asks it something in an open consultation or
/// assistance request (only while the request is open).
pub fn liaison_can_see(case: &Case, department: &str) -> bool {
    transferred_to(case, Some(department)) || super::request::involves(&case.requests, department)
}

/// What a staff route lets its caller do, beyond the case actions of [`role_may`]. The worker asks
/// [`require`] before touching D1, so a refused request reads and changes nothing.
///
/// | permission            | admin | handler | supervisor | liaison¹ | editor |
/// |-----------------------|:-----:|:-------:|:----------:|:--------:|:------:|
/// | read cases            |   ✓   |    ✓    |     ✓      |    ✓     |        |
/// | read contact          |   ✓   |    ✓    |     ✓      |          |        |
/// | read figures          |   ✓   |         |     ✓      |    ✓     |        |
/// | list departments      |   ✓   |    ✓    |     ✓      |    ✓     |   ✓    |
/// | read notifications    |   ✓   |    ✓    |     ✓      |    ✓     |   ✓    |
/// | read staff directory  |   ✓   |    ✓    |     ✓      |          |        |
/// | enter reports         |   ✓   |    ✓    |            |          |        |
/// | administer            |   ✓   |         |            |          |        |
///
/// ¹ A liaison reads only the cases currently transferred to their department ([`liaison_can_see`])
/// and only their department's figures ([`figures_scope`]).
///
/// The staff directory (names, roles and departments of the active accounts) is for those who assign
/// handlers or follow cases across the whole queue. A liaison reads the names of the people on their
/// own cases from the case itself (`CaseDetail::staff`), not the whole directory; an editor handles no
/// cases.
///
/// Handlers get no figures: the per-handler table ranks colleagues, which is the supervisor's view,
/// and a handler's own workload is the queue filtered by `handler`. Liaisons call the reporter back
/// through the handler, so they never read contact details.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// The queue and case pages (and the actions, which [`permits`] then checks one by one).
    ReadCases,
    /// A reporter's name and phone (each reading is logged).
    ReadContact,
    /// The supervisor figures per department and handler.
    ReadFigures,
    /// The department list (transfer dialog, settings).
    ListDepartments,
    /// One's own console notifications.
    ReadNotifications,
    /// The active staff accounts' names, roles and departments (the assign form, the queue's handler
    /// filter).
    ReadStaffDirectory,
    /// Enter a report taken by phone, letter, in person or passed down, and import passed-down cases
    /// (those who accept reports).
    EnterReports,
    /// Staff accounts, routing rules, webhooks.
    Administer,
}

impl Permission {
    /// Every permission, in the order of the table above.
    pub const ALL: [Permission; 8] = [
        Permission::ReadCases,
        Permission::ReadContact,
        Permission::ReadFigures,
        Permission::ListDepartments,
        Permission::ReadNotifications,
        Permission::ReadStaffDirectory,
        Permission::EnterReports,
        Permission::Administer,
    ];
}

/// Whether `role` has `permission` (the table on [`Permission`]).
pub fn role_has(role: Role, permission: Permission) -> bool {
    use Permission::*;
    match permission {
        ReadCases => !matches!(role, Role::Editor),
        ReadContact | ReadStaffDirectory => matches!(role, Role::Admin | Role::Handler | Role::Supervisor),
        ReadFigures => matches!(role, Role::Admin | Role::Supervisor | Role::Liaison),
        EnterReports => matches!(role, Role::Admin | Role::Handler),
        ListDepartments | ReadNotifications => true,
        Administer => role == Role::Admin,
    }
}

/// `Ok` when `staff` has `permission`, else the refusal the worker answers 403 with.
pub fn require(staff: &Staff, permission: Permission) -> Result<(), Refusal> {
    if role_has(staff.role, permission) { Ok(()) } else { Err(Refusal::NotPermitted { permission }) }
}

/// Who may open the queue and case pages at all: everyone who handles cases; editors write
/// refutations and see no cases.
pub fn may_read_cases(staff: &Staff) -> Result<(), Refusal> {
    require(staff, Permission::ReadCases)
}

/// Who may read a reporter's contact details: those who may need to call the reporter back.
pub fn may_read_contact(staff: &Staff) -> Result<(), Refusal> {
    require(staff, Permission::ReadContact)
}

/// Which figures a staff member may read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FiguresScope {
    /// Every department and every handler (admins, supervisors).
    All,
    /// One department's row and no per-handler rows (a liaison).
    Department(String),
}

/// The figures `staff` may read, or why none. A liaison without a department reads none (fails closed).
pub fn figures_scope(staff: &Staff) -> Result<FiguresScope, Refusal> {
    require(staff, Permission::ReadFigures)?;
    match staff.role {
        Role::Liaison => staff
            .department
            .clone()
            .map(FiguresScope::Department)
            .ok_or(Refusal::NotPermitted { permission: Permission::ReadFigures }),
        _ => Ok(FiguresScope::All),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_their_stored_names() {
        for role in Role::ALL {
            assert_eq!(Role::from_name(role.as_str()), Some(role));
            let json = serde_json::to_string(&role).expect("serialises");
            assert_eq!(json, format!("\"{}\"", role.as_str()));
        }
        assert_eq!(Role::from_name("root"), None);
    }

    #[test]
    fn audit_names_are_stable() {
        let staff =
            Staff { id: StaffId(42), role: Role::Handler, department: None, office: root_office(), reach: Reach::Own };
        assert_eq!(Actor::Staff(staff).audit_name(), "staff:42");
        assert_eq!(Actor::Reporter.audit_name(), "reporter");
        assert_eq!(Actor::System.audit_name(), "system");
    }

    fn member(role: Role, department: Option<&str>) -> Staff {
        Staff {
            id: StaffId(1),
            role,
            department: department.map(str::to_owned),
            office: root_office(),
            reach: Reach::Own,
        }
    }

    #[test]
    fn an_office_handles_its_own_cases_supervises_those_below_and_knows_no_others() {
        use crate::office::{Office, OfficeLevel, OfficeTree};
        let office = |code: &str, parent: Option<&str>, level| Office {
            code: code.to_owned(),
            parent: parent.map(str::to_owned),
            level,
            name_zh_hans: code.to_owned(),
            name_zh_hant: code.to_owned(),
            name_en: code.to_owned(),
        };
        let tree = OfficeTree::from_rows(vec![
            (office("root", None, OfficeLevel::City), 0),
            (office("east", Some("root"), OfficeLevel::County), 0),
            (office("west", Some("root"), OfficeLevel::County), 1),
        ]);
        let mut case = Case::new(super::super::CaseId(1), "fraud", None, 0);
        case.office = "east".to_owned();
        let at = |role, office_code: &str| {
            let staff = Staff { office: office_code.to_owned(), ..member(role, Some("police")) };
            Actor::Staff(staff.reaching(&tree, &case.office))
        };
        // (role, office, action, allowed?) — the refusal for an office outside is "no such case".
        for (role, office_code, action, want) in [
            (Role::Handler, "east", ActionKind::Accept, Ok(())),
            (Role::Handler, "root", ActionKind::Accept, Err(Refusal::Forbidden { action: ActionKind::Accept })),
            (Role::Handler, "root", ActionKind::Note, Ok(())),
            (Role::Handler, "root", ActionKind::Remind, Ok(())),
            (Role::Admin, "root", ActionKind::Resolve, Err(Refusal::Forbidden { action: ActionKind::Resolve })),
            (Role::Supervisor, "root", ActionKind::Supervise, Ok(())),
            (Role::Handler, "west", ActionKind::Note, Err(Refusal::OutsideOffice)),
            (Role::Supervisor, "west", ActionKind::Remind, Err(Refusal::OutsideOffice)),
        ] {
            assert_eq!(permits(&at(role, office_code), action, &case), want, "{role:?} at {office_code} {action:?}");
        }
        assert_eq!(Refusal::OutsideOffice.code(), crate::ErrorCode::NotFound);
        assert_eq!(member(Role::Handler, None).reaching(&tree, "east").reach, Reach::Below);
        assert_eq!(
            Staff { office: "west".to_owned(), ..member(Role::Handler, None) }.reaching(&tree, "east").reach,
            Reach::Outside
        );
    }

    #[test]
    fn the_permission_table() {
        use Permission::*;
        // (permission, roles that have it), written out independently of role_has.
        let table = [
            (ReadCases, "admin handler supervisor liaison"),
            (ReadContact, "admin handler supervisor"),
            (ReadFigures, "admin supervisor liaison"),
            (ListDepartments, "admin handler supervisor liaison editor"),
            (ReadNotifications, "admin handler supervisor liaison editor"),
            (ReadStaffDirectory, "admin handler supervisor"),
            (EnterReports, "admin handler"),
            (Administer, "admin"),
        ];
        assert_eq!(table.len(), Permission::ALL.len());
        for (permission, roles) in table {
            for role in Role::ALL {
                let want = roles.split(' ').any(|r| r == role.as_str());
                assert_eq!(role_has(role, permission), want, "{role:?} {permission:?}");
                let got = require(&member(role, Some("police")), permission);
                assert_eq!(got.is_ok(), want, "{role:?} {permission:?}");
                if let Err(refusal) = got {
                    assert_eq!(refusal, Refusal::NotPermitted { permission });
                    assert_eq!(refusal.code(), crate::ErrorCode::Forbidden);
                }
            }
        }
        assert!(may_read_cases(&member(Role::Liaison, None)).is_ok());
        assert!(may_read_cases(&member(Role::Editor, None)).is_err());
        assert!(may_read_contact(&member(Role::Supervisor, None)).is_ok());
        assert!(may_read_contact(&member(Role::Liaison, Some("police"))).is_err());
    }

    #[test]
    fn only_those_who_may_close_a_case_may_be_assigned_to_it() {
        let assignable: Vec<Role> = Role::ALL.into_iter().filter(|&r| may_be_assigned(r)).collect();
        assert_eq!(assignable, [Role::Admin, Role::Handler]);
    }

    #[test]
    fn figures_scope_pins_liaisons_to_their_department() {
        assert_eq!(figures_scope(&member(Role::Supervisor, None)), Ok(FiguresScope::All));
        assert_eq!(figures_scope(&member(Role::Admin, None)), Ok(FiguresScope::All));
        assert_eq!(
            figures_scope(&member(Role::Liaison, Some("police"))),
            Ok(FiguresScope::Department("police".to_owned()))
        );
        let forbidden = Err(Refusal::NotPermitted { permission: Permission::ReadFigures });
        assert_eq!(figures_scope(&member(Role::Liaison, None)), forbidden);
        assert_eq!(figures_scope(&member(Role::Handler, None)), forbidden);
        assert_eq!(figures_scope(&member(Role::Editor, None)), forbidden);
    }
}
