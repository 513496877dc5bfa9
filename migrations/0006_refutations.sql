-- Rumour refutations (辟谣): verdicts, the refutations and their audit trail, the public tag and
-- search indexes, linked cases, partner webhooks and their deliveries, and the "already refuted"
-- matches on report screenings. See domain/src/refutation for the rules these rows follow.

-- The deployment's verdicts; generated from Verdict::default_set() (a unit test compares them).
CREATE TABLE refutation_verdicts (
    code TEXT PRIMARY KEY,
    name_zh_hans TEXT NOT NULL,
    name_zh_hant TEXT NOT NULL,
    name_en TEXT NOT NULL,
    rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    position INTEGER NOT NULL
);
INSERT INTO refutation_verdicts (code, name_zh_hans, name_zh_hant, name_en, rating, position) VALUES ('rumour', '谣言', '謠言', 'Rumour', 1, 0);
INSERT INTO refutation_verdicts (code, name_zh_hans, name_zh_hant, name_en, rating, position) VALUES ('false', '不实', '不實', 'False', 2, 1);
INSERT INTO refutation_verdicts (code, name_zh_hans, name_zh_hant, name_en, rating, position) VALUES ('misleading', '误导', '誤導', 'Misleading', 3, 2);
INSERT INTO refutation_verdicts (code, name_zh_hans, name_zh_hant, name_en, rating, position) VALUES ('one_sided', '片面', '片面', 'One-sided', 4, 3);
INSERT INTO refutation_verdicts (code, name_zh_hans, name_zh_hant, name_en, rating, position) VALUES ('true', '属实', '屬實', 'True', 5, 4);

-- One row per refutation: refutation::Refutation, with the content as JSON and the columns lists
-- and filters need copied out of it.
CREATE TABLE refutations (
    id INTEGER PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('draft', 'published', 'unpublished')),
    revision INTEGER NOT NULL CHECK (revision > 0),
    -- RefutationContent as JSON.
    content TEXT NOT NULL,
    title TEXT NOT NULL,
    verdict TEXT REFERENCES refutation_verdicts (code),
    region TEXT,
    created_by INTEGER NOT NULL REFERENCES staff (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    published_at INTEGER,
    revised_at INTEGER,
    update_note TEXT,
    unpublish_reason TEXT,
    -- Publication order, given at the first publication and kept: the public lists' sort and paging
    -- key, and the rowid of the search indexes.
    pub_seq INTEGER UNIQUE,
    -- The engine's SimHash of the folded claim and title (16 hex digits), for the match index.
    fingerprint TEXT
);
CREATE INDEX refutations_public ON refutations (status, pub_seq);
CREATE INDEX refutations_public_region ON refutations (region, status, pub_seq);
CREATE INDEX refutations_staff ON refutations (updated_at, id);
CREATE INDEX refutations_staff_status ON refutations (status, updated_at, id);

-- The audit trail: one row per change with the content of that revision. UNIQUE (refutation_id,
-- revision) makes two concurrent saves of one revision fail as a whole batch: the loser changes
-- nothing and is told to reload.
CREATE TABLE refutation_revisions (
    id INTEGER PRIMARY KEY,
    refutation_id INTEGER NOT NULL REFERENCES refutations (id),
    revision INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('created', 'saved', 'published', 'updated', 'unpublished')),
    status TEXT NOT NULL CHECK (status IN ('draft', 'published', 'unpublished')),
    actor TEXT NOT NULL,
    note TEXT,
    content TEXT NOT NULL,
    at INTEGER NOT NULL,
    UNIQUE (refutation_id, revision)
);

-- Tags of published refutations only (rows go when a refutation is unpublished), keyed for the
-- per-tag list and feed in publication order.
CREATE TABLE refutation_tags (
    tag TEXT NOT NULL,
    pub_seq INTEGER NOT NULL,
    refutation_id INTEGER NOT NULL REFERENCES refutations (id),
    PRIMARY KEY (tag, pub_seq)
) WITHOUT ROWID;
CREATE INDEX refutation_tags_refutation ON refutation_tags (refutation_id);

-- The cases that prompted a refutation (staff-only).
CREATE TABLE refutation_cases (
    refutation_id INTEGER NOT NULL REFERENCES refutations (id),
    case_id INTEGER NOT NULL REFERENCES reports (id),
    PRIMARY KEY (refutation_id, case_id)
) WITHOUT ROWID;
CREATE INDEX refutation_cases_case ON refutation_cases (case_id);

-- Search over published refutations, rowid = pub_seq. The text is folded by the moderation engine
-- first (traditional → simplified, widths, case), so 謠言 finds 谣言. Trigrams find any substring of
-- three or more characters; the gram table (single characters and pairs of the title and claim,
-- space-separated) answers one- and two-character queries. Contentless: the text lives in
-- `refutations`; `contentless_delete` lets rows be removed on unpublish and update.
CREATE VIRTUAL TABLE refutation_search USING fts5(
    title, claim, body, authority, content = '', contentless_delete = 1, tokenize = 'trigram'
);
CREATE VIRTUAL TABLE refutation_grams USING fts5(
    grams, content = '', contentless_delete = 1, tokenize = 'unicode61'
);

-- Partner sites that receive pushes. The signing secret is derived from RECEIPT_KEY and the nonce
-- (refutation::partner::partner_secret) and never stored.
CREATE TABLE partners (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    url TEXT NOT NULL,
    secret_nonce TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_by INTEGER NOT NULL REFERENCES staff (id),
    created_at INTEGER NOT NULL,
    disabled_by INTEGER REFERENCES staff (id),
    disabled_at INTEGER
);

-- The outbox: one row per partner per public change, written in the same batch as the change, so a
-- push is never lost; the worker sends it at once and the cron retries it with backoff.
CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY,
    partner_id INTEGER NOT NULL REFERENCES partners (id),
    refutation_id INTEGER NOT NULL REFERENCES refutations (id),
    revision INTEGER NOT NULL,
    event TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_status INTEGER,
    last_error TEXT,
    next_attempt_at INTEGER,
    created_at INTEGER NOT NULL,
    delivered_at INTEGER
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_partner ON webhook_deliveries (partner_id, id);

-- Published refutations close to the report's text when it was received, as JSON
-- [{"id":…,"title":…,"similarity":…}], for "already refuted" on the staff case view.
ALTER TABLE report_screenings ADD COLUMN refutation_matches TEXT;
