package org.locomov.tls;

import java.security.Key;
import java.security.KeyPair;

/** The two kinds of server key locomov serves: RSA for devices that know nothing else, EC (P-256) for the rest. */
public enum KeyType {
    RSA("RSA"),
    EC("EC");

    private final String jcaAlgorithm;

    KeyType(String jcaAlgorithm) {
        this.jcaAlgorithm = jcaAlgorithm;
    }

    /** The JCA algorithm name of keys of this type ("RSA", "EC"). */
    public String jcaAlgorithm() {
        return jcaAlgorithm;
    }

    /** The signature algorithm locomov uses with keys of this type. */
    String signatureAlgorithm() {
        return this == RSA ? "SHA256withRSA" : "SHA256withECDSA";
    }

    /** A new key pair of this type: RSA-2048 or EC P-256. */
    public KeyPair newKeyPair() {
        return CertificateIssuer.newKeyPair(this);
    }

    /** The type of {@code key}, or {@code null} when it is neither RSA nor EC (DSA, EdDSA ...). */
    public static KeyType of(Key key) {
        for (KeyType type : values()) {
            if (type.jcaAlgorithm.equalsIgnoreCase(key.getAlgorithm())) {
                return type;
            }
        }
        return null;
    }
}
