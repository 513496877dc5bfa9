use super::*;

fn office(code: &str, parent: Option<&str>, level: OfficeLevel) -> Office {
    Office {
        code: code.to_owned(),
        parent: parent.map(str::to_owned),
        level,
        name_zh_hans: format!("{code}网信办"),
        name_zh_hant: format!("{code}網信辦"),
        name_en: format!("{code} office"),
    }
}

/// The network the workflow's tests use: province → city → east (→ east_street), west.
pub(crate) fn network() -> OfficeTree {
    use OfficeLevel::*;
    OfficeTree::from_rows(vec![
        (office("province", None, Province), 0),
        (office("city", Some("province"), City), 0),
        (office("east", Some("city"), County), 0),
        (office("west", Some("city"), County), 1),
        (office("east_street", Some("east"), Street), 0),
    ])
}

/// A province with two cities; the first has two counties, one of them a street.
fn demo() -> OfficeTree {
    use OfficeLevel::*;
    let rows = vec![
        (office("c2_county", Some("city2"), County), 0),
        (office("street1", Some("county1"), Street), 0),
        (office("county2", Some("city1"), County), 1),
        (office("city2", Some(ROOT), City), 1),
        (office("county1", Some("city1"), County), 0),
        (office(ROOT, None, Province), 0),
        (office("city1", Some(ROOT), City), 0),
    ];
    OfficeTree::from_rows(rows)
}

#[test]
fn the_tree_is_in_order_and_subtrees_are_contiguous() {
    let t = demo();
    let codes: Vec<&str> = t.offices.iter().map(|o| o.code.as_str()).collect();
    assert_eq!(codes, [ROOT, "city1", "county1", "street1", "county2", "city2", "c2_county"]);
    assert_eq!(t.subtree("city1"), ["city1", "county1", "street1", "county2"]);
    assert_eq!(t.subtree("county2"), ["county2"]);
    assert_eq!(t.subtree(ROOT).len(), 7);
    assert!(t.subtree("nope").is_empty());
    assert!(t.within("street1", "city1") && t.within("street1", ROOT) && t.within("city1", "city1"));
    assert!(!t.within("c2_county", "city1") && !t.within("city1", "county1"));
    assert_eq!(
        t.ancestry("street1").iter().map(|o| o.code.as_str()).collect::<Vec<_>>(),
        ["street1", "county1", "city1", ROOT]
    );
    assert_eq!(t.children("city1").count(), 2);
}

#[test]
fn a_new_office_sits_below_an_existing_one_of_a_higher_level() {
    let t = demo();
    let new = |code: &str, parent: &str, level| NewOffice {
        code: code.to_owned(),
        parent: parent.to_owned(),
        level,
        name_zh_hans: "和平区网信办".to_owned(),
        name_zh_hant: "和平區網信辦".to_owned(),
        name_en: "Heping District Office".to_owned(),
    };
    let made = new("120101", "city1", OfficeLevel::County).check(&t).expect("a division code");
    assert_eq!((made.parent.as_deref(), made.level), (Some("city1"), OfficeLevel::County));
    for (input, field, code) in [
        (new("Heping", "city1", OfficeLevel::County), "code", ErrorCode::CodeInvalid),
        (new("county1", "city1", OfficeLevel::County), "code", ErrorCode::CodeTaken),
        (new("x1", "nope", OfficeLevel::County), "parent", ErrorCode::UnknownOffice),
        (new("x1", "county1", OfficeLevel::County), "level", ErrorCode::LevelInvalid),
        (new("x1", "county1", OfficeLevel::City), "level", ErrorCode::LevelInvalid),
    ] {
        assert_eq!(input.check(&t).map_err(|e| (e.field, e.code)), Err((field.to_owned(), code)), "{input:?}");
    }
    let mut blank = new("x1", "county1", OfficeLevel::Street);
    blank.name_en = "\u{200B}".to_owned();
    assert_eq!(blank.check(&t).map_err(|e| e.field), Err("name_en".to_owned()));
}

