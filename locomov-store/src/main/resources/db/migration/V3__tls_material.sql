-- TLS material shared by every locomov node on this database (issue 3): ACME accounts and the server
-- certificates ordered with them. Private keys are sealed by locomov (AES-256-GCM under the master key in
-- <data-dir>/tls/master.key or --tls-master-key-file) before they reach this table; it never holds one in clear.
CREATE TABLE tls_material (
    name            text        PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 500),
    -- The certificate chain as PEM, leaf first; NULL for an ACME account.
    chain_pem       text        CHECK (length(chain_pem) <= 65536),
    -- Where the ACME server keeps the account; NULL for a certificate.
    account_url     text        CHECK (length(account_url) <= 2000),
    -- 12-byte nonce followed by the AES-GCM ciphertext and tag of the PKCS#8 private key.
    sealed_key      bytea       NOT NULL CHECK (octet_length(sealed_key) BETWEEN 29 AND 16384),
    -- Names the master key that sealed it (a prefix of its SHA-256), so a node with another key says so.
    master_key_id   text        NOT NULL CHECK (length(master_key_id) <= 64),
    not_after       timestamptz,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    updated_by      text        NOT NULL CHECK (length(updated_by) <= 200)
);

-- What the node holding the renewal lock last did for one certificate, for 'locomov cert status'.
CREATE TABLE tls_renewal (
    name              text        PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 500),
    last_attempt_at   timestamptz NOT NULL,
    last_success_at   timestamptz,
    failures_in_row   integer     NOT NULL DEFAULT 0 CHECK (failures_in_row >= 0),
    last_error        text        CHECK (length(last_error) <= 2000),
    next_attempt_at   timestamptz,
    updated_by        text        NOT NULL CHECK (length(updated_by) <= 200)
);
