package org.locomov.core.event;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Where device events go: stored (table {@code event}, with the readings' retention), then announced to
 * every subscriber on every node (the API's live stream, devices subscribed to events).
 *
 * <p>Like {@link org.locomov.core.Ingest}: {@link #publish} completes after commit, or returns {@code null}
 * when the queue is full, and the transport then waits for {@link #whenCapacity} instead of dropping.
 * Thread-safe and non-blocking.
 */
public interface DeviceEvents {

    /** Queues {@code event}; completes after commit, or {@code null} when the queue is full. */
    CompletableFuture<Void> publish(DeviceEvent event);

    /** Runs {@code task} once as soon as {@link #publish} can queue again; the task must not block. */
    void whenCapacity(Runnable task);

    /**
     * Calls {@code subscriber} with every event committed from now on, on any node, on a dispatcher thread
     * (it must not block). Close the returned handle to stop.
     */
    AutoCloseable subscribe(Consumer<DeviceEvent> subscriber);
}
