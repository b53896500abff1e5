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
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.network.CoapEndpoint;
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
 * Full DTLS handshakes per second against locomov's CoAP listener (issue 9): each worker makes a new DTLS client,
 * posts one reading (stored, 2.01 after commit) and drops the client, for PSK ({@code TLS_PSK_WITH_AES_128_CCM_8})
 * and ECDHE-ECDSA with a device certificate ({@code TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8}). The listener runs in this
 * JVM, as {@code serve} wires it (device identity from an embedded PostgreSQL, BatchWriter), with the development
 * CA's EC certificate, which the bench's server process does not have (it serves the RSA certificate nginx serves
 * too, so its CoAP listener offers PSK only). The throughput comparison with a bare Californium server is in
 * {@link BenchRun}'s {@code coap} and {@code californium} phases (decision 1530).
 */
@Command(name = "coap-handshakes", mixinStandardHelpOptions = true, sortOptions = false,
        description = "CoAP/DTLS: full handshakes/s against locomov's CoAP listener, PSK and ECDHE-ECDSA.")
public final class CoapBench implements Callable<Integer> {

    @Option(names = "--duration", defaultValue = "20s", converter = DurationConverter.class,
            description = "Measured time of each handshake kind. Default: ${DEFAULT-VALUE}.")
    Duration duration;

    @Option(names = "--warm-up", defaultValue = "5s", converter = DurationConverter.class,
            description = "Handshakes before each measured window. Default: ${DEFAULT-VALUE}.")
    Duration warmUp;

    @Option(names = "--handshake-workers", defaultValue = "4",
            description = "Parallel clients. Default: ${DEFAULT-VALUE}.")
    int handshakeWorkers;

    @Option(names = "--work-dir", description = "Database and certificates. Default: a temporary directory.")
    Path workDir;

    @Option(names = "--out", description = "Write the report (Markdown) here; the JSON goes beside it (.json).")
    Path out;

    /** One measured handshake kind. */
    record Result(String name, long requests, double perSecond, Duration p50, Duration p99, long failures) {
    }

    /** Commands, events and firmware: this load posts readings only; any call fails. */
    private static final NotInThisBench NOT_IN_THIS_BENCH = new NotInThisBench();

    private static final NoFirmware NO_FIRMWARE = new NoFirmware();

    /** Separate from {@link NotInThisBench}: Commands and FirmwareJobs each have a default watch(Consumer). */
    private static final class NoFirmware implements FirmwareJobs {
        @Override
        public CompletableFuture<Void> report(long deviceId, long jobId, FirmwareJobStatus status, long bytes,
                String error) {
            return NotInThisBench.unused();
        }

        @Override
        public CompletableFuture<byte[]> image(long firmwareId) {
            return NotInThisBench.unused();
        }
    }

