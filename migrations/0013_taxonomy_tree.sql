-- The taxonomy as a tree that admins edit (issue 18, step 4; domain: taxonomy/). Categories gain a
-- parent (category → subcategory → one more level at most); the default set gains subcategories
-- where they send a case to another department or need a shorter limit, and the three departments
-- those name. Nothing is ever deleted: retiring sets `active = 0` and keeps the row for the cases
-- that name it. Every admin change to the taxonomy and the deadline settings is written to
-- settings_changes in the same batch as the change itself.
ALTER TABLE categories ADD COLUMN parent TEXT REFERENCES categories (code);
CREATE INDEX categories_parent ON categories (parent, position);

INSERT INTO departments (code, name_zh_hans, name_zh_hant, name_en, position) VALUES
    ('market', '市场监督管理局', '市場監督管理局', 'Market Regulation Bureau', 6),
    ('health', '卫生健康委员会', '衛生健康委員會', 'Health Commission', 7),
    ('education', '教育局', '教育局', 'Education Bureau', 8);

-- BEGIN generated subcategories
INSERT INTO categories (code, parent, kind, name_zh_hans, name_zh_hant, name_en, deadline_days, requires_link, requires_location, default_department, position) VALUES ('fraud_impersonation', 'fraud', 'online', '冒充公检法诈骗', '冒充公檢法詐騙', 'Impersonating police or officials', 3, 0, 0, 'police', 0);
INSERT INTO categories (code, parent, kind, name_zh_hans, name_zh_hant, name_en, deadline_days, requires_link, requires_location, default_department, position) VALUES ('fraud_investment', 'fraud', 'online', '投资理财诈骗', '投資理財詐騙', 'Investment scams', 7, 0, 0, 'police', 1);
INSERT INTO categories (code, parent, kind, name_zh_hans, name_zh_hant, name_en, deadline_days, requires_link, requires_location, default_department, position) VALUES ('fraud_order_brushing', 'fraud', 'online', '刷单返利诈骗', '刷單返利詐騙', 'Order-brushing and rebate scams', 7, 0, 0, 'police', 2);
INSERT INTO categories (code, parent, kind, name_zh_hans, name_zh_hant, name_en, deadline_days, requires_link, requires_location, default_department, position) VALUES ('fraud_fake_goods', 'fraud', 'online', '网售假冒伪劣', '網售假冒偽劣', 'Fake or shoddy goods sold online', 7, 0, 0, 'market', 3);
INSERT INTO categories (code, parent, kind, name_zh_hans, name_zh_hant, name_en, deadline_days, requires_link, requires_location, default_department, position) VALUES ('infringement_person', 'infringement', 'online', '侵犯个人名誉', '侵犯個人名譽', 'Defaming a person', 15, 1, 0, 'cac', 0);
INSERT INTO categories (code, parent, kind, name_zh_hans, name_zh_hant, name_en, deadline_days, requires_link, requires_location, default_department, position) VALUES ('infringement_company', 'infringement', 'online', '侵犯企业权益', '侵犯企業權益', 'Harming a company''s rights', 15, 1, 0, 'cac', 1);
INSERT INTO categories (code, parent, kind, name_zh_hans, name_zh_hant, name_en, deadline_days, requires_link, requires_location, default_department, position) VALUES ('rumor_disaster', 'rumor', 'online', '涉灾涉险谣言', '涉災涉險謠言', 'Rumours about disasters and accidents', 3, 1, 0, 'cac', 0);
INSERT INTO categories (code, parent, kind, name_zh_hans, name_zh_hant, name_en, deadline_days, requires_link, requires_location, default_department, position) VALUES ('rumor_health', 'rumor', 'online', '涉疫涉医谣言', '涉疫涉醫謠言', 'Rumours about health and epidemics', 3, 1, 0, 'health', 1);
INSERT INTO categories (code, parent, kind, name_zh_hans, name_zh_hant, name_en, deadline_days, requires_link, requires_location, default_department, position) VALUES ('rumor_food', 'rumor', 'online', '食品药品谣言', '食品藥品謠言', 'Rumours about food and medicine', 7, 1, 0, 'market', 2);
INSERT INTO categories (code, parent, kind, name_zh_hans, name_zh_hant, name_en, deadline_days, requires_link, requires_location, default_department, position) VALUES ('rumor_crime', 'rumor', 'online', '涉警涉案谣言', '涉警涉案謠言', 'Rumours about crimes and police cases', 7, 1, 0, 'police', 3);
INSERT INTO categories (code, parent, kind, name_zh_hans, name_zh_hant, name_en, deadline_days, requires_link, requires_location, default_department, position) VALUES ('minors_bullying', 'minors', 'online', '校园欺凌', '校園霸凌', 'School bullying', 3, 0, 0, 'education', 0);
INSERT INTO categories (code, parent, kind, name_zh_hans, name_zh_hant, name_en, deadline_days, requires_link, requires_location, default_department, position) VALUES ('minors_content', 'minors', 'online', '对未成年人有害的信息', '對未成年人有害的資訊', 'Content harmful to minors', 3, 0, 0, 'cac', 1);
INSERT INTO categories (code, parent, kind, name_zh_hans, name_zh_hant, name_en, deadline_days, requires_link, requires_location, default_department, position) VALUES ('privacy_doxxing', 'privacy', 'online', '人肉搜索', '人肉搜尋', 'Doxxing', 7, 0, 0, 'police', 0);
INSERT INTO categories (code, parent, kind, name_zh_hans, name_zh_hant, name_en, deadline_days, requires_link, requires_location, default_department, position) VALUES ('privacy_trading', 'privacy', 'online', '倒卖个人信息', '倒賣個人資訊', 'Selling personal data', 7, 0, 0, 'police', 1);
INSERT INTO categories (code, parent, kind, name_zh_hans, name_zh_hant, name_en, deadline_days, requires_link, requires_location, default_department, position) VALUES ('environment_noise', 'environment', 'offline', '噪声扰民', '噪音擾民', 'Noise nuisance', 10, 0, 1, 'ecology', 0);
INSERT INTO categories (code, parent, kind, name_zh_hans, name_zh_hant, name_en, deadline_days, requires_link, requires_location, default_department, position) VALUES ('environment_littering', 'environment', 'offline', '乱扔垃圾', '亂丟垃圾', 'Littering', 10, 0, 1, 'urban', 1);
INSERT INTO categories (code, parent, kind, name_zh_hans, name_zh_hant, name_en, deadline_days, requires_link, requires_location, default_department, position) VALUES ('environment_discharge', 'environment', 'offline', '偷排污水废气', '偷排汙水廢氣', 'Illegal discharge of waste', 5, 0, 1, 'ecology', 2);
-- END generated subcategories

-- Who changed which setting, when, and the row before and after (JSON). Append-only.
CREATE TABLE settings_changes (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    staff_id INTEGER NOT NULL REFERENCES staff (id),
    subject TEXT NOT NULL,              -- admin::SETTINGS_SUBJECTS (checked in code: the list grows)
    code TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('create', 'update', 'retire', 'restore')),
    before TEXT,
    after TEXT NOT NULL
);
CREATE INDEX settings_changes_subject ON settings_changes (subject, code, id);
