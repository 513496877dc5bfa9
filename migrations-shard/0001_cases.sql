-- A case shard (issue 20; worker: store/shards.rs): the case tables of the control database
-- (binding DB, `migrations/`) with the same columns in the same order, without the references to
-- tables only the control database has (categories, districts, departments, staff: the worker
-- checks those before it writes). A change to a case table is made in both folders;
-- tests/shards.test.mjs compares the two schemas column by column.
CREATE TABLE reports (
    id INTEGER PRIMARY KEY,
    receipt_code TEXT NOT NULL UNIQUE,
    secret_hash TEXT NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    request_hash TEXT NOT NULL,
    category TEXT NOT NULL,
    description TEXT NOT NULL,
    links TEXT NOT NULL DEFAULT '[]',
    platform TEXT,
    account TEXT,
    location TEXT,
    district TEXT,
    channel TEXT,
    status TEXT NOT NULL DEFAULT 'submitted'
        CHECK (status IN ('submitted', 'accepted', 'rejected', 'transferred', 'resolved', 'reopened', 'merged')),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    priority TEXT NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    department TEXT,
    primary_handler INTEGER,
    backup_handler INTEGER,
    accepted_at INTEGER,
    due_at INTEGER,
    resolved_at INTEGER,
    feedback_at INTEGER,
    supervised_at INTEGER,
    primary_acted_at INTEGER,
    transfer_count INTEGER NOT NULL DEFAULT 0,
    reopen_count INTEGER NOT NULL DEFAULT 0,
    merged_into INTEGER,
    priority_rank INTEGER GENERATED ALWAYS AS
        (CASE priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END) VIRTUAL,
    rated_at INTEGER,
    due_sort INTEGER GENERATED ALWAYS AS
        (CASE WHEN status IN ('submitted', 'accepted', 'transferred', 'reopened') THEN COALESCE(due_at, 9007199254740991)
         ELSE 9007199254740991 END) VIRTUAL,
    return_count INTEGER NOT NULL DEFAULT 0,
    returned_at INTEGER,
    extension_until INTEGER,
    extension_count INTEGER NOT NULL DEFAULT 0,
    source TEXT NOT NULL DEFAULT 'web'
        CHECK (source IN ('web', 'phone', 'letter', 'visit', 'self_media', 'higher_office')),
    source_reference TEXT,
    office TEXT NOT NULL DEFAULT 'root',
    referred_from TEXT,
    escalated_to TEXT,
    delegated_by TEXT,
    review_reply TEXT,
    moving_to TEXT
);
CREATE INDEX reports_status ON reports (status, created_at);
CREATE INDEX reports_category ON reports (category, created_at);
CREATE INDEX reports_priority ON reports (status, priority, created_at);
CREATE INDEX reports_channel ON reports (channel) WHERE channel IS NOT NULL;
CREATE INDEX reports_queue_all_due ON reports (due_sort, id);
CREATE INDEX reports_queue_all_priority ON reports (priority_rank, due_sort, id);
CREATE INDEX reports_queue_due ON reports (status, due_sort, id);
CREATE INDEX reports_queue_priority ON reports (status, priority_rank, due_sort, id);
CREATE INDEX reports_queue_department ON reports (department, status, due_sort, id);
CREATE INDEX reports_queue_category ON reports (category, status, due_sort, id);
CREATE INDEX reports_queue_district ON reports (district, status, due_sort, id);
CREATE INDEX reports_queue_handler ON reports (primary_handler, status, due_sort, id);
CREATE UNIQUE INDEX reports_source_reference ON reports (source, source_reference)
    WHERE source_reference IS NOT NULL;
CREATE INDEX reports_office ON reports (office, status, due_sort, id);
CREATE INDEX reports_referred_from ON reports (referred_from, id) WHERE referred_from IS NOT NULL;
CREATE INDEX reports_escalated_to ON reports (escalated_to, id) WHERE escalated_to IS NOT NULL;
CREATE INDEX reports_delegated_by ON reports (delegated_by, id) WHERE delegated_by IS NOT NULL;
CREATE INDEX reports_moving ON reports (moving_to, id) WHERE moving_to IS NOT NULL;

CREATE TABLE report_contacts (
    report_id INTEGER PRIMARY KEY REFERENCES reports (id),
    name TEXT,
    phone TEXT
);

CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports (id),
    kind TEXT NOT NULL,
    actor TEXT NOT NULL,
    is_public INTEGER NOT NULL CHECK (is_public IN (0, 1)),
    body TEXT,
    created_at INTEGER NOT NULL,
    detail TEXT
);
CREATE INDEX events_report ON events (report_id, id);

CREATE TABLE report_screenings (
    report_id INTEGER PRIMARY KEY REFERENCES reports (id),
    engine_version TEXT NOT NULL,
    rule_pack_version TEXT NOT NULL,
    suggested_category TEXT,
    junk INTEGER NOT NULL CHECK (junk IN (0, 1)),
    findings TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    refutation_matches TEXT
);

-- A case's pictures (the bytes are in R2). Drafts' uploads wait in the control database until their
-- report is filed; the report's batch copies them here.
CREATE TABLE uploads (
    id TEXT PRIMARY KEY,
    idempotency_key TEXT NOT NULL,
    slot INTEGER NOT NULL CHECK (slot >= 0 AND slot < 32),
    r2_key TEXT NOT NULL UNIQUE,
    media_type TEXT NOT NULL CHECK (media_type IN ('image/jpeg', 'image/png', 'image/webp')),
    bytes INTEGER NOT NULL CHECK (bytes > 0),
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    report_id INTEGER REFERENCES reports (id),
    position INTEGER,
    created_at INTEGER NOT NULL,
    UNIQUE (idempotency_key, slot)
);
CREATE INDEX uploads_report ON uploads (report_id, position);

CREATE TABLE case_requests (
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports (id),
    kind TEXT NOT NULL CHECK (kind IN ('consult', 'assist')),
    party TEXT NOT NULL,
    question TEXT NOT NULL,
    reference TEXT,
    due_at INTEGER NOT NULL,
    opened_at INTEGER NOT NULL,
    opened_by TEXT NOT NULL,
    answered_at INTEGER,
    answer TEXT,
    answered_by TEXT,
    closed_at INTEGER
);
CREATE INDEX case_requests_report ON case_requests (report_id, id);
CREATE INDEX case_requests_open_party ON case_requests (party, report_id) WHERE closed_at IS NULL;
