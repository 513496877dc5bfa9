-- Escalation to the parent office and delegation to an office below (issue 19; domain: workflow).
-- `escalated_to`: the parent office asked for support (报请上级支持) while it has not answered.
-- `delegated_by`: the office that delegated the case (交办) and reviews its result (审核).
-- `review_reply`: the reply the office below proposes, waiting for that review.
-- The hand-over view (`GET /api/staff/handovers`) reads cases by the office on the other side of
-- each hand-over; these partial indexes keep that to the few cases in transit.
ALTER TABLE reports ADD COLUMN escalated_to TEXT;
ALTER TABLE reports ADD COLUMN delegated_by TEXT;
ALTER TABLE reports ADD COLUMN review_reply TEXT;
CREATE INDEX reports_referred_from ON reports (referred_from, id) WHERE referred_from IS NOT NULL;
CREATE INDEX reports_escalated_to ON reports (escalated_to, id) WHERE escalated_to IS NOT NULL;
CREATE INDEX reports_delegated_by ON reports (delegated_by, id) WHERE delegated_by IS NOT NULL;

-- A digest webhook belongs to an office: it is sent that office's digest (its own cases and its
-- hand-overs), so a county's group chat hears of the county's cases only.
ALTER TABLE webhooks ADD COLUMN office TEXT NOT NULL DEFAULT 'root';
