-- API tokens of registered users (issue 4). Only the SHA-256 of a token's secret is kept: secrets are
-- 256-bit random values, so a fast hash is enough (docs/decisions/0601-api-token-hashing.md).
CREATE TABLE token (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sub_id        bigint      NOT NULL REFERENCES sub (id) ON DELETE CASCADE,
    secret_sha256 bytea       NOT NULL CHECK (octet_length(secret_sha256) = 32),
    label         text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_used_at  timestamptz,
    revoked_at    timestamptz
);

-- Every authenticated request looks its token up by hash.
CREATE UNIQUE INDEX token_secret_sha256_key ON token (secret_sha256);
CREATE INDEX token_sub_id_idx ON token (sub_id);
