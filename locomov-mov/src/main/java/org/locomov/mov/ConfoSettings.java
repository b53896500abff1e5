package org.locomov.mov;

import java.time.Duration;
import java.util.Objects;
import org.locomov.tls.CipherProfile;

/**
 * Settings of the confo listener (cloud confirmation of newly provisioned devices, DESIGN.md §2), checked
 * once when built; every refusal names the option to fix.
 *
 * @param bindAddress      address to listen on
 * @param port             TCP port, {@code 0} for any free port (default {@value #DEFAULT_PORT})
 * @param cipherProfile    cipher suites offered (default {@code cc32xx}: the devices that confirm are the
 *                         CC32xx ones that send readings, decision 0903)
 * @param maxConnections   connections open at once (default {@value #DEFAULT_MAX_CONNECTIONS}: confirmations
 *                         come once per provisioning, so a few hundred at once is already a flood)
 * @param handshakeTimeout how long a client may take to complete the TLS handshake
 * @param idleTimeout      how long a connection may stay silent before it is closed
 * @param drainTimeout     on shutdown, how long confirmations being saved may take to be answered
 */
public record ConfoSettings(String bindAddress, int port, CipherProfile cipherProfile, int maxConnections,
        Duration handshakeTimeout, Duration idleTimeout, Duration drainTimeout) {

    public static final int DEFAULT_PORT = 38979;
    public static final int DEFAULT_MAX_CONNECTIONS = 256;

    public ConfoSettings {
        Objects.requireNonNull(cipherProfile, "--confo-cipher-profile");
        Objects.requireNonNull(bindAddress, "bindAddress");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("--confo-port must be between 0 and 65535, was " + port);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("--confo-max-connections must be at least 1, was " + maxConnections);
        }
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
    }

    /**
     * The settings of the mov framing the confo listener speaks: a confirmation is one small JSON packet, and
     * confirmations of one connection are decided one after the other (each reads what the one before wrote).
     */
    MovSettings framing() {
        return new MovSettings(bindAddress, port, cipherProfile, MovSettings.DEFAULT_MAX_PACKET_BYTES, handshakeTimeout,
                idleTimeout, maxConnections, drainTimeout, 1);
    }
}
