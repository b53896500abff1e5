package org.locomov.tls;

import java.util.Objects;

/**
 * What every listener serves: an RSA certificate (for devices that know nothing else) and, optionally, an
 * ECDSA one for the same names (for everyone else). Checked when built: each holds a key of its type.
 *
 * @param rsa      the RSA certificate; required
 * @param ecOrNull the ECDSA certificate, or {@code null} to serve RSA to every client
 */
public record CertificatePair(ServerCertificate rsa, ServerCertificate ecOrNull) {

    public CertificatePair {
        Objects.requireNonNull(rsa, "rsa");
        if (rsa.keyType() != KeyType.RSA) {
            throw new IllegalArgumentException("the RSA certificate holds an " + rsa.keyType() + " key: "
                    + rsa.describe());
        }
        if (ecOrNull != null && ecOrNull.keyType() != KeyType.EC) {
            throw new IllegalArgumentException("the EC certificate holds an " + ecOrNull.keyType() + " key: "
                    + ecOrNull.describe());
        }
    }

    /** The certificate of {@code type}, or {@code null} when there is no EC one. */
    public ServerCertificate certificate(KeyType type) {
        return type == KeyType.RSA ? rsa : ecOrNull;
    }

    /** One line for logs; never a key. */
    public String describe() {
        return rsa.describe() + (ecOrNull == null ? "" : "; " + ecOrNull.describe());
    }
}
