package org.locomov.api;

import java.time.Duration;
import picocli.CommandLine.Option;

/** The HTTPS API's options of {@code serve}: a picocli mixin, read by {@link ApiModule}. */
public final class ApiOptions {

    @Option(names = "--api-port", paramLabel = "PORT", defaultValue = "" + ApiSettings.DEFAULT_PORT,
            description = "Port of the HTTPS API; 0 = any free port (the banner shows it). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--api-max-connections", paramLabel = "N", defaultValue = "" + ApiSettings.DEFAULT_MAX_CONNECTIONS,
            description = "Most connections open at once on the HTTPS API. Default: ${DEFAULT-VALUE}.")
    int maxConnections;

    @Option(names = "--api-max-request-bytes", paramLabel = "BYTES",
            defaultValue = "" + ApiSettings.DEFAULT_MAX_REQUEST_BYTES,
            description = "Largest request body the API accepts. Default: ${DEFAULT-VALUE}.")
    int maxRequestBytes;

    @Option(names = "--api-sse-max-clients", paramLabel = "N", defaultValue = "" + ApiSettings.DEFAULT_SSE_MAX_CLIENTS,
            description = "Live-event streams open at once; more get 503. Default: ${DEFAULT-VALUE}.")
    int sseMaxClients;

    @Option(names = "--confo-queries-per-minute", paramLabel = "N",
            defaultValue = "" + ApiSettings.DEFAULT_CONFO_QUERIES_PER_MINUTE,
            description = "The phone app's confirmation query (no token): requests per client address per minute. "
                    + "Default: ${DEFAULT-VALUE}.")
    int confoQueriesPerMinute;

    @Option(names = "--confo-max-age", paramLabel = "DURATION", defaultValue = "15m",
            description = "The confirmation query answers only confirmations younger than this. Default: ${DEFAULT-VALUE}.")
    Duration confoMaxAge;

    @Option(names = "--firmware-max-bytes", paramLabel = "BYTES", defaultValue = "" + ApiSettings.DEFAULT_FIRMWARE_MAX_BYTES,
            description = "Largest firmware image the API accepts for upload. Default: ${DEFAULT-VALUE} (4 MiB).")
    int firmwareMaxBytes;
}
