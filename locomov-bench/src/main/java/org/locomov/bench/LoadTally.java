package org.locomov.bench;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The clock and the counters one load run shares among its devices: when to stop, how many packets may
 * still be sent, and what came back.
 *
 * <p>Thread-safe: written by every event-loop thread of the generator at once; the times are final,
 * the counters are {@link LongAdder}s / atomics, the reason map is concurrent.
 */
final class LoadTally {

    private static final int MAX_REASON_CHARS = 120;

    private final long measureStartNanos;
    private final long endNanos;
    private final AtomicLong packetsLeft;
    private final LongAdder sent = new LongAdder();
    private final LongAdder acks = new LongAdder();
    private final LongAdder measuredAcks = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final Map<String, LongAdder> errorsByReason = new ConcurrentHashMap<>();
    private final LatencyHistogram ackLatency = new LatencyHistogram();
    private final LatencyHistogram exchangeLatency = new LatencyHistogram();

    LoadTally(long startNanos, Duration warmUp, Duration measure, long maxPackets) {
        this.measureStartNanos = startNanos + warmUp.toNanos();
        this.endNanos = measureStartNanos + measure.toNanos();
        this.packetsLeft = new AtomicLong(maxPackets);
    }

    long measureStartNanos() {
        return measureStartNanos;
    }

    long endNanos() {
        return endNanos;
    }

    /** Takes the right to send one more packet: false once the time is up or the packet bound is reached. */
    boolean claimPacket() {
        if (System.nanoTime() - endNanos >= 0) {
            return false;
        }
        // Never decremented below zero, so the bound cannot wrap however long the run is.
        return packetsLeft.getAndUpdate(left -> left > 0 ? left - 1 : 0) > 0;
    }

    /** Whether devices should keep their connections: false once no packet can be claimed any more. */
    boolean running() {
        return System.nanoTime() - endNanos < 0 && packetsLeft.get() > 0;
    }

    void packetSent() {
        sent.increment();
    }

    void ackReceived(long sentNanos, long exchangeStartNanos, long ackNanos) {
        acks.increment();
        if (ackNanos - measureStartNanos >= 0 && ackNanos - endNanos < 0) {
            measuredAcks.increment();
            ackLatency.record(ackNanos - sentNanos);
            exchangeLatency.record(ackNanos - exchangeStartNanos);
        }
    }

    void error(String reason) {
        errors.increment();
        String key = reason.length() > MAX_REASON_CHARS ? reason.substring(0, MAX_REASON_CHARS) : reason;
        errorsByReason.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    LoadResult result(LoadMode mode, int devices, long finishedNanos) {
        long windowEnd = Math.min(endNanos, finishedNanos);
        Duration window = Duration.ofNanos(Math.max(0, windowEnd - measureStartNanos));
        Map<String, Long> reasons = new TreeMap<>();
        errorsByReason.forEach((reason, count) -> reasons.put(reason, count.sum()));
        return new LoadResult(mode, devices, window, sent.sum(), acks.sum(), measuredAcks.sum(), errors.sum(),
                reasons, ackLatency.snapshot(), exchangeLatency.snapshot());
    }
}
