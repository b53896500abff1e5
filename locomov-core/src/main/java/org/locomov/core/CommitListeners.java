package org.locomov.core;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several {@link CommitListener}s behind one: the batch writer tells this one, and whoever starts later
 * (the API's live events) adds itself. A listener that throws is logged and does not keep the others from
 * hearing.
 *
 * <p>Thread-safe: listeners are added from the starting thread and called on the writer's thread.
 */
public final class CommitListeners implements CommitListener {

    private static final Logger log = LoggerFactory.getLogger(CommitListeners.class);

    private final List<CommitListener> listeners = new CopyOnWriteArrayList<>();

    public void add(CommitListener listener) {
        listeners.add(listener);
    }

    @Override
    public void committed(List<Reading> readings) {
        for (CommitListener listener : listeners) {
            try {
                listener.committed(readings);
            } catch (RuntimeException e) {
                log.warn("a commit listener failed: {}", e.toString());
            }
        }
    }
}
