package org.locomov.tls;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * How a listener's TLS treats client certificates: whether it asks for them ({@link ClientAuthMode}) and
 * which CAs the handshake accepts them from. Who the certificate's device is, and whether it is revoked,
 * is the device identity's question, asked after the handshake.
 *
 * @param mode    none, optional or require
 * @param anchors the CAs (locomov's device CA first, then operator CAs); empty only with {@link ClientAuthMode#NONE}
 */
public record ClientCertificates(ClientAuthMode mode, List<X509Certificate> anchors) {

    private static final ClientCertificates NONE = new ClientCertificates(ClientAuthMode.NONE, List.of());

    public ClientCertificates {
        Objects.requireNonNull(mode, "mode");
        anchors = List.copyOf(anchors);
        if (mode != ClientAuthMode.NONE && anchors.isEmpty()) {
            throw new IllegalArgumentException("client certificates " + mode + " need at least one CA to trust");
        }
    }

    /** No client certificates asked for. */
    public static ClientCertificates none() {
        return NONE;
    }

    public boolean asked() {
        return mode != ClientAuthMode.NONE;
    }

    /** The same mode, trusting {@code newAnchors} (an operator CA was registered or removed). */
    public ClientCertificates withAnchors(List<X509Certificate> newAnchors) {
        return mode == ClientAuthMode.NONE ? this : new ClientCertificates(mode, newAnchors);
    }
}
