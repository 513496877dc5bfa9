use super::edit::{CategoryPatch, DepartmentUse, EntryPatch, NewCategory, NewEntry};
use super::*;
use crate::error::ErrorCode;

const DEPARTMENTS: [&str; 9] =
    ["cac", "police", "traffic", "urban", "ecology", "culture", "market", "health", "education"];

#[test]
fn default_set_has_unique_codes_all_names_and_a_tree() {
    let t = Taxonomy::default_set();
    assert_eq!(t.categories.iter().filter(|c| c.parent.is_none()).count(), 20);
    assert_eq!(t.categories.len(), 37);
    let mut codes: Vec<&str> = t.categories.iter().map(|c| c.code.as_str()).collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), t.categories.len());
    for (i, c) in t.categories.iter().enumerate() {
        for lang in Lang::ALL {
            assert!(!c.name(lang).is_empty(), "{} lacks a {lang:?} name", c.code);
        }
        assert!(c.deadline_days > 0);
        // Offline behaviours happen somewhere; the reporter must say where.
        assert_eq!(c.kind == CategoryKind::Offline, c.requires_location, "{}", c.code);
        let department = c.default_department.as_deref().expect("every default category routes somewhere");
        assert!(DEPARTMENTS.contains(&department), "{}", c.code);
        if let Some(parent) = &c.parent {
            // Tree order: the parent comes earlier, and the kind is the parent's.
            let p = t.categories[..i].iter().find(|p| &p.code == parent).expect("parent before child");
            assert_eq!(p.kind, c.kind);
            assert_eq!(t.depth(&c.code), 2);
        }
    }
    let departments: Vec<String> = Taxonomy::default_departments().into_iter().map(|d| d.code).collect();
    assert_eq!(departments, DEPARTMENTS);
}

#[test]
fn migrations_match_default_set() {
    let t = Taxonomy::default_set();
    let committed = include_str!("../../../migrations/0002_default_taxonomy.sql");
    assert_eq!(
        committed,
        t.to_sql(),
        "regenerate with: cargo run -p qinglang-domain --example default_taxonomy_sql > migrations/0002_default_taxonomy.sql"
    );
    let tree = include_str!("../../../migrations/0013_taxonomy_tree.sql");
    let begin = "-- BEGIN generated subcategories\n";
    let start = tree.find(begin).expect("begin marker") + begin.len();
    let end = tree.find("-- END generated subcategories").expect("end marker");
    assert_eq!(
        &tree[start..end],
        t.subcategories_sql(),
        "regenerate with: cargo run -p qinglang-domain --example default_taxonomy_sql subcategories"
    );
    for d in Taxonomy::default_departments() {
        assert!(
            include_str!("../../../migrations/0004_staff_and_cases.sql").contains(&format!("'{}'", d.code))
                || tree.contains(&format!("'{}'", d.code)),
            "department {} is seeded by no migration",
            d.code
        );
    }
}

#[test]
fn sql_literals_escape_quotes() {
    let mut t = Taxonomy::default_set();
    t.districts[0].name_en = "O'Brien'); DROP TABLE reports; --".to_owned();
    assert!(t.to_sql().contains("'O''Brien''); DROP TABLE reports; --'"));
}

#[test]
fn ancestry_root_subtree_and_children() {
    let t = Taxonomy::default_set();
    let codes = |v: Vec<&Category>| v.into_iter().map(|c| c.code.clone()).collect::<Vec<_>>();
    assert_eq!(codes(t.ancestry("rumor_food")), ["rumor_food", "rumor"]);
    assert_eq!(codes(t.ancestry("rumor")), ["rumor"]);
    assert!(t.ancestry("nope").is_empty());
    assert_eq!(t.root_of("rumor_food"), "rumor");
    assert_eq!(t.root_of("rumor"), "rumor");
    assert_eq!(t.root_of("deleted_long_ago"), "deleted_long_ago");
    assert_eq!(
        t.subtree("environment"),
        ["environment", "environment_noise", "environment_littering", "environment_discharge"]
    );
    assert_eq!(t.subtree("spitting"), ["spitting"]);
    assert!(t.subtree("nope").is_empty());
    assert_eq!(t.children("fraud").count(), 4);
}

