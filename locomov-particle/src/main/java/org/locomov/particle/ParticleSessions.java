package org.locomov.particle;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Particle sessions of this node by device id: a device that connects again takes over (its older
 * session is closed, as a Core that rebooted leaves a half-open connection behind), and the Particle API
 * finds the session to read a variable or describe a device without a command round trip.
 *
 * <p>Thread-safe: a concurrent map touched by every connection's event loop.
 */
public final class ParticleSessions {

    private final Map<Long, ParticleSession> byDevice = new ConcurrentHashMap<>();

    /** Registers {@code session}; the device's earlier session, if any, is closed. */
    void takeOver(ParticleSession session) {
        ParticleSession earlier = byDevice.put(session.deviceId(), session);
        if (earlier != null && earlier != session) {
            earlier.close("the device connected again");
        }
    }

    void remove(ParticleSession session) {
        byDevice.remove(session.deviceId(), session);
    }

    /** The session of {@code deviceId} on this node, if it is connected here. */
    public Optional<ParticleSession> find(long deviceId) {
        return Optional.ofNullable(byDevice.get(deviceId));
    }

    public int size() {
        return byDevice.size();
    }
}
