-- Operator CAs (issue 7): CAs whose client certificates (subject CN = the device id) every node and every
-- transport accepts, registered with 'locomov ca register'. With auto_provision, a valid certificate that
-- names an unknown device registers that device on its first connection. Only the CA certificate is kept
-- (public); its key stays with the operator. A change is announced on the channel locomov_operator_ca, so
-- every node reloads its trust anchors within a second.
CREATE TABLE operator_ca (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cert_sha256     bytea       NOT NULL UNIQUE CHECK (octet_length(cert_sha256) = 32),
    subject         text        NOT NULL CHECK (length(subject) BETWEEN 1 AND 1000),
    certificate_pem text        NOT NULL CHECK (length(certificate_pem) BETWEEN 1 AND 65536),
    not_after       timestamptz NOT NULL,
    auto_provision  boolean     NOT NULL DEFAULT false,
    registered_at   timestamptz NOT NULL DEFAULT now()
);
