-- Issue 4's back end: the reporter's rating, routing rules as data, the daily digest with its
-- webhooks and console notifications.

-- workflow::Case::rated_at: when the reporter last rated the outcome (one rating per resolution).
ALTER TABLE reports ADD COLUMN rated_at INTEGER;

-- Routing rules (workflow::RoutingRule): (category, district) -> department, either side may be
-- NULL for "any"; the most specific match wins, ties by position. Seeded with one rule per category
-- from its default department, so a fresh deployment routes exactly as before.
CREATE TABLE routing_rules (
    id INTEGER PRIMARY KEY,
    category TEXT REFERENCES categories (code),
    district TEXT REFERENCES districts (code),
    department TEXT NOT NULL REFERENCES departments (code),
    position INTEGER NOT NULL
);
INSERT INTO routing_rules (category, district, department, position)
    SELECT code, NULL, default_department, position FROM categories
    WHERE default_department IS NOT NULL AND active = 1 ORDER BY position;

-- Where the daily digest is posted. The URL carries the robot's access token, so only admins see
-- it, and then masked.
CREATE TABLE webhooks (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('wecom', 'dingtalk', 'feishu', 'generic')),
    url TEXT NOT NULL,
    label TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES staff (id),
    created_at INTEGER NOT NULL
);

-- One row per Asia/Shanghai calendar day the digest ran. The run claims its day by inserting this
-- row first, so a second firing of the cron on the same day does nothing.
CREATE TABLE digest_runs (
    day TEXT PRIMARY KEY,
    started_at INTEGER NOT NULL,
    finished_at INTEGER,
    n_due_today INTEGER,
    n_overdue INTEGER,
    n_escalated INTEGER,
    n_posted INTEGER,
    n_failed INTEGER
);

-- The console's notifications (the digest's lines for each staff member).
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    staff_id INTEGER NOT NULL REFERENCES staff (id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    read_at INTEGER
);
CREATE INDEX notifications_staff ON notifications (staff_id, id);
