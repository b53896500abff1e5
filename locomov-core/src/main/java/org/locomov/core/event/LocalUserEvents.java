package org.locomov.core.event;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * User events that reach only this process's subscribers, called on the publisher's thread: enough for a
 * listener tested on its own. {@code serve} uses the PostgreSQL one, which reaches every node.
 *
 * <p>Thread-safe: a copy-on-write list of subscribers.
 */
public final class LocalUserEvents implements UserEvents {

    private final List<Consumer<UserEvent>> subscribers = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<Void> publish(UserEvent event) {
        subscribers.forEach(subscriber -> subscriber.accept(event));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public AutoCloseable subscribe(Consumer<UserEvent> subscriber) {
        subscribers.add(Objects.requireNonNull(subscriber, "subscriber"));
        return () -> subscribers.remove(subscriber);
    }
}
