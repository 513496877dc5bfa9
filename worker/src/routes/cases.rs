//! The staff case routes: `GET /api/staff/cases` (the queue; `?handover=in|out` the hand-overs;
//! `?receipt=` the one case with that receipt code, archived or not),
//! `GET /api/staff/cases/{id}` (one case),
//! `GET /api/staff/cases/{id}/contact` (the reporter's contact, logged) and
//! `POST /api/staff/cases/{id}/actions` (one workflow action).
//!
//! Every change goes through `workflow::apply`; `store::cases::save` writes its result or nothing.

use qinglang_domain::api::{
    CaseActionDone, CaseActionRequest, CaseDetail, CaseQueue, CaseSummary, DuplicateSuggestion,
};
use qinglang_domain::office::OfficeTree;
use qinglang_domain::workflow::{self, Action, Actor, CaseId, MergeTarget, Reach, Role, RoutingRule, Staff, StaffId};
use qinglang_domain::{ErrorCode, ReportStatus, Taxonomy};
use worker::{D1Database, Env, Request, Response, Url};

use crate::auth::{self, Csrf};
use crate::error::ApiError;
use crate::http;
use crate::store::shards::{Shard, Shards};
use crate::store::{self, cases::CaseRecord, cases::Handover, cases::QueueFilter, cases::QueueSort};

/// An action's body: a reply of 2,000 characters fits with room to spare.
const MAX_BODY_BYTES: usize = 16 * 1024;

/// Default queue page length.
const DEFAULT_PAGE: u32 = 50;

/// A subtree of more offices than this (a district with its streets and communities) pages by the
/// due-order index; smaller ones read their offices' cases and sort them. Measured at Tianjin scale:
/// a street's page takes 0.5 ms by its offices and ~40 ms by the index; a district's ~3 ms either
/// way today, but only the index's cost stays flat as the district's history grows.
const WIDE_SUBTREE: usize = 64;

/// How much of the description the queue shows.
const EXCERPT_CHARS: usize = 80;

/// How much of a suggested duplicate's description the case page shows.
const DUPLICATE_EXCERPT_CHARS: usize = 60;

/// Reads a case id from the path; anything else is not a case.
pub fn parse_id(id: &str) -> Result<CaseId, ApiError> {
    id.parse::<i64>().map(CaseId).map_err(|_| ApiError::client(ErrorCode::NotFound))
}

fn bad_query(field: &str) -> ApiError {
    ApiError::Client { code: ErrorCode::BadJson, field: Some(field.to_owned()) }
}

/// The queue filter from the query string. A liaison's filter is pinned to the cases transferred to
/// their department or asking it something (`workflow::liaison_can_see`); one without a department
/// sees none.
fn queue_filter(
    url: &Url,
    staff: &Staff,
    viewed: &str,
    now: i64,
    taxonomy: &Taxonomy,
    tree: &OfficeTree,
) -> Result<QueueFilter, ApiError> {
    let mut f = QueueFilter {
        status: None,
        category: None,
        district: None,
        department: None,
        handler: None,
        liaison: None,
        office: None,
        subtree: Vec::new(),
        handover: None,
        wide: false,
        wide_in: Vec::new(),
        overdue: false,
        due_within: None,
        sort: QueueSort::Due,
        after: None,
        limit: DEFAULT_PAGE,
    };
    for (key, value) in url.query_pairs() {
        let value = value.into_owned();
        match key.as_ref() {
            "state" => f.status = Some(ReportStatus::from_name(&value).ok_or_else(|| bad_query("state"))?),
            "category" => f.category = Some(category_and_below(taxonomy, &value)),
            "district" => f.district = Some(value),
            "department" => f.department = Some(value),
            "handler" => f.handler = Some(StaffId(value.parse().map_err(|_| bad_query("handler"))?)),
            "overdue" => f.overdue = value == "1" || value == "true",
            "due_today" if value == "1" || value == "true" => {
                f.due_within = Some(workflow::today_window(now, workflow::SHANGHAI_UTC_OFFSET_MINUTES));
            }
            "due_today" => {}
            "sort" if value == "due" => f.sort = QueueSort::Due,
            "sort" if value == "priority" => f.sort = QueueSort::Priority,
            "after" => f.after = Some(value),
            // The office (`routes::offices::viewed`, checked by the caller).
            "office" => {}
            "handover" if value == "in" => f.handover = Some(Handover::In),
            "handover" if value == "out" => f.handover = Some(Handover::Out),
            "limit" => f.limit = value.parse().map_err(|_| bad_query("limit"))?,
            _ => return Err(bad_query(&key)),
        }
    }
    if staff.role == Role::Liaison {
        f.liaison = Some(staff.department.clone().unwrap_or_default());
    }
    // An account reads its own office's cases and those below it (or the office it picked there);
    // the root's reach is everything.
    if viewed != qinglang_domain::office::ROOT || f.handover.is_some() {
        f.office = Some(viewed.to_owned());
        f.subtree = tree.subtree(viewed).into_iter().map(str::to_owned).collect();
    }
    Ok(f)
}

