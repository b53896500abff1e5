package org.locomov.mov;

import java.util.EnumMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs and counts the replies of one listener: every refusal gets an INFO line with the peer, the
 * device when known and the reason, and a count in {@code locomov.readings.refused}
 * (tags {@code transport}, {@code reason}); acknowledgements are counted in
 * {@code locomov.readings.acknowledged}.
 *
 * <p>Shared by every connection of a listener; thread-safe because SLF4J loggers and Micrometer
 * counters are, and the counter map is filled in the constructor and only read afterwards.
 */
final class ReplyReporter {

    private static final Logger log = LoggerFactory.getLogger(ReplyReporter.class);

    private final String listener;
    private final Map<RefusalKind, Counter> refused = new EnumMap<>(RefusalKind.class);
    private final Counter acknowledged;

    ReplyReporter(String listener, MeterRegistry registry) {
        this.listener = listener;
        for (RefusalKind kind : RefusalKind.values()) {
            refused.put(kind, Counter.builder("locomov.readings.refused")
                    .description("Packets refused, by listener and reason")
                    .tag("transport", listener)
                    .tag("reason", kind.tag())
                    .register(registry));
        }
        acknowledged = Counter.builder("locomov.readings.acknowledged")
                .description("Packets acknowledged after commit, by listener")
                .tag("transport", listener)
                .register(registry);
    }

    void replied(String peer, Reply reply) {
        switch (reply) {
            case Reply.ThankYou ack -> acknowledged.increment();
            case Refusal refusal -> refused(peer, refusal);
        }
    }

    void refused(String peer, Refusal refusal) {
        refused.get(refusal.kind()).increment();
        if (refusal.deviceId() == null) {
            log.info("{} refused a packet from {}: {} [{}]", listener, peer, refusal.reason(), refusal.kind().tag());
        } else {
            log.info("{} refused a packet from {} (device {}): {} [{}]", listener, peer, refusal.deviceId(),
                    refusal.reason(), refusal.kind().tag());
        }
    }
}
