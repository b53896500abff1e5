package org.locomov.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.locomov.store.Database;
import org.locomov.store.StoreSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * One benchmark run on this machine, everything started and stopped by itself: an embedded PostgreSQL
 * (through locomov-store), PostgreSQL's own batched-insert rate, the locomov server jar in a child process
 * in persistent and connect-per-packet modes, and nginx terminating the same TLS; then the table and the
 * ratios issue 2 sets targets for. See docs/benchmarks.md.
 */
@Command(name = "locomov-bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measures locomov against PostgreSQL's batched-insert rate and nginx's TLS termination, "
                + "in one run on this machine.")
public final class BenchRun implements Callable<Integer> {

    static final String LOCOMOV = "locomov";
    static final String POSTGRESQL = "PostgreSQL";
    static final String NGINX = "nginx";
    static final String MOSQUITTO = "mosquitto";
    static final String GENERATOR = "generator";

    private static final Logger log = LoggerFactory.getLogger(BenchRun.class);
    /** Beyond the planned phases, how long the children may live (start-ups, row counts, shutdown). */
    private static final Duration LIFETIME_MARGIN = Duration.ofMinutes(5);
    private static final int BASELINE_POOL_SIZE = 2;

    /** The parts of a run, in the order they run. */
    enum Phase { BASELINE, PERSISTENT, CONNECT, MQTT, NGINX }

