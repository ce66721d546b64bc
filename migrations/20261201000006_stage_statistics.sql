-- What stays of a stage's registrations once the retention time after it has passed (issue #14,
-- `etape purge`): anonymous counts for the organisers' statistics, no person in them.
CREATE TABLE stage_statistics (
    stage_id    TEXT PRIMARY KEY REFERENCES stages (id) ON DELETE CASCADE,
    registered  BIGINT NOT NULL,
    confirmed   BIGINT NOT NULL,
    waitlisted  BIGINT NOT NULL,
    cancelled   BIGINT NOT NULL,
    checked_in  BIGINT NOT NULL,
    purged_at   BIGINT NOT NULL
);
