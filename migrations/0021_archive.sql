-- Closed cases age out to R2 (issue 20, store::archive): `archived_at` is the archive's stamp while
-- the case is a small row (its full record in R2 under archive/{id}.json); `thawed_at` when it was
-- last read back whole (the archive leaves it a day before taking it again).
ALTER TABLE reports ADD COLUMN archived_at INTEGER;
ALTER TABLE reports ADD COLUMN thawed_at INTEGER;

-- The archive's pick: closed cases not yet archived, oldest change first. Partial, so the cron
-- reads only the cases waiting for it, never the whole shard.
CREATE INDEX reports_to_archive ON reports (updated_at)
    WHERE archived_at IS NULL AND moving_to IS NULL AND status IN ('rejected', 'resolved', 'merged');

-- The directory's copy of the stamp: a read by id or receipt code thaws the case first when it is
-- set (store::shards::locate). Stamped before the shard's row, cleared after it.
ALTER TABLE case_index ADD COLUMN archived_at INTEGER;
