-- "Forgot my password" (issue #11): an emailed single-use link, valid for an hour. Only the
-- token's SHA-256 is stored; using it sets the password and ends every login of the account.
CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);

CREATE INDEX password_resets_by_account ON password_resets (account_id);
