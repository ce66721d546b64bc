-- Registrations for a stage: one per email per stage, seats given in arrival order, a waiting
-- list behind them. `arrival` is a per-stage counter taken under the stage's lock, so the order
-- is the same on both engines. The private "manage" link is stored as a hash only.

CREATE TABLE registrations (
    id                TEXT PRIMARY KEY,
    stage_id          TEXT NOT NULL REFERENCES stages (id) ON DELETE CASCADE,
    name              TEXT NOT NULL,
    email             TEXT NOT NULL,
    organisation      TEXT,
    language          TEXT NOT NULL CHECK (language IN ('fr', 'en')),
    status            TEXT NOT NULL CHECK (status IN ('confirmed', 'waitlisted', 'cancelled')),
    arrival           BIGINT NOT NULL,
    manage_token_hash TEXT NOT NULL UNIQUE,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL,
    UNIQUE (stage_id, email),
    UNIQUE (stage_id, arrival)
);

CREATE INDEX registrations_by_stage_status ON registrations (stage_id, status, arrival);
