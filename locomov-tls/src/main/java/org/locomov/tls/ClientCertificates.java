package org.locomov.tls;

import java.util.Objects;

/**
 * How a listener treats client certificates: whether it asks for them ({@link ClientAuthMode}), which CAs it
 * trusts for them, and the per-connection check of the one presented.
 *
 * @param mode  none, optional or require
 * @param trust the CAs; {@code null} only with {@link ClientAuthMode#NONE}
 * @param check the database check; {@code null} only with {@link ClientAuthMode#NONE}
 */
public record ClientCertificates(ClientAuthMode mode, DeviceCertificateTrust trust, DeviceCertificateCheck check) {

    private static final ClientCertificates NONE = new ClientCertificates(ClientAuthMode.NONE, null, null);

    public ClientCertificates {
        Objects.requireNonNull(mode, "mode");
        if (mode != ClientAuthMode.NONE) {
            Objects.requireNonNull(trust, "client certificates " + mode + " need the CAs to trust");
            Objects.requireNonNull(check, "client certificates " + mode + " need a certificate check");
        }
    }

    /** No client certificates asked for. */
    public static ClientCertificates none() {
        return NONE;
    }

    public boolean asked() {
        return mode != ClientAuthMode.NONE;
    }
}
