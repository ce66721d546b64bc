-- Invitations to a role in an edition (issue #11): emailed as a link whose token only the
-- email holds; the database keeps its SHA-256. stage_id NULL invites an edition admin.
-- An invitation is pending until accepted, withdrawn or past expires_at.
CREATE TABLE invitations (
    id           TEXT PRIMARY KEY,
    token_hash   TEXT NOT NULL UNIQUE,
    email        TEXT NOT NULL,
    edition_id   TEXT NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
    stage_id     TEXT REFERENCES stages (id) ON DELETE CASCADE,
    invited_by   TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    accepted_at  BIGINT,
    withdrawn_at BIGINT
);

CREATE INDEX invitations_by_edition ON invitations (edition_id, created_at);
