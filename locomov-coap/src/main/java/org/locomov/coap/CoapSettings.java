package org.locomov.coap;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.eclipse.californium.scandium.dtls.cipher.CipherSuite;

/**
 * Settings of the CoAP listener, checked once when built; every refusal names the option to fix.
 *
 * @param bindAddress      address to bind ({@code --bind})
 * @param port             DTLS port, 0 for any free one, -1 for none (default {@value #DEFAULT_PORT})
 * @param insecurePort     plain CoAP port, -1 for none (the default), 0 for any free one
 * @param cipherSuites     DTLS 1.2 suites offered, at least one
 * @param maxSessions      DTLS sessions kept at once (default {@value #DEFAULT_MAX_SESSIONS})
 * @param maxHandshakes    handshakes waiting for their credential check at once (default {@value #DEFAULT_MAX_HANDSHAKES})
 * @param maxRequestBytes  largest request body, block-wise or not (default {@value #DEFAULT_MAX_REQUEST_BYTES})
 * @param handshakeTimeout {@code --handshake-timeout}: how long a DTLS handshake may take
 * @param idleTimeout      {@code --idle-timeout}: a session silent this long may be replaced by a new one
 * @param drainTimeout     {@code --drain-timeout}: on shutdown, how long requests being stored may take
 */
public record CoapSettings(String bindAddress, int port, int insecurePort, List<CipherSuite> cipherSuites,
        int maxSessions, int maxHandshakes, int maxRequestBytes, Duration handshakeTimeout, Duration idleTimeout,
        Duration drainTimeout) {

    public static final int DEFAULT_PORT = 5684;
    public static final String DEFAULT_CIPHER_SUITES = "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,"
            + "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8,"
            + "TLS_ECDHE_ECDSA_WITH_AES_128_CCM,TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256,"
            + "TLS_ECDHE_PSK_WITH_AES_128_CCM_8_SHA256,TLS_ECDHE_PSK_WITH_AES_128_CCM_SHA256,"
            + "TLS_PSK_WITH_AES_128_GCM_SHA256,TLS_PSK_WITH_AES_256_GCM_SHA384,TLS_PSK_WITH_AES_128_CCM_8,"
            + "TLS_PSK_WITH_AES_128_CCM";
    public static final int DEFAULT_MAX_SESSIONS = 10_000;
    public static final int DEFAULT_MAX_HANDSHAKES = 1_000;
    public static final int DEFAULT_MAX_REQUEST_BYTES = 65_536;
    /** Smallest body limit: one reading object is about 100 bytes. */
    public static final int MIN_MAX_REQUEST_BYTES = 256;
    /** Largest body limit: every block-wise transfer in progress may buffer this much. */
    public static final int MAX_MAX_REQUEST_BYTES = 1 << 20;

    public CoapSettings {
        if (bindAddress == null || bindAddress.isBlank()) {
            throw new IllegalArgumentException("--bind must name an address, was '" + bindAddress + "'");
        }
        checkPort(port, "--coap-port");
        checkPort(insecurePort, "--coap-insecure-port");
        cipherSuites = List.copyOf(Objects.requireNonNull(cipherSuites, "--coap-cipher-suites"));
        if (port >= 0 && cipherSuites.isEmpty()) {
            throw new IllegalArgumentException("--coap-cipher-suites must name at least one suite");
        }
        if (maxSessions < 1) {
            throw new IllegalArgumentException("--coap-max-sessions must be at least 1, was " + maxSessions);
        }
        if (maxHandshakes < 1) {
            throw new IllegalArgumentException("--coap-max-handshakes must be at least 1, was " + maxHandshakes);
        }
        if (maxRequestBytes < MIN_MAX_REQUEST_BYTES || maxRequestBytes > MAX_MAX_REQUEST_BYTES) {
            throw new IllegalArgumentException("--coap-max-request-bytes must be between " + MIN_MAX_REQUEST_BYTES
                    + " and " + MAX_MAX_REQUEST_BYTES + ", was " + maxRequestBytes);
        }
        Objects.requireNonNull(handshakeTimeout, "--handshake-timeout");
        Objects.requireNonNull(idleTimeout, "--idle-timeout");
        Objects.requireNonNull(drainTimeout, "--drain-timeout");
    }

    /** Loopback, any free DTLS port, no plain port, every default (tests). */
    public static CoapSettings loopbackDefaults() {
        return new CoapSettings("127.0.0.1", 0, -1, parseCipherSuites(DEFAULT_CIPHER_SUITES.split(",")),
                DEFAULT_MAX_SESSIONS, DEFAULT_MAX_HANDSHAKES, DEFAULT_MAX_REQUEST_BYTES, Duration.ofSeconds(10),
                Duration.ofSeconds(60), Duration.ofSeconds(10));
    }

    public CoapSettings withInsecurePort(int newInsecurePort) {
        return new CoapSettings(bindAddress, port, newInsecurePort, cipherSuites, maxSessions, maxHandshakes,
                maxRequestBytes, handshakeTimeout, idleTimeout, drainTimeout);
    }

    public CoapSettings withMaxRequestBytes(int newMaxRequestBytes) {
        return new CoapSettings(bindAddress, port, insecurePort, cipherSuites, maxSessions, maxHandshakes,
                newMaxRequestBytes, handshakeTimeout, idleTimeout, drainTimeout);
    }

    public CoapSettings withCipherSuites(List<CipherSuite> newCipherSuites) {
        return new CoapSettings(bindAddress, port, insecurePort, newCipherSuites, maxSessions, maxHandshakes,
                maxRequestBytes, handshakeTimeout, idleTimeout, drainTimeout);
    }

    /** Suites by their IANA names; a name Scandium does not know, or cannot run on this JVM, is refused. */
    public static List<CipherSuite> parseCipherSuites(String... names) {
        return java.util.Arrays.stream(names).map(String::strip).filter(name -> !name.isEmpty()).map(name -> {
            CipherSuite suite = CipherSuite.getTypeByName(name);
            if (suite == null && name.endsWith("_SHA384")) {
                // Scandium 3.x spells the PSK suites' IANA "_SHA384" as "_SHA378".
                suite = CipherSuite.getTypeByName(name.substring(0, name.length() - 3) + "378");
            }
            if (suite == null || !suite.isSupported() || !suite.isValidForNegotiation()) {
                throw new IllegalArgumentException("--coap-cipher-suites: '" + name
                        + "' is not a DTLS 1.2 suite Scandium supports here");
            }
            return suite;
        }).distinct().toList();
    }

    private static void checkPort(int port, String option) {
        if (port < -1 || port > 65_535) {
            throw new IllegalArgumentException(option + " must be between 0 and 65535, or -1 for off, was " + port);
        }
    }
}
