package org.locomov.core;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Which devices have a connection open right now, on this node. Transports call {@link #opened} once a
 * connection has identified its device and {@link #closed} when it ends; the API reads {@link #isOnline}.
 *
 * <p>Thread-safe: called from every transport's event loops and from API threads.
 */
public final class ConnectedDevices {

    private final ConcurrentHashMap<Long, Integer> openConnections = new ConcurrentHashMap<>();

    public void opened(long deviceId) {
        openConnections.merge(deviceId, 1, Integer::sum);
    }

    public void closed(long deviceId) {
        openConnections.computeIfPresent(deviceId, (id, count) -> count == 1 ? null : count - 1);
    }

    public boolean isOnline(long deviceId) {
        return openConnections.containsKey(deviceId);
    }
}
