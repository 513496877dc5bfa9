-- Routing rules belong to an office (issue 19; domain: workflow/routing.rs). A case's transfer
-- proposal asks its own office's rules first, then each office above it, and the root office's
-- rules (with the categories' default departments) last. The seeded rules are the root's.
ALTER TABLE routing_rules ADD COLUMN office TEXT NOT NULL DEFAULT 'root';
CREATE INDEX routing_rules_office ON routing_rules (office, position);
