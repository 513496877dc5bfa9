-- The public figures from counters (issue 20; domain: figures/counters.rs, worker: store/figures.rs).
-- Each case adds one to a row per figure (totals, its top-level category, its month of receipt, its
-- channel) of its office and of every office above it; a closed case's row also names its closing
-- time's bucket (tenths of a day), whose histogram gives the median. The rows of a shard count the
-- cases that shard holds; an office's figures are its rows summed over the shards. They change in
-- the same batch as the event that changes the case.
CREATE TABLE figure_counts (
    office TEXT NOT NULL,
    dim TEXT NOT NULL CHECK (dim IN ('t', 'c', 'm', 's')),
    value TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'in_progress', 'closed', 'rejected', 'merged')),
    bucket INTEGER NOT NULL,
    n INTEGER NOT NULL DEFAULT 0,
    on_time INTEGER NOT NULL DEFAULT 0,
    rated INTEGER NOT NULL DEFAULT 0,
    satisfied INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (office, dim, value, state, bucket)
) WITHOUT ROWID;

-- Whether this database's counters hold every case it holds: 'ready', or 'rebuild' when cases were
-- stored before the counters existed (the figures then come from the audit log until an admin's
-- rebuild, `POST /api/admin/figures/rebuild`, has counted them).
CREATE TABLE figure_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
INSERT INTO figure_meta (key, value)
    SELECT 'counters', CASE WHEN EXISTS (SELECT 1 FROM reports) THEN 'rebuild' ELSE 'ready' END;

-- The reporter's latest rating, kept on the case for the counters (the audit log keeps them all).
ALTER TABLE reports ADD COLUMN rating TEXT;
UPDATE reports SET rating = (SELECT e.body FROM events e WHERE e.report_id = reports.id AND e.kind = 'rated'
    ORDER BY e.id DESC LIMIT 1);

-- The case page's duplicate check reads the newest open cases (store::cases::duplicate_candidates):
-- newest first by this index, rather than sorting every open case (200,000 of a million).
CREATE INDEX reports_open_newest ON reports (id) WHERE status IN ('submitted', 'accepted', 'transferred', 'reopened');
