-- Evidence pictures (随手拍) and QR channels (posters).

-- One row per picture uploaded for a draft. The bytes live in R2 under `r2_key` (random, never
-- shown to anyone); a draft's (idempotency_key, slot) names one upload, so a retried upload finds
-- its row. `report_id` is set in the same D1 batch that stores the report.
CREATE TABLE uploads (
    id TEXT PRIMARY KEY,
    idempotency_key TEXT NOT NULL,
    slot INTEGER NOT NULL CHECK (slot >= 0 AND slot < 32),
    r2_key TEXT NOT NULL UNIQUE,
    media_type TEXT NOT NULL CHECK (media_type IN ('image/jpeg', 'image/png', 'image/webp')),
    bytes INTEGER NOT NULL CHECK (bytes > 0),
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    report_id INTEGER REFERENCES reports (id),
    position INTEGER,
    created_at INTEGER NOT NULL,
    UNIQUE (idempotency_key, slot)
);
CREATE INDEX uploads_report ON uploads (report_id, position);

-- Where a QR code is placed. Its scans are counted here; reports started from it (once per draft)
-- in channel_starts; reports submitted from it are reports.channel.
CREATE TABLE channels (
    code TEXT PRIMARY KEY,
    place TEXT NOT NULL,
    district TEXT REFERENCES districts (code),
    kind TEXT NOT NULL CHECK (kind IN ('poster', 'bus_stop', 'led_screen', 'leaflet')),
    created_by INTEGER NOT NULL REFERENCES staff (id),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    scans INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE channel_starts (
    idempotency_key TEXT PRIMARY KEY,
    channel TEXT NOT NULL REFERENCES channels (code),
    created_at INTEGER NOT NULL
);
CREATE INDEX channel_starts_channel ON channel_starts (channel);
CREATE INDEX reports_channel ON reports (channel) WHERE channel IS NOT NULL;
