-- Private links without accounts. Each registration has two secret links: "my registration"
-- (see, cancel) and its ticket page, which can be forwarded without giving away cancelling.
-- Tokens are HMACs of the registration id under a site secret, so the same link can be sent
-- again; only their SHA-256 hashes are stored, for lookup.

CREATE TABLE site_secrets (
    name       TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

ALTER TABLE registrations ADD COLUMN ticket_token_hash TEXT;
CREATE UNIQUE INDEX registrations_by_ticket_token ON registrations (ticket_token_hash);
CREATE INDEX registrations_by_email ON registrations (email);
