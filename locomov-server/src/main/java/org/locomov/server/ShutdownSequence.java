package org.locomov.server;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parts of a running server in the order they were started, closed in the reverse order: a part
 * is only closed after everything that uses it. A part that fails to close is logged and the rest are
 * still closed.
 *
 * <p>Not thread-safe: filled by the thread that starts the server, closed under {@link Locomov}'s lock.
 */
final class ShutdownSequence {

    private static final Logger log = LoggerFactory.getLogger(ShutdownSequence.class);

    private record Part(String name, AutoCloseable closer) {
    }

    private final Deque<Part> started = new ArrayDeque<>();

    /** Records {@code part} as started; returns it for chaining. */
    <T> T add(String name, T part, AutoCloseable closer) {
        started.push(new Part(name, closer));
        return part;
    }

    <T extends AutoCloseable> T add(String name, T part) {
        return add(name, part, part);
    }

    void closeAll() {
        while (!started.isEmpty()) {
            Part part = started.pop();
            try {
                part.closer().close();
                log.info("Stopped {}", part.name());
            } catch (Exception e) {
                log.warn("Stopping {} failed: {}", part.name(), e.toString(), e);
            }
        }
    }
}
