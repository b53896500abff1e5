package org.locomov.bench;

import java.time.Duration;
import java.util.Map;

/**
 * One line of the bench's table.
 *
 * @param name          e.g. {@code locomov persistent}
 * @param rate          per second, in {@code unit}
 * @param unit          {@code rows/s}, {@code acks/s} or {@code handshakes/s}
 * @param latency       ack latency (packet written → ack), or one batch's commit for the baseline
 * @param connectToAck  connect → ack, what a connect-per-packet device waits; null in other phases
 * @param server        the name of the process that served, as in {@code usage}
 * @param usage         CPU per process and machine, the server's peak memory
 * @param showMemory    false where a peak would mislead (PostgreSQL's shared buffers count once per backend)
 * @param acks          acks (or rows) counted, warm-up included
 * @param errors        exchanges without an ack
 * @param errorsByReason the same, by reason
 * @param check         the row-count check, or what was checked instead
 */
record PhaseResult(
        String name,
        double rate,
        String unit,
        Latency latency,
        Latency connectToAck,
        String server,
        ResourceWindow.ResourceUsage usage,
        boolean showMemory,
        long acks,
        long errors,
        Map<String, Long> errorsByReason,
        String check) {

    PhaseResult {
        errorsByReason = Map.copyOf(errorsByReason);
    }

    /** The median and 99th percentile of one latency. */
    record Latency(Duration p50, Duration p99) {
        static Latency of(LatencyHistogram.Snapshot histogram) {
            return new Latency(histogram.percentile(0.50), histogram.percentile(0.99));
        }
    }
}
