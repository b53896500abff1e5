package org.locomov.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One row of {@code tls_material}: an ACME account or a server certificate, with its private key sealed
 * by the caller. The store never sees a key in clear and does not know how it was sealed.
 *
 * @param name        what this is, e.g. {@code acme-account https://ca/dir} or {@code certificate RSA ...}
 * @param chainPem    the certificate chain as PEM, leaf first; {@code null} for an ACME account
 * @param accountUrl  the ACME account's location; {@code null} for a certificate
 * @param sealedKey   the private key as sealed by the caller (nonce, ciphertext and tag)
 * @param masterKeyId names the key that sealed it
 * @param notAfter    when the certificate expires; {@code null} for an account
 * @param updatedAt   when the row was last written (set by the database on save)
 * @param updatedBy   which node wrote it (host and process), for the operator
 */
public record TlsMaterial(String name, String chainPem, String accountUrl, byte[] sealedKey, String masterKeyId,
                          Instant notAfter, Instant updatedAt, String updatedBy) {

    public TlsMaterial {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sealedKey, "sealedKey");
        Objects.requireNonNull(masterKeyId, "masterKeyId");
        Objects.requireNonNull(updatedBy, "updatedBy");
        sealedKey = sealedKey.clone();
    }

    @Override
    public byte[] sealedKey() {
        return sealedKey.clone();
    }

    /** Without the sealed key: it is of no use in a log line. */
    @Override
    public String toString() {
        return "TlsMaterial[" + name + ", not after " + notAfter + ", updated " + updatedAt + " by " + updatedBy + "]";
    }
}
