package org.locomov.core;

import java.util.concurrent.CompletableFuture;

/**
 * Answers, for a device id a transport decoded, whether that device may send readings. The answer
 * for known devices is cached, so the common case completes at once on the caller's thread; a miss
 * is looked up (or, with auto-registration on, registered) off the caller's thread.
 *
 * <p>Thread-safe; never blocks the caller.
 */
public interface DeviceDirectory {

    CompletableFuture<DeviceStatus> check(long deviceId);
}
