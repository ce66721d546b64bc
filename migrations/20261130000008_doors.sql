-- Door check-in (issue #12). A door link belongs to one stage and grants only checking in its
-- tickets; the secret is shown once (it travels in the link's fragment) and only its SHA-256 is
-- stored. `checkins` holds the one admission of each ticket (its primary key makes a second
-- one impossible, whatever the doors race); `checkin_attempts` every scan, for the organisers'
-- report, each offline scan recorded once per door and client-made id.
CREATE TABLE door_links (
    id          TEXT PRIMARY KEY,
    stage_id    TEXT NOT NULL REFERENCES stages (id) ON DELETE CASCADE,
    label       TEXT NOT NULL,
    secret_hash TEXT NOT NULL UNIQUE,
    created_at  BIGINT NOT NULL,
    revoked_at  BIGINT
);

-- One open link per label and stage; a revoked label may be used again.
CREATE UNIQUE INDEX door_links_open_label ON door_links (stage_id, label) WHERE revoked_at IS NULL;

CREATE TABLE checkins (
    registration_id TEXT PRIMARY KEY REFERENCES registrations (id) ON DELETE CASCADE,
    stage_id        TEXT NOT NULL REFERENCES stages (id) ON DELETE CASCADE,
    door_id         TEXT NOT NULL REFERENCES door_links (id) ON DELETE CASCADE,
    -- When the ticket was scanned (an offline door says when; otherwise when it arrived).
    checked_in_at   BIGINT NOT NULL
);

CREATE INDEX checkins_by_stage ON checkins (stage_id, door_id);

CREATE TABLE checkin_attempts (
    id              TEXT PRIMARY KEY,
    door_id         TEXT NOT NULL REFERENCES door_links (id) ON DELETE CASCADE,
    -- The door's own id for a scan, so that a resent upload is recorded once.
    client_id       TEXT,
    -- The ticket's registration, when the code named one of this stage.
    registration_id TEXT,
    result          TEXT NOT NULL CHECK (result IN ('admitted', 'already_checked_in', 'wrong_stage',
                                                    'cancelled', 'waitlisted', 'invalid')),
    -- What an offline door decided on its own, when it differs from `result` (a conflict).
    door_result     TEXT CHECK (door_result IN ('admitted', 'already_checked_in', 'wrong_stage',
                                                'cancelled', 'waitlisted', 'invalid')),
    scanned_at      BIGINT NOT NULL,
    recorded_at     BIGINT NOT NULL,
    UNIQUE (door_id, client_id)
);

CREATE INDEX checkin_attempts_by_door ON checkin_attempts (door_id, recorded_at);
