-- Qinglang's first schema: the taxonomy, reports, reporters' contacts (kept apart) and the
-- append-only event log every status change and reply is written to.

CREATE TABLE categories (
    code TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('online', 'offline')),
    name_zh_hans TEXT NOT NULL,
    name_zh_hant TEXT NOT NULL,
    name_en TEXT NOT NULL,
    deadline_days INTEGER NOT NULL CHECK (deadline_days > 0),
    requires_link INTEGER NOT NULL CHECK (requires_link IN (0, 1)),
    requires_location INTEGER NOT NULL CHECK (requires_location IN (0, 1)),
    default_department TEXT,
    position INTEGER NOT NULL,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);

CREATE TABLE districts (
    code TEXT PRIMARY KEY,
    name_zh_hans TEXT NOT NULL,
    name_zh_hant TEXT NOT NULL,
    name_en TEXT NOT NULL,
    position INTEGER NOT NULL,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);

CREATE TABLE reports (
    id INTEGER PRIMARY KEY,
    receipt_code TEXT NOT NULL UNIQUE,
    -- SHA-256 of code and secret; the secret itself is never stored.
    secret_hash TEXT NOT NULL,
    -- The device's token: a retry with the same key finds this row instead of adding one.
    idempotency_key TEXT NOT NULL UNIQUE,
    -- SHA-256 of the validated report, to tell a retry from a different report reusing a key.
    request_hash TEXT NOT NULL,
    category TEXT NOT NULL REFERENCES categories (code),
    description TEXT NOT NULL,
    links TEXT NOT NULL DEFAULT '[]',
    platform TEXT,
    account TEXT,
    location TEXT,
    district TEXT REFERENCES districts (code),
    channel TEXT,
    status TEXT NOT NULL DEFAULT 'submitted'
        CHECK (status IN ('submitted', 'accepted', 'rejected', 'transferred', 'resolved', 'reopened', 'merged')),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX reports_status ON reports (status, created_at);
CREATE INDEX reports_category ON reports (category, created_at);

-- Contact details live apart from the report so that no query for public output can reach them
-- by accident, and so they can be purged on their own schedule.
CREATE TABLE report_contacts (
    report_id INTEGER PRIMARY KEY REFERENCES reports (id),
    name TEXT,
    phone TEXT
);

-- Append-only audit log: who did what to which report, when and why.
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports (id),
    kind TEXT NOT NULL,
    actor TEXT NOT NULL,
    is_public INTEGER NOT NULL CHECK (is_public IN (0, 1)),
    body TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX events_report ON events (report_id, id);
