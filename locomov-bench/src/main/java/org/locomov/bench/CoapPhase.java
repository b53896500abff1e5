package org.locomov.bench;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * locomov's {@code coap} listener in the server process the other phases use ({@code --coap-port 0}, the port
 * read from its banner): the devices get their PSKs as {@code device credentials} issues them, each keeps one
 * DTLS session and posts readings, 2.01 only after commit; every 2.01 is checked against the rows added.
 * The server serves the bench's RSA certificate, so the listener offers its PSK suites only (decision 1403),
 * which is what these devices use.
 */
final class CoapPhase implements BenchPhase {

    private static final Logger log = LoggerFactory.getLogger(CoapPhase.class);

    @Override
    public String key() {
        return "coap";
    }

    @Override
    public List<PhaseResult> run(BenchContext context) throws Exception {
        BenchSettings settings = context.settings();
        LocomovServerProcess server = context.server();
        int port = server.coapPort();
        List<DtlsPsk> keys = BenchDeviceCredentials.issue(server.dataDir(), context.database(),
                LoadSettings.DEFAULT_FIRST_DEVICE_ID, settings.devices()).stream().map(DtlsPsk::of).toList();
        log.info("phase {}: {} devices (DTLS PSK, one request in flight each), {} warm-up, {} measured",
                BenchReport.COAP_LOCOMOV, settings.devices(), BenchRun.human(settings.warmUp()),
                BenchRun.human(settings.duration()));
        long rowsBefore = context.table().countReadings();
        ResourceWindow window = new ResourceWindow(BenchRun.LOCOMOV,
                context.processes(BenchRun.LOCOMOV, server.stats()));
        LoadResult load = new CoapLoadGenerator(port, keys, settings.warmUp(), settings.duration(),
                LoadSettings.UNLIMITED, LoadSettings.DEFAULT_ACK_TIMEOUT).run(window);
        long rowsAdded = context.table().countReadings() - rowsBefore;
        String check = load.acks() <= rowsAdded
                ? "2.01s " + load.acks() + " ≤ rows added " + rowsAdded
                : "FAILED: 2.01s " + load.acks() + " > rows added " + rowsAdded;
        return List.of(new PhaseResult(BenchReport.COAP_LOCOMOV, load.acksPerSecond(), "2.01/s",
                PhaseResult.Latency.of(load.ackLatency()), null, BenchRun.LOCOMOV, window.usage(), true, load.acks(),
                load.errors(), load.errorsByReason(), check));
    }
}