/// A category's code and those of every category below it (`taxonomy::MAX_DEPTH` levels); an
/// unknown code matches only itself, so it lists nothing.
fn category_and_below(taxonomy: &Taxonomy, code: &str) -> Vec<String> {
    let mut codes = vec![code.to_owned()];
    let mut i = 0;
    while i < codes.len() {
        let parent = codes[i].clone();
        codes.extend(
            taxonomy.categories.iter().filter(|c| c.parent.as_deref() == Some(&parent)).map(|c| c.code.clone()),
        );
        i += 1;
    }
    codes
}

fn summary(record: CaseRecord, now: i64) -> CaseSummary {
    let overdue = workflow::is_overdue(&record.case, now);
    let excerpt = record.description.chars().take(EXCERPT_CHARS).collect();
    let receipt_code = grouped(&record.receipt_code);
    CaseSummary { case: record.case, receipt_code, priority: record.priority, excerpt, overdue, findings: None }
}

fn grouped(code: &str) -> String {
    qinglang_domain::ReceiptCode::parse(code).map(|c| c.grouped()).unwrap_or_else(|_| code.to_owned())
}

/// The queue, filtered, sorted and paged.
pub async fn list(req: &Request, env: &Env) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    let shards = Shards::open(env)?;
    let now = http::now_ms();
    let me = auth::signed_in(req, &db, now, Csrf::NotNeeded).await?;
    workflow::may_read_cases(&me.staff)?;
    let url = req.url()?;
    if let Some((_, typed)) = url.query_pairs().find(|(k, _)| k == "receipt") {
        let code = qinglang_domain::ReceiptCode::parse(&typed)
            .map_err(|_| ApiError::Client { code: ErrorCode::ReceiptCodeInvalid, field: Some("receipt".to_owned()) })?;
        let items = by_receipt(&shards, &code, &me.staff, now).await?.into_iter().collect();
        return Ok(http::json(200, &CaseQueue { items, next: None }));
    }
    let tree = store::offices::tree(&db).await?;
    let viewed = super::offices::viewed(&url, &me.staff, &tree)?;
    let taxonomy = store::taxonomy::shared(&db).await?;
    let mut filter = queue_filter(&url, &me.staff, &viewed, now, &taxonomy, &tree)?;
    filter.wide = filter.subtree.len() > WIDE_SUBTREE;
    filter.wide_in = shards.holding(&tree, &filter.subtree);
    let (records, next) = store::cases::queue(&shards, &filter, now).await?;
    let ids: Vec<i64> = records.iter().map(|r| r.case.id.0).collect();
    let mut screenings = store::cases::queue_findings(&shards, &ids).await?;
    let items = records
        .into_iter()
        .map(|mut r| {
            let screening = screenings.iter().position(|s| s.id == r.case.id.0).map(|i| screenings.swap_remove(i));
            // Staff see personal data masked, in the queue as on the case page.
            if let Some(s) = &screening {
                r.description = store::cases::masked(&r.description, &s.pii);
            }
            let mut item = summary(r, now);
            item.findings = screening.map(|s| s.findings);
            item
        })
        .collect();
    Ok(http::json(200, &CaseQueue { items, next }))
}

/// The staff search by receipt code (a reporter on the phone reads theirs out): the case as the
/// queue lists it, if this staff member may see it. An archived case is listed from its small row,
/// not thawed: opening it does that.
async fn by_receipt(
    shards: &Shards,
    code: &qinglang_domain::ReceiptCode,
    staff: &Staff,
    now: i64,
) -> Result<Option<CaseSummary>, ApiError> {
    let Some(located) = shards.locate_code(code).await? else { return Ok(None) };
    let Some(record) = store::cases::load(&located.shard.db, located.id).await? else { return Ok(None) };
    let tree = store::offices::tree(&shards.control()?).await?;
    if reaching(staff, &tree, &record).is_err() {
        return Ok(None);
    }
    let mut screening = store::cases::queue_findings(shards, &[located.id.0]).await?;
    let mut record = record;
    let screening = screening.pop();
    if let Some(s) = &screening {
        record.description = store::cases::masked(&record.description, &s.pii);
    }
    let mut item = summary(record, now);
    item.findings = screening.map(|s| s.findings);
    Ok(Some(item))
}

