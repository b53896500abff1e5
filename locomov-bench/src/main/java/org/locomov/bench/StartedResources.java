package org.locomov.bench;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a bench run started (PostgreSQL, the server, nginx), stopped in reverse order exactly once:
 * at the end of the run, on failure, or from the JVM's shutdown hook on Ctrl-C / SIGTERM.
 *
 * <p>Thread-safe: the bench thread adds and closes; the shutdown-hook thread may close at the same time,
 * so both methods are synchronized.
 */
final class StartedResources implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StartedResources.class);

    private final Deque<AutoCloseable> started = new ArrayDeque<>();

    synchronized <T extends AutoCloseable> T add(T resource) {
        started.push(resource);
        return resource;
    }

    /** Stops {@code resource} now (say the server, before nginx runs) rather than at the end. */
    synchronized void closeEarly(AutoCloseable resource) {
        if (started.remove(resource)) {
            closeQuietly(resource);
        }
    }

    @Override
    public synchronized void close() {
        while (!started.isEmpty()) {
            closeQuietly(started.pop());
        }
    }

    private static void closeQuietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            log.warn("could not stop {}: {}", resource, e.toString());
        }
    }
}
