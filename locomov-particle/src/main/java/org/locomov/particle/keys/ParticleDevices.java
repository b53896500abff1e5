package org.locomov.particle.keys;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Where the listener looks up the device a handshake names. Thread-safe and non-blocking. */
public interface ParticleDevices {

    /** The device with Particle id {@code particleId} (24 lower-case hex digits), if registered. */
    CompletableFuture<Optional<ParticleDevice>> find(String particleId);
}
