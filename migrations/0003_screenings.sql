-- The worker's authoritative screening of each report (moderation engine result), kept beside
-- the report: staff see this, never the phone's pre-screen. `priority` is copied onto the
-- report so the staff queue can sort by it with an index.
ALTER TABLE reports ADD COLUMN priority TEXT NOT NULL DEFAULT 'normal'
    CHECK (priority IN ('low', 'normal', 'high', 'urgent'));
CREATE INDEX reports_priority ON reports (status, priority, created_at);

CREATE TABLE report_screenings (
    report_id INTEGER PRIMARY KEY REFERENCES reports (id),
    engine_version TEXT NOT NULL,
    rule_pack_version TEXT NOT NULL,
    suggested_category TEXT,
    junk INTEGER NOT NULL CHECK (junk IN (0, 1)),
    -- The whole result as JSON (matches, PII with masked forms, links, fingerprint).
    findings TEXT NOT NULL,
    -- SimHash of the folded text as 16 hex digits, for duplicate suggestions.
    fingerprint TEXT NOT NULL
);
