-- The office network (issue 19; domain: office/). A tree of offices — province → city → county →
-- street → community — with one root, `root`, which every existing report, account and poster
-- belongs to. Codes, parents and levels never change; the root's level may (a city deployment that
-- grows into a province). Offices are validated in code (`office::NewOffice`), so the columns that
-- name one carry no REFERENCES clause (SQLite cannot add one with a default to an existing table).
CREATE TABLE offices (
    code TEXT PRIMARY KEY,
    parent TEXT REFERENCES offices (code),
    level TEXT NOT NULL CHECK (level IN ('province', 'city', 'county', 'street', 'community')),
    name_zh_hans TEXT NOT NULL,
    name_zh_hant TEXT NOT NULL,
    name_en TEXT NOT NULL,
    position INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX offices_parent ON offices (parent, position);
INSERT INTO offices (code, parent, level, name_zh_hans, name_zh_hant, name_en, position, created_at)
    VALUES ('root', NULL, 'city', '网信办', '網信辦', 'Cyberspace Affairs Office', 0, 0);

-- The office that holds each case now, the office each account and poster belongs to.
ALTER TABLE reports ADD COLUMN office TEXT NOT NULL DEFAULT 'root';
CREATE INDEX reports_office ON reports (office, status, due_sort, id);
ALTER TABLE staff ADD COLUMN office TEXT NOT NULL DEFAULT 'root';
ALTER TABLE channels ADD COLUMN office TEXT NOT NULL DEFAULT 'root';
