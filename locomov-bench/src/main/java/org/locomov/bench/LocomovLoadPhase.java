package org.locomov.bench;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The locomov server (mov listener) under the generator's load, persistent or connect-per-packet; every ack
 * is checked against the rows added to the database.
 */
final class LocomovLoadPhase implements BenchPhase {

    private static final Logger log = LoggerFactory.getLogger(LocomovLoadPhase.class);

    private final String key;
    private final String name;
    private final LoadMode mode;

    private LocomovLoadPhase(String key, String name, LoadMode mode) {
        this.key = key;
        this.name = name;
        this.mode = mode;
    }

    static LocomovLoadPhase persistent() {
        return new LocomovLoadPhase("persistent", BenchReport.PERSISTENT, LoadMode.PERSISTENT);
    }

    static LocomovLoadPhase connectPerPacket() {
        return new LocomovLoadPhase("connect", BenchReport.CONNECT_PER_PACKET, LoadMode.CONNECT_PER_PACKET);
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public List<PhaseResult> run(BenchContext context) throws Exception {
        LocomovServerProcess server = context.server();
        log.info("phase {}: {} devices, {} warm-up, {} measured", name, context.settings().devices(),
                BenchRun.human(context.settings().warmUp()), BenchRun.human(context.settings().duration()));
        return List.of(measure(context, server, name, mode, context.loadSettings(server.movPort(), mode)));
    }

    /** One measured load against the server, with the acks ≤ rows check. Also used by the idle phase. */
    static PhaseResult measure(BenchContext context, LocomovServerProcess server, String name, LoadMode mode,
                               LoadSettings load) throws Exception {
        PacketTable table = context.table();
        long rowsBefore = table.countReadings();
        ResourceWindow window = new ResourceWindow(BenchRun.LOCOMOV,
                context.processes(BenchRun.LOCOMOV, server.stats()));
        LoadResult result = new LoadGenerator(load, context.deviceTls()).run(window);
        long rowsAdded = table.countReadings() - rowsBefore;
        String check = result.acks() <= rowsAdded
                ? "acks " + result.acks() + " ≤ rows added " + rowsAdded
                : "FAILED: acks " + result.acks() + " > rows added " + rowsAdded;
        return new PhaseResult(name, result.acksPerSecond(), "acks/s", PhaseResult.Latency.of(result.ackLatency()),
                mode == LoadMode.CONNECT_PER_PACKET ? PhaseResult.Latency.of(result.exchangeLatency()) : null,
                BenchRun.LOCOMOV, window.usage(), true, result.acks(), result.errors(), result.errorsByReason(), check);
    }
}