    private static final class NotInThisBench implements Commands, DeviceEvents {
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

    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new CoapBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        DtlsClientEndpoints.register();
        Path work = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("locomov-coap-bench-");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<Result> results = new ArrayList<>();
        try (Database database = Database.open(StoreSettings.embedded(work.resolve("db")), registry)) {
            DevelopmentCa serverCa = DevelopmentCa.openOrCreate(work.resolve("server-ca"), List.of("localhost"),
                    List.of("127.0.0.1"));
            DeviceCa deviceCa = DeviceCa.open(work.resolve("tls"), Instant.now());
            MasterKey masterKey = MasterKey.openOrCreate(work.resolve("tls/master.key"), true);
            DeviceCredentialRepository credentials = new DeviceCredentialRepository(database.dataSource());
            DeviceCredentialsIssuer issuer = new DeviceCredentialsIssuer(deviceCa, masterKey, credentials, Clock.systemUTC());
            List<DeviceCredentials> workers = new ArrayList<>();
            for (long id = 1; id <= handshakeWorkers; id++) {
                try (var connection = database.dataSource().getConnection();
                        var insert = connection.prepareStatement("INSERT INTO pub (pub_id) VALUES (?)")) {
                    insert.setLong(1, id);
                    insert.executeUpdate();
                }
                workers.add(issuer.issue(id, KeyType.EC).orElseThrow().credentials());
            }
            X509Certificate trusted = serverCa.caCertificate();

            try (BatchWriter writer = new BatchWriter(database.dataSource(), IngestSettings.DEFAULTS, registry);
                    PgDeviceDirectory directory = new PgDeviceDirectory(database.dataSource(), false, registry);
                    StoreDeviceIdentity identity = new StoreDeviceIdentity(deviceCa.certificate(), List.of(), credentials,
                            new OperatorCaRepository(database.dataSource()), () -> masterKey)) {
                writer.start();
                DevicePlane plane = new DevicePlane(writer, directory, identity, new LocalDeviceSessions(),
                        NOT_IN_THIS_BENCH, NOT_IN_THIS_BENCH, NO_FIRMWARE, post -> {
                            throw new UnsupportedOperationException("no confo on CoAP");
                        });
                CoapListener listener = new CoapListener("coap", CoapSettings.loopbackDefaults(), true, plane,
                        new FixedCertificateSource(new CertificatePair(serverCa.rsaServer(), serverCa.ecServer()),
                                null, "bench CA"),
                        new ListenerEvents("coap", "coap", registry));
                listener.start();
                try {
                    InetSocketAddress target = new InetSocketAddress("127.0.0.1", listener.port());
                    results.add(handshakes("handshakes PSK (TLS_PSK_WITH_AES_128_CCM_8)", target, workers, false,
                            trusted));
                    results.add(handshakes("handshakes ECDHE-ECDSA (TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8)", target,
                            workers, true, trusted));
                } finally {
                    listener.close();
                }
            }
        }
        String markdown = markdown(results);
        System.out.println(markdown);
        if (out != null) {
            Files.writeString(out, markdown);
            Files.writeString(out.resolveSibling(out.getFileName() + ".json"), json(results));
        }
        return results.stream().allMatch(result -> result.failures() == 0) ? 0 : 1;
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
                    CoapEndpoint endpoint = ecdsa ? DtlsClientEndpoints.ecdsa(device, trusted)
                            : DtlsClientEndpoints.psk(DtlsPsk.of(device));
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

    private String markdown(List<Result> results) {
        StringBuilder text = new StringBuilder();
        text.append("## CoAP/DTLS full handshakes (").append(handshakeWorkers).append(" workers, ")
                .append(duration.toSeconds()).append(" s each after ").append(warmUp.toSeconds()).append(" s warm-up; ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores, clients and server in one JVM; ")
                .append("load average ").append(BenchRun.loadAverage()).append(")\n\n");
        text.append("| handshake | requests | per second | p50 | p99 | failed |\n| --- | ---: | ---: | ---: | ---: | ---: |\n");
        for (Result result : results) {
            text.append(String.format(Locale.ROOT, "| %s | %d | %.0f | %.1f ms | %.1f ms | %d |%n", result.name(),
                    result.requests(), result.perSecond(), result.p50().toNanos() / 1e6, result.p99().toNanos() / 1e6,
                    result.failures()));
        }
        return text.toString();
    }

    private static String json(List<Result> results) {
        StringBuilder text = new StringBuilder("{\"coapHandshakes\":[");
        for (int i = 0; i < results.size(); i++) {
            Result result = results.get(i);
            text.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT,
                    "{\"name\":\"%s\",\"requests\":%d,\"perSecond\":%.1f,\"p50Ms\":%.2f,\"p99Ms\":%.2f,\"failed\":%d}",
                    result.name(), result.requests(), result.perSecond(), result.p50().toNanos() / 1e6,
                    result.p99().toNanos() / 1e6, result.failures()));
        }
        return text.append("]}\n").toString();
    }
}
