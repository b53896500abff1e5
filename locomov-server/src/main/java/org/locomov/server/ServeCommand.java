package org.locomov.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.locomov.api.ApiSettings;
import org.locomov.core.IngestSettings;
import org.locomov.mov.MovSettings;
import org.locomov.store.StoreSettings;
import org.locomov.tls.CipherProfile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code locomov serve}: starts everything and runs until SIGTERM or SIGINT.
 *
 * <p>Deliberately holds no logger: logback starts with the first logger, and it must not start before
 * the data directory (where the log files go) is known.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Start locomov: the mov and confo listeners, the HTTPS API, the database and the certificates. Stops on SIGTERM "
                + "or Ctrl-C after committing what it has queued.")
final class ServeCommand implements Callable<Integer> {

    /** Only the mov listener defaults to cc32xx, because its devices need it; see docs/decisions/0401. */
    static final String DEFAULT_MOV_CIPHER_PROFILE = "cc32xx";
    /** The same CC32xx devices post their confirmations, so confo defaults to cc32xx too (decision 0903). */
    static final String DEFAULT_CONFO_CIPHER_PROFILE = "cc32xx";
    static final int DEFAULT_CONFO_PORT = 38979;
    /** Confirmations come once per provisioning; a few hundred at once is already a flood. */
    static final int CONFO_MAX_CONNECTIONS = 256;

    @Spec
    CommandSpec spec;

    @Mixin
    DatabaseOptions database;

    @Option(names = "-secure", arity = "0..1", paramLabel = "BOOLEAN",
            description = "The original mov-server's flag, accepted so its start scripts keep working. "
                    + "A no-op: TLS is always on.")
    boolean legacySecure;

