-- Case handling as offices work (issue 18, step 2): returns (退回), extensions (延期), consultations
-- (会商) and assistance requests (协查). The new case columns mirror domain/src/workflow/case.rs
-- (`Case::return_count` …) and are written only by store::cases::save, like the others.
ALTER TABLE reports ADD COLUMN return_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE reports ADD COLUMN returned_at INTEGER;
ALTER TABLE reports ADD COLUMN extension_until INTEGER;
ALTER TABLE reports ADD COLUMN extension_count INTEGER NOT NULL DEFAULT 0;

-- One row per department asked in a consultation, or per assistance request (workflow::CaseRequest).
-- Rows are never deleted: an answered or concluded request stays as the record of who was asked what
-- and who answered when.
CREATE TABLE case_requests (
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports (id),
    kind TEXT NOT NULL CHECK (kind IN ('consult', 'assist')),
    party TEXT NOT NULL REFERENCES departments (code),
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
-- A liaison's view: the open requests asking their department (the queue's second source).
CREATE INDEX case_requests_open_party ON case_requests (party, report_id) WHERE closed_at IS NULL;
