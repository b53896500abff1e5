package org.locomov.credentials.acme;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

/**
 * New key pairs from the JDK's own providers. acme4j's {@code KeyPairUtils} asks for the BouncyCastle
 * provider by name, which locomov does not register JVM-wide. Stateless.
 */
final class KeyPairs {

    private static final int RSA_BITS = 2048;

    private KeyPairs() {
    }

    /** RSA-2048: what CC32xx devices and every TLS client accept. */
    static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(RSA_BITS);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make RSA keys", e);
        }
    }

    /** ECDSA on P-256 (secp256r1). */
    static KeyPair p256() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make P-256 keys", e);
        }
    }
}
