-- The Particle Cloud API (issue 10). Users get passwords for its OAuth password grant ('locomov user passwd'):
-- a PBKDF2 hash in the form 'pbkdf2-sha512$ITERATIONS$SALT$HASH' (base64), never the password
-- (docs/decisions/1020-user-passwords.md).
ALTER TABLE sub ADD COLUMN password_hash text CHECK (length(password_hash) <= 300);
ALTER TABLE sub ADD COLUMN password_set_at timestamptz;

-- What a device's session says it offers (a Particle Describe): its functions and its variables with their
-- types, kept here so that the API of every node can show them (docs/decisions/1021-device-descriptions-and-reserved-commands.md).
CREATE TABLE device_description (
    pub_id       bigint      PRIMARY KEY REFERENCES pub (pub_id) ON DELETE CASCADE,
    functions    text[]      NOT NULL DEFAULT '{}',
    variables    jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(variables) = 'object'),
    described_at timestamptz NOT NULL DEFAULT now()
);
