-- API tokens for the HTTP service's write endpoints. Only the SHA-256 of the
-- secret is kept; the secret itself is shown once, when the token is created.
CREATE TABLE api_tokens (
    id            {serial_pk},
    name          TEXT NOT NULL,
    hash          TEXT NOT NULL UNIQUE,
    created_at    TEXT NOT NULL,
    revoked_at    TEXT,
    last_used_at  TEXT
);
-- a name names at most one active token (revoked ones keep their name for the record)
CREATE UNIQUE INDEX api_tokens_active_name ON api_tokens(name) WHERE revoked_at IS NULL;
-- the Atom feed and the recent-documents listing read newest first
CREATE INDEX documents_ingested_at ON documents(ingested_at);