#[test]
fn retired_entries_are_shown_but_not_selectable() {
    let mut t = Taxonomy::default_set();
    t.categories.iter_mut().filter(|c| c.code == "fandom").for_each(|c| c.active = false);
    t.districts[1].active = false;
    assert!(t.category("fandom").is_some());
    assert!(t.selectable("fandom").is_none());
    assert!(t.district("xicheng").is_some() && t.selectable_district("xicheng").is_none());
    // On the wire an active entry carries no `active` field; a retired one says `false`.
    let json = serde_json::to_string(&t).expect("serialises");
    assert_eq!(json.matches("\"active\":false").count(), 2);
    assert!(!json.contains("\"active\":true"));
    assert!(json.contains("\"parent\":\"rumor\""));
    let back: Taxonomy = serde_json::from_str(&json).expect("parses");
    assert_eq!(back, t);
}

#[test]
fn tree_order_puts_children_after_parents_whatever_the_rows_order() {
    let t = Taxonomy::default_set();
    let mut rows: Vec<(Category, i64)> = t
        .categories
        .iter()
        .map(|c| {
            let siblings = t.categories.iter().filter(|o| o.parent == c.parent);
            let position = siblings.clone().position(|o| o.code == c.code).unwrap_or(0);
            (c.clone(), position as i64)
        })
        .collect();
    rows.reverse();
    assert_eq!(Taxonomy::tree_order(rows.clone()), t.categories);
    // An orphan (its parent row missing) and a cycle still come out, never lost.
    let mut orphan = t.categories[0].clone();
    orphan.code = "orphan".to_owned();
    orphan.parent = Some("missing".to_owned());
    let mut a = t.categories[0].clone();
    a.code = "cycle_a".to_owned();
    a.parent = Some("cycle_b".to_owned());
    let mut b = a.clone();
    b.code = "cycle_b".to_owned();
    b.parent = Some("cycle_a".to_owned());
    rows.extend([(orphan, 99), (a, 0), (b, 0)]);
    let ordered = Taxonomy::tree_order(rows);
    assert_eq!(ordered.len(), t.categories.len() + 3);
    assert!(ordered.iter().any(|c| c.code == "orphan"));
}

fn new_category(code: &str, parent: Option<&str>) -> NewCategory {
    NewCategory {
        code: code.to_owned(),
        parent: parent.map(str::to_owned),
        kind: parent.is_none().then_some(CategoryKind::Online),
        name_zh_hans: "网络直播乱象".to_owned(),
        name_zh_hant: "網路直播亂象".to_owned(),
        name_en: "Live-streaming abuses".to_owned(),
        ..NewCategory::default()
    }
}

#[test]
fn a_subcategory_inherits_what_it_leaves_out_from_its_parent() {
    let t = Taxonomy::default_set();
    let c = new_category("rumor_finance", Some("rumor")).check(&t, &DEPARTMENTS).expect("valid");
    assert_eq!(c.parent.as_deref(), Some("rumor"));
    assert_eq!((c.kind, c.deadline_days, c.requires_link), (CategoryKind::Online, 7, true));
    assert_eq!(c.default_department.as_deref(), Some("cac"));
    // Given values win; a third level is allowed, a fourth is not.
    let mut input = new_category("rumor_food_baby", Some("rumor_food"));
    input.deadline_days = Some(2);
    input.default_department = Some("health".to_owned());
    let deep = input.check(&t, &DEPARTMENTS).expect("third level");
    assert_eq!((deep.deadline_days, deep.default_department.as_deref()), (2, Some("health")));
    let mut t3 = t.clone();
    t3.categories.push(deep);
    let fourth = new_category("rumor_food_baby_milk", Some("rumor_food_baby")).check(&t3, &DEPARTMENTS);
    assert_eq!(fourth.map_err(|e| (e.field, e.code)), Err(("parent".to_owned(), ErrorCode::ParentInvalid)));
    // A top-level category needs its kind; its location rule follows the kind.
    let mut offline = new_category("shared_bikes", None);
    offline.kind = Some(CategoryKind::Offline);
    let bikes = offline.check(&t, &DEPARTMENTS).expect("valid");
    assert!(bikes.requires_location && !bikes.requires_link);
    assert_eq!(bikes.deadline_days, edit::DEFAULT_DEADLINE_DAYS);
}

