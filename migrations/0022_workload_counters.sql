-- The supervisors' figures from counters too (issue 20; domain figures::staff_figures_counted): a
-- resolved case also adds one to its office line ('o'), department ('d') and primary handler ('h')
-- at its office and every office above it, its bucket the time from acceptance to closing (-1
-- without an acceptance), with whether it was extended or sent back. Open work is read live.
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
INSERT INTO figure_counts_next (office, dim, value, state, bucket, n, on_time, rated, satisfied)
    SELECT office, dim, value, state, bucket, n, on_time, rated, satisfied FROM figure_counts;
DROP TABLE figure_counts;
ALTER TABLE figure_counts_next RENAME TO figure_counts;

-- Cases closed before this migration are not in the new rows: count them anew (an admin's
-- `POST /api/admin/figures/rebuild`); until then both figures come from the case rows.
UPDATE figure_meta SET value = 'rebuild' WHERE key = 'counters' AND EXISTS (SELECT 1 FROM reports);
