-- Working-day deadlines and campaigns (issue 18, step 1; domain: workflow/calendar.rs). An admin
-- uploads each year's official holidays and make-up working days (调休), chooses whether handling
-- limits count working days, and runs campaigns (专项行动) that shorten chosen categories' limits
-- for a period. Deadlines already set are kept; new ones follow the settings of the moment.
CREATE TABLE calendar_days (
    day INTEGER PRIMARY KEY,            -- days since 1970-01-01 (Beijing calendar)
    year INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday'))
);
CREATE INDEX calendar_days_year ON calendar_days (year);

CREATE TABLE workflow_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    updated_by TEXT NOT NULL
);

CREATE TABLE campaigns (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    categories TEXT NOT NULL,           -- JSON array of category codes
    deadline_days INTEGER NOT NULL CHECK (deadline_days BETWEEN 1 AND 90),
    starts_on TEXT NOT NULL,            -- YYYY-MM-DD, Beijing
    ends_on TEXT NOT NULL,              -- YYYY-MM-DD, inclusive
    created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    withdrawn_at INTEGER                -- ended early by an admin; kept for the record
);
CREATE INDEX campaigns_ends ON campaigns (ends_on);
