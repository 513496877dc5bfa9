-- Every intake channel (issue 18, step 3): how each report reached the office (domain:
-- intake::Source), the higher office's or letter's reference, and who entered it when staff did.
-- Reports filed through the public form are `web`. A source and reference identify a case passed
-- down, so the same transfer number is stored once however often a file is imported.
ALTER TABLE reports ADD COLUMN source TEXT NOT NULL DEFAULT 'web'
    CHECK (source IN ('web', 'phone', 'letter', 'visit', 'self_media', 'higher_office'));
ALTER TABLE reports ADD COLUMN source_reference TEXT;
CREATE UNIQUE INDEX reports_source_reference ON reports (source, source_reference)
    WHERE source_reference IS NOT NULL;
