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
 * (mov persistent and connect-per-packet, idle devices, MQTT, CoAP), and the yardsticks (Mosquitto, a bare
 * Californium server, nginx terminating the same TLS); then the table and the ratios issues 2 and 11 set
 * targets for. The phases run through a {@link PhaseRunner}. See docs/benchmarks.md.
 */
@Command(name = "locomov-bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measures locomov against PostgreSQL's batched-insert rate, nginx's TLS termination, Mosquitto "
                + "and a bare Californium server, in one run on this machine.")
public final class BenchRun implements Callable<Integer> {

    static final String LOCOMOV = "locomov";
    static final String POSTGRESQL = "PostgreSQL";
    static final String NGINX = "nginx";
    static final String MOSQUITTO = "mosquitto";
    static final String CALIFORNIUM = "Californium";
    static final String GENERATOR = "generator";

    private static final Logger log = LoggerFactory.getLogger(BenchRun.class);
    /** Beyond the planned phases, how long the children may live (start-ups, row counts, shutdown). */
    private static final Duration LIFETIME_MARGIN = Duration.ofMinutes(5);
    private static final int BASELINE_POOL_SIZE = 2;

    /** Every phase, in the order a run takes them; {@code --phases} picks some by key. */
    private List<BenchPhase> allPhases() {
        return List.of(new BaselinePhase(), LocomovLoadPhase.persistent(movInFlight), LocomovLoadPhase.connectPerPacket(),
                new IdlePhase(), new MqttPhase(mqttInFlight), new CoapPhase(), new CaliforniumPhase(), new NginxPhase(),
                new DiskPhase(diskReadings));
    }

