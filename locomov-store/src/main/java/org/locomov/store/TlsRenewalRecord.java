package org.locomov.store;

import java.time.Instant;
import java.util.Objects;

/**
 * What the node holding the renewal lock last did for one certificate ({@code tls_renewal}).
 *
 * @param name          the certificate's name in {@code tls_material}
 * @param lastAttemptAt when an order was last tried
 * @param lastSuccessAt when one last succeeded; {@code null} before the first success
 * @param failuresInRow failed attempts since the last success
 * @param lastError     why the last attempt failed; {@code null} after a success
 * @param nextAttemptAt when the next order is planned; {@code null} when unknown
 * @param updatedBy     which node wrote it
 */
public record TlsRenewalRecord(String name, Instant lastAttemptAt, Instant lastSuccessAt, int failuresInRow,
                               String lastError, Instant nextAttemptAt, String updatedBy) {

    public TlsRenewalRecord {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(lastAttemptAt, "lastAttemptAt");
        Objects.requireNonNull(updatedBy, "updatedBy");
    }
}
