-- Every report has a deadline from the first minute (issue 18): a submitted report is due to be
-- accepted or refused within its category's acceptance hours (workflow::Policy::acceptance_due_at:
-- 2 hours for urgent categories, 24 for the rest). The queue's sort key `due_sort` therefore counts
-- every open case (domain: ReportStatus::OPEN) as running, submitted ones included, so "overdue"
-- stays the index range due_sort < now and equal to workflow::is_overdue.
--
-- SQLite cannot change a generated column: the indexes on it are dropped, the column is dropped and
-- added again with the new rule, and the indexes are made again.
DROP INDEX reports_queue_all_due;
DROP INDEX reports_queue_all_priority;
DROP INDEX reports_queue_due;
DROP INDEX reports_queue_priority;
DROP INDEX reports_queue_department;
DROP INDEX reports_queue_category;
DROP INDEX reports_queue_district;
DROP INDEX reports_queue_handler;
ALTER TABLE reports DROP COLUMN due_sort;
ALTER TABLE reports ADD COLUMN due_sort INTEGER GENERATED ALWAYS AS
    (CASE WHEN status IN ('submitted', 'accepted', 'transferred', 'reopened') THEN COALESCE(due_at, 9007199254740991)
     ELSE 9007199254740991 END) VIRTUAL;
CREATE INDEX reports_queue_all_due ON reports (due_sort, id);
CREATE INDEX reports_queue_all_priority ON reports (priority_rank, due_sort, id);
CREATE INDEX reports_queue_due ON reports (status, due_sort, id);
CREATE INDEX reports_queue_priority ON reports (status, priority_rank, due_sort, id);
CREATE INDEX reports_queue_department ON reports (department, status, due_sort, id);
CREATE INDEX reports_queue_category ON reports (category, status, due_sort, id);
CREATE INDEX reports_queue_district ON reports (district, status, due_sort, id);
CREATE INDEX reports_queue_handler ON reports (primary_handler, status, due_sort, id);

-- Reports waiting before this migration get their acceptance deadline now: a day after receipt, or
-- two hours for the default set's urgent categories (handling limit of 3 days or less).
UPDATE reports SET due_at = created_at + CASE
        WHEN category IN (SELECT code FROM categories WHERE deadline_days <= 3) THEN 7200000
        ELSE 86400000 END
    WHERE status = 'submitted' AND due_at IS NULL;
