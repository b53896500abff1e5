package org.locomov.bench;

import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CoAP phase's yardstick: the same devices and load against a {@link BareCaliforniumServer} in its own JVM
 * (same DTLS settings, 2.01 without storing). Stops the locomov server first, so the bare server has the machine
 * to itself as locomov did. Its peer is a library in the bench jar, so it is always available.
 */
final class CaliforniumPhase implements BenchPhase {

    static final Peer CALIFORNIUM = new Peer("bare Californium server (Californium/Scandium in the bench jar)",
            List.of(), Optional::empty);

    private static final Logger log = LoggerFactory.getLogger(CaliforniumPhase.class);

    @Override
    public String key() {
        return "californium";
    }

    @Override
    public List<Peer> peers() {
        return List.of(CALIFORNIUM);
    }

    @Override
    public List<PhaseResult> run(BenchContext context) throws Exception {
        context.stopServer();
        BenchSettings settings = context.settings();
        List<DtlsPsk> keys = DtlsPsk.random(LoadSettings.DEFAULT_FIRST_DEVICE_ID, settings.devices());
        CaliforniumProcess californium = context.started().add(CaliforniumProcess.start(
                context.work().resolve("californium"), keys, context.serverJvmArgs(),
                settings.warmUp().plus(settings.duration()).plusMinutes(3)));
        try {
            log.info("phase {}: {} devices, {} warm-up, {} measured", BenchReport.COAP_CALIFORNIUM, settings.devices(),
                    BenchRun.human(settings.warmUp()), BenchRun.human(settings.duration()));
            ResourceWindow window = new ResourceWindow(BenchRun.CALIFORNIUM,
                    context.processes(BenchRun.CALIFORNIUM, californium.stats()));
            LoadResult load = new CoapLoadGenerator(californium.port(), keys, settings.warmUp(), settings.duration(),
                    LoadSettings.UNLIMITED, LoadSettings.DEFAULT_ACK_TIMEOUT).run(window);
            return List.of(new PhaseResult(BenchReport.COAP_CALIFORNIUM, load.acksPerSecond(), "2.01/s",
                    PhaseResult.Latency.of(load.ackLatency()), null, BenchRun.CALIFORNIUM, window.usage(), true,
                    load.acks(), load.errors(), load.errorsByReason(), "stores nothing"));
        } finally {
            context.started().closeEarly(californium);
        }
    }
}
