package org.locomov.particle;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of the Particle listener, checked once when built; every refusal names its option.
 *
 * @param bindAddress      where to listen
 * @param port             TCP port, 0 for any free one (default {@value #DEFAULT_PORT})
 * @param maxSessions      connections open at once, handshaking or not; more are closed at once
 *                         (default {@value #DEFAULT_MAX_SESSIONS})
 * @param maxHandshakes    handshakes in progress at once (each costs two RSA operations); a connection over
 *                         the limit is closed before its nonce (default {@value #DEFAULT_MAX_HANDSHAKES})
 * @param maxMessageBytes  largest encrypted message a device may send; a larger one closes its connection
 *                         (default {@value #DEFAULT_MAX_MESSAGE_BYTES})
 * @param handshakeTimeout time a device has from its nonce to its handshake message
 * @param idleTimeout      a session silent this long is closed (a Core pings after 15 s of silence)
 * @param drainTimeout     on shutdown, how long events being stored may take
 * @param readingEvents    event names whose JSON object data is also stored as a reading (default {@code reading})
 * @param otaChunkBytes    bytes per OTA chunk (default {@value #DEFAULT_OTA_CHUNK_BYTES}, as the original server)
 * @param commandTimeout   how long a function call or variable read waits for the device's answer
 */
public record ParticleSettings(String bindAddress, int port, int maxSessions, int maxHandshakes, int maxMessageBytes,
        Duration handshakeTimeout, Duration idleTimeout, Duration drainTimeout, Set<String> readingEvents,
        int otaChunkBytes, Duration commandTimeout) {

    public static final int DEFAULT_PORT = 5683;
    public static final int DEFAULT_MAX_SESSIONS = 10_000;
    public static final int DEFAULT_MAX_HANDSHAKES = 64;
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 2048;
    public static final int MIN_MAX_MESSAGE_BYTES = 640;
    public static final int DEFAULT_OTA_CHUNK_BYTES = 256;
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(30);

    public ParticleSettings {
        if (bindAddress == null || bindAddress.isBlank()) {
            throw new IllegalArgumentException("--bind must name an address");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("--particle-port must be between 0 and 65535, was " + port);
        }
        if (maxSessions < 1) {
            throw new IllegalArgumentException("--particle-max-sessions must be at least 1, was " + maxSessions);
        }
        if (maxHandshakes < 1) {
            throw new IllegalArgumentException("--particle-max-handshakes must be at least 1, was " + maxHandshakes);
        }
        if (maxMessageBytes < MIN_MAX_MESSAGE_BYTES || maxMessageBytes > 0xFFFF) {
            throw new IllegalArgumentException("--particle-max-message-bytes must be between " + MIN_MAX_MESSAGE_BYTES
                    + " and 65535, was " + maxMessageBytes);
        }
        if (otaChunkBytes < 64 || otaChunkBytes > 512 || otaChunkBytes % 16 != 0) {
            throw new IllegalArgumentException("the OTA chunk size must be a multiple of 16 from 64 to 512, was " + otaChunkBytes);
        }
        positive(handshakeTimeout, "--handshake-timeout");
        positive(idleTimeout, "--idle-timeout");
        positive(drainTimeout, "--drain-timeout");
        positive(commandTimeout, "--particle-command-timeout");
        readingEvents = Set.copyOf(Objects.requireNonNull(readingEvents, "--particle-reading-events"));
    }

    /** Loopback, any free port, every other value at its default (tests). */
    public static ParticleSettings loopback() {
        return new ParticleSettings("127.0.0.1", 0, DEFAULT_MAX_SESSIONS, DEFAULT_MAX_HANDSHAKES,
                DEFAULT_MAX_MESSAGE_BYTES, Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(10),
                Set.of("reading"), DEFAULT_OTA_CHUNK_BYTES, DEFAULT_COMMAND_TIMEOUT);
    }

    public ParticleSettings withMaxHandshakes(int value) {
        return new ParticleSettings(bindAddress, port, maxSessions, value, maxMessageBytes, handshakeTimeout,
                idleTimeout, drainTimeout, readingEvents, otaChunkBytes, commandTimeout);
    }

    public ParticleSettings withHandshakeTimeout(Duration value) {
        return new ParticleSettings(bindAddress, port, maxSessions, maxHandshakes, maxMessageBytes, value,
                idleTimeout, drainTimeout, readingEvents, otaChunkBytes, commandTimeout);
    }

    private static void positive(Duration value, String option) {
        Objects.requireNonNull(value, option);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(option + " must be positive, was " + value);
        }
    }
}
