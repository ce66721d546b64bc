-- Ticket signing keys (see docs/tickets.md): one active key per edition, older ones kept as
-- retired so that tickets they signed still verify. The private seed never leaves the server.

CREATE TABLE edition_keys (
    id           TEXT PRIMARY KEY,
    edition_id   TEXT NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
    public_key   TEXT NOT NULL,
    private_seed TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    retired_at   BIGINT
);

CREATE UNIQUE INDEX edition_keys_one_active ON edition_keys (edition_id) WHERE retired_at IS NULL;
CREATE INDEX edition_keys_by_edition ON edition_keys (edition_id, created_at);
