package org.locomov.core.session;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where a session publishes what its device offers, so that every node (the Particle API's device view,
 * {@code particle list}) can show it without reaching the node that holds the session. The last description
 * published for a device stands until the next one, also while it is offline (as the Particle cloud shows it).
 *
 * <p>Thread-safe and non-blocking.
 */
public interface DeviceDescriptions {

    /** Records {@code description} as what {@code deviceId} offers; completes after commit. */
    CompletableFuture<Void> publish(long deviceId, DeviceDescription description);

    /** What {@code deviceId} last said it offers; empty when it never described itself. */
    CompletableFuture<Optional<DeviceDescription>> find(long deviceId);
}
