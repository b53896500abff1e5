package org.locomov.store.plane;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subscribers of one kind of change, each called in turn; one that throws is logged and kept.
 * Thread-safe: a concurrent set.
 */
final class Subscribers<T> {

    private static final Logger log = LoggerFactory.getLogger(Subscribers.class);

    private final String what;
    private final Set<Consumer<T>> subscribers = ConcurrentHashMap.newKeySet();

    Subscribers(String what) {
        this.what = what;
    }

    AutoCloseable add(Consumer<T> subscriber) {
        Consumer<T> wrapped = subscriber::accept; // its own identity, so the same consumer may subscribe twice
        subscribers.add(wrapped);
        return () -> subscribers.remove(wrapped);
    }

    boolean isEmpty() {
        return subscribers.isEmpty();
    }

    void announce(T change) {
        for (Consumer<T> subscriber : subscribers) {
            try {
                subscriber.accept(change);
            } catch (RuntimeException e) {
                log.warn("A subscriber to {} failed: {}", what, e.toString());
            }
        }
    }
}
