-- Per-device credentials (issue 3, item 6): what 'locomov device credentials' issued, and client certificates
-- from an operator CA (--device-ca-trust) recorded on first use. No secret is kept in clear: the access token
-- only as its SHA-256; the PSK sealed with AES-256-GCM under the master key (<data-dir>/tls/master.key), since
-- a DTLS-PSK server needs the key itself (docs/decisions/0802-psk-sealed-token-hashed.md).
CREATE TABLE device_credential (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pub_id         bigint      NOT NULL REFERENCES pub (pub_id) ON DELETE CASCADE,
    -- 'device-ca': issued by locomov's device CA; 'operator-ca': seen on a connection, signed by an operator CA.
    origin         text        NOT NULL CHECK (origin IN ('device-ca', 'operator-ca')),
    cert_sha256    bytea       NOT NULL CHECK (octet_length(cert_sha256) = 32),
    cert_serial    text        NOT NULL CHECK (length(cert_serial) BETWEEN 1 AND 100),
    cert_not_after timestamptz NOT NULL,
    key_type       text        NOT NULL CHECK (key_type IN ('RSA', 'EC', 'other')),
    -- 12-byte nonce, then the AES-GCM ciphertext and tag of the PSK; NULL for operator-CA certificates.
    psk_sealed     bytea       CHECK (octet_length(psk_sealed) BETWEEN 29 AND 1024),
    master_key_id  text        CHECK (length(master_key_id) <= 64),
    token_sha256   bytea       CHECK (octet_length(token_sha256) = 32),
    issued_at      timestamptz NOT NULL DEFAULT now(),
    revoked_at     timestamptz,
    revoke_reason  text        CHECK (length(revoke_reason) <= 200),
    CHECK ((psk_sealed IS NULL) = (master_key_id IS NULL))
);

-- Every mutual-TLS connection looks its certificate up by fingerprint; every token use by its hash.
CREATE UNIQUE INDEX device_credential_cert_sha256_key ON device_credential (cert_sha256);
CREATE UNIQUE INDEX device_credential_token_sha256_key ON device_credential (token_sha256) WHERE token_sha256 IS NOT NULL;
-- A device has at most one live set issued by locomov: issuing again revokes the earlier set.
CREATE UNIQUE INDEX device_credential_live_issued_key ON device_credential (pub_id)
    WHERE revoked_at IS NULL AND origin = 'device-ca';
CREATE INDEX device_credential_pub_idx ON device_credential (pub_id);
