-- Spark/Particle devices (issue 10): a locomov device (a pub row) that also has the 24-hex id the device
-- sends in its handshake and the RSA public key the server encrypts the session key to (RSA-1024 for a
-- Spark Core). Registered with 'locomov particle keys' or the Particle API's provisioning route.
CREATE TABLE particle_device (
    particle_id  text        PRIMARY KEY CHECK (particle_id ~ '^[0-9a-f]{24}$'),
    pub_id       bigint      NOT NULL UNIQUE REFERENCES pub (pub_id) ON DELETE CASCADE,
    -- SubjectPublicKeyInfo DER of the device's RSA key.
    public_key   bytea       NOT NULL CHECK (octet_length(public_key) BETWEEN 64 AND 2048),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