/// The case if it exists and this staff member may see it, with its shard and the account as it
/// reaches the case (`Staff::reaching`: its own office's, one below, or outside): 404 for an unknown
/// case and for one held outside the account's office and its subtree alike, 403 for a liaison
/// outside its department.
pub async fn visible_case(shards: &Shards, id: CaseId, staff: &Staff) -> Result<(Shard, CaseRecord, Staff), ApiError> {
    workflow::may_read_cases(staff)?;
    let (shard, record) = store::cases::find(shards, id).await?.ok_or(ApiError::client(ErrorCode::NotFound))?;
    let staff = reaching(staff, &*store::offices::tree(&shards.control()?).await?, &record)?;
    Ok((shard, record, staff))
}

/// The account as it reaches the case, if it may see it: `not_found` outside its office and its
/// subtree, `case_not_in_department` for a liaison outside its department.
fn reaching(staff: &Staff, tree: &OfficeTree, record: &CaseRecord) -> Result<Staff, ApiError> {
    let staff = staff.reaching(tree, &record.case.office);
    if staff.reach == Reach::Outside {
        return Err(ApiError::client(ErrorCode::NotFound));
    }
    if staff.role == Role::Liaison
        && !workflow::liaison_can_see(&record.case, staff.department.as_deref().unwrap_or_default())
    {
        return Err(ApiError::client(ErrorCode::CaseNotInDepartment));
    }
    Ok(staff)
}

/// The department the routing rules propose: the case's office's rules first, then each office
/// above it, the root office's (and the category's default department) last.
async fn proposed_department(
    db: &D1Database,
    taxonomy: &Taxonomy,
    tree: &OfficeTree,
    record: &CaseRecord,
) -> Result<Option<String>, ApiError> {
    let offices: Vec<&str> = tree.ancestry(&record.case.office).into_iter().map(|o| o.code.as_str()).collect();
    let offices = if offices.is_empty() { vec![qinglang_domain::office::ROOT] } else { offices };
    let rules = store::admin::routing_rules_of(db, &offices).await?;
    let (root, local) = rules.split_last().map_or((&[][..], &[][..]), |(root, local)| (root.as_slice(), local));
    let local: Vec<&[RoutingRule]> = local.iter().map(Vec::as_slice).collect();
    let ancestry = taxonomy.ancestry(&record.case.category);
    Ok(workflow::propose_in_network(&local, root, &ancestry, record.case.district.as_deref()).map(str::to_owned))
}

/// One case: report, screening, every event, and the actions this user may take now.
pub async fn get(req: &Request, env: &Env, id: &str) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    let shards = Shards::open(env)?;
    let now = http::now_ms();
    let me = auth::signed_in(req, &db, now, Csrf::NotNeeded).await?;
    let (shard, record, staff) = visible_case(&shards, parse_id(id)?, &me.staff).await?;
    let extras = store::cases::extras(&shard.db, record.case.id).await?;
    let evidence = store::uploads::of_report(&shard.db, record.case.id.0).await?;
    let taxonomy = store::taxonomy::load(&db).await?;
    let policy = store::policy::load(&db).await?;
    let duplicates = match me.staff.role {
        Role::Liaison => Vec::new(),
        _ => duplicates(&shards, &shard, record.case.id).await?,
    };
    let mut allowed_actions = workflow::allowed_actions(&record.case, &Actor::Staff(staff), now, &policy);
    // Nothing is done to a case on its way to another shard; it arrives within moments.
    if record.moving_to.is_some() {
        allowed_actions.clear();
    }
    // The tree decides two more: no escalation from an office without a parent, no delegation from
    // one without offices below.
    let tree = store::offices::tree(&db).await?;
    let office = record.case.office.as_str();
    let has_parent = tree.get(office).is_some_and(|o| o.parent.is_some());
    let has_children = tree.children(office).next().is_some();
    allowed_actions.retain(|&kind| match kind {
        workflow::ActionKind::EscalateToParent => has_parent,
        workflow::ActionKind::Delegate => has_children,
        _ => true,
    });
    let refutation_matches = store::refutations::case_matches(&shard.db, record.case.id.0).await?;
    let events: Vec<(&str, &str, Option<&str>)> =
        extras.timeline.iter().map(|e| (e.kind.as_str(), e.actor.as_str(), e.body.as_deref())).collect();
    let staff = store::staff::names(&db, &workflow::staff_named(&record.case, &events)).await?;
    let detail = CaseDetail {
        staff,
        refutation_matches,
        duplicates,
        proposed_department: proposed_department(&db, &taxonomy, &tree, &record).await?,
        time_left_ms: workflow::time_left(&record.case, now),
        receipt_code: grouped(&record.receipt_code),
        links: serde_json::from_str(&record.links)?,
        case: record.case,
        priority: record.priority,
        description: record.description,
        platform: record.platform,
        account: record.account,
        location: record.location,
        channel: record.channel,
        screening: extras.screening,
        has_contact: extras.has_contact,
        timeline: extras.timeline,
        allowed_actions,
        evidence,
    };
    Ok(http::json(200, &detail))
}

