-- The counters' repair job in steps (store::figures::rebuild_step): the cases are counted a page at
-- a time into this table, the cursor in figure_meta 'rebuild_after' (and 'counters' = 'rebuilding');
-- a case already counted that changes meanwhile changes here too (store::figures::counter_statements).
-- When every case is counted, this table replaces figure_counts in one batch.
CREATE TABLE figure_counts_next (
    office TEXT NOT NULL,
    dim TEXT NOT NULL CHECK (dim IN ('t', 'c', 'm', 's', 'o', 'd', 'h')),
    value TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'in_progress', 'closed', 'rejected', 'merged')),
    bucket INTEGER NOT NULL,
    n INTEGER NOT NULL DEFAULT 0,
    on_time INTEGER NOT NULL DEFAULT 0,
    rated INTEGER NOT NULL DEFAULT 0,
    satisfied INTEGER NOT NULL DEFAULT 0,
    extended INTEGER NOT NULL DEFAULT 0,
    returned INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (office, dim, value, state, bucket)
) WITHOUT ROWID;