#[test]
fn bad_new_categories_name_the_field() {
    let mut t = Taxonomy::default_set();
    t.categories.iter_mut().filter(|c| c.code == "fandom").for_each(|c| c.active = false);
    type Change = fn(&mut NewCategory);
    let cases: [(Change, &str, ErrorCode); 13] = [
        (|n| n.code = "Rumor".to_owned(), "code", ErrorCode::CodeInvalid),
        (|n| n.code = "x".to_owned(), "code", ErrorCode::CodeInvalid),
        (|n| n.code = "1abc".to_owned(), "code", ErrorCode::CodeInvalid),
        (|n| n.code = "rumor_food".to_owned(), "code", ErrorCode::CodeTaken),
        (|n| n.code = "fandom".to_owned(), "code", ErrorCode::CodeTaken),
        (|n| n.parent = Some("nope".to_owned()), "parent", ErrorCode::ParentInvalid),
        (|n| n.parent = Some("fandom".to_owned()), "parent", ErrorCode::ParentInvalid),
        (|n| n.kind = Some(CategoryKind::Offline), "kind", ErrorCode::KindMismatch),
        (|n| n.name_zh_hans = " \u{200B} ".to_owned(), "name_zh_hans", ErrorCode::NameInvalid),
        (|n| n.name_en = "x".repeat(41), "name_en", ErrorCode::NameInvalid),
        (|n| n.deadline_days = Some(0), "deadline_days", ErrorCode::NumberOutOfRange),
        (|n| n.deadline_days = Some(366), "deadline_days", ErrorCode::NumberOutOfRange),
        (|n| n.default_department = Some("mars".to_owned()), "default_department", ErrorCode::UnknownDepartment),
    ];
    for (change, field, code) in cases {
        let mut input = new_category("rumor_finance", Some("rumor"));
        change(&mut input);
        let err = input.check(&t, &DEPARTMENTS).expect_err("refused");
        assert_eq!((err.field.as_str(), err.code), (field, code), "{input:?}");
    }
    let mut root = new_category("live", None);
    root.kind = None;
    assert_eq!(root.check(&t, &DEPARTMENTS).map_err(|e| e.code), Err(ErrorCode::FieldRequired));
}

#[test]
fn retiring_and_restoring_keep_the_tree_consistent() {
    let mut t = Taxonomy::default_set();
    let rumor = t.category("rumor").cloned().expect("default");
    let retire = CategoryPatch { active: Some(false), ..CategoryPatch::default() };
    // Not while a subcategory is active.
    assert_eq!(retire.apply(&rumor, &t, &DEPARTMENTS).map_err(|e| e.code), Err(ErrorCode::StillInUse));
    for c in t.categories.iter_mut().filter(|c| c.parent.as_deref() == Some("rumor")) {
        c.active = false;
    }
    let retired = retire.apply(&rumor, &t, &DEPARTMENTS).expect("no active subcategory left");
    assert!(!retired.active);
    t.categories.iter_mut().filter(|c| c.code == "rumor").for_each(|c| c.active = false);
    // A subcategory cannot come back under a retired parent.
    let food = t.category("rumor_food").cloned().expect("default");
    let restore = CategoryPatch { active: Some(true), ..CategoryPatch::default() };
    assert_eq!(restore.apply(&food, &t, &DEPARTMENTS).map_err(|e| e.code), Err(ErrorCode::ParentInvalid));
    // Renaming and limits; the empty department clears it.
    let patch = CategoryPatch {
        name_en: Some(" Rumours ".to_owned()),
        deadline_days: Some(5),
        default_department: Some(String::new()),
        ..CategoryPatch::default()
    };
    let changed = patch.apply(&rumor, &t, &DEPARTMENTS).expect("valid");
    assert_eq!((changed.name_en.as_str(), changed.deadline_days, changed.default_department), ("Rumours", 5, None));
    let bad = CategoryPatch { deadline_days: Some(400), ..CategoryPatch::default() };
    assert_eq!(bad.apply(&rumor, &t, &DEPARTMENTS).map_err(|e| e.field), Err("deadline_days".to_owned()));
}

