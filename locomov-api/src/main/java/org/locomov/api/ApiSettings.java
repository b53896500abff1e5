package org.locomov.api;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the HTTPS API, checked once when built; messages name the command-line option.
 *
 * @param bindAddress           address to listen on (default {@value #DEFAULT_BIND_ADDRESS}: every interface,
 *                              since phones and dashboards on the LAN use the API)
 * @param port                  TCP port (default {@value #DEFAULT_PORT}; 0 picks a free one, for tests)
 * @param maxRequestBytes       largest request body accepted (default {@value #DEFAULT_MAX_REQUEST_BYTES})
 * @param maxConnections        open connections at most; further ones wait in the accept queue
 *                              (default {@value #DEFAULT_MAX_CONNECTIONS})
 * @param idleTimeout           a connection with no traffic for this long is closed (default 60 s);
 *                              live-event streams send a comment at half this interval to stay open
 * @param sseMaxClients         live-event streams open at once; more get 503 (default {@value #DEFAULT_SSE_MAX_CLIENTS})
 * @param confoQueriesPerMinute the app's unauthenticated confo query: requests per client address per
 *                              minute (default {@value #DEFAULT_CONFO_QUERIES_PER_MINUTE})
 * @param confoMaxAge           the confo query answers only confirmations younger than this (default 15 min)
 * @param firmwareMaxBytes      largest firmware image accepted (default {@value #DEFAULT_FIRMWARE_MAX_BYTES}, 4 MiB;
 *                              at most {@value #MAX_FIRMWARE_MAX_BYTES})
 */
public record ApiSettings(
        String bindAddress,
        int port,
        int maxRequestBytes,
        int maxConnections,
        Duration idleTimeout,
        int sseMaxClients,
        int confoQueriesPerMinute,
        Duration confoMaxAge,
        int firmwareMaxBytes) {

    public static final String DEFAULT_BIND_ADDRESS = "0.0.0.0";
    public static final int DEFAULT_PORT = 8443;
    public static final int DEFAULT_MAX_REQUEST_BYTES = 64 * 1024;
    public static final int DEFAULT_MAX_CONNECTIONS = 512;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_SSE_MAX_CLIENTS = 100;
    public static final int DEFAULT_CONFO_QUERIES_PER_MINUTE = 30;
    public static final Duration DEFAULT_CONFO_MAX_AGE = Duration.ofMinutes(15);
    public static final int DEFAULT_FIRMWARE_MAX_BYTES = 4 * 1024 * 1024;
    /** Images are held in memory while uploaded and stored in one bytea: 256 MiB at most. */
    public static final int MAX_FIRMWARE_MAX_BYTES = 256 * 1024 * 1024;

    public static final ApiSettings DEFAULTS = new ApiSettings(DEFAULT_BIND_ADDRESS, DEFAULT_PORT,
            DEFAULT_MAX_REQUEST_BYTES, DEFAULT_MAX_CONNECTIONS, DEFAULT_IDLE_TIMEOUT, DEFAULT_SSE_MAX_CLIENTS,
            DEFAULT_CONFO_QUERIES_PER_MINUTE, DEFAULT_CONFO_MAX_AGE, DEFAULT_FIRMWARE_MAX_BYTES);

    public ApiSettings {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(confoMaxAge, "confoMaxAge");
        if (bindAddress.isBlank()) {
            throw new IllegalArgumentException("--bind must name an address, e.g. 0.0.0.0 or 127.0.0.1");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("--api-port must be 0..65535, was " + port);
        }
        if (maxRequestBytes < 1_024) {
            throw new IllegalArgumentException("--api-max-request-bytes must be at least 1024, was " + maxRequestBytes);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("--api-max-connections must be at least 1, was " + maxConnections);
        }
        if (idleTimeout.compareTo(Duration.ofSeconds(2)) < 0) {
            throw new IllegalArgumentException("--api-idle-timeout must be at least 2 s, was " + idleTimeout);
        }
        if (sseMaxClients < 0) {
            throw new IllegalArgumentException("--api-sse-max-clients must not be negative, was " + sseMaxClients);
        }
        if (sseMaxClients >= maxConnections) {
            throw new IllegalArgumentException("--api-sse-max-clients (" + sseMaxClients
                    + ") must be below --api-max-connections (" + maxConnections + ") or event streams could take every connection");
        }
        if (confoQueriesPerMinute < 1) {
            throw new IllegalArgumentException("--confo-queries-per-minute must be at least 1, was " + confoQueriesPerMinute);
        }
        if (confoMaxAge.isNegative() || confoMaxAge.isZero()) {
            throw new IllegalArgumentException("--confo-max-age must be positive, was " + confoMaxAge);
        }
        if (firmwareMaxBytes < 1 || firmwareMaxBytes > MAX_FIRMWARE_MAX_BYTES) {
            throw new IllegalArgumentException("--firmware-max-bytes must be 1 to " + MAX_FIRMWARE_MAX_BYTES + ", was "
                    + firmwareMaxBytes);
        }
    }

    /** The settings as they were before firmware uploads, with the default firmware limit (source-compatible). */
    public ApiSettings(String bindAddress, int port, int maxRequestBytes, int maxConnections, Duration idleTimeout,
            int sseMaxClients, int confoQueriesPerMinute, Duration confoMaxAge) {
        this(bindAddress, port, maxRequestBytes, maxConnections, idleTimeout, sseMaxClients, confoQueriesPerMinute,
                confoMaxAge, DEFAULT_FIRMWARE_MAX_BYTES);
    }

    /** These settings listening on {@code address} and {@code port} (tests: "127.0.0.1", 0). */
    public ApiSettings withBind(String address, int newPort) {
        return new ApiSettings(address, newPort, maxRequestBytes, maxConnections, idleTimeout, sseMaxClients,
                confoQueriesPerMinute, confoMaxAge, firmwareMaxBytes);
    }

    /** These settings with another firmware size limit (tests). */
    public ApiSettings withFirmwareMaxBytes(int bytes) {
        return new ApiSettings(bindAddress, port, maxRequestBytes, maxConnections, idleTimeout, sseMaxClients,
                confoQueriesPerMinute, confoMaxAge, bytes);
    }
}
