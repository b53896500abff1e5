package org.locomov.transport;

import java.time.Duration;
import java.util.Objects;

/**
 * The settings every listener shares, from {@code serve}'s common options: where to bind, and the time
 * limits every connection lives under.
 *
 * @param bindAddress      {@code --bind}: the address every listener binds to
 * @param handshakeTimeout {@code --handshake-timeout}: time a client has to complete its TLS (or DTLS, or
 *                         protocol) handshake
 * @param idleTimeout      {@code --idle-timeout}: a connection silent this long is closed (protocols with a
 *                         keep-alive of their own use that instead)
 * @param drainTimeout     {@code --drain-timeout}: on shutdown, how long work already accepted may take to be
 *                         acknowledged before connections are closed anyway
 */
public record CommonListenerSettings(String bindAddress, Duration handshakeTimeout, Duration idleTimeout,
        Duration drainTimeout) {

    public CommonListenerSettings {
        if (bindAddress == null || bindAddress.isBlank()) {
            throw new IllegalArgumentException("--bind must name an address, e.g. 0.0.0.0 or 127.0.0.1");
        }
        requirePositive(handshakeTimeout, "--handshake-timeout");
        requirePositive(idleTimeout, "--idle-timeout");
        requirePositive(drainTimeout, "--drain-timeout");
    }

    /** Loopback and the defaults of {@code serve}: 10 s handshakes, 60 s idle, 10 s drain (tests). */
    public static CommonListenerSettings loopbackDefaults() {
        return new CommonListenerSettings("127.0.0.1", Duration.ofSeconds(10), Duration.ofSeconds(60),
                Duration.ofSeconds(10));
    }

    private static void requirePositive(Duration value, String option) {
        Objects.requireNonNull(value, option);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(option + " must be positive, was " + value);
        }
    }
}