    @Option(names = "--devices", paramLabel = "N", defaultValue = "" + LoadSettings.DEFAULT_DEVICES,
            description = "Simulated devices, each with one exchange in flight. Default: ${DEFAULT-VALUE}.")
    int devices;

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "20s", converter = DurationConverter.class,
            description = "Measured time of each phase. Default: ${DEFAULT-VALUE}.")
    Duration duration;

    @Option(names = "--warm-up", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
            description = "Load before each phase's measured window (JIT, pools, caches). Default: ${DEFAULT-VALUE}.")
    Duration warmUp;

    @Option(names = "--phases", paramLabel = "PHASE", split = ",", defaultValue = "baseline,persistent,connect,mqtt,nginx",
            description = "Which phases to run: ${COMPLETION-CANDIDATES}. Default: all.")
    Set<Phase> phases = EnumSet.allOf(Phase.class);

    @Option(names = "--mqtt-in-flight", paramLabel = "K", defaultValue = "16",
            description = "MQTT phase: QoS 1 publishes each device keeps unacknowledged. Default: ${DEFAULT-VALUE}.")
    int mqttInFlight;

    @Option(names = "--baseline-batch", paramLabel = "ROWS", defaultValue = "1000",
            description = "Rows per INSERT in the PostgreSQL baseline (locomov's default batch). Default: ${DEFAULT-VALUE}.")
    int baselineBatch;

    @Option(names = "--server-jar", paramLabel = "JAR", defaultValue = "locomov-server/target/locomov.jar",
            description = "The locomov server jar. Default: ${DEFAULT-VALUE}.")
    Path serverJar;

    @Option(names = "--server-jvm-arg", paramLabel = "ARG", description = "Extra JVM option for the server (repeatable).")
    List<String> serverJvmArgs = new ArrayList<>();

    @Option(names = "--server-arg", paramLabel = "ARG", description = "Extra `serve` option for the server (repeatable).")
    List<String> serverArgs = new ArrayList<>();

    @Option(names = "--io-threads", paramLabel = "N", description = "Generator event-loop threads. Default: one per core.")
    Integer ioThreads;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Where the run keeps its database, certificates and logs. Default: a new temporary "
                    + "directory, deleted afterwards.")
    Path workDir;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the report (Markdown) to FILE.")
    Path out;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the phases and ratios as JSON to FILE.")
    Path json;

    /** Filled in once the database is up, for the report's machine line. */
    private String postgresVersion = "?";

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchRun()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        boolean temporary = workDir == null;
        Path work = temporary ? Files.createTempDirectory("locomov-bench-") : Files.createDirectories(workDir);
        StartedResources started = new StartedResources();
        Thread hook = new Thread(started::close, "bench-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            List<PhaseResult> results = runPhases(work, started);
            BenchReport report = new BenchReport(machine(), settingsLine(), results);
            String markdown = report.markdown();
            System.out.println();
            System.out.println(markdown);
            if (out != null) {
                Files.writeString(out, markdown);
                log.info("report written to {}", out);
            }
            if (json != null) {
                Files.writeString(json, report.json());
                log.info("JSON report written to {}", json);
            }
            boolean rowsHeld = results.stream().noneMatch(phase -> phase.check().startsWith("FAILED"));
            return rowsHeld ? 0 : 2;
        } finally {
            started.close();
            removeHook(hook);
            if (temporary) {
                deleteTree(work);
            }
        }
    }

    private List<PhaseResult> runPhases(Path work, StartedResources started) throws Exception {
        BenchCertificates certificates = BenchCertificates.create(work.resolve("tls"));
        SslContext deviceTls = DeviceTls.cc3220s(certificates.caPem());
        StoreSettings store = StoreSettings.embedded(work.resolve("bench-db")).withPoolSize(BASELINE_POOL_SIZE);
        Database database = started.add(Database.open(store, new SimpleMeterRegistry()));
        PacketTable table = new PacketTable(database.dataSource());
        table.registerDevices(LoadSettings.DEFAULT_FIRST_DEVICE_ID, devices);
        ProcessTreeStats postgres = ProcessTreeStats.ofPid(postmasterPid(store));
        ProcessTreeStats generator = ProcessTreeStats.processOnly(ProcessHandle.current());
        postgresVersion = queryVersion(database);

        List<PhaseResult> results = new ArrayList<>();
        if (phases.contains(Phase.BASELINE)) {
            results.add(baseline(database, postgres, generator));
        }
        if (phases.contains(Phase.PERSISTENT) || phases.contains(Phase.CONNECT) || phases.contains(Phase.MQTT)) {
            LocomovServerProcess server = started.add(LocomovServerProcess.start(serverJar, work.resolve("server"),
                    database.jdbcUrl(), "postgres", certificates, serverJvmArgs, serverArgs, lifetime()));
            Map<String, ProcessTreeStats> processes = processes(LOCOMOV, server.stats(), postgres, generator);
            if (phases.contains(Phase.PERSISTENT)) {
                results.add(locomovPhase(BenchReport.PERSISTENT, LoadMode.PERSISTENT, server.movPort(), certificates,
                        deviceTls, processes, table));
            }
            if (phases.contains(Phase.CONNECT)) {
                results.add(locomovPhase(BenchReport.CONNECT_PER_PACKET, LoadMode.CONNECT_PER_PACKET,
                        server.movPort(), certificates, deviceTls, processes, table));
            }
            Map<Long, String> tokens = phases.contains(Phase.MQTT) ? MqttTokens.issue(server.dataDir(), database,
                    LoadSettings.DEFAULT_FIRST_DEVICE_ID, devices) : Map.of();
            if (phases.contains(Phase.MQTT)) {
                results.add(mqttLocomovPhase(server.mqttPort(), certificates, tokens, processes, table));
            }
            started.closeEarly(server);  // nginx and Mosquitto get the machine to itself, as locomov did
            if (phases.contains(Phase.MQTT)) {
                if (MosquittoBroker.installed()) {
                    MosquittoBroker broker = started.add(MosquittoBroker.start(work.resolve("mosquitto"),
                            certificates.chainPem(), certificates.keyPem(), lifetime()));
                    results.add(mqttMosquittoPhase(broker, certificates, tokens, postgres, generator));
                    started.closeEarly(broker);
                } else {
                    log.warn("phase {} skipped: {} is not installed (Debian package mosquitto)", BenchReport.MQTT_MOSQUITTO,
                            MosquittoBroker.MOSQUITTO);
                }
            }
        }
        if (phases.contains(Phase.NGINX)) {
            NginxTlsTerminator nginx = started.add(NginxTlsTerminator.startAnswering(work.resolve("nginx"),
                    certificates.chainPem(), certificates.keyPem(), lifetime()));
            results.add(nginxPhase(nginx, certificates, deviceTls, postgres, generator));
        }
        return results;
    }

    private PhaseResult baseline(Database database, ProcessTreeStats postgres, ProcessTreeStats generator)
            throws SQLException {
        log.info("phase {}: {} rows per batch, {} warm-up, {} measured", BenchReport.BASELINE, baselineBatch,
                human(warmUp), human(duration));
        ResourceWindow window = new ResourceWindow(POSTGRESQL, processes(null, null, postgres, generator));
        PostgresBaseline.Result result = new PostgresBaseline(database.dataSource(),
                LoadSettings.DEFAULT_FIRST_DEVICE_ID, devices, baselineBatch).run(warmUp, duration, window);
        return new PhaseResult(BenchReport.BASELINE, result.rowsPerSecond(), "rows/s",
                PhaseResult.Latency.of(result.commitLatency()), null, POSTGRESQL,
                window.usage(), false, result.rows(), 0, Map.of(),
                result.batches() + " batches; p50/p99 per batch");
    }

    private PhaseResult locomovPhase(String name, LoadMode mode, int port, BenchCertificates certificates,
                                     SslContext deviceTls, Map<String, ProcessTreeStats> processes,
                                     PacketTable table) throws Exception {
        log.info("phase {}: {} devices, {} warm-up, {} measured", name, devices, human(warmUp), human(duration));
        long rowsBefore = table.countReadings();
        ResourceWindow window = new ResourceWindow(LOCOMOV, processes);
        LoadResult load = new LoadGenerator(loadSettings(port, certificates, mode), deviceTls).run(window);
        long rowsAdded = table.countReadings() - rowsBefore;
        String check = load.acks() <= rowsAdded
                ? "acks " + load.acks() + " ≤ rows added " + rowsAdded
                : "FAILED: acks " + load.acks() + " > rows added " + rowsAdded;
        return new PhaseResult(name, load.acksPerSecond(), "acks/s", PhaseResult.Latency.of(load.ackLatency()),
                connectToAck(load), LOCOMOV, window.usage(), true, load.acks(), load.errors(),
                load.errorsByReason(), check);
    }

    private PhaseResult mqttLocomovPhase(int port, BenchCertificates certificates, Map<Long, String> tokens,
                                         Map<String, ProcessTreeStats> processes, PacketTable table) throws Exception {
        log.info("phase {}: {} devices, {} in flight each, {} warm-up, {} measured", BenchReport.MQTT_LOCOMOV, devices,
                mqttInFlight, human(warmUp), human(duration));
        long rowsBefore = table.countReadings();
        ResourceWindow window = new ResourceWindow(LOCOMOV, processes);
        LoadResult load = mqttGenerator(port, certificates, tokens).run(window);
        long rowsAdded = table.countReadings() - rowsBefore;
        String check = load.acks() <= rowsAdded
                ? "PUBACKs " + load.acks() + " ≤ rows added " + rowsAdded
                : "FAILED: PUBACKs " + load.acks() + " > rows added " + rowsAdded;
        return new PhaseResult(BenchReport.MQTT_LOCOMOV, load.acksPerSecond(), "PUBACKs/s",
                PhaseResult.Latency.of(load.ackLatency()), null, LOCOMOV, window.usage(), true, load.acks(),
                load.errors(), load.errorsByReason(), check);
    }

    private PhaseResult mqttMosquittoPhase(MosquittoBroker broker, BenchCertificates certificates,
                                           Map<Long, String> tokens, ProcessTreeStats postgres,
                                           ProcessTreeStats generator) throws Exception {
        log.info("phase {}: {} devices, {} in flight each", BenchReport.MQTT_MOSQUITTO, devices, mqttInFlight);
        ResourceWindow window = new ResourceWindow(MOSQUITTO, processes(MOSQUITTO, broker.stats(), postgres, generator));
        LoadResult load = mqttGenerator(broker.port(), certificates, tokens).run(window);
        return new PhaseResult(BenchReport.MQTT_MOSQUITTO, load.acksPerSecond(), "PUBACKs/s",
                PhaseResult.Latency.of(load.ackLatency()), null, MOSQUITTO, window.usage(), true, load.acks(),
                load.errors(), load.errorsByReason(), "stores nothing");
    }

    private MqttLoadGenerator mqttGenerator(int port, BenchCertificates certificates, Map<Long, String> tokens)
            throws IOException {
        int threads = ioThreads == null ? Runtime.getRuntime().availableProcessors() : ioThreads;
        return new MqttLoadGenerator("127.0.0.1", port, DeviceTls.cc3200Mqtt(certificates.caPem()), tokens,
                mqttInFlight, warmUp, duration, threads);
    }

    private PhaseResult nginxPhase(NginxTlsTerminator nginx, BenchCertificates certificates, SslContext deviceTls,
                                   ProcessTreeStats postgres, ProcessTreeStats generator) throws Exception {
        log.info("phase {}: {} devices, {} warm-up, {} measured", BenchReport.NGINX, devices, human(warmUp),
                human(duration));
        ResourceWindow window = new ResourceWindow(NGINX, processes(NGINX, nginx.stats(), postgres, generator));
        LoadResult load = new LoadGenerator(loadSettings(nginx.port(), certificates, LoadMode.CONNECT_PER_PACKET),
                deviceTls).run(window);
        return new PhaseResult(BenchReport.NGINX, load.acksPerSecond(), "handshakes/s",
                PhaseResult.Latency.of(load.ackLatency()), connectToAck(load), NGINX,
                window.usage(), true,
                load.acks(), load.errors(), load.errorsByReason(), "no database");
    }

    private static PhaseResult.Latency connectToAck(LoadResult load) {
        return load.mode() == LoadMode.CONNECT_PER_PACKET ? PhaseResult.Latency.of(load.exchangeLatency()) : null;
    }

    private LoadSettings loadSettings(int port, BenchCertificates certificates, LoadMode mode) {
        LoadSettings settings = LoadSettings.of("127.0.0.1", port, certificates.caPem(), mode)
                .withDevices(devices)
                .withTiming(warmUp, duration);
        return ioThreads == null ? settings : settings.withIoThreads(ioThreads);
    }

    private static Map<String, ProcessTreeStats> processes(String serverName, ProcessTreeStats server,
                                                           ProcessTreeStats postgres, ProcessTreeStats generator) {
        Map<String, ProcessTreeStats> processes = new LinkedHashMap<>();
        if (serverName != null) {
            processes.put(serverName, server);
        }
        processes.put(POSTGRESQL, postgres);
        processes.put(GENERATOR, generator);
        return processes;
    }

    private Duration lifetime() {
        Duration perPhase = warmUp.plus(duration).plus(LoadSettings.DEFAULT_ACK_TIMEOUT).plusSeconds(15);
        return perPhase.multipliedBy(Phase.values().length).plus(LIFETIME_MARGIN);
    }

    private static long postmasterPid(StoreSettings store) throws IOException {
        Path pidFile = store.embeddedDirectory().resolve("postmaster.pid");
        return Long.parseLong(Files.readAllLines(pidFile, StandardCharsets.US_ASCII).getFirst().trim());
    }

    private static String queryVersion(Database database) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SHOW server_version")) {
            row.next();
            return row.getString(1);
        }
    }

    private String machine() {
        return String.format(Locale.ROOT,
                "Machine: %d cores (%s), %s, JDK %s (%s), PostgreSQL %s (embedded, synchronous_commit on), %s; %s",
                Runtime.getRuntime().availableProcessors(), cpuModel(), kernel(),
                System.getProperty("java.version"), System.getProperty("java.vm.name"), postgresVersion,
                nginxVersion(), ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    }

    private String settingsLine() {
        return String.format(Locale.ROOT,
                "Settings: %d devices, %s warm-up + %s measured per phase, baseline batch %d rows, "
                        + "TLS 1.2 %s with an RSA-2048 certificate, no session resumption; MQTT 3.1.1 QoS 1, %d in "
                        + "flight per device, TLS 1.2 %s; server args %s %s",
                devices, human(warmUp), human(duration), baselineBatch, DeviceTls.CIPHER_SUITE, mqttInFlight,
                DeviceTls.CC3200_MQTT_CIPHER_SUITE, serverJvmArgs, serverArgs);
    }

    /** {@code 20 s}, {@code 1.5 s}: as the report shows durations. */
    static String human(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() / 1000.0 + " s";
    }

    private static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst().orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    private static String kernel() {
        return System.getProperty("os.name") + " " + System.getProperty("os.version");
    }

    private static String nginxVersion() {
        try {
            Process process = new ProcessBuilder(NginxTlsTerminator.NGINX.toString(), "-v")
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            process.waitFor();
            return output.replace("nginx version: ", "");
        } catch (IOException e) {
            return "nginx (not found)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "nginx (?)";
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or has run; nothing left to undo
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            log.warn("could not delete {}: {}", root, e.getMessage());
        }
    }
}