#[test]
fn districts_and_departments() {
    let entry = NewEntry {
        code: "futian".to_owned(),
        name_zh_hans: "福田区".to_owned(),
        name_zh_hant: "福田區".to_owned(),
        name_en: "Futian".to_owned(),
        office: None,
    };
    let offices = crate::office::tests::network();
    assert_eq!(entry.district(false, 6, &offices).expect("valid").code, "futian");
    assert_eq!(entry.district(true, 6, &offices).map_err(|e| e.code), Err(ErrorCode::CodeTaken));
    assert_eq!(entry.department(false, edit::MAX_ENTRIES, &offices).map_err(|e| e.code), Err(ErrorCode::TooManyItems));
    // A district's reports land at its office; a department serves its office and those below.
    let local = NewEntry { office: Some("east".to_owned()), ..entry.clone() };
    assert_eq!(local.district(false, 6, &offices).expect("valid").office.as_deref(), Some("east"));
    let bureau = local.department(false, 6, &offices).expect("valid");
    assert!(bureau.serves(&offices, "east") && bureau.serves(&offices, "east_street"));
    assert!(!bureau.serves(&offices, "west") && !bureau.serves(&offices, "city"));
    let nowhere = NewEntry { office: Some("atlantis".to_owned()), ..entry.clone() };
    assert_eq!(
        nowhere.district(false, 6, &offices).map_err(|e| (e.field, e.code)),
        Err(("office".to_owned(), ErrorCode::UnknownOffice))
    );
    assert_eq!(entry.department(false, 6, &offices).expect("valid").office, crate::office::ROOT);
    let police = Taxonomy::default_departments().into_iter().nth(1).expect("police");
    let retire = EntryPatch { active: Some(false), ..EntryPatch::default() };
    for in_use in [
        DepartmentUse { categories: 1, ..DepartmentUse::default() },
        DepartmentUse { rules: 1, ..DepartmentUse::default() },
        DepartmentUse { liaisons: 1, ..DepartmentUse::default() },
        DepartmentUse { open_cases: 1, ..DepartmentUse::default() },
    ] {
        assert_eq!(
            retire.department(&police, in_use, &offices).map_err(|e| e.code),
            Err(ErrorCode::StillInUse),
            "{in_use:?}"
        );
        let moved = EntryPatch { office: Some("east".to_owned()), ..EntryPatch::default() };
        assert_eq!(moved.department(&police, in_use, &offices).map_err(|e| e.field), Err("office".to_owned()));
    }
    assert!(!retire.department(&police, DepartmentUse::default(), &offices).expect("unused").active);
    let district = Taxonomy::default_set().districts[0].clone();
    assert_eq!(retire.district(&district, 1, &offices).map_err(|e| e.code), Err(ErrorCode::StillInUse));
    assert!(!retire.district(&district, 0, &offices).expect("no poster names it").active);
    let rename = EntryPatch { name_zh_hans: Some(String::new()), ..EntryPatch::default() };
    assert_eq!(rename.district(&district, 0, &offices).map_err(|e| e.field), Err("name_zh_hans".to_owned()));
    let to_east = EntryPatch { office: Some("east".to_owned()), ..EntryPatch::default() };
    let clear = EntryPatch { office: Some(String::new()), ..EntryPatch::default() };
    let placed = to_east.district(&district, 0, &offices).expect("valid");
    assert_eq!(
        (placed.office.as_deref(), clear.district(&placed, 0, &offices).expect("valid").office),
        (Some("east"), None)
    );
}

#[test]
fn active_reads_a_boolean_or_a_database_flag() {
    let row = |active: &str| {
        let json = format!(r#"{{"code":"x","name_zh_hans":"甲","name_zh_hant":"甲","name_en":"A"{active}}}"#);
        serde_json::from_str::<District>(&json).map(|d| d.active).map_err(|e| e.to_string())
    };
    assert_eq!(row(""), Ok(true));
    assert_eq!(row(r#","active":true"#), Ok(true));
    assert_eq!(row(r#","active":false"#), Ok(false));
    assert_eq!(row(r#","active":0"#), Ok(false));
    assert_eq!(row(r#","active":1.0"#), Ok(true));
    assert!(row(r#","active":"no""#).is_err());
}
