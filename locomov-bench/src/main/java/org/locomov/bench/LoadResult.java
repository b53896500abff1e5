package org.locomov.bench;

import java.time.Duration;
import java.util.Map;

/**
 * What one {@link LoadGenerator} run observed.
 *
 * @param mode            how devices used connections
 * @param devices         simulated devices
 * @param window          the measured window (after warm-up; shorter when the packet bound ended the run)
 * @param packetsSent     packets written, warm-up included
 * @param acks            {@code Thank you.\n} replies received, warm-up included
 * @param measuredAcks    acks received inside the window: the rate's numerator
 * @param errors          exchanges that ended without an ack (refusal, timeout, failed handshake, closed)
 * @param errorsByReason  {@code errors} split by reason, for the report
 * @param ackLatency      packet written → ack received, for acks inside the window
 * @param exchangeLatency connect started → ack received in connect-per-packet mode (what a device waits);
 *                        the same as {@code ackLatency} in persistent mode
 */
public record LoadResult(
        LoadMode mode,
        int devices,
        Duration window,
        long packetsSent,
        long acks,
        long measuredAcks,
        long errors,
        Map<String, Long> errorsByReason,
        LatencyHistogram.Snapshot ackLatency,
        LatencyHistogram.Snapshot exchangeLatency) {

    public LoadResult {
        errorsByReason = Map.copyOf(errorsByReason);
    }

    /** Acks per second inside the measured window. */
    public double acksPerSecond() {
        double seconds = window.toNanos() / 1e9;
        return seconds > 0 ? measuredAcks / seconds : 0;
    }
}
