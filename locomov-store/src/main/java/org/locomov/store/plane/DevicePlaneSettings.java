package org.locomov.store.plane;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the device plane's database side, checked once; messages name the command-line option.
 *
 * @param nodeTimeout        a node whose heartbeat is older than this is dead, and its device sessions with it
 *                           (default 15 s; at least 1 s); the heartbeat runs every third of it
 * @param eventQueueCapacity device events that may wait for the database before transports stop reading
 *                           (default {@value #DEFAULT_EVENT_QUEUE_CAPACITY})
 */
public record DevicePlaneSettings(Duration nodeTimeout, int eventQueueCapacity) {

    public static final Duration DEFAULT_NODE_TIMEOUT = Duration.ofSeconds(15);
    public static final int DEFAULT_EVENT_QUEUE_CAPACITY = 10_000;
    public static final DevicePlaneSettings DEFAULTS =
            new DevicePlaneSettings(DEFAULT_NODE_TIMEOUT, DEFAULT_EVENT_QUEUE_CAPACITY);

    public DevicePlaneSettings {
        Objects.requireNonNull(nodeTimeout, "nodeTimeout");
        if (nodeTimeout.compareTo(Duration.ofSeconds(1)) < 0 || nodeTimeout.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("--node-timeout must be 1s to 1h, was " + nodeTimeout);
        }
        if (eventQueueCapacity < 1 || eventQueueCapacity > 10_000_000) {
            throw new IllegalArgumentException("--event-queue-capacity must be 1 to 10000000, was " + eventQueueCapacity);
        }
    }
}