    @Option(names = "--retention-days", paramLabel = "DAYS", defaultValue = "0",
            description = "Drop readings older than this many days, a whole time partition at a time; "
                    + "0 = keep everything. Default: ${DEFAULT-VALUE}.")
    int retentionDays;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "0.0.0.0",
            description = "Address every listener (mov, confo, API, ACME HTTP-01) binds to. Default: ${DEFAULT-VALUE} (every interface).")
    String bindAddress;

    @Option(names = "--mov-port", paramLabel = "PORT", defaultValue = "" + MovSettings.DEFAULT_PORT,
            description = "Port of the mov listener; 0 = any free port (the banner shows it). Default: ${DEFAULT-VALUE}.")
    int movPort;

    @Option(names = "--mov-cipher-profile", paramLabel = "PROFILE", defaultValue = DEFAULT_MOV_CIPHER_PROFILE,
            description = "TLS profile of the mov listener: modern (TLS 1.2/1.3, ECDHE + AEAD) or cc32xx (modern "
                    + "plus the RSA key exchange CBC suites CC32xx chips need). Default: ${DEFAULT-VALUE}.")
    String movCipherProfile;

    @Option(names = "--mov-max-packet-bytes", paramLabel = "BYTES", defaultValue = "" + MovSettings.DEFAULT_MAX_PACKET_BYTES,
            description = "Largest packet accepted on the mov listener (" + MovSettings.MIN_MAX_PACKET_BYTES + " to "
                    + MovSettings.MAX_MAX_PACKET_BYTES + "); larger ones are refused. Default: ${DEFAULT-VALUE}.")
    int movMaxPacketBytes;

    @Option(names = "--mov-max-connections", paramLabel = "N", defaultValue = "" + MovSettings.DEFAULT_MAX_CONNECTIONS,
            description = "Most connections open at once on the mov listener; more are closed at once. "
                    + "Default: ${DEFAULT-VALUE}.")
    int movMaxConnections;

    @Option(names = "--confo-port", paramLabel = "PORT", defaultValue = "" + DEFAULT_CONFO_PORT,
            description = "Port of the confo listener, where newly provisioned devices confirm; 0 = any free port. "
                    + "Default: ${DEFAULT-VALUE}.")
    int confoPort;

    @Option(names = "--confo-cipher-profile", paramLabel = "PROFILE", defaultValue = DEFAULT_CONFO_CIPHER_PROFILE,
            description = "TLS profile of the confo listener: modern or cc32xx (the devices that confirm are the "
                    + "CC32xx ones that send readings). Default: ${DEFAULT-VALUE}.")
    String confoCipherProfile;

    @Option(names = "--handshake-timeout", paramLabel = "DURATION", defaultValue = "10s",
            description = "Time a client has to complete its TLS handshake. Default: ${DEFAULT-VALUE}.")
    Duration handshakeTimeout;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", defaultValue = "60s",
            description = "A connection that sends nothing for this long is closed. Default: ${DEFAULT-VALUE}.")
    Duration idleTimeout;

    @Option(names = "--mov-drain-timeout", paramLabel = "DURATION", defaultValue = "10s",
            description = "On shutdown, how long readings already being stored may take to be acknowledged "
                    + "before their connections are closed anyway. Default: ${DEFAULT-VALUE}.")
    Duration movDrainTimeout;

    @Option(names = "--api-port", paramLabel = "PORT", defaultValue = "" + ApiSettings.DEFAULT_PORT,
            description = "Port of the HTTPS API; 0 = any free port (the banner shows it). Default: ${DEFAULT-VALUE}.")
    int apiPort;

    @Option(names = "--api-max-connections", paramLabel = "N", defaultValue = "" + ApiSettings.DEFAULT_MAX_CONNECTIONS,
            description = "Most connections open at once on the HTTPS API. Default: ${DEFAULT-VALUE}.")
    int apiMaxConnections;

    @Option(names = "--api-max-request-bytes", paramLabel = "BYTES",
            defaultValue = "" + ApiSettings.DEFAULT_MAX_REQUEST_BYTES,
            description = "Largest request body the API accepts. Default: ${DEFAULT-VALUE}.")
    int apiMaxRequestBytes;

    @Option(names = "--api-sse-max-clients", paramLabel = "N", defaultValue = "" + ApiSettings.DEFAULT_SSE_MAX_CLIENTS,
            description = "Live-event streams open at once; more get 503. Default: ${DEFAULT-VALUE}.")
    int apiSseMaxClients;

    @Option(names = "--confo-queries-per-minute", paramLabel = "N",
            defaultValue = "" + ApiSettings.DEFAULT_CONFO_QUERIES_PER_MINUTE,
            description = "The phone app's confirmation query (no token): requests per client address per minute. "
                    + "Default: ${DEFAULT-VALUE}.")
    int confoQueriesPerMinute;

    @Option(names = "--confo-max-age", paramLabel = "DURATION", defaultValue = "15m",
            description = "The confirmation query answers only confirmations younger than this. Default: ${DEFAULT-VALUE}.")
    Duration confoMaxAge;

    @Mixin
    TlsOptions tlsOptions;

    @Mixin
    DeviceAuthOptions deviceAuthOptions;

    @Option(names = "--ingest-queue-capacity", paramLabel = "N",
            defaultValue = "" + IngestSettings.DEFAULT_QUEUE_CAPACITY,
            description = "Readings that may wait for the database before listeners stop reading "
                    + "from their sockets. Default: ${DEFAULT-VALUE}.")
    int ingestQueueCapacity;

    @Option(names = "--ingest-max-batch", paramLabel = "N", defaultValue = "" + IngestSettings.DEFAULT_MAX_BATCH_SIZE,
            description = "Most readings written in one statement. Default: ${DEFAULT-VALUE}.")
    int ingestMaxBatch;

    @Option(names = "--ingest-storage-timeout", paramLabel = "DURATION", defaultValue = "30s",
            description = "How long a reading waits for a commit while the database is unreachable before "
                    + "the device is told to retry. Default: ${DEFAULT-VALUE}.")
    Duration ingestStorageTimeout;

    @Option(names = "--auto-register", arity = "0..1", paramLabel = "BOOLEAN",
            description = "Accept readings from unknown device ids and register them (open fleets). "
                    + "Default: off; only devices added with 'device add' may send.")
    boolean autoRegister;

    @Override
    public Integer call() {
        return switch (settings()) {
            case Checked.Refused<ServerSettings> refused -> Main.refuse(spec, refused);
            case Checked.Valid<ServerSettings> valid -> ServerProcess.run(valid.value(), spec.commandLine().getOut());
        };
    }

    /** The settings of this run, or why they cannot be used. Creates nothing. */
    Checked<ServerSettings> settings() {
        SettingsProblems problems = new SettingsProblems();
        Path dataDir = database.dataDirectory();
        problems.checkAtLeast("--retention-days", retentionDays, 0);
        StoreSettings store = database.storeSettings(problems, Duration.ofDays(Math.max(0, retentionDays)));

        IngestSettings ingest = problems.build(() -> new IngestSettings(ingestQueueCapacity, ingestMaxBatch,
                ingestStorageTimeout));
        // Checked here, not left to MovSettings, because these options are not the mov listener's alone.
        problems.refuseIf(bindAddress.isBlank(), "--bind must name an address, e.g. 0.0.0.0 or 127.0.0.1");
        checkPositive(problems, "--handshake-timeout", handshakeTimeout);
        checkPositive(problems, "--idle-timeout", idleTimeout);
        CipherProfile profile = problems.build("--mov-cipher-profile", () -> CipherProfile.parse(movCipherProfile));
        MovSettings mov = profile == null ? null : problems.build(() -> new MovSettings(bindAddress, movPort, profile,
                movMaxPacketBytes, handshakeTimeout, idleTimeout, movMaxConnections, movDrainTimeout));
        problems.refuseIf(confoPort < 0 || confoPort > 65_535, "--confo-port must be between 0 and 65535, was " + confoPort);
        problems.refuseIf(confoPort != 0 && confoPort == movPort, "--confo-port and --mov-port must differ, both are " + movPort);
        CipherProfile confoProfile = problems.build("--confo-cipher-profile", () -> CipherProfile.parse(confoCipherProfile));
        MovSettings confo = mov == null || confoProfile == null || confoPort < 0 || confoPort > 65_535 ? null
                : problems.build(() -> new MovSettings(bindAddress, confoPort, confoProfile, MovSettings.DEFAULT_MAX_PACKET_BYTES,
                        handshakeTimeout, idleTimeout, CONFO_MAX_CONNECTIONS, movDrainTimeout));
        ApiSettings api = problems.build(() -> new ApiSettings(bindAddress, apiPort, apiMaxRequestBytes,
                apiMaxConnections, idleTimeout, apiSseMaxClients, confoQueriesPerMinute, confoMaxAge));
        TlsSource tls = tlsOptions.source(problems, dataDir, bindAddress);
        DeviceAuthSettings deviceAuth = deviceAuthOptions.settings(problems, dataDir);
        return problems.result(() -> new ServerSettings(dataDir, store, ingest, mov, confo, api, tls, autoRegister,
                legacySecure, deviceAuth));
    }

    private static void checkPositive(SettingsProblems problems, String option, Duration value) {
        problems.refuseIf(value.isZero() || value.isNegative(), option + " must be positive, was " + value);
    }
}
