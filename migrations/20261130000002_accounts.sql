-- Organiser accounts, their logins and their roles (issue #11).

-- email: trimmed and lower-cased (domain::registration::Email), one account per address.
-- password_hash: an Argon2id PHC string; the password itself is never stored.
CREATE TABLE accounts (
    id             TEXT PRIMARY KEY,
    email          TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    password_hash  TEXT NOT NULL,
    platform_admin BIGINT NOT NULL DEFAULT 0 CHECK (platform_admin IN (0, 1)),
    created_at     BIGINT NOT NULL
);

-- A login. The cookie holds a random id; only its SHA-256 is stored, so a copy of the database
-- opens nobody's session. expires_at follows domain::account::session_expires_at.
CREATE TABLE sessions (
    id_hash      TEXT PRIMARY KEY,
    account_id   TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL
);

CREATE INDEX sessions_by_account ON sessions (account_id);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

-- Roles within an edition (domain::access::Role): stage_id NULL makes an edition admin, a stage
-- makes a stage organiser. The platform admin is a flag on the account.
CREATE TABLE roles (
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    edition_id TEXT NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
    stage_id   TEXT REFERENCES stages (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL
);

CREATE UNIQUE INDEX roles_once ON roles (account_id, edition_id, COALESCE(stage_id, ''));
CREATE INDEX roles_by_edition ON roles (edition_id);
