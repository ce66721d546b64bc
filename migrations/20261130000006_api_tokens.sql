-- Personal API tokens (issue #11): made and revoked in the workspace, they act for their account
-- with its roles on /api/v1 (Authorization: Bearer). Only the token's SHA-256 is stored; the
-- token itself is shown once, when made.
CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    account_id   TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at   BIGINT
);

CREATE INDEX api_tokens_by_account ON api_tokens (account_id);
