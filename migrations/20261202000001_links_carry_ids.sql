-- Private links carry their registration's id and a MAC of it (app/src/links.rs), so that a
-- registration stored from now on keeps no hash of its manage or ticket token: each one cost a
-- randomly placed entry in an index on every registration's write, the most expensive part of
-- admitting a rush (docs/benchmarks.md). Links sent before keep working through the hashes
-- stored for them, which only their rows now index. `manage_token_hash` stays NOT NULL UNIQUE
-- (SQLite cannot drop that without rebuilding the table): new rows hold a time-ordered value
-- no token hashes to.
DROP INDEX registrations_by_ticket_token;
CREATE UNIQUE INDEX registrations_by_ticket_token ON registrations (ticket_token_hash)
    WHERE ticket_token_hash IS NOT NULL;

-- An email's recipient is looked for only by `etape person export` and `etape person erase`,
-- which can read the whole outbox (kept 12 months at most, `etape purge`); an index on it cost
-- a randomly placed entry on every email queued.
DROP INDEX outbox_by_recipient;
