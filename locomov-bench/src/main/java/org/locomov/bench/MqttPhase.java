package org.locomov.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MQTT QoS 1 (issue 8): the same simulated devices publish over TLS with up to K messages in flight, first to
 * locomov (every PUBACK after its row committed), then to Debian's Mosquitto with the same certificate, TLS
 * version and cipher, which only routes and stores nothing. Stops the locomov server before Mosquitto runs,
 * so each has the machine to itself.
 */
final class MqttPhase implements BenchPhase {

    private static final Logger log = LoggerFactory.getLogger(MqttPhase.class);

    static final Peer MOSQUITTO = new Peer("mosquitto broker", List.of("mosquitto"),
            () -> MosquittoBroker.installed() ? java.util.Optional.empty()
                    : java.util.Optional.of(MosquittoBroker.MOSQUITTO + " is missing"));

    private final int inFlight;

    MqttPhase(int inFlight) {
        this.inFlight = inFlight;
    }

    @Override
    public String key() {
        return "mqtt";
    }

    @Override
    public List<Peer> peers() {
        return List.of(MOSQUITTO);
    }

    @Override
    public List<PhaseResult> run(BenchContext context) throws Exception {
        BenchSettings settings = context.settings();
        LocomovServerProcess server = context.server();
        Map<Long, String> tokens = MqttTokens.issue(server.dataDir(), context.database(),
                LoadSettings.DEFAULT_FIRST_DEVICE_ID, settings.devices());
        List<PhaseResult> results = new ArrayList<>();
        results.add(locomov(context, server, tokens));
        context.stopServer();
        MosquittoBroker broker = context.started().add(MosquittoBroker.start(context.work().resolve("mosquitto"),
                context.certificates().chainPem(), context.certificates().keyPem(),
                settings.warmUp().plus(settings.duration()).plusMinutes(3)));
        try {
            results.add(mosquitto(context, broker, tokens));
        } finally {
            context.started().closeEarly(broker);
        }
        return results;
    }

    private PhaseResult locomov(BenchContext context, LocomovServerProcess server, Map<Long, String> tokens)
            throws Exception {
        log.info("phase {}: {} devices, {} in flight each, {} warm-up, {} measured", BenchReport.MQTT_LOCOMOV,
                context.settings().devices(), inFlight, BenchRun.human(context.settings().warmUp()),
                BenchRun.human(context.settings().duration()));
        long rowsBefore = context.table().countReadings();
        ResourceWindow window = new ResourceWindow(BenchRun.LOCOMOV,
                context.processes(BenchRun.LOCOMOV, server.stats()));
        LoadResult load = generator(context, server.mqttPort(), tokens).run(window);
        long rowsAdded = context.table().countReadings() - rowsBefore;
        String check = load.acks() <= rowsAdded
                ? "PUBACKs " + load.acks() + " ≤ rows added " + rowsAdded
                : "FAILED: PUBACKs " + load.acks() + " > rows added " + rowsAdded;
        return new PhaseResult(BenchReport.MQTT_LOCOMOV, load.acksPerSecond(), "PUBACKs/s",
                PhaseResult.Latency.of(load.ackLatency()), null, BenchRun.LOCOMOV, window.usage(), true, load.acks(),
                load.errors(), load.errorsByReason(), check);
    }

    private PhaseResult mosquitto(BenchContext context, MosquittoBroker broker, Map<Long, String> tokens)
            throws Exception {
        log.info("phase {}: {} devices, {} in flight each", BenchReport.MQTT_MOSQUITTO, context.settings().devices(),
                inFlight);
        ResourceWindow window = new ResourceWindow(BenchRun.MOSQUITTO,
                context.processes(BenchRun.MOSQUITTO, broker.stats()));
        LoadResult load = generator(context, broker.port(), tokens).run(window);
        return new PhaseResult(BenchReport.MQTT_MOSQUITTO, load.acksPerSecond(), "PUBACKs/s",
                PhaseResult.Latency.of(load.ackLatency()), null, BenchRun.MOSQUITTO, window.usage(), true, load.acks(),
                load.errors(), load.errorsByReason(), "stores nothing");
    }

    private MqttLoadGenerator generator(BenchContext context, int port, Map<Long, String> tokens) throws IOException {
        BenchSettings settings = context.settings();
        int threads = settings.ioThreads() == null ? Runtime.getRuntime().availableProcessors() : settings.ioThreads();
        return new MqttLoadGenerator("127.0.0.1", port, DeviceTls.cc3200Mqtt(context.certificates().caPem()), tokens,
                inFlight, settings.warmUp(), settings.duration(), threads);
    }
}
