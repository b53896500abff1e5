package org.locomov.server;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Which listeners are accepting connections, for {@code /health}: a listener is up from the moment it is
 * tracked (after it started listening) until it is closed.
 *
 * <p>Threads: written by the thread that starts and stops the server, read by API request threads.
 */
final class ListenerStates {

    private final Map<String, Boolean> up = new ConcurrentSkipListMap<>();

    /** Marks {@code name} up and returns a closer that closes {@code listener} and marks it down. */
    AutoCloseable track(String name, AutoCloseable listener) {
        up.put(name, true);
        return () -> {
            up.put(name, false);
            listener.close();
        };
    }

    Map<String, Boolean> snapshot() {
        return Map.copyOf(up);
    }
}
