-- Localities and departments belong to offices (issue 19; domain: taxonomy, office). A district's
-- `office` is where a report from that locality lands (属地) when no office or poster names one
-- (NULL: the root). A department's `office` is the office it belongs to (a county's 公安分局): cases
-- of that office and of the offices below it may be sent to it, no others.
ALTER TABLE districts ADD COLUMN office TEXT;
ALTER TABLE departments ADD COLUMN office TEXT NOT NULL DEFAULT 'root';