#[test]
fn a_report_lands_where_it_was_named_else_at_the_poster_s_office_else_the_root() {
    let t = demo();
    assert_eq!(landing(&t, Some("county1"), Some("city2"), Some("county2")), Ok("county1"));
    assert_eq!(landing(&t, None, Some("city2"), Some("county2")), Ok("city2"), "the poster before the locality");
    assert_eq!(landing(&t, None, None, Some("county2")), Ok("county2"), "the locality's office");
    assert_eq!(landing(&t, Some(" "), None, None), Ok(ROOT));
    assert_eq!(landing(&t, None, Some("gone"), None), Ok(ROOT), "a poster of an unknown office falls back to the root");
    assert_eq!(landing(&t, None, Some("gone"), Some("county2")), Ok("county2"));
    assert_eq!(landing(&t, Some("nope"), None, None).map_err(|e| e.code), Err(ErrorCode::UnknownOffice));
}

#[test]
fn a_patch_renames_and_may_move_a_level_within_its_neighbours() {
    let t = demo();
    let root = t.get(ROOT).cloned().expect("root");
    let patch = OfficePatch { name_zh_hans: Some(" 示范省网信办 ".to_owned()), ..OfficePatch::default() };
    assert_eq!(patch.apply(&root, &t).expect("valid").name_zh_hans, "示范省网信办");
    let county = t.get("county1").cloned().expect("county");
    let to = |level| OfficePatch { level: Some(level), ..OfficePatch::default() }.apply(&county, &t).map(|o| o.level);
    assert_eq!(to(OfficeLevel::City).map_err(|e| e.code), Err(ErrorCode::LevelInvalid), "not its parent's level");
    assert_eq!(to(OfficeLevel::Street).map_err(|e| e.code), Err(ErrorCode::LevelInvalid), "not its child's level");
    assert_eq!(to(OfficeLevel::County), Ok(OfficeLevel::County));
    let c2 = t.get("c2_county").cloned().expect("leaf");
    let leaf = OfficePatch { level: Some(OfficeLevel::Community), ..OfficePatch::default() };
    assert_eq!(leaf.apply(&c2, &t).map(|o| o.level), Ok(OfficeLevel::Community));
}

#[test]
fn each_office_below_counts_under_the_child_on_its_way() {
    let t = demo();
    assert_eq!(t.child_toward("city1", "street1"), Some("county1"));
    assert_eq!(t.child_toward("city1", "county2"), Some("county2"));
    assert_eq!(t.child_toward("city1", "city1"), Some("city1"));
    assert_eq!(t.child_toward(ROOT, "street1"), Some("city1"));
    assert_eq!(t.child_toward("city1", "c2_county"), None);
    assert_eq!(t.child_toward("county1", "city1"), None);
    assert_eq!(t.child_toward("city1", "nope"), None);
    // Read back from the wire, the tree answers the same (its index is rebuilt on first use).
    let back: OfficeTree = serde_json::from_str(&serde_json::to_string(&t).expect("json")).expect("parses");
    assert_eq!(back, t);
    assert_eq!(back.subtree("city1"), t.subtree("city1"));
}

/// Tianjin's shape: 16 districts, 281 streets, 6,126 communities under the root, as import rows,
/// children listed before their parents (a file in any order is fine).
fn tianjin_rows() -> Vec<import::OfficeRow> {
    let row = |code: String, parent: String, level: &str| import::OfficeRow {
        name_zh_hans: format!("{code}办"),
        code,
        parent,
        level: level.to_owned(),
        ..import::OfficeRow::default()
    };
    let mut rows = Vec::new();
    let (mut streets, mut communities) = (0, 0);
    for d in 0..16 {
        let district = format!("d{d:02}");
        let n_streets = if d < 9 { 18 } else { 17 };
        for s in 0..n_streets {
            let street = format!("{district}s{s:02}");
            let n = if streets < 225 { 22 } else { 21 };
            for c in 0..n {
                if communities < 6_126 {
                    rows.push(row(format!("{street}c{c:02}"), street.clone(), "community"));
                    communities += 1;
                }
            }
            rows.push(row(street, district.clone(), "street"));
            streets += 1;
        }
        rows.push(row(district, ROOT.to_owned(), "county"));
    }
    rows
}

