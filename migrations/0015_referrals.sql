-- Referrals between offices (issue 19, `refer` and a referral's `return`; domain: workflow). While a
-- referred case waits to be accepted, it remembers the office that referred it, so the receiving
-- office can send it back. The hand-overs themselves are events (`referred`, `handed_back`).
ALTER TABLE reports ADD COLUMN referred_from TEXT;
