package org.locomov.tls;

import java.util.Set;

/**
 * The cipher suites locomov's profiles may enable, with their IANA code points (needed to read a
 * client hello) and the server key each can be used with. TLS 1.3 suites work with either key.
 */
enum CipherSuite {
    TLS_AES_128_GCM_SHA256(0x1301, KeyType.RSA, KeyType.EC),
    TLS_AES_256_GCM_SHA384(0x1302, KeyType.RSA, KeyType.EC),
    TLS_CHACHA20_POLY1305_SHA256(0x1303, KeyType.RSA, KeyType.EC),
    TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256(0xC02B, KeyType.EC),
    TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384(0xC02C, KeyType.EC),
    TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256(0xCCA9, KeyType.EC),
    TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256(0xC02F, KeyType.RSA),
    TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384(0xC030, KeyType.RSA),
    TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256(0xCCA8, KeyType.RSA),
    // Legacy, for CC32xx chips: CBC with SHA-1 MACs; the TLS_RSA_* ones also lack forward secrecy.
    TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA(0xC014, KeyType.RSA),
    TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA(0xC013, KeyType.RSA),
    TLS_RSA_WITH_AES_256_CBC_SHA(0x0035, KeyType.RSA),
    TLS_RSA_WITH_AES_128_CBC_SHA(0x002F, KeyType.RSA);

    private final int code;
    private final Set<KeyType> serverKeys;

    CipherSuite(int code, KeyType first, KeyType... more) {
        this.code = code;
        this.serverKeys = more.length == 0 ? Set.of(first) : Set.of(first, more[0]);
    }

    /** The two-byte IANA code point, as it appears in a client hello. */
    int code() {
        return code;
    }

    /** The IANA name, which is also the name the JDK and Netty use. */
    String ianaName() {
        return name();
    }

    boolean usableWith(KeyType serverKey) {
        return serverKeys.contains(serverKey);
    }

    /** True for TLS 1.3 suites, which leave the certificate's key type open. */
    boolean anyServerKey() {
        return serverKeys.size() == KeyType.values().length;
    }

    boolean rsaKeyExchange() {
        return name().startsWith("TLS_RSA_");
    }
}
