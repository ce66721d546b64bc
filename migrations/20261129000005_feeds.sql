-- Calendar feeds (issue #4): what a subscribed calendar needs to notice a change, and each
-- attendee's private feed.

-- SEQUENCE of the stage's event: goes up each time its time, place or status changes.
ALTER TABLE stages ADD COLUMN sequence BIGINT NOT NULL DEFAULT 0;
-- LAST-MODIFIED of the stage's event, seconds since the epoch. Rows stored before this
-- migration get the time of the first start that runs it (db::Db::migrate).
ALTER TABLE stages ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;

-- SHA-256 of the attendee's feed token, which is derived from the address: every registration
-- of one address has the same. Filled at registration; older rows at the server's start.
ALTER TABLE registrations ADD COLUMN feed_token_hash TEXT;
CREATE INDEX registrations_by_feed_token ON registrations (feed_token_hash);