#[test]
fn a_tianjin_sized_tree_imports_in_any_order_with_parents_first() {
    let tree = OfficeTree::from_rows(vec![(office(ROOT, None, OfficeLevel::City), 0)]);
    let rows = tianjin_rows();
    assert_eq!(rows.iter().filter(|r| r.level == "street").count(), 281);
    assert_eq!(rows.len(), 16 + 281 + 6_126);
    let offices = import::check_rows(&rows, &tree, Lang::ZhHans).expect("a valid file");
    assert_eq!(offices.len(), rows.len());
    let mut placed = std::collections::HashSet::from([ROOT.to_owned()]);
    for (o, _) in &offices {
        assert!(placed.contains(o.parent.as_deref().unwrap_or_default()), "{} after its parent", o.code);
        placed.insert(o.code.clone());
    }
    let d00: Vec<i64> = offices.iter().filter(|(o, _)| o.parent.as_deref() == Some("d00")).map(|(_, p)| *p).collect();
    assert_eq!(d00, (0..18).collect::<Vec<i64>>(), "siblings numbered in file order");
    assert_eq!(offices[0].0.name_en, offices[0].0.name_zh_hans, "missing names follow the simplified one");
    // The imported tree answers like any other.
    let mut all = vec![(office(ROOT, None, OfficeLevel::City), 0)];
    all.extend(offices);
    let big = OfficeTree::from_rows(all);
    assert_eq!(big.subtree("d03").len(), 1 + 18 + 18 * 22);
}

#[test]
fn every_bad_row_of_an_import_is_named() {
    let t = demo();
    let row = |code: &str, parent: &str, level: &str, name: &str| import::OfficeRow {
        code: code.to_owned(),
        parent: parent.to_owned(),
        level: level.to_owned(),
        name_zh_hans: name.to_owned(),
        ..import::OfficeRow::default()
    };
    let rows = vec![
        row("street9", "county9", "street", "九街道"), // parent comes later in the file: fine
        row("county9", "city1", "county", "九县"),
        row("county1", "city1", "county", "重复"), // 3: taken by the stored tree
        row("street8", "atlantis", "street", "八街道"), // 4: unknown parent
        row("street7", "street1", "street", "七街道"), // 5: not below its parent
        row("Bad Code", "city1", "county", "坏"),  // 6
        row("county8", "city1", "village", "八县"), // 7: no such level
        row("county9", "city1", "county", "九县又一次"), // 8: twice in the file
        row("county7", "city1", "county", " "),    // 9: no name
        row("city9", "county9", "city", "上下颠倒"), // 10: above its parent
    ];
    let errors = import::check_rows(&rows, &t, Lang::En).expect_err("bad rows");
    let got: Vec<(usize, &str, ErrorCode)> = errors.iter().map(|e| (e.row, e.field.as_str(), e.error)).collect();
    assert_eq!(
        got,
        [
            (3, "code", ErrorCode::CodeTaken),
            (4, "parent", ErrorCode::UnknownOffice),
            (5, "level", ErrorCode::LevelInvalid),
            (6, "code", ErrorCode::CodeInvalid),
            (7, "level", ErrorCode::LevelInvalid),
            (8, "code", ErrorCode::CodeTaken),
            (9, "name_zh_hans", ErrorCode::NameInvalid),
            (10, "level", ErrorCode::LevelInvalid),
        ]
    );
    assert!(errors.iter().all(|e| !e.message.is_empty()));
    assert_eq!(import::check_rows(&[], &t, Lang::En).map_err(|e| e[0].error), Err(ErrorCode::FieldRequired));
    // The same rows from a spreadsheet.
    let csv = "\u{feff}code,parent,level,name_zh_hans,name_en\nstreet9,county9,street,九街道,\ncounty9,city1,county,九县,County Nine\n";
    let parsed: Vec<import::OfficeRow> =
        crate::intake::import::parse_csv_rows(csv, Lang::En, import::MAX_IMPORT_ROWS).expect("readable");
    let offices = import::check_rows(&parsed, &t, Lang::En).expect("valid");
    assert_eq!(
        offices.iter().map(|(o, p)| (o.code.as_str(), *p)).collect::<Vec<_>>(),
        [("county9", 2), ("street9", 0)]
    );
    assert_eq!(offices[0].0.name_en, "County Nine");
    let unknown_column = "code,parent,level,name_zh_hans,phone\nx1,city1,county,县,1\n";
    assert!(crate::intake::import::parse_csv_rows::<import::OfficeRow>(unknown_column, Lang::En, 10).is_err());
}
