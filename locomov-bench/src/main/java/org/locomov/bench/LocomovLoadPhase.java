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
    private final int inFlight;

    private LocomovLoadPhase(String key, String name, LoadMode mode, int inFlight) {
        this.key = key;
        this.name = name;
        this.mode = mode;
        this.inFlight = inFlight;
    }

    /** @param inFlight packets each device sends before waiting for an ack ({@code --mov-in-flight}) */
    static LocomovLoadPhase persistent(int inFlight) {
        return new LocomovLoadPhase("persistent", BenchReport.PERSISTENT, LoadMode.PERSISTENT, inFlight);
    }

    static LocomovLoadPhase connectPerPacket() {
        return new LocomovLoadPhase("connect", BenchReport.CONNECT_PER_PACKET, LoadMode.CONNECT_PER_PACKET, 1);
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public List<PhaseResult> run(BenchContext context) throws Exception {
        LocomovServerProcess server = context.server();
        log.info("phase {}: {} devices, {} in flight each, {} warm-up, {} measured", name, context.settings().devices(),
                inFlight, BenchRun.human(context.settings().warmUp()), BenchRun.human(context.settings().duration()));
        return List.of(measure(context, server, name, mode,
                context.loadSettings(server.movPort(), mode).withInFlight(inFlight)));
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
        String check = (result.acks() <= rowsAdded
                ? "acks " + result.acks() + " ≤ rows added " + rowsAdded
                : "FAILED: acks " + result.acks() + " > rows added " + rowsAdded)
                + (load.inFlight() > 1 ? "; " + load.inFlight() + " packets in flight per device" : "");
        return new PhaseResult(name, result.acksPerSecond(), "acks/s", PhaseResult.Latency.of(result.ackLatency()),
                mode == LoadMode.CONNECT_PER_PACKET ? PhaseResult.Latency.of(result.exchangeLatency()) : null,
                BenchRun.LOCOMOV, window.usage(), true, result.acks(), result.errors(), result.errorsByReason(), check);
    }
}
