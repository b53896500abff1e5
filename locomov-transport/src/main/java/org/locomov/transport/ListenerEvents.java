package org.locomov.transport;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import org.locomov.core.Refusal;
import org.locomov.tls.HandshakeFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log lines and metrics of one listener, in one place, so every transport reports the same things the
 * same way. Every metric carries the tags {@code listener} (its name: {@code mov}, {@code confo},
 * {@code mqtt}) and {@code transport} (the protocol it speaks).
 *
 * <ul>
 *   <li>{@link #refused}: something a device sent was refused: an INFO line with the peer, the device when
 *       known and the reason, and {@code locomov.readings.refused{reason}}.</li>
 *   <li>{@link #connectionRefused}: a connection was refused before it could send anything (too many
 *       connections, bad credentials at connect): an INFO line and {@code locomov.connections.refused{reason}}.</li>
 *   <li>{@link #acknowledged}: readings acknowledged after commit, {@code locomov.readings.acknowledged}.</li>
 *   <li>{@link #handshakeFailed}: a TLS or protocol handshake failed or timed out: an INFO line that always
 *       names why, and {@code locomov.tls.handshake.failures{reason}} (the tag of {@link HandshakeFailures}).</li>
 * </ul>
 *
 * <p>Shared by every connection of a listener; thread-safe because SLF4J loggers, Micrometer registries and
 * counters are.
 */
public final class ListenerEvents {

    private static final Logger log = LoggerFactory.getLogger(ListenerEvents.class);
    private static final String HANDSHAKE_FAILURES = "locomov.tls.handshake.failures";
    private static final String HANDSHAKE_FAILURES_DESCRIPTION = "TLS or protocol handshakes that failed or timed out, by reason";
    private static final String CONNECTIONS_REFUSED = "Connections refused before they could send anything, by listener and reason";

    private final String listener;
    private final String transport;
    private final MeterRegistry registry;
    private final Counter acknowledged;

    /**
     * @param listener  the listener's name
     * @param transport the protocol it speaks ({@code mov}, {@code mqtt}, {@code coap}, {@code particle})
     */
    public ListenerEvents(String listener, String transport, MeterRegistry registry) {
        this.listener = Objects.requireNonNull(listener, "listener");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.registry = Objects.requireNonNull(registry, "registry");
        acknowledged = Counter.builder("locomov.readings.acknowledged")
                .description("Messages acknowledged after commit, by listener")
                .tags("listener", listener, "transport", transport)
                .register(registry);
    }

    /** The listener's name, for log lines of its own. */
    public String listener() {
        return listener;
    }

    /** {@code what} (e.g. "a packet", "a publish") from {@code peer} was refused. */
    public void refused(String peer, String what, Refusal refusal) {
        count("locomov.readings.refused", "Messages refused, by listener and reason", refusal.kind().tag());
        if (refusal.deviceId() == null) {
            log.info("{} refused {} from {}: {} [{}]", listener, what, peer, refusal.reason(), refusal.kind().tag());
        } else {
            log.info("{} refused {} from {} (device {}): {} [{}]", listener, what, peer, refusal.deviceId(),
                    refusal.reason(), refusal.kind().tag());
        }
    }

    /** A connection from {@code peer} was refused, and closed, for {@code refusal}. */
    public void connectionRefused(String peer, Refusal refusal) {
        count("locomov.connections.refused", CONNECTIONS_REFUSED, refusal.kind().tag());
        if (refusal.deviceId() == null) {
            log.info("{} refused a connection from {}: {} [{}]", listener, peer, refusal.reason(), refusal.kind().tag());
        } else {
            log.info("{} refused a connection from {} (device {}): {} [{}]", listener, peer, refusal.deviceId(),
                    refusal.reason(), refusal.kind().tag());
        }
    }

    /** A connection from {@code peer} was closed at once: {@code maxConnections} were already open. */
    void tooManyConnections(String peer, int maxConnections) {
        count("locomov.connections.refused", CONNECTIONS_REFUSED, "too_many_connections");
        log.info("{} refused a connection from {}: too many connections ({} open)", listener, peer, maxConnections);
    }

    /** {@code count} messages were acknowledged after their commit. */
    public void acknowledged(int count) {
        acknowledged.increment(count);
    }

    /** The TLS (or the protocol's own) handshake with {@code peer} failed; the line always says why. */
    public void handshakeFailed(String peer, Throwable cause) {
        HandshakeFailures.Failure failure = HandshakeFailures.classify(cause);
        count(HANDSHAKE_FAILURES, HANDSHAKE_FAILURES_DESCRIPTION, failure.tag());
        log.info("{} TLS handshake with {} failed: {} [{}]", listener, peer, failure.reason(), failure.tag());
    }

    /** Refusal counters are made on first use: most reasons never occur on most listeners. */
    private void count(String name, String description, String reason) {
        Counter.builder(name).description(description)
                .tags("listener", listener, "transport", transport, "reason", reason)
                .register(registry)
                .increment();
    }

    /** A protocol handshake (not TLS) with {@code peer} failed for {@code reason}. */
    public void handshakeFailed(String peer, String reason) {
        count(HANDSHAKE_FAILURES, HANDSHAKE_FAILURES_DESCRIPTION, "protocol");
        log.info("{} handshake with {} failed: {}", listener, peer, reason);
    }
}