    @Option(names = "--devices", paramLabel = "N", defaultValue = "" + LoadSettings.DEFAULT_DEVICES,
            description = "Simulated devices, each with one exchange in flight. Default: ${DEFAULT-VALUE}.")
    int devices;

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "20s", converter = DurationConverter.class,
            description = "Measured time of each phase. Default: ${DEFAULT-VALUE}.")
    Duration duration;

    @Option(names = "--warm-up", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
            description = "Load before each phase's measured window (JIT, pools, caches). Default: ${DEFAULT-VALUE}.")
    Duration warmUp;

    @Option(names = "--phases", paramLabel = "PHASE", split = ",",
            defaultValue = "baseline,persistent,connect,idle,mqtt,coap,californium,nginx,disk",
            description = "Which phases to run, in the run's own order: baseline, persistent, connect, idle, mqtt, coap, "
                    + "californium, nginx, disk. Default: all.")
    List<String> phases = new ArrayList<>();

    @Option(names = "--idle-connections", paramLabel = "N", defaultValue = "18000",
            description = "Idle TLS connections the idle phase holds (the server's descriptor limit must leave "
                    + "room). Default: ${DEFAULT-VALUE}.")
    int idleConnections;

    @Option(names = "--disk-readings", paramLabel = "N", defaultValue = "200000",
            description = "Readings the disk phase measures (it adds what the other phases did not store). "
                    + "Default: ${DEFAULT-VALUE}.")
    long diskReadings;

    @Option(names = "--mqtt-in-flight", paramLabel = "K", defaultValue = "16",
            description = "MQTT phase: QoS 1 publishes each device keeps unacknowledged. Default: ${DEFAULT-VALUE}.")
    int mqttInFlight;

    @Option(names = "--mov-in-flight", paramLabel = "K", defaultValue = "1",
            description = "Persistent phase: packets each device sends before waiting for an ack (1 as a CC3220S; "
                    + "more measures a pipelining client). Default: ${DEFAULT-VALUE}.")
    int movInFlight;

    @Option(names = "--no-install",
            description = "Never apt-get a missing peer (nginx, mosquitto); skip its phase instead.")
    boolean noInstall;

    @Option(names = "--json", paramLabel = "FILE",
            description = "Also write the figures as JSON (default: report.json beside --out).")
    Path json;

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

    @Option(names = "--label", paramLabel = "TEXT", defaultValue = "",
            description = "A note for the report, e.g. the commit or what changed.")
    String label;

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
            BenchReport report = runPhases(work, started);
            String markdown = report.markdown();
            System.out.println();
            System.out.println(markdown);
            if (out != null) {
                Files.writeString(out, markdown);
                log.info("report written to {}", out);
            }
            Path jsonFile = json != null ? json
                    : out != null ? out.toAbsolutePath().resolveSibling("report.json") : null;
            if (jsonFile != null) {
                Files.writeString(jsonFile, report.json());
                log.info("figures written to {}", jsonFile);
            }
            return report.exitCode();
        } finally {
            started.close();
            removeHook(hook);
            if (temporary) {
                deleteTree(work);
            }
        }
    }

    private BenchReport runPhases(Path work, StartedResources started) throws Exception {
        List<BenchPhase> chosen = choosePhases();
        PhaseRunner runner = PhaseRunner.checkPeers(chosen, new PeerCheck(!noInstall, work));
        BenchCertificates certificates = BenchCertificates.create(work.resolve("tls"));
        SslContext deviceTls = DeviceTls.cc3220s(certificates.caPem());
        StoreSettings store = StoreSettings.embedded(work.resolve("bench-db")).withPoolSize(BASELINE_POOL_SIZE);
        Database database = started.add(Database.open(store, new SimpleMeterRegistry()));
        PacketTable table = new PacketTable(database.dataSource());
        table.registerDevices(LoadSettings.DEFAULT_FIRST_DEVICE_ID, devices);
        postgresVersion = queryVersion(database);
        BenchReport.Machine machineAtStart = machine();
        BenchSettings settings = new BenchSettings(devices, warmUp, duration, baselineBatch,
                ioThreads, idleConnections);
        BenchContext context = new BenchContext(settings, work, certificates, deviceTls, database, table,
                ProcessTreeStats.ofPid(postmasterPid(store)), ProcessTreeStats.processOnly(ProcessHandle.current()),
                started, new BenchContext.ServerLaunch(serverJar, serverJvmArgs, serveArgs(chosen), lifetime(chosen)));

        PhaseRunner.Outcome outcome = runner.run(context, context::stopServer);
        context.stopServer();
        return new BenchReport(machineAtStart, machine(), settingsLine(), label, outcome.results(), outcome.notes(),
                context.figures(), outcome.failed());
    }

    private List<BenchPhase> choosePhases() {
        List<BenchPhase> all = allPhases();
        for (String key : phases) {
            if (all.stream().noneMatch(phase -> phase.key().equalsIgnoreCase(key.trim()))) {
                throw new CommandLine.ParameterException(new CommandLine(this), "unknown phase '" + key
                        + "'; the phases are " + all.stream().map(BenchPhase::key).toList());
            }
        }
        return all.stream().filter(phase -> phases.stream().anyMatch(key -> phase.key().equalsIgnoreCase(key.trim())))
                .toList();
    }

    /**
     * The user's serve options, plus room for the idle phase's connections and the CoAP listener on a free port
     * for the coap phase, unless the user set them.
     */
    private List<String> serveArgs(List<BenchPhase> chosen) {
        List<String> args = new ArrayList<>(serverArgs);
        if (chosen.stream().anyMatch(phase -> phase instanceof CoapPhase)
                && serverArgs.stream().noneMatch(arg -> arg.startsWith("--coap-port"))) {
            args.addAll(List.of("--coap-port", "0"));
        }
        if (chosen.stream().anyMatch(phase -> phase instanceof IdlePhase)) {
            if (serverArgs.stream().noneMatch(arg -> arg.startsWith("--idle-timeout"))) {
                args.addAll(List.of("--idle-timeout", "30m"));
            }
            if (serverArgs.stream().noneMatch(arg -> arg.startsWith("--mov-max-connections"))) {
                args.addAll(List.of("--mov-max-connections", Integer.toString(idleConnections + devices + 1_000)));
            }
        }
        return args;
    }

    /** How long the server may live: every phase (the idle one counts three), plus a margin. */
    private Duration lifetime(List<BenchPhase> chosen) {
        Duration perPhase = warmUp.plus(duration).plus(LoadSettings.DEFAULT_ACK_TIMEOUT).plusSeconds(15);
        // The idle connections' handshakes: ~60/s on a loaded 2-core machine, so a minute per 2,000.
        return perPhase.multipliedBy(chosen.size() + 2L).plus(LIFETIME_MARGIN).plusMinutes(idleConnections / 2_000);
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

    private BenchReport.Machine machine() {
        return new BenchReport.Machine(Runtime.getRuntime().availableProcessors(), cpuModel(), kernel(),
                System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")",
                postgresVersion, nginxVersion(), ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                loadAverage());
    }

    /** The 1/5/15-minute load averages: how busy the (possibly shared) machine was. */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "?";
        }
    }

    private String settingsLine() {
        return String.format(Locale.ROOT,
                "Settings: %d devices, %s warm-up + %s measured per phase, baseline batch %d rows, "
                        + "TLS 1.2 %s with an RSA-2048 certificate, no session resumption; server args %s %s",
                devices, human(warmUp), human(duration), baselineBatch, DeviceTls.CIPHER_SUITE, serverJvmArgs,
                serverArgs);
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
