-- Staff, their sessions, departments, and the case columns the workflow (domain/src/workflow) keeps
-- on each report. One case per report: the case is the report row plus these columns.

CREATE TABLE departments (
    code TEXT PRIMARY KEY,
    name_zh_hans TEXT NOT NULL,
    name_zh_hant TEXT NOT NULL,
    name_en TEXT NOT NULL,
    position INTEGER NOT NULL,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);
-- The default departments named by the default taxonomy's categories (Taxonomy::default_set()).
INSERT INTO departments (code, name_zh_hans, name_zh_hant, name_en, position) VALUES
    ('cac', '网信办', '網信辦', 'Cyberspace Affairs Office', 0),
    ('police', '公安局', '公安局', 'Public Security Bureau', 1),
    ('traffic', '交警支队', '交警支隊', 'Traffic Police', 2),
    ('urban', '城市管理局', '城市管理局', 'Urban Management Bureau', 3),
    ('ecology', '生态环境局', '生態環境局', 'Ecology and Environment Bureau', 4),
    ('culture', '文化广电旅游局', '文化廣電旅遊局', 'Culture, Radio, TV and Tourism Bureau', 5);

CREATE TABLE staff (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'handler', 'supervisor', 'liaison', 'editor')),
    -- Only liaisons are bound to a department; the workflow ignores it for other roles.
    department TEXT REFERENCES departments (code),
    -- PBKDF2-HMAC-SHA256: hex of the 32-byte derived key, hex of the 16-byte salt, the iterations.
    password_hash TEXT NOT NULL,
    password_salt TEXT NOT NULL,
    password_iterations INTEGER NOT NULL CHECK (password_iterations > 0),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at INTEGER NOT NULL
);

-- A signed-in browser. Only SHA-256 of the cookie's token is stored, so a copy of the database
-- cannot be used to sign in. The CSRF token is handed to the console and must come back in the
-- x-csrf-token header of every state-changing request.
CREATE TABLE staff_sessions (
    token_hash TEXT PRIMARY KEY,
    staff_id INTEGER NOT NULL REFERENCES staff (id),
    csrf_token TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX staff_sessions_staff ON staff_sessions (staff_id);

-- Failed sign-ins per username, for rate limiting attempts.
CREATE TABLE staff_signin_failures (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX staff_signin_failures_user ON staff_signin_failures (username, created_at);

-- workflow::Case, column for column.
ALTER TABLE reports ADD COLUMN department TEXT REFERENCES departments (code);
ALTER TABLE reports ADD COLUMN primary_handler INTEGER REFERENCES staff (id);
ALTER TABLE reports ADD COLUMN backup_handler INTEGER REFERENCES staff (id);
ALTER TABLE reports ADD COLUMN accepted_at INTEGER;
ALTER TABLE reports ADD COLUMN due_at INTEGER;
ALTER TABLE reports ADD COLUMN resolved_at INTEGER;
ALTER TABLE reports ADD COLUMN feedback_at INTEGER;
ALTER TABLE reports ADD COLUMN supervised_at INTEGER;
ALTER TABLE reports ADD COLUMN primary_acted_at INTEGER;
ALTER TABLE reports ADD COLUMN transfer_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE reports ADD COLUMN reopen_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE reports ADD COLUMN merged_into INTEGER REFERENCES reports (id);
-- Sort keys for the queue's keyset paging: urgent first; and the due time of a running case
-- (accepted, transferred, reopened), with every case without a running deadline (not yet accepted,
-- or closed) after all running ones. So "overdue" is the index range due_sort < now, the same rule
-- as workflow::is_overdue. Virtual columns cost no storage; the indexes hold them.
ALTER TABLE reports ADD COLUMN priority_rank INTEGER GENERATED ALWAYS AS
    (CASE priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END) VIRTUAL;
ALTER TABLE reports ADD COLUMN due_sort INTEGER GENERATED ALWAYS AS
    (CASE WHEN status IN ('accepted', 'transferred', 'reopened') THEN COALESCE(due_at, 9007199254740991)
     ELSE 9007199254740991 END) VIRTUAL;

-- Queue filters: the unfiltered queue and overdue (a due_sort range) use the first two; every other
-- filter leads with status (the queue nearly always filters by state) or with
-- department (the liaison's view), then the sort key, then id for keyset paging.
CREATE INDEX reports_queue_all_due ON reports (due_sort, id);
CREATE INDEX reports_queue_all_priority ON reports (priority_rank, due_sort, id);
CREATE INDEX reports_queue_due ON reports (status, due_sort, id);
CREATE INDEX reports_queue_priority ON reports (status, priority_rank, due_sort, id);
CREATE INDEX reports_queue_department ON reports (department, status, due_sort, id);
CREATE INDEX reports_queue_category ON reports (category, status, due_sort, id);
CREATE INDEX reports_queue_district ON reports (district, status, due_sort, id);
CREATE INDEX reports_queue_handler ON reports (primary_handler, status, due_sort, id);

-- Staff-only text on an event (the reason for a re-transfer); never shown to the reporter.
ALTER TABLE events ADD COLUMN detail TEXT;
