-- The public programme: editions, their city stages and line-ups.
-- Portable between SQLite and PostgreSQL: TEXT ids made in Rust (UUIDv7), instants as BIGINT
-- unix seconds (UTC) beside the stage's IANA zone, dates as TEXT 'YYYY-MM-DD', enums as TEXT + CHECK,
-- small lists (speaker links, skills) as JSON in TEXT.

CREATE TABLE organisations (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    website     TEXT,
    logo_url    TEXT,
    description TEXT
);

CREATE TABLE editions (
    id          TEXT PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    number      BIGINT NOT NULL CHECK (number >= 1),
    starts_on   TEXT NOT NULL,
    ends_on     TEXT NOT NULL,
    theme       TEXT NOT NULL,
    description TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('draft', 'published'))
);

CREATE TABLE edition_partners (
    edition_id      TEXT NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
    organisation_id TEXT NOT NULL REFERENCES organisations (id) ON DELETE RESTRICT,
    position        BIGINT NOT NULL,
    PRIMARY KEY (edition_id, organisation_id)
);

CREATE TABLE stages (
    id                     TEXT PRIMARY KEY,
    edition_id             TEXT NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
    slug                   TEXT NOT NULL,
    city                   TEXT NOT NULL,
    city_slug              TEXT NOT NULL,
    venue_name             TEXT NOT NULL,
    venue_address          TEXT NOT NULL,
    latitude               DOUBLE PRECISION,
    longitude              DOUBLE PRECISION,
    time_zone              TEXT NOT NULL,
    starts_at              BIGINT NOT NULL,
    ends_at                BIGINT NOT NULL,
    theme                  TEXT NOT NULL,
    description            TEXT NOT NULL,
    capacity               BIGINT NOT NULL CHECK (capacity >= 0),
    registration_opens_at  BIGINT NOT NULL,
    registration_closes_at BIGINT NOT NULL,
    status                 TEXT NOT NULL CHECK (status IN ('draft', 'published', 'cancelled')),
    CHECK (ends_at > starts_at),
    UNIQUE (edition_id, slug)
);

CREATE INDEX stages_by_edition_start ON stages (edition_id, starts_at);

CREATE TABLE stage_co_organisers (
    stage_id        TEXT NOT NULL REFERENCES stages (id) ON DELETE CASCADE,
    organisation_id TEXT NOT NULL REFERENCES organisations (id) ON DELETE RESTRICT,
    position        BIGINT NOT NULL,
    PRIMARY KEY (stage_id, organisation_id)
);

CREATE TABLE speakers (
    id        TEXT PRIMARY KEY,
    stage_id  TEXT NOT NULL REFERENCES stages (id) ON DELETE CASCADE,
    name      TEXT NOT NULL,
    title     TEXT,
    bio       TEXT,
    photo_url TEXT,
    links     TEXT NOT NULL,
    position  BIGINT NOT NULL
);

CREATE INDEX speakers_by_stage ON speakers (stage_id, position);

CREATE TABLE projects (
    id               TEXT PRIMARY KEY,
    stage_id         TEXT NOT NULL REFERENCES stages (id) ON DELETE CASCADE,
    name             TEXT NOT NULL,
    holder           TEXT NOT NULL,
    pitch            TEXT NOT NULL,
    funding_goal_eur BIGINT CHECK (funding_goal_eur > 0),
    skills_wanted    TEXT NOT NULL,
    position         BIGINT NOT NULL
);

CREATE INDEX projects_by_stage ON projects (stage_id, position);

CREATE TABLE programme_items (
    id               TEXT PRIMARY KEY,
    stage_id         TEXT NOT NULL REFERENCES stages (id) ON DELETE CASCADE,
    starts_at        BIGINT NOT NULL,
    duration_minutes BIGINT NOT NULL CHECK (duration_minutes > 0),
    kind             TEXT NOT NULL CHECK (kind IN ('keynote', 'pitch', 'talk', 'panel', 'networking', 'break')),
    title            TEXT NOT NULL
);

CREATE INDEX programme_items_by_stage ON programme_items (stage_id, starts_at);

CREATE TABLE programme_item_speakers (
    item_id    TEXT NOT NULL REFERENCES programme_items (id) ON DELETE CASCADE,
    speaker_id TEXT NOT NULL REFERENCES speakers (id) ON DELETE CASCADE,
    PRIMARY KEY (item_id, speaker_id)
);

CREATE TABLE programme_item_projects (
    item_id    TEXT NOT NULL REFERENCES programme_items (id) ON DELETE CASCADE,
    project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    PRIMARY KEY (item_id, project_id)
);
