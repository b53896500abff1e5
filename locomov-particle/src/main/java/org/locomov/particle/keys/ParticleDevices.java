package org.locomov.particle.keys;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** Where the listener looks up the device a handshake names, and whom devices belong to. Thread-safe and non-blocking. */
public interface ParticleDevices {

    /** The device with Particle id {@code particleId} (24 lower-case hex digits), if registered. */
    CompletableFuture<Optional<ParticleDevice>> find(String particleId);

    /**
     * The owner and Particle id of each of {@code deviceIds} that exists (as they are now: claims change them).
     * This stand-in knows no devices, so only public events reach other devices (decision 1541); the database's
     * {@link PgParticleDevices} knows them all.
     */
    default CompletableFuture<Map<Long, DeviceOwner>> owners(Set<Long> deviceIds) {
        return CompletableFuture.completedFuture(Map.of());
    }
}
