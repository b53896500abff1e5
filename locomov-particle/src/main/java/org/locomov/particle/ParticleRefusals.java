package org.locomov.particle;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Why the Particle listener closed a connection, each with one INFO line (peer, device when known, reason)
 * and the counter {@code locomov.connections.refused{listener, transport, reason}} the transport kit's
 * listeners use, so a dashboard shows every listener's refusals alike.
 *
 * <p>Thread-safe (SLF4J and Micrometer are).
 */
public final class ParticleRefusals {

    /** The reasons, as metric tags. */
    public enum Reason {
        TOO_MANY_HANDSHAKES, HANDSHAKE_TIMEOUT, TRUNCATED_HANDSHAKE, GARBAGE_HANDSHAKE, WRONG_NONCE, UNKNOWN_DEVICE,
        REVOKED_DEVICE, DEVICE_KEY_MISMATCH, OVERSIZE_MESSAGE, UNDECRYPTABLE_MESSAGE, MALFORMED_MESSAGE,
        PROTOCOL_VIOLATION, SERVER_ERROR;

        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final Logger log = LoggerFactory.getLogger(ParticleRefusals.class);

    private final String listener;
    private final MeterRegistry registry;

    public ParticleRefusals(String listener, MeterRegistry registry) {
        this.listener = listener;
        this.registry = registry;
    }

    /** Logs and counts; the caller closes the connection. */
    public void refuse(String peer, String device, Reason reason, String detail) {
        Counter.builder("locomov.connections.refused")
                .description("Connections refused before they could send anything, by listener and reason")
                .tags("listener", listener, "transport", ParticleServer.TRANSPORT, "reason", reason.tag())
                .register(registry)
                .increment();
        if (device == null) {
            log.info("{} closed the connection from {}: {} [{}]", listener, peer, detail, reason.tag());
        } else {
            log.info("{} closed the connection from {} (device {}): {} [{}]", listener, peer, device, detail, reason.tag());
        }
    }

    /** How many connections were refused for {@code reason} (tests and the benchmark). */
    public double count(Reason reason) {
        Counter counter = registry.find("locomov.connections.refused").tags("listener", listener, "reason", reason.tag())
                .counter();
        return counter == null ? 0 : counter.count();
    }
}
