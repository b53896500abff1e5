package org.locomov.mov;

import java.time.Duration;
import java.util.Objects;

import org.locomov.tls.CipherProfile;

/**
 * Settings of one TLS-over-TCP listener speaking the mov framing, checked once when built. The values
 * come from flags, environment or config file; every refusal names the option to fix.
 *
 * @param bindAddress      address to listen on (default {@value #DEFAULT_BIND_ADDRESS}; the server
 *                         passes {@code 0.0.0.0} to listen on every interface)
 * @param port             TCP port, {@code 0} for any free port (default {@value #DEFAULT_PORT})
 * @param cipherProfile    cipher suites offered (default {@code CC32XX}: the CC3220S firmware speaks
 *                         only {@code TLS_RSA_WITH_AES_256_CBC_SHA})
 * @param maxPacketBytes   largest JSON packet accepted; a longer one is refused and the connection
 *                         closed (default {@value #DEFAULT_MAX_PACKET_BYTES})
 * @param handshakeTimeout how long a client may take to complete the TLS handshake (default 10 s)
 * @param idleTimeout      how long a connection may stay silent, neither sending nor being answered,
 *                         before it is closed (default 60 s)
 * @param maxConnections   connections open at once; more are closed as soon as they are accepted
 *                         (default {@value #DEFAULT_MAX_CONNECTIONS})
 * @param drainTimeout     on shutdown, how long packets already being stored may take to be answered
 *                         before their connections are closed anyway (default 10 s)
 * @param maxInFlight      packets of one connection read and stored before the first is answered; acks stay in
 *                         order (default {@value #DEFAULT_MAX_IN_FLIGHT}; 1 answers each before reading the next)
 */
public record MovSettings(
        String bindAddress,
        int port,
        CipherProfile cipherProfile,
        int maxPacketBytes,
        Duration handshakeTimeout,
        Duration idleTimeout,
        int maxConnections,
        Duration drainTimeout,
        int maxInFlight) {

    public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";
    public static final int DEFAULT_PORT = 38981;
    public static final CipherProfile DEFAULT_CIPHER_PROFILE = CipherProfile.CC32XX;
    public static final int DEFAULT_MAX_PACKET_BYTES = 16_384;
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(10);
    /** Packets of one connection stored at once (decision 1500): enough to fill a batch from a few pipelining clients. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 16;
    /** Largest window: every packet in flight may hold up to the packet limit in memory. */
    public static final int MAX_MAX_IN_FLIGHT = 1_024;

    /** Smallest packet limit: the shortest real device packet is about 100 bytes. */
    public static final int MIN_MAX_PACKET_BYTES = 256;
    /** Largest packet limit: every open connection may buffer this much. */
    public static final int MAX_MAX_PACKET_BYTES = 1 << 20;

    public MovSettings {
        Objects.requireNonNull(cipherProfile, "--mov-cipher-profile");
        if (bindAddress == null || bindAddress.isBlank()) {
            throw new IllegalArgumentException("--mov-bind must name an address, was '" + bindAddress + "'");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("--mov-port must be between 0 and 65535, was " + port);
        }
        if (maxPacketBytes < MIN_MAX_PACKET_BYTES || maxPacketBytes > MAX_MAX_PACKET_BYTES) {
            throw new IllegalArgumentException("--mov-max-packet-bytes must be between " + MIN_MAX_PACKET_BYTES
                    + " and " + MAX_MAX_PACKET_BYTES + ", was " + maxPacketBytes);
        }
        requirePositive(handshakeTimeout, "--mov-handshake-timeout");
        requirePositive(idleTimeout, "--mov-idle-timeout");
        requirePositive(drainTimeout, "--mov-drain-timeout");
        if (maxConnections < 1) {
            throw new IllegalArgumentException("--mov-max-connections must be at least 1, was " + maxConnections);
        }
        if (maxInFlight < 1 || maxInFlight > MAX_MAX_IN_FLIGHT) {
            throw new IllegalArgumentException("--mov-max-in-flight must be between 1 and " + MAX_MAX_IN_FLIGHT
                    + ", was " + maxInFlight);
        }
    }

    /** The settings without a window given: {@link #DEFAULT_MAX_IN_FLIGHT}. */
    public MovSettings(String bindAddress, int port, CipherProfile cipherProfile, int maxPacketBytes,
            Duration handshakeTimeout, Duration idleTimeout, int maxConnections, Duration drainTimeout) {
        this(bindAddress, port, cipherProfile, maxPacketBytes, handshakeTimeout, idleTimeout, maxConnections,
                drainTimeout, DEFAULT_MAX_IN_FLIGHT);
    }

    /** The settings without a drain timeout given: {@link #DEFAULT_DRAIN_TIMEOUT}. */
    public MovSettings(String bindAddress, int port, CipherProfile cipherProfile, int maxPacketBytes,
            Duration handshakeTimeout, Duration idleTimeout, int maxConnections) {
        this(bindAddress, port, cipherProfile, maxPacketBytes, handshakeTimeout, idleTimeout, maxConnections,
                DEFAULT_DRAIN_TIMEOUT);
    }

    /** Every default: loopback, port {@value #DEFAULT_PORT}, the {@code cc32xx} profile. */
    public static MovSettings defaults() {
        return new MovSettings(DEFAULT_BIND_ADDRESS, DEFAULT_PORT, DEFAULT_CIPHER_PROFILE, DEFAULT_MAX_PACKET_BYTES,
                DEFAULT_HANDSHAKE_TIMEOUT, DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_CONNECTIONS, DEFAULT_DRAIN_TIMEOUT,
                DEFAULT_MAX_IN_FLIGHT);
    }

    public MovSettings withBindAddress(String newBindAddress) {
        return new MovSettings(newBindAddress, port, cipherProfile, maxPacketBytes, handshakeTimeout, idleTimeout,
                maxConnections, drainTimeout, maxInFlight);
    }

    public MovSettings withPort(int newPort) {
        return new MovSettings(bindAddress, newPort, cipherProfile, maxPacketBytes, handshakeTimeout, idleTimeout,
                maxConnections, drainTimeout, maxInFlight);
    }

    public MovSettings withMaxPacketBytes(int newMaxPacketBytes) {
        return new MovSettings(bindAddress, port, cipherProfile, newMaxPacketBytes, handshakeTimeout, idleTimeout,
                maxConnections, drainTimeout, maxInFlight);
    }

    public MovSettings withIdleTimeout(Duration newIdleTimeout) {
        return new MovSettings(bindAddress, port, cipherProfile, maxPacketBytes, handshakeTimeout, newIdleTimeout,
                maxConnections, drainTimeout, maxInFlight);
    }

    public MovSettings withMaxConnections(int newMaxConnections) {
        return new MovSettings(bindAddress, port, cipherProfile, maxPacketBytes, handshakeTimeout, idleTimeout,
                newMaxConnections, drainTimeout, maxInFlight);
    }

    public MovSettings withDrainTimeout(Duration newDrainTimeout) {
        return new MovSettings(bindAddress, port, cipherProfile, maxPacketBytes, handshakeTimeout, idleTimeout,
                maxConnections, newDrainTimeout, maxInFlight);
    }

    public MovSettings withMaxInFlight(int newMaxInFlight) {
        return new MovSettings(bindAddress, port, cipherProfile, maxPacketBytes, handshakeTimeout, idleTimeout,
                maxConnections, drainTimeout, newMaxInFlight);
    }

    private static void requirePositive(Duration value, String option) {
        Objects.requireNonNull(value, option);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(option + " must be positive, was " + value);
        }
    }
}
