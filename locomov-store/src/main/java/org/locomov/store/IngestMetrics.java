package org.locomov.store;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.locomov.core.Transport;

/**
 * The batch writer's meters, registered once so that the hot path only increments.
 *
 * <p>Thread-safety: Micrometer meters are thread-safe; the maps are filled in the constructor and
 * only read afterwards.
 */
final class IngestMetrics {

    /** Why a reading was not stored: the {@code reason} tag of {@code locomov.readings.failed}. */
    enum FailureReason {
        REFUSED, UNAVAILABLE, SHUTDOWN
    }

    private final Map<Transport, Counter> committed = new EnumMap<>(Transport.class);
    private final Map<FailureReason, Counter> failed = new EnumMap<>(FailureReason.class);
    private final Counter inDoubt;
    private final Map<IngestLedger.Outcome, Counter> settled = new EnumMap<>(IngestLedger.Outcome.class);
    private final DistributionSummary batchSize;
    private final Timer commitLatency;

    IngestMetrics(MeterRegistry registry, Collection<?> queue) {
        for (Transport transport : Transport.values()) {
            committed.put(transport, Counter.builder("locomov.readings.committed")
                    .description("Readings committed to PostgreSQL")
                    .tag("transport", transport.tag())
                    .register(registry));
        }
        for (FailureReason reason : FailureReason.values()) {
            failed.put(reason, Counter.builder("locomov.readings.failed")
                    .description("Readings not stored, by reason")
                    .tag("reason", reason.name().toLowerCase(java.util.Locale.ROOT))
                    .register(registry));
        }
        inDoubt = Counter.builder("locomov.batch.commits.in.doubt")
                .description("Batches whose connection broke during COMMIT")
                .register(registry);
        for (IngestLedger.Outcome outcome : List.of(IngestLedger.Outcome.COMMITTED, IngestLedger.Outcome.NOT_COMMITTED)) {
            settled.put(outcome, Counter.builder("locomov.batch.commits.settled")
                    .description("Batches in doubt found committed (acknowledged, not written again) or not (written again)")
                    .tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT))
                    .register(registry));
        }
        batchSize = DistributionSummary.builder("locomov.batch.size")
                .description("Readings written per statement")
                .register(registry);
        commitLatency = Timer.builder("locomov.commit.latency")
                .description("Time to write and commit one batch")
                .register(registry);
        Gauge.builder("locomov.ingest.queue.depth", queue, Collection::size)
                .description("Readings waiting for the batch writer")
                .register(registry);
    }

    void committed(Transport transport) {
        committed.get(transport).increment();
    }

    void failed(FailureReason reason, int readings) {
        failed.get(reason).increment(readings);
    }

    void inDoubt() {
        inDoubt.increment();
    }

    void settled(IngestLedger.Outcome outcome) {
        settled.get(outcome).increment();
    }

    void batchSize(int size) {
        batchSize.record(size);
    }

    Timer commitLatency() {
        return commitLatency;
    }
}
