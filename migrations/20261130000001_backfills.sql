-- Data changes that older rows need once (issue #10: backfills run as migrations, not at every
-- start).

-- Stages stored before they had a modification time (20261129000005_feeds.sql) take the time
-- their edition was stored (its first ticket key), else the opening of their registrations:
-- a past, stable instant, so their calendar events keep one LAST-MODIFIED.
UPDATE stages SET updated_at = COALESCE(
    (SELECT MIN(k.created_at) FROM edition_keys k WHERE k.edition_id = stages.edition_id),
    registration_opens_at)
WHERE updated_at = 0;

-- Backfills that need the running application (a secret kept in the database, a computation in
-- Rust) are recorded here by name once done, so they run once, not at every start.
CREATE TABLE backfills (
    name TEXT PRIMARY KEY,
    done_at BIGINT NOT NULL
);
