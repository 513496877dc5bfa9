//! The default taxonomy and the SQL that seeds it. `migrations/0002_default_taxonomy.sql` holds the
//! top-level categories and the districts, `migrations/0013_taxonomy_tree.sql` the subcategories
//! (between its `-- BEGIN/END generated subcategories` lines); tests keep both in step with this
//! file (`cargo run -p qinglang-domain --example default_taxonomy_sql` prints them).

use super::{Category, CategoryKind, Department, District, Taxonomy};

/// (code, kind, 简, 繁, English, deadline days, link?, location?, department)
type Row = (&'static str, CategoryKind, &'static str, &'static str, &'static str, u32, bool, bool, &'static str);

/// (parent, code, 简, 繁, English, deadline days, department): kind, link and location follow the parent.
type SubRow = (&'static str, &'static str, &'static str, &'static str, &'static str, u32, &'static str);

const ROOTS: [Row; 20] = {
    use CategoryKind::{Offline, Online};
    [
        ("political", Online, "政治有害", "政治有害", "Politically harmful", 7, true, false, "cac"),
        ("terror", Online, "暴恐", "暴恐", "Violence and terrorism", 3, true, false, "police"),
        ("fraud", Online, "诈骗", "詐騙", "Fraud", 7, false, false, "police"),
        ("porn", Online, "色情", "色情", "Pornography", 7, true, false, "cac"),
        ("vulgar", Online, "低俗", "低俗", "Vulgar content", 15, true, false, "cac"),
        ("gambling", Online, "赌博", "賭博", "Gambling", 7, true, false, "police"),
        (
            "infringement",
            Online,
            "侵权（个人、企业）",
            "侵權（個人、企業）",
            "Infringement (people and companies)",
            15,
            true,
            false,
            "cac",
        ),
        ("rumor", Online, "谣言", "謠言", "Rumour", 7, true, false, "cac"),
        ("cyberbullying", Online, "网络暴力", "網路暴力", "Cyberbullying", 7, true, false, "cac"),
        ("fandom", Online, "饭圈乱象", "飯圈亂象", "Toxic fan culture", 15, true, false, "cac"),
        ("minors", Online, "侵害未成年人", "侵害未成年人", "Harm to minors", 3, false, false, "police"),
        ("privacy", Online, "个人信息泄露", "個人資訊洩露", "Personal data leak", 7, false, false, "cac"),
        ("water_army", Online, "网络水军", "網路水軍", "Paid posting (water army)", 15, true, false, "cac"),
        ("other_online", Online, "其他", "其他", "Other online", 15, false, false, "cac"),
        ("spitting", Offline, "随地吐痰", "隨地吐痰", "Spitting", 10, false, true, "urban"),
        ("red_light", Offline, "闯红灯", "闖紅燈", "Running a red light", 10, false, true, "traffic"),
        ("no_helmet", Offline, "不戴头盔", "不戴頭盔", "Riding without a helmet", 10, false, true, "traffic"),
        ("environment", Offline, "破坏环境", "破壞環境", "Damaging the environment", 10, false, true, "ecology"),
        (
            "minors_netcafe",
            Offline,
            "网吧接纳未成年人",
            "網咖接納未成年人",
            "Internet café admitting minors",
            5,
            false,
            true,
            "culture",
        ),
        (
            "other_offline",
            Offline,
            "其他不文明行为",
            "其他不文明行為",
            "Other uncivil behaviour",
            10,
            false,
            true,
            "urban",
        ),
    ]
};

/// Subcategories where they send a case somewhere else or need a shorter limit than their parent.
const SUBCATEGORIES: [SubRow; 17] = [
    (
        "fraud",
        "fraud_impersonation",
        "冒充公检法诈骗",
        "冒充公檢法詐騙",
        "Impersonating police or officials",
        3,
        "police",
    ),
    ("fraud", "fraud_investment", "投资理财诈骗", "投資理財詐騙", "Investment scams", 7, "police"),
    ("fraud", "fraud_order_brushing", "刷单返利诈骗", "刷單返利詐騙", "Order-brushing and rebate scams", 7, "police"),
    ("fraud", "fraud_fake_goods", "网售假冒伪劣", "網售假冒偽劣", "Fake or shoddy goods sold online", 7, "market"),
    ("rumor", "rumor_disaster", "涉灾涉险谣言", "涉災涉險謠言", "Rumours about disasters and accidents", 3, "cac"),
    ("rumor", "rumor_health", "涉疫涉医谣言", "涉疫涉醫謠言", "Rumours about health and epidemics", 3, "health"),
    ("rumor", "rumor_food", "食品药品谣言", "食品藥品謠言", "Rumours about food and medicine", 7, "market"),
    ("rumor", "rumor_crime", "涉警涉案谣言", "涉警涉案謠言", "Rumours about crimes and police cases", 7, "police"),
    ("minors", "minors_bullying", "校园欺凌", "校園霸凌", "School bullying", 3, "education"),
    ("minors", "minors_content", "对未成年人有害的信息", "對未成年人有害的資訊", "Content harmful to minors", 3, "cac"),
    ("privacy", "privacy_doxxing", "人肉搜索", "人肉搜尋", "Doxxing", 7, "police"),
    ("privacy", "privacy_trading", "倒卖个人信息", "倒賣個人資訊", "Selling personal data", 7, "police"),
    ("infringement", "infringement_person", "侵犯个人名誉", "侵犯個人名譽", "Defaming a person", 15, "cac"),
    ("infringement", "infringement_company", "侵犯企业权益", "侵犯企業權益", "Harming a company's rights", 15, "cac"),
    ("environment", "environment_noise", "噪声扰民", "噪音擾民", "Noise nuisance", 10, "ecology"),
    ("environment", "environment_littering", "乱扔垃圾", "亂丟垃圾", "Littering", 10, "urban"),
    (
        "environment",
        "environment_discharge",
        "偷排污水废气",
        "偷排汙水廢氣",
        "Illegal discharge of waste",
        5,
        "ecology",
    ),
];

/// (code, 简, 繁, English)
const DISTRICTS: [(&str, &str, &str, &str); 6] = [
    ("dongcheng", "东城区", "東城區", "Dongcheng"),
    ("xicheng", "西城区", "西城區", "Xicheng"),
    ("nanshan", "南山区", "南山區", "Nanshan"),
    ("beihu", "北湖区", "北湖區", "Beihu"),
    ("gaoxin", "高新区", "高新區", "Hi-tech Zone"),
    ("binhai", "滨海新区", "濱海新區", "Binhai New Area"),
];

/// (code, 简, 繁, English): 0004 seeds the first six, 0013 the rest.
const DEPARTMENTS: [(&str, &str, &str, &str); 9] = [
    ("cac", "网信办", "網信辦", "Cyberspace Affairs Office"),
    ("police", "公安局", "公安局", "Public Security Bureau"),
    ("traffic", "交警支队", "交警支隊", "Traffic Police"),
    ("urban", "城市管理局", "城市管理局", "Urban Management Bureau"),
    ("ecology", "生态环境局", "生態環境局", "Ecology and Environment Bureau"),
    ("culture", "文化广电旅游局", "文化廣電旅遊局", "Culture, Radio, TV and Tourism Bureau"),
    ("market", "市场监督管理局", "市場監督管理局", "Market Regulation Bureau"),
    ("health", "卫生健康委员会", "衛生健康委員會", "Health Commission"),
    ("education", "教育局", "教育局", "Education Bureau"),
];

pub(super) fn taxonomy() -> Taxonomy {
    let mut categories = Vec::with_capacity(ROOTS.len() + SUBCATEGORIES.len());
    for (code, kind, hans, hant, en, days, link, location, dept) in ROOTS {
        categories.push(Category {
            code: code.to_owned(),
            parent: None,
            kind,
            name_zh_hans: hans.to_owned(),
            name_zh_hant: hant.to_owned(),
            name_en: en.to_owned(),
            deadline_days: days,
            requires_link: link,
            requires_location: location,
            default_department: Some(dept.to_owned()),
            active: true,
        });
        for (parent, sub, hans, hant, en, days, dept) in SUBCATEGORIES.into_iter().filter(|s| s.0 == code) {
            categories.push(Category {
                code: sub.to_owned(),
                parent: Some(parent.to_owned()),
                kind,
                name_zh_hans: hans.to_owned(),
                name_zh_hant: hant.to_owned(),
                name_en: en.to_owned(),
                deadline_days: days,
                requires_link: link,
                requires_location: location,
                default_department: Some(dept.to_owned()),
                active: true,
            });
        }
    }
    let districts = DISTRICTS
        .into_iter()
        .map(|(code, hans, hant, en)| District {
            code: code.to_owned(),
            name_zh_hans: hans.to_owned(),
            name_zh_hant: hant.to_owned(),
            name_en: en.to_owned(),
            active: true,
            office: None,
        })
        .collect();
    Taxonomy { categories, districts }
}

pub(super) fn departments() -> Vec<Department> {
    DEPARTMENTS
        .into_iter()
        .map(|(code, hans, hant, en)| Department {
            code: code.to_owned(),
            name_zh_hans: hans.to_owned(),
            name_zh_hant: hant.to_owned(),
            name_en: en.to_owned(),
            active: true,
            office: crate::office::ROOT.to_owned(),
        })
        .collect()
}

/// A SQL string literal; quotes are doubled, so any name is safe inside it.
fn lit(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// The category's position among its siblings.
fn sibling_position(t: &Taxonomy, c: &Category) -> usize {
    t.categories.iter().filter(|o| o.parent == c.parent).position(|o| o.code == c.code).unwrap_or(0)
}

fn category_sql(t: &Taxonomy, c: &Category) -> String {
    let dept = c.default_department.as_deref().map_or_else(|| "NULL".to_owned(), lit);
    let (parent_column, parent_value) = match &c.parent {
        Some(p) => ("parent, ", format!("{}, ", lit(p))),
        None => ("", String::new()),
    };
    format!(
        "INSERT INTO categories (code, {parent_column}kind, name_zh_hans, name_zh_hant, name_en, deadline_days, requires_link, requires_location, default_department, position) VALUES ({}, {parent_value}'{}', {}, {}, {}, {}, {}, {}, {dept}, {});\n",
        lit(&c.code),
        c.kind.as_str(),
        lit(&c.name_zh_hans),
        lit(&c.name_zh_hant),
        lit(&c.name_en),
        c.deadline_days,
        u8::from(c.requires_link),
        u8::from(c.requires_location),
        sibling_position(t, c),
    )
}

pub(super) fn roots_sql(t: &Taxonomy) -> String {
    let mut sql =
        String::from("-- Generated by `cargo run -p qinglang-domain --example default_taxonomy_sql`; do not edit.\n");
    for c in t.categories.iter().filter(|c| c.parent.is_none()) {
        sql.push_str(&category_sql(t, c));
    }
    for (position, d) in t.districts.iter().enumerate() {
        sql.push_str(&format!(
            "INSERT INTO districts (code, name_zh_hans, name_zh_hant, name_en, position) VALUES ({}, {}, {}, {}, {position});\n",
            lit(&d.code),
            lit(&d.name_zh_hans),
            lit(&d.name_zh_hant),
            lit(&d.name_en),
        ));
    }
    sql
}

pub(super) fn subcategories_sql(t: &Taxonomy) -> String {
    t.categories.iter().filter(|c| c.parent.is_some()).map(|c| category_sql(t, c)).collect()
}
