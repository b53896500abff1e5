package org.locomov.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.locomov.core.IngestSettings;
import org.locomov.store.StoreSettings;
import org.locomov.store.plane.DevicePlaneSettings;
import org.locomov.transport.CommonListenerSettings;
import org.locomov.transport.ListenerModule;
import org.locomov.transport.ListenerModule.ListenerPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code locomov serve}: starts everything and runs until SIGTERM or SIGINT.
 *
 * <p>It holds only the options every part shares (database, certificates, ingest, the listeners' common
 * limits); each listener module brings its own options as a mixin ({@link Main#commandLine} adds them from
 * {@link #modules()}) and plans its own listeners from them.
 *
 * <p>Deliberately holds no logger: logback starts with the first logger, and it must not start before
 * the data directory (where the log files go) is known.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Start locomov: the device listeners, the HTTPS API, the database and the certificates. Stops on "
                + "SIGTERM or Ctrl-C after committing what it has queued.")
final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DatabaseOptions database;

    @Option(names = "-secure", arity = "0..1", paramLabel = "BOOLEAN",
            description = "The original mov-server's flag, accepted so its start scripts keep working. "
                    + "A no-op: TLS is always on.")
    boolean legacySecure;

    @Mixin
    GoLogFlags goLogFlags;

    @Option(names = "--retention-days", paramLabel = "DAYS", defaultValue = "0",
            description = "Drop readings and device events older than this many days, a whole time partition at a "
                    + "time; 0 = keep everything. Default: ${DEFAULT-VALUE}.")
    int retentionDays;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "0.0.0.0",
            description = "Address every listener (devices, API, ACME HTTP-01) binds to. Default: ${DEFAULT-VALUE} "
                    + "(every interface).")
    String bindAddress;

    @Option(names = "--handshake-timeout", paramLabel = "DURATION", defaultValue = "10s",
            description = "Time a client has to complete its TLS handshake. Default: ${DEFAULT-VALUE}.")
    Duration handshakeTimeout;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", defaultValue = "60s",
            description = "A connection that sends nothing for this long is closed. Default: ${DEFAULT-VALUE}.")
    Duration idleTimeout;

    @Option(names = {"--drain-timeout", "--mov-drain-timeout"}, paramLabel = "DURATION", defaultValue = "10s",
            description = "On shutdown, how long readings already being stored may take to be acknowledged "
                    + "before their connections are closed anyway. Default: ${DEFAULT-VALUE}.")
    Duration drainTimeout;

    @Mixin
    TlsOptions tlsOptions;

    @Mixin
    DeviceAuthOptions deviceAuthOptions;

    @Mixin
    DevicePlaneOptions devicePlaneOptions;

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

    /** Every listener module, built in and found on the class path; their options are mixed into this command. */
    private final List<ListenerModule> modules = ListenerModules.all();

    List<ListenerModule> modules() {
        return modules;
    }

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
        CommonListenerSettings common = problems.build(() -> new CommonListenerSettings(bindAddress, handshakeTimeout,
                idleTimeout, drainTimeout));
        // With the common options refused, each module still checks its own (against the defaults), so that
        // every problem is reported at once; the settings are refused anyway.
        CommonListenerSettings forModules = common != null ? common : CommonListenerSettings.loopbackDefaults();
        List<ListenerPlan> listeners = new ArrayList<>();
        modules.forEach(module -> listeners.addAll(module.plan(forModules, problems)));
        ListenerPorts.checkCollisions(listeners, problems);
        TlsSource tls = tlsOptions.source(problems, dataDir, bindAddress);
        DeviceAuthSettings deviceAuth = deviceAuthOptions.settings(problems, dataDir, tlsOptions.masterKeyFile);
        DevicePlaneSettings plane = devicePlaneOptions.settings(problems);
        LogSettings logs = goLogFlags.settings(problems);
        return problems.result(() -> new ServerSettings(dataDir, store, ingest, List.copyOf(listeners), tls, autoRegister,
                legacySecure, deviceAuth, plane, logs, tlsOptions.provider));
    }
}
