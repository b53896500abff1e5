package org.locomov.core;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The one way a reading gets into storage. Every transport is a thin adapter onto this interface.
 *
 * <p>The promise: the future returned by {@link #submit} completes normally only after the
 * transaction holding the reading has committed, so a transport acknowledges the device from that
 * future and from nothing else. It completes exceptionally with an {@link IngestException} that says
 * why the reading was not stored: {@link StorageUnavailableException} (the database did not commit
 * it in time; the device should retry), {@link ReadingRefusedException} (the database refused this
 * reading; retrying will not help) or {@link ShuttingDownException}.
 *
 * <p>Backpressure: the queue is bounded. When it is full, {@code submit} queues nothing and returns
 * {@code null}; the transport keeps the reading, stops reading from its socket, and calls
 * {@link #whenCapacity} to be told when to submit it again. Nothing is ever dropped silently.
 *
 * <p>Implementations are thread-safe; both methods are non-blocking and may be called from an
 * event loop.
 */
public interface Ingest {

    /**
     * Queues a reading for the next batch.
     *
     * @return a future completed after commit, or {@code null} when the queue is full and nothing
     *         was queued
     */
    CompletableFuture<Void> submit(Reading reading);

    /**
     * Queues readings that are stored together or not at all (an array a device sent in one message): they
     * go into the same transaction, the future completes after it committed all of them, and when the
     * database refuses one of them none is stored and the future fails with that refusal.
     *
     * @param readings at least one
     * @return a future completed after commit, or {@code null} when the queue is full and nothing was queued
     */
    CompletableFuture<Void> submitAll(List<Reading> readings);

    /**
     * Runs {@code task} once, on a thread of the implementation's choosing, as soon as the queue has
     * room (at once if it has room now). The task must not block; transports use it to resume
     * reading.
     */
    void whenCapacity(Runnable task);
}
