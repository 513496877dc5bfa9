-- Cases sharded over D1 databases by office (issue 20; worker: store/shards.rs).
-- This database (binding DB) is the control database and the first shard. `case_index` is the
-- directory: every case's id, receipt code and idempotency key, and the binding of the shard that
-- holds it now. It gives ids and receipt codes their global uniqueness (each shard's own UNIQUE
-- indexes see only its cases), and it is the one switch a hand-over between shards flips: readers
-- find a case through it, so a case is read from exactly one shard at any time.
CREATE TABLE case_index (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    receipt_code TEXT NOT NULL UNIQUE,
    idempotency_key TEXT NOT NULL UNIQUE,
    shard TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
INSERT INTO case_index (id, receipt_code, idempotency_key, shard, created_at)
    SELECT id, receipt_code, idempotency_key, 'DB', created_at FROM reports ORDER BY id;

-- `reports` is rebuilt as every shard has it (migrations-shard/0001_cases.sql): without references
-- to the control tables (categories, districts, departments, staff: the worker checks them before
-- it writes) and to other cases (a merge target may live in another shard), and with `moving_to`,
-- the binding a case is on its way to. The shard it leaves keeps it (and answers for it) until the
-- directory names the new one; no action is taken on it meanwhile. The events, contacts,
-- screenings, uploads and requests keep referring to `reports` by name, so the deferred check
-- finds every row again at the end.
PRAGMA defer_foreign_keys = on;
CREATE TABLE reports_new (
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
INSERT INTO reports_new (id, receipt_code, secret_hash, idempotency_key, request_hash, category, description, links, platform, account, location, district, channel, status, created_at, updated_at, priority, department, primary_handler, backup_handler, accepted_at, due_at, resolved_at, feedback_at, supervised_at, primary_acted_at, transfer_count, reopen_count, merged_into, rated_at, return_count, returned_at, extension_until, extension_count, source, source_reference, office, referred_from, escalated_to, delegated_by, review_reply)
    SELECT id, receipt_code, secret_hash, idempotency_key, request_hash, category, description, links, platform, account, location, district, channel, status, created_at, updated_at, priority, department, primary_handler, backup_handler, accepted_at, due_at, resolved_at, feedback_at, supervised_at, primary_acted_at, transfer_count, reopen_count, merged_into, rated_at, return_count, returned_at, extension_until, extension_count, source, source_reference, office, referred_from, escalated_to, delegated_by, review_reply FROM reports;
DROP TABLE reports;
ALTER TABLE reports_new RENAME TO reports;
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

-- A refutation links cases of any shard: by id, without a reference the control database could check.
CREATE TABLE refutation_cases_new (
    refutation_id INTEGER NOT NULL REFERENCES refutations (id),
    case_id INTEGER NOT NULL,
    PRIMARY KEY (refutation_id, case_id)
) WITHOUT ROWID;
INSERT INTO refutation_cases_new (refutation_id, case_id) SELECT refutation_id, case_id FROM refutation_cases;
DROP TABLE refutation_cases;
ALTER TABLE refutation_cases_new RENAME TO refutation_cases;
CREATE INDEX refutation_cases_case ON refutation_cases (case_id);
PRAGMA defer_foreign_keys = off;