/// The most similar open cases (at most 5, at the engine's default similarity or closer).
async fn duplicates(shards: &Shards, shard: &Shard, id: CaseId) -> Result<Vec<DuplicateSuggestion>, ApiError> {
    let Some(fingerprint) = store::cases::fingerprint(&shard.db, id).await? else { return Ok(Vec::new()) };
    let max_distance = qinglang_engine::Fingerprint::max_distance(qinglang_engine::DEFAULT_MIN_SIMILARITY);
    let mut near: Vec<(u32, i64)> = Vec::new();
    for (candidate, hex) in store::cases::duplicate_candidates(shards, id).await? {
        let Some(theirs) = qinglang_engine::Fingerprint::from_hex(&hex) else { continue };
        let distance = theirs.distance(fingerprint);
        if distance <= max_distance {
            near.push((distance, candidate));
        }
    }
    near.sort_by_key(|(distance, id)| (*distance, std::cmp::Reverse(*id)));
    near.truncate(5);
    let ids: Vec<i64> = near.iter().map(|(_, id)| *id).collect();
    let details = store::cases::duplicate_details(shards, &ids).await?;
    // Personal data masked, as everywhere staff read a report's text.
    let screenings = store::cases::queue_findings(shards, &ids).await?;
    Ok(near
        .into_iter()
        .filter_map(|(distance, id)| {
            let d = details.iter().find(|d| d.id == id)?;
            let status = ReportStatus::from_name(&d.status).filter(|s| s.is_open())?;
            let masked = match screenings.iter().find(|s| s.id == id) {
                Some(s) => store::cases::masked(&d.excerpt, &s.pii),
                None => d.excerpt.clone(),
            };
            Some(DuplicateSuggestion {
                id: CaseId(id),
                category: d.category.clone(),
                status,
                created_at: d.created_at,
                excerpt: masked.chars().take(DUPLICATE_EXCERPT_CHARS).collect(),
                similarity_percent: qinglang_engine::Fingerprint::similarity_percent(distance),
            })
        })
        .collect())
}

/// The reporter's contact details; each reading is logged as a staff-only event.
pub async fn contact(req: &Request, env: &Env, id: &str) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    let shards = Shards::open(env)?;
    let now = http::now_ms();
    let me = auth::signed_in(req, &db, now, Csrf::NotNeeded).await?;
    let (shard, record, _) = visible_case(&shards, parse_id(id)?, &me.staff).await?;
    workflow::may_read_contact(&me.staff)?;
    let actor = Actor::Staff(me.staff).audit_name();
    let contact = store::cases::read_contact(&shard.db, record.case.id, &actor, now).await?;
    Ok(http::json(200, &contact.ok_or(ApiError::client(ErrorCode::NotFound))?))
}

/// Loads a merge's target; its status comes from D1, never from the request. A case outside the
/// account's office and its subtree is no target at all (as unknown as it is on its own page).
async fn merge_target(
    shards: &Shards,
    tree: &OfficeTree,
    input: &CaseActionRequest,
    staff: &Staff,
) -> Result<Option<MergeTarget>, ApiError> {
    let Some(into) = input.merge_into() else { return Ok(None) };
    let Some((status, office)) = store::cases::status_of(shards, into).await? else { return Ok(None) };
    if staff.reaching(tree, &office).reach == Reach::Outside {
        return Ok(None);
    }
    Ok(Some(MergeTarget { id: into, status }))
}

