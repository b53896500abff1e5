package org.locomov.bench;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * nginx terminating the same TLS and answering each connection once: the reference for connect-per-packet.
 * Stops the locomov server first, so nginx has the machine to itself as locomov did.
 */
final class NginxPhase implements BenchPhase {

    private static final Logger log = LoggerFactory.getLogger(NginxPhase.class);

    @Override
    public String key() {
        return "nginx";
    }

    @Override
    public List<Peer> peers() {
        return List.of(Peer.NGINX);
    }

    @Override
    public List<PhaseResult> run(BenchContext context) throws Exception {
        context.stopServer();
        BenchSettings settings = context.settings();
        NginxTlsTerminator nginx = context.started().add(NginxTlsTerminator.startAnswering(
                context.work().resolve("nginx"), context.certificates().chainPem(), context.certificates().keyPem(),
                settings.warmUp().plus(settings.duration()).plusMinutes(3)));
        try {
            log.info("phase {}: {} devices, {} warm-up, {} measured", BenchReport.NGINX, settings.devices(),
                    BenchRun.human(settings.warmUp()), BenchRun.human(settings.duration()));
            ResourceWindow window = new ResourceWindow(BenchRun.NGINX,
                    context.processes(BenchRun.NGINX, nginx.stats()));
            LoadResult load = new LoadGenerator(context.loadSettings(nginx.port(), LoadMode.CONNECT_PER_PACKET),
                    context.deviceTls()).run(window);
            return List.of(new PhaseResult(BenchReport.NGINX, load.acksPerSecond(), "handshakes/s",
                    PhaseResult.Latency.of(load.ackLatency()), PhaseResult.Latency.of(load.exchangeLatency()),
                    BenchRun.NGINX, window.usage(), true, load.acks(), load.errors(), load.errorsByReason(),
                    "no database"));
        } finally {
            context.started().closeEarly(nginx);
        }
    }
}
