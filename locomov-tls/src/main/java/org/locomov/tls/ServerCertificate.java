package org.locomov.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A server's private key and the certificate chain it sends, leaf first (then intermediates, then
 * optionally the root). Checked when built: a non-empty chain and an RSA or EC key of the leaf's type.
 * That the key matches the leaf and the chain is in order is checked where files are read
 * ({@link PemFiles#loadServerCertificate}).
 */
public record ServerCertificate(PrivateKey key, List<X509Certificate> chain) {

    public ServerCertificate {
        Objects.requireNonNull(key, "key");
        chain = List.copyOf(Objects.requireNonNull(chain, "chain"));
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a server certificate needs a chain with at least the leaf");
        }
        KeyType keyType = KeyType.of(key);
        if (keyType == null) {
            throw new IllegalArgumentException("server keys must be RSA or EC, not " + key.getAlgorithm());
        }
        if (keyType != KeyType.of(chain.get(0).getPublicKey())) {
            throw new IllegalArgumentException("the private key is " + keyType + " but the certificate "
                    + chain.get(0).getSubjectX500Principal().getName() + " holds a "
                    + chain.get(0).getPublicKey().getAlgorithm() + " key");
        }
    }

    /** RSA or EC, the type of the key (and of the leaf's public key). */
    public KeyType keyType() {
        return KeyType.of(key);
    }

    /** The server's own certificate, the first of the chain. */
    public X509Certificate leaf() {
        return chain.get(0);
    }

    /** When the leaf expires. */
    public Instant notAfter() {
        return leaf().getNotAfter().toInstant();
    }

    /** One line for logs: key type, subject, issuer, expiry and depth; never the key. */
    public String describe() {
        return keyType() + " " + leaf().getSubjectX500Principal().getName()
                + " issued by " + leaf().getIssuerX500Principal().getName()
                + ", not after " + notAfter() + ", chain depth " + chain.size();
    }

    /** Like {@link #describe()}: a record's default would print the private key. */
    @Override
    public String toString() {
        return "ServerCertificate[" + describe() + "]";
    }
}