/// Checks that the departments and staff an allowed action names exist, and that those named as
/// handlers may handle cases (`workflow::may_be_assigned`).
async fn check_references(
    db: &D1Database,
    action: &Action,
    tree: &OfficeTree,
    case_office: &str,
) -> Result<(), ApiError> {
    let field = |f: &str, code| ApiError::Client { code, field: Some(f.to_owned()) };
    match action {
        Action::Refer { office, .. } | Action::Delegate { office, .. } if tree.get(office.trim()).is_none() => {
            Err(field("office", ErrorCode::UnknownOffice))
        }
        // 交办 goes down the tree only: to an office below the one holding the case.
        Action::Delegate { office, .. } if !tree.within(office.trim(), case_office) => {
            Err(field("office", ErrorCode::OfficeNotBelow))
        }
        // A department serves its own office and the offices below it: any other is unknown here.
        Action::Transfer { department, .. } if !serves(db, department, tree, case_office).await? => {
            Err(field("department", ErrorCode::UnknownDepartment))
        }
        Action::Assist { agency, .. } if !serves(db, agency, tree, case_office).await? => {
            Err(field("agency", ErrorCode::UnknownDepartment))
        }
        Action::Consult { departments, .. } => {
            // Up to ten codes: one read of the departments, not one per code.
            let all = store::taxonomy::departments(db).await?;
            let usable = |code: &str| all.iter().any(|d| d.active && d.code == code && d.serves(tree, case_office));
            if departments.iter().any(|d| !usable(d.trim())) {
                return Err(field("departments", ErrorCode::UnknownDepartment));
            }
            Ok(())
        }
        Action::Assign { primary, backup } => {
            for (name, id) in [("primary", Some(*primary)), ("backup", *backup)] {
                let Some(id) = id else { continue };
                match store::staff::active_role(db, id).await? {
                    None => return Err(field(name, ErrorCode::UnknownStaff)),
                    Some(role) if !workflow::may_be_assigned(role) => return Err(field(name, ErrorCode::NotAHandler)),
                    Some(_) => {}
                }
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Whether active department `code` serves cases held by `case_office` (it belongs to that office or
/// one above it).
async fn serves(db: &D1Database, code: &str, tree: &OfficeTree, case_office: &str) -> Result<bool, ApiError> {
    Ok(store::staff::department_office(db, code.trim()).await?.is_some_and(|office| tree.within(case_office, &office)))
}

/// Takes one workflow action. A concurrent action on the same case makes one of them `case_wrong_state`.
pub async fn act(mut req: Request, env: &Env, id: &str) -> Result<Response, ApiError> {
    let db = store::db(env)?;
    let shards = Shards::open(env)?;
    let now = http::now_ms();
    let me = auth::signed_in(&req, &db, now, Csrf::Required).await?;
    let input: CaseActionRequest = http::read_json(&mut req, MAX_BODY_BYTES).await?;
    let (shard, record) =
        store::cases::find(&shards, parse_id(id)?).await?.ok_or(ApiError::client(ErrorCode::NotFound))?;
    // A referral or delegation may name an office just added in another isolate.
    let tree = store::offices::knowing(&db, &[input.office_named().unwrap_or_default()]).await?;
    let target = merge_target(&shards, &tree, &input, &me.staff).await?;
    let not_found = ApiError::Client { code: ErrorCode::NotFound, field: Some("into".to_owned()) };
    // An escalation goes to the parent of the office holding the case, read from the tree.
    let parent = tree.get(&record.case.office).and_then(|o| o.parent.as_deref());
    let action = input.into_action(target, parent).ok_or(not_found)?;
    let policy = store::policy::load(&db).await?;
    // updated_at is the row's version for the conditional write, so it must move even within 1 ms.
    let at = now.max(record.case.updated_at + 1);
    // Handled at its own office, read and supervised from above, unknown anywhere else.
    let staff = me.staff.reaching(&tree, &record.case.office);
    let (case, event) = workflow::apply(&record.case, &action, &Actor::Staff(staff), at, &policy)?;
    check_references(&db, &action, &tree, &record.case.office).await?;
    // Decided as the case was read; a case on its way to another shard waits for its arrival (an
    // outsider still hears 404 above, since `apply` checks permission first).
    if record.moving_to.is_some() {
        return Err(ApiError::client(ErrorCode::CaseMoving));
    }
    let taxonomy = store::taxonomy::shared(&db).await?;
    store::cases::save(&shards, &shard, (&tree, &taxonomy), &record, &case, &event).await?;
    Ok(http::json(200, &CaseActionDone { case, event }))
}
