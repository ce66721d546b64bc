-- Registrations are rebuilt so that each one's write costs one randomly placed index entry
-- fewer (docs/benchmarks.md): its address was indexed twice, by `UNIQUE (stage_id, email)`
-- and by `registrations_by_email` for the lookups by address (lost links, the attendee feed,
-- `etape person`). One unique index on `(email, stage_id)` serves both. `manage_token_hash`
-- loses its `NOT NULL UNIQUE`: registrations stored since manage links carry their id keep
-- NULL there, and only the hashes of links sent before are indexed, as the ticket's and the
-- feed's are. SQLite changes a table's constraints only by rebuilding it, and `checkins`,
-- which refers to it, with it; the same statements run on PostgreSQL.

CREATE TABLE registrations_next (
    id                 TEXT PRIMARY KEY,
    stage_id           TEXT NOT NULL REFERENCES stages (id) ON DELETE CASCADE,
    name               TEXT NOT NULL,
    email              TEXT NOT NULL,
    organisation       TEXT,
    language           TEXT NOT NULL CHECK (language IN ('fr', 'en')),
    status             TEXT NOT NULL CHECK (status IN ('confirmed', 'waitlisted', 'cancelled')),
    arrival            BIGINT NOT NULL,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL,
    promoted_at        BIGINT,
    reminded_at        BIGINT,
    short_code         TEXT,
    feed_salt          TEXT,
    confirm_by         BIGINT,
    confirm_token_hash TEXT,
    -- SHA-256 hashes of the private links sent before links carried the registration's id or
    -- sealed address (app/src/links.rs); NULL for registrations stored since.
    manage_token_hash  TEXT,
    ticket_token_hash  TEXT,
    feed_token_hash    TEXT,
    UNIQUE (email, stage_id),
    UNIQUE (stage_id, arrival)
);

INSERT INTO registrations_next (id, stage_id, name, email, organisation, language, status,
    arrival, created_at, updated_at, promoted_at, reminded_at, short_code, feed_salt,
    confirm_by, confirm_token_hash, manage_token_hash, ticket_token_hash, feed_token_hash)
SELECT id, stage_id, name, email, organisation, language, status,
    arrival, created_at, updated_at, promoted_at, reminded_at, short_code, feed_salt,
    confirm_by, confirm_token_hash,
    CASE WHEN manage_token_hash LIKE 'unused-%' THEN NULL ELSE manage_token_hash END,
    ticket_token_hash, feed_token_hash
FROM registrations;

CREATE TABLE checkins_next (
    registration_id TEXT PRIMARY KEY REFERENCES registrations_next (id) ON DELETE CASCADE,
    stage_id        TEXT NOT NULL REFERENCES stages (id) ON DELETE CASCADE,
    door_id         TEXT NOT NULL REFERENCES door_links (id) ON DELETE CASCADE,
    -- When the ticket was scanned (an offline door says when; otherwise when it arrived).
    checked_in_at   BIGINT NOT NULL
);

INSERT INTO checkins_next (registration_id, stage_id, door_id, checked_in_at)
SELECT registration_id, stage_id, door_id, checked_in_at FROM checkins;

DROP TABLE checkins;
DROP TABLE registrations;
-- SQLite rewrites `checkins_next`'s reference to follow the rename; PostgreSQL's follows the
-- table itself.
ALTER TABLE registrations_next RENAME TO registrations;
ALTER TABLE checkins_next RENAME TO checkins;

CREATE INDEX checkins_by_stage ON checkins (stage_id, door_id);

CREATE INDEX registrations_by_stage_status ON registrations (stage_id, status, arrival);
CREATE UNIQUE INDEX registrations_short_code ON registrations (stage_id, short_code);
CREATE INDEX registrations_to_remind ON registrations (stage_id)
    WHERE status = 'confirmed' AND reminded_at IS NULL;
CREATE INDEX registrations_awaiting_confirmation ON registrations (confirm_by)
    WHERE confirm_by IS NOT NULL;
CREATE INDEX registrations_by_confirm_token ON registrations (confirm_token_hash)
    WHERE confirm_token_hash IS NOT NULL;
CREATE UNIQUE INDEX registrations_by_manage_token ON registrations (manage_token_hash)
    WHERE manage_token_hash IS NOT NULL;
CREATE UNIQUE INDEX registrations_by_ticket_token ON registrations (ticket_token_hash)
    WHERE ticket_token_hash IS NOT NULL;
CREATE INDEX registrations_by_feed_token ON registrations (feed_token_hash)
    WHERE feed_token_hash IS NOT NULL;
