package org.locomov.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConfig.DtlsRole;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.CertificateType;
import org.eclipse.californium.scandium.dtls.cipher.CipherSuite;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedMultiPskStore;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;
import org.eclipse.californium.scandium.dtls.x509.SingleCertificateProvider;
import org.eclipse.californium.scandium.dtls.x509.StaticNewAdvancedCertificateVerifier;
import org.locomov.coap.CoapListener;
import org.locomov.coap.CoapSettings;
import org.locomov.core.DevicePlane;
import org.locomov.core.IngestSettings;
import org.locomov.core.command.Commands;
import org.locomov.core.event.DeviceEvent;
import org.locomov.core.event.DeviceEvents;
import org.locomov.core.firmware.FirmwareJobStatus;
import org.locomov.core.firmware.FirmwareJobs;
import org.locomov.core.session.LocalDeviceSessions;
import org.locomov.credentials.DeviceCredentialsIssuer;
import org.locomov.credentials.StoreDeviceIdentity;
import org.locomov.store.BatchWriter;
import org.locomov.store.Database;
import org.locomov.store.DeviceCredentialRepository;
import org.locomov.store.OperatorCaRepository;
import org.locomov.store.PgDeviceDirectory;
import org.locomov.store.StoreSettings;
import org.locomov.tls.CertificatePair;
import org.locomov.tls.DevelopmentCa;
import org.locomov.tls.DeviceCa;
import org.locomov.tls.DeviceCredentials;
import org.locomov.tls.FixedCertificateSource;
import org.locomov.tls.KeyType;
import org.locomov.tls.MasterKey;
import org.locomov.transport.ListenerEvents;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The CoAP phase (issue 9): N DTLS devices post confirmable readings, one in flight each, to the CoAP listener
 * (real DTLS, device identity from the database, BatchWriter on an embedded PostgreSQL) and, in the same run, to a
 * bare Californium server with the same DTLS settings that answers 2.01 without storing; then full handshakes/s
 * for PSK and for ECDHE-ECDSA against the listener. Everything runs in this one JVM (clients and server share the
 * machine's cores), bound to 127.0.0.1. Reported as Markdown and JSON.
 */
@Command(name = "coap-bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "CoAP/DTLS: committed requests/s vs a bare Californium server, and handshakes/s.")
public final class CoapBench implements Callable<Integer> {

    static {
        CoapConfig.register();
        UdpConfig.register();
        DtlsConfig.register();
    }

    @Option(names = "--devices", defaultValue = "16", description = "DTLS devices, one request in flight each. Default: ${DEFAULT-VALUE}.")
    int devices;

    @Option(names = "--duration", defaultValue = "20s", converter = DurationConverter.class,
            description = "Measured time of each phase. Default: ${DEFAULT-VALUE}.")
    Duration duration;

    @Option(names = "--warm-up", defaultValue = "5s", converter = DurationConverter.class,
            description = "Load before each measured window. Default: ${DEFAULT-VALUE}.")
    Duration warmUp;

    @Option(names = "--handshake-workers", defaultValue = "4",
            description = "Parallel clients in the handshake phases. Default: ${DEFAULT-VALUE}.")
    int handshakeWorkers;

    @Option(names = "--work-dir", description = "Database and certificates. Default: a temporary directory.")
    Path workDir;

    @Option(names = "--out", description = "Write the report (Markdown) here; the JSON goes beside it (.json).")
    Path out;

    /** What the batch writer did in the locomov phase, for the report. */
    private String writerLine = "";

    /** One measured phase. */
    record Result(String name, long requests, double perSecond, Duration p50, Duration p99, long failures) {
    }

    /** Commands, events and firmware: this load posts readings only; any call fails. */
    private static final NotInThisBench NOT_IN_THIS_BENCH = new NotInThisBench();

    private static final class NotInThisBench implements Commands, DeviceEvents, FirmwareJobs {
        private static <T> CompletableFuture<T> unused() {
            return CompletableFuture.failedFuture(new UnsupportedOperationException("not part of the CoAP bench"));
        }

        @Override
        public CompletableFuture<AnswerOutcome> answer(long deviceId, long commandId, boolean ok, String payloadJson) {
            return unused();
        }

        @Override
        public CompletableFuture<Void> publish(DeviceEvent event) {
            return unused();
        }

        @Override
        public void whenCapacity(Runnable task) {
            task.run();
        }

        @Override
        public AutoCloseable subscribe(Consumer<DeviceEvent> subscriber) {
            return () -> { };
        }

        @Override
        public CompletableFuture<Void> report(long deviceId, long jobId, FirmwareJobStatus status, long bytes,
                String error) {
            return unused();
        }

        @Override
        public CompletableFuture<byte[]> image(long firmwareId) {
            return unused();
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new CoapBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path work = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("locomov-coap-bench-");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<Result> results = new ArrayList<>();
        long rowsBefore;
        long rowsAfter;
        long acknowledged;
        try (Database database = Database.open(StoreSettings.embedded(work.resolve("db")), registry)) {
            DevelopmentCa serverCa = DevelopmentCa.openOrCreate(work.resolve("server-ca"), List.of("localhost"),
                    List.of("127.0.0.1"));
            DeviceCa deviceCa = DeviceCa.open(work.resolve("tls"), Instant.now());
            MasterKey masterKey = MasterKey.openOrCreate(work.resolve("tls/master.key"), true);
            DeviceCredentialRepository credentials = new DeviceCredentialRepository(database.dataSource());
            DeviceCredentialsIssuer issuer = new DeviceCredentialsIssuer(deviceCa, masterKey, credentials, Clock.systemUTC());
            List<DeviceCredentials> fleet = new ArrayList<>();
            for (long id = 1; id <= devices + handshakeWorkers; id++) {
                try (var connection = database.dataSource().getConnection();
                        var insert = connection.prepareStatement("INSERT INTO pub (pub_id) VALUES (?)")) {
                    insert.setLong(1, id);
                    insert.executeUpdate();
                }
                fleet.add(issuer.issue(id, KeyType.EC).orElseThrow().credentials());
            }
            X509Certificate trusted = serverCa.caCertificate();

            try (BatchWriter writer = new BatchWriter(database.dataSource(), IngestSettings.DEFAULTS, registry);
                    PgDeviceDirectory directory = new PgDeviceDirectory(database.dataSource(), false, registry);
                    StoreDeviceIdentity identity = new StoreDeviceIdentity(deviceCa.certificate(), List.of(), credentials,
                            new OperatorCaRepository(database.dataSource()), () -> masterKey)) {
                writer.start();
                DevicePlane plane = new DevicePlane(writer, directory, identity, new LocalDeviceSessions(),
                        NOT_IN_THIS_BENCH, NOT_IN_THIS_BENCH, NOT_IN_THIS_BENCH, post -> {
                            throw new UnsupportedOperationException("no confo on CoAP");
                        });
                CoapListener listener = new CoapListener("coap", CoapSettings.loopbackDefaults(), true, plane,
                        new FixedCertificateSource(new CertificatePair(serverCa.rsaServer(), serverCa.ecServer()),
                                null, "bench CA"),
                        new ListenerEvents("coap", "coap", registry));
                listener.start();
                try {
                    InetSocketAddress target = new InetSocketAddress("127.0.0.1", listener.port());
                    rowsBefore = count(database);
                    Result locomov = load("locomov CoAP (2.01 after commit)", target, fleet.subList(0, devices));
                    results.add(locomov);
                    acknowledged = locomov.requests();
                    rowsAfter = count(database);
                    var commits = registry.find("locomov.commit.latency").timer();
                    var batches = registry.find("locomov.batch.size").summary();
                    writerLine = commits == null || batches == null ? "" : String.format(Locale.ROOT,
                            "batch writer over the whole locomov phase: %d batches, mean %.1f readings per batch, mean "
                                    + "commit %.1f ms, max %.1f ms", commits.count(), batches.mean(),
                            commits.mean(java.util.concurrent.TimeUnit.MILLISECONDS),
                            commits.max(java.util.concurrent.TimeUnit.MILLISECONDS));
                    results.add(handshakes("handshakes PSK (TLS_PSK_WITH_AES_128_CCM_8)", target,
                            fleet.subList(devices, devices + handshakeWorkers), false, trusted));
                    results.add(handshakes("handshakes ECDHE-ECDSA (TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8)", target,
                            fleet.subList(devices, devices + handshakeWorkers), true, trusted));
                } finally {
                    listener.close();
                }
            }
            CoapServer bare = bareServer(fleet);
            try {
                InetSocketAddress target = new InetSocketAddress("127.0.0.1",
                        bare.getEndpoints().getFirst().getAddress().getPort());
                results.add(load("bare Californium (2.01, nothing stored)", target, fleet.subList(0, devices)));
            } finally {
                bare.destroy();
            }
        }
        String markdown = markdown(results, rowsAfter - rowsBefore, acknowledged);
        System.out.println(markdown);
        if (out != null) {
            Files.writeString(out, markdown);
            Files.writeString(out.resolveSibling(out.getFileName() + ".json"), json(results, rowsAfter - rowsBefore, acknowledged));
        }
        return rowsAfter - rowsBefore >= acknowledged ? 0 : 2;
    }

    private static long count(Database database) throws Exception {
        try (var connection = database.dataSource().getConnection();
                var query = connection.createStatement();
                var rs = query.executeQuery("SELECT count(*) FROM packet")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Each device posts confirmable readings, one in flight, for warm-up + duration; counted in the window only. */
    private Result load(String name, InetSocketAddress target, List<DeviceCredentials> fleet) throws Exception {
        LatencyHistogram latency = new LatencyHistogram();
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long start = System.nanoTime();
        long measureFrom = start + warmUp.toNanos();
        long end = measureFrom + duration.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (DeviceCredentials device : fleet) {
            threads.add(Thread.ofPlatform().name("coap-device-" + device.deviceId()).start(() -> {
                CoapEndpoint endpoint = clientEndpoint(device, false, null);
                CoapClient client = new CoapClient("coaps://127.0.0.1:" + target.getPort() + "/readings");
                client.setEndpoint(endpoint);
                client.setTimeout(30_000L);
                byte[] body = ("{\"voltage\":230.1,\"freq\":50.0,\"status\":true}").getBytes(StandardCharsets.US_ASCII);
                try {
                    for (long now = System.nanoTime(); now < end; now = System.nanoTime()) {
                        CoapResponse response;
                        try {
                            response = client.post(body, MediaTypeRegistry.APPLICATION_JSON);
                        } catch (Exception e) {
                            response = null;
                        }
                        long done = System.nanoTime();
                        if (now >= measureFrom && done <= end) {
                            if (response != null && response.getCode() == ResponseCode.CREATED) {
                                ok.incrementAndGet();
                                latency.record(done - now);
                            } else {
                                failed.incrementAndGet();
                            }
                        }
                    }
                } finally {
                    client.shutdown();
                    endpoint.destroy();
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        var snapshot = latency.snapshot();
        return new Result(name, ok.get(), ok.get() / (duration.toNanos() / 1e9), snapshot.percentile(0.5),
                snapshot.percentile(0.99), failed.get());
    }

    /** Full handshakes: each worker makes a new DTLS client, posts one reading (the handshake), and drops it. */
    private Result handshakes(String name, InetSocketAddress target, List<DeviceCredentials> workers, boolean ecdsa,
            X509Certificate trusted) throws Exception {
        LatencyHistogram latency = new LatencyHistogram();
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long start = System.nanoTime();
        long measureFrom = start + Math.min(warmUp.toNanos(), Duration.ofSeconds(2).toNanos());
        long end = measureFrom + duration.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (DeviceCredentials device : workers) {
            threads.add(Thread.ofPlatform().name("coap-handshaker-" + device.deviceId()).start(() -> {
                byte[] body = "{\"voltage\":1}".getBytes(StandardCharsets.US_ASCII);
                for (long now = System.nanoTime(); now < end; now = System.nanoTime()) {
                    CoapEndpoint endpoint = clientEndpoint(device, ecdsa, trusted);
                    CoapClient client = new CoapClient("coaps://127.0.0.1:" + target.getPort() + "/readings");
                    client.setEndpoint(endpoint);
                    client.setTimeout(30_000L);
                    CoapResponse response;
                    try {
                        response = client.post(body, MediaTypeRegistry.APPLICATION_JSON);
                    } catch (Exception e) {
                        response = null;
                    } finally {
                        client.shutdown();
                        endpoint.destroy();
                    }
                    long done = System.nanoTime();
                    if (now >= measureFrom && done <= end) {
                        if (response != null && response.getCode() == ResponseCode.CREATED) {
                            ok.incrementAndGet();
                            latency.record(done - now);
                        } else {
                            failed.incrementAndGet();
                        }
                    }
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        var snapshot = latency.snapshot();
        return new Result(name, ok.get(), ok.get() / (duration.toNanos() / 1e9), snapshot.percentile(0.5),
                snapshot.percentile(0.99), failed.get());
    }

    private static CoapEndpoint clientEndpoint(DeviceCredentials device, boolean ecdsa, X509Certificate trusted) {
        Configuration config = Configuration.createStandardWithoutFile();
        config.set(DtlsConfig.DTLS_ROLE, DtlsRole.CLIENT_ONLY);
        config.set(DtlsConfig.DTLS_CONNECTION_ID_LENGTH, 0);
        config.set(DtlsConfig.DTLS_CERTIFICATE_TYPES, List.of(CertificateType.X_509));
        DtlsConnectorConfig.Builder dtls = DtlsConnectorConfig.builder(config)
                .setAddress(new InetSocketAddress("127.0.0.1", 0));
        if (ecdsa) {
            config.set(DtlsConfig.DTLS_CIPHER_SUITES, List.of(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8));
            dtls.setCertificateIdentityProvider(new SingleCertificateProvider(device.key(),
                            new X509Certificate[] {device.certificate()}))
                    .setAdvancedCertificateVerifier(StaticNewAdvancedCertificateVerifier.builder()
                            .setTrustedCertificates(trusted).build());
        } else {
            config.set(DtlsConfig.DTLS_CIPHER_SUITES, List.of(CipherSuite.TLS_PSK_WITH_AES_128_CCM_8));
            dtls.setAdvancedPskStore(new AdvancedSinglePskStore(device.pskIdentity(), device.psk()));
        }
        return new CoapEndpoint.Builder().setConfiguration(config).setConnector(new DTLSConnector(dtls.build())).build();
    }

    /** Californium with the listener's DTLS settings (PSK, CID), one resource answering 2.01, storing nothing. */
    private static CoapServer bareServer(List<DeviceCredentials> fleet) {
        Configuration config = Configuration.createStandardWithoutFile();
        config.set(DtlsConfig.DTLS_ROLE, DtlsRole.SERVER_ONLY);
        config.set(DtlsConfig.DTLS_CONNECTION_ID_LENGTH, 6);
        config.set(DtlsConfig.DTLS_CIPHER_SUITES, List.of(CipherSuite.TLS_PSK_WITH_AES_128_CCM_8));
        AdvancedMultiPskStore keys = new AdvancedMultiPskStore();
        fleet.forEach(device -> keys.setKey(device.pskIdentity(), device.psk()));
        DtlsConnectorConfig dtls = DtlsConnectorConfig.builder(config)
                .setAddress(new InetSocketAddress("127.0.0.1", 0)).setAdvancedPskStore(keys).build();
        CoapServer server = new CoapServer(config);
        server.addEndpoint(new CoapEndpoint.Builder().setConfiguration(config).setConnector(new DTLSConnector(dtls)).build());
        server.add(new CoapResource("readings") {
            @Override
            public void handlePOST(CoapExchange exchange) {
                exchange.respond(ResponseCode.CREATED);
            }
        });
        server.start();
        return server;
    }

    private String markdown(List<Result> results, long rows, long acknowledged) {
        StringBuilder text = new StringBuilder();
        text.append("## CoAP/DTLS (").append(devices).append(" devices, ").append(duration.toSeconds())
                .append(" s per phase after ").append(warmUp.toSeconds()).append(" s warm-up; ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores, clients and server in one JVM)\n\n");
        text.append("| phase | requests | per second | p50 | p99 | failed |\n| --- | ---: | ---: | ---: | ---: | ---: |\n");
        for (Result result : results) {
            text.append(String.format(Locale.ROOT, "| %s | %d | %.0f | %.1f ms | %.1f ms | %d |%n", result.name(),
                    result.requests(), result.perSecond(), result.p50().toNanos() / 1e6, result.p99().toNanos() / 1e6,
                    result.failures()));
        }
        double locomov = results.getFirst().perSecond();
        double bare = results.getLast().perSecond();
        text.append(String.format(Locale.ROOT, "%nlocomov / bare Californium: %.0f %% (target ≥ 70 %%); rows added %d ≥ "
                + "acknowledged %d: %s%n", 100 * locomov / bare, rows, acknowledged, rows >= acknowledged));
        if (!writerLine.isEmpty()) {
            text.append(writerLine).append('\n');
        }
        return text.toString();
    }

    private static String json(List<Result> results, long rows, long acknowledged) {
        StringBuilder text = new StringBuilder("{\"coap\":{\"phases\":[");
        for (int i = 0; i < results.size(); i++) {
            Result result = results.get(i);
            text.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT,
                    "{\"name\":\"%s\",\"requests\":%d,\"perSecond\":%.1f,\"p50Ms\":%.2f,\"p99Ms\":%.2f,\"failed\":%d}",
                    result.name(), result.requests(), result.perSecond(), result.p50().toNanos() / 1e6,
                    result.p99().toNanos() / 1e6, result.failures()));
        }
        return text.append(String.format(Locale.ROOT, "],\"rowsAdded\":%d,\"acknowledged\":%d}}%n", rows, acknowledged))
                .toString();
    }
}
