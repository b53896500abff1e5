package org.locomov.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Idle devices at scale (issue 11): the active devices' ack latency without idle connections, then
 * {@code --idle-connections} TLS connections that handshake and stay silent, the server's resident memory
 * per idle connection (each sample after a full GC in the server, so that the handshakes' garbage is not
 * counted as connection state), and the same active load again while they are held. The server is started with an
 * idle timeout and a connection limit that allow them ({@link BenchRun} adds both to its options).
 */
final class IdlePhase implements BenchPhase {

    static final String WITHOUT_IDLE = "locomov persistent, before idle connections";
    static final String WITH_IDLE = "locomov persistent, with idle connections held";
    private static final Logger log = LoggerFactory.getLogger(IdlePhase.class);
    /** Lets the server's allocations after the last handshake settle before its memory is read. */
    private static final Duration SETTLE = Duration.ofSeconds(3);

    @Override
    public String key() {
        return "idle";
    }

    @Override
    public List<PhaseResult> run(BenchContext context) throws Exception {
        LocomovServerProcess server = context.server();
        BenchSettings settings = context.settings();
        LoadSettings load = context.loadSettings(server.movPort(), LoadMode.PERSISTENT);
        List<PhaseResult> results = new ArrayList<>();
        log.info("phase idle: {} devices without idle connections", settings.devices());
        PhaseResult without = LocomovLoadPhase.measure(context, server, WITHOUT_IDLE, LoadMode.PERSISTENT, load);
        results.add(without);

        boolean collected = server.collectGarbage();
        long before = server.stats().residentKib();
        try (IdleConnections idle = new IdleConnections()) {
            log.info("phase idle: opening {} idle TLS connections", settings.idleConnections());
            int opened = idle.open(server.movPort(), context.deviceTls(), settings.idleConnections());
            Thread.sleep(SETTLE.toMillis());
            collected &= server.collectGarbage();
            long after = server.stats().residentKib();
            if (!collected) {
                log.warn("phase idle: jcmd could not run a GC in the server; memory per connection includes garbage");
            }
            log.info("phase idle: {} devices with {} idle connections held", settings.devices(), opened);
            PhaseResult with = LocomovLoadPhase.measure(context, server, WITH_IDLE, LoadMode.PERSISTENT, load);
            int stillOpen = idle.stillOpen();
            results.add(new PhaseResult(with.name(), with.rate(), with.unit(), with.latency(), with.connectToAck(),
                    with.server(), with.usage(), with.showMemory(), with.acks(), with.errors(), with.errorsByReason(),
                    with.check() + String.format(Locale.ROOT, "; %d idle opened, %d still open after%s", opened,
                            stillOpen, idle.failures().isEmpty() ? "" : "; failures " + idle.failures())));
            double bytesPerConnection = opened == 0 ? Double.NaN : (after - before) * 1024.0 / opened;
            context.figures().idle(new BenchFigures.Idle(opened, bytesPerConnection,
                    millis(with.latency().p99()), millis(without.latency().p99()), before, after));
        }
        return results;
    }

    private static double millis(Duration duration) {
        return duration == null ? Double.NaN : duration.toNanos() / 1e6;
    }
}
