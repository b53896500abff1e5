package org.locomov.bench;

import io.netty.handler.ssl.SslContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.locomov.store.Database;

/**
 * What every phase of one run shares: the settings, the certificates, the database (with the devices
 * registered), the processes whose CPU is counted, the figures for report.json, and the locomov server,
 * started on first use and kept for the next locomov phase.
 *
 * <p>Confined to the bench thread.
 */
final class BenchContext {

    /** How the server under test is started (everything but the database and the port). */
    record ServerLaunch(Path jar, List<String> jvmArgs, List<String> serveArgs, Duration lifetime) {
    }

    private final BenchSettings settings;
    private final Path work;
    private final BenchCertificates certificates;
    private final SslContext deviceTls;
    private final Database database;
    private final PacketTable table;
    private final ProcessTreeStats postgres;
    private final ProcessTreeStats generator;
    private final StartedResources started;
    private final ServerLaunch launch;
    private final BenchFigures figures = new BenchFigures();
    private LocomovServerProcess server;

    BenchContext(BenchSettings settings, Path work, BenchCertificates certificates, SslContext deviceTls,
                 Database database, PacketTable table, ProcessTreeStats postgres, ProcessTreeStats generator,
                 StartedResources started, ServerLaunch launch) {
        this.settings = settings;
        this.work = work;
        this.certificates = certificates;
        this.deviceTls = deviceTls;
        this.database = database;
        this.table = table;
        this.postgres = postgres;
        this.generator = generator;
        this.started = started;
        this.launch = launch;
    }

    BenchSettings settings() {
        return settings;
    }

    Path work() {
        return work;
    }

    BenchCertificates certificates() {
        return certificates;
    }

    SslContext deviceTls() {
        return deviceTls;
    }

    Database database() {
        return database;
    }

    PacketTable table() {
        return table;
    }

    StartedResources started() {
        return started;
    }

    BenchFigures figures() {
        return figures;
    }

    /** The JVM options the server under test gets; a yardstick JVM (bare Californium) gets the same. */
    List<String> serverJvmArgs() {
        return launch.jvmArgs();
    }

    /** The locomov server, started now if no phase has started it yet. */
    LocomovServerProcess server() throws Exception {
        if (server == null) {
            server = started.add(LocomovServerProcess.start(launch.jar(), work.resolve("server"),
                    database.jdbcUrl(), database.user(), database.password(), certificates, launch.jvmArgs(),
                    launch.serveArgs(), launch.lifetime()));
        }
        return server;
    }

    /** Stops the server, so that the next phase (nginx) has the machine to itself as locomov did. */
    void stopServer() {
        if (server != null) {
            started.closeEarly(server);
            server = null;
        }
    }

    /** The processes whose CPU a phase counts: the server under test (if any), PostgreSQL, the generator. */
    Map<String, ProcessTreeStats> processes(String serverName, ProcessTreeStats serverStats) {
        Map<String, ProcessTreeStats> processes = new LinkedHashMap<>();
        if (serverName != null) {
            processes.put(serverName, serverStats);
        }
        processes.put(BenchRun.POSTGRESQL, postgres);
        processes.put(BenchRun.GENERATOR, generator);
        return processes;
    }

    /** Load settings against {@code port} with this run's devices and timing. */
    LoadSettings loadSettings(int port, LoadMode mode) {
        LoadSettings load = LoadSettings.of("127.0.0.1", port, certificates.caPem(), mode)
                .withDevices(settings.devices())
                .withTiming(settings.warmUp(), settings.duration());
        return settings.ioThreads() == null ? load : load.withIoThreads(settings.ioThreads());
    }
}
