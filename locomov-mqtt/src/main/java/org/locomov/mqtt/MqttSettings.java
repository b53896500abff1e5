package org.locomov.mqtt;

import java.time.Duration;
import java.util.Objects;
import org.locomov.tls.CipherProfile;
import org.locomov.tls.ClientAuthMode;

/**
 * Settings of the MQTT listener, checked once when built; every refusal names the option to fix.
 *
 * @param bindAddress      address to listen on ({@code --bind})
 * @param port             TCP port, {@code 0} for any free port (default {@value #DEFAULT_PORT})
 * @param cipherProfile    cipher suites offered (default {@code cc32xx}: a CC3200 offers
 *                         {@code TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA} or {@code TLS_RSA_WITH_AES_256_CBC_SHA})
 * @param clientAuth       client certificates: none, optional (default: checked when sent, else username and
 *                         token) or require
 * @param receiveMaximum   QoS 1 publishes in flight per connection (default {@value #DEFAULT_RECEIVE_MAXIMUM});
 *                         advertised in MQTT 5, enforced by reading no further on every version
 * @param maxPacketBytes   largest MQTT packet accepted (default {@value #DEFAULT_MAX_PACKET_BYTES}); advertised
 *                         in MQTT 5
 * @param maxConnections   connections open at once (default {@value #DEFAULT_MAX_CONNECTIONS})
 * @param connectTimeout   time from accepting a connection to its CONNECT ({@code --handshake-timeout})
 * @param idleTimeout      silence allowed to a client that asks for no keep-alive ({@code --idle-timeout})
 * @param drainTimeout     on shutdown, time for publishes being stored to be acknowledged ({@code --drain-timeout})
 */
public record MqttSettings(
        String bindAddress,
        int port,
        CipherProfile cipherProfile,
        ClientAuthMode clientAuth,
        int receiveMaximum,
        int maxPacketBytes,
        int maxConnections,
        Duration connectTimeout,
        Duration idleTimeout,
        Duration drainTimeout) {

    public static final int DEFAULT_PORT = 8883;
    public static final int DEFAULT_RECEIVE_MAXIMUM = 64;
    public static final int DEFAULT_MAX_PACKET_BYTES = 64 * 1024;
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    /** Smallest packet limit: a CONNECT with a certificate-less login and a will must fit. */
    public static final int MIN_MAX_PACKET_BYTES = 1024;
    /** Largest packet limit: every connection may buffer this much while it decodes. */
    public static final int MAX_MAX_PACKET_BYTES = 16 << 20;
    /** MQTT 5's Receive Maximum is a two-byte number. */
    public static final int MAX_RECEIVE_MAXIMUM = 65_535;
    /** Most readings in one published array; it is stored in one transaction. */
    public static final int MAX_READINGS_PER_MESSAGE = 500;

    public MqttSettings {
        Objects.requireNonNull(cipherProfile, "--mqtt-cipher-profile");
        Objects.requireNonNull(clientAuth, "--mqtt-client-auth");
        if (bindAddress == null || bindAddress.isBlank()) {
            throw new IllegalArgumentException("--bind must name an address, was '" + bindAddress + "'");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("--mqtt-port must be between 0 and 65535, was " + port);
        }
        if (receiveMaximum < 1 || receiveMaximum > MAX_RECEIVE_MAXIMUM) {
            throw new IllegalArgumentException("--mqtt-receive-maximum must be between 1 and " + MAX_RECEIVE_MAXIMUM
                    + ", was " + receiveMaximum);
        }
        if (maxPacketBytes < MIN_MAX_PACKET_BYTES || maxPacketBytes > MAX_MAX_PACKET_BYTES) {
            throw new IllegalArgumentException("--mqtt-max-packet-bytes must be between " + MIN_MAX_PACKET_BYTES
                    + " and " + MAX_MAX_PACKET_BYTES + ", was " + maxPacketBytes);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("--mqtt-max-connections must be at least 1, was " + maxConnections);
        }
        requirePositive(connectTimeout, "--handshake-timeout");
        requirePositive(idleTimeout, "--idle-timeout");
        requirePositive(drainTimeout, "--drain-timeout");
    }

    /** Loopback, any free port, every other value its default (tests). */
    public static MqttSettings loopbackAnyPort() {
        return new MqttSettings("127.0.0.1", 0, CipherProfile.CC32XX, ClientAuthMode.OPTIONAL, DEFAULT_RECEIVE_MAXIMUM,
                DEFAULT_MAX_PACKET_BYTES, DEFAULT_MAX_CONNECTIONS, Duration.ofSeconds(10), Duration.ofSeconds(60),
                Duration.ofSeconds(10));
    }

    public MqttSettings withClientAuth(ClientAuthMode mode) {
        return new MqttSettings(bindAddress, port, cipherProfile, mode, receiveMaximum, maxPacketBytes, maxConnections,
                connectTimeout, idleTimeout, drainTimeout);
    }

    public MqttSettings withMaxPacketBytes(int bytes) {
        return new MqttSettings(bindAddress, port, cipherProfile, clientAuth, receiveMaximum, bytes, maxConnections,
                connectTimeout, idleTimeout, drainTimeout);
    }

    public MqttSettings withReceiveMaximum(int maximum) {
        return new MqttSettings(bindAddress, port, cipherProfile, clientAuth, maximum, maxPacketBytes, maxConnections,
                connectTimeout, idleTimeout, drainTimeout);
    }

    private static void requirePositive(Duration value, String option) {
        Objects.requireNonNull(value, option);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(option + " must be positive, was " + value);
        }
    }
}
