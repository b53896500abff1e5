package org.locomov.api;

import io.micrometer.core.instrument.Counter;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import org.locomov.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands what happened to the event streams allowed to see it (decision 0604). Producers (the batch writer, the
 * device plane's dispatcher) only {@link #handOff offer} a batch to a bounded queue and return at once; a full
 * queue drops the batch for the streams and counts it (what it announces is safely stored or announced
 * elsewhere). One dispatcher thread takes batches, {@code prepare}s them (database lookups such as owners happen
 * there, never on a producer's thread) and offers each item to each stream that wants it. A stream too slow to
 * keep up is ended rather than allowed to hold memory. At most {@code maxStreams} are open.
 *
 * @param <S> what producers hand off
 * @param <T> what streams carry
 */
final class EventStreamHub<S, T> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EventStreamHub.class);

    private final String label;
    private final int streamQueue;
    private final Function<List<S>, List<T>> prepare;
    private final BlockingQueue<List<S>> handoff;
    private final Set<EventStream<T>> streams = ConcurrentHashMap.newKeySet();
    private final Semaphore slots;
    private final Counter dropped;
    private final Thread dispatcher;
    private volatile boolean closed;

    /**
     * @param label       names the hub in log lines and its dispatcher thread ({@code locomov-<label>})
     * @param handoffSize batches waiting for the dispatcher
     * @param streamQueue items waiting for one stream's connection
     * @param prepare     turns a handed-off batch into what streams carry; runs on the dispatcher
     * @param dropped     counts batches the full hand-off queue refused
     */
    EventStreamHub(String label, int handoffSize, int streamQueue, int maxStreams, Function<List<S>, List<T>> prepare,
                   Counter dropped) {
        this.label = label;
        this.streamQueue = streamQueue;
        this.prepare = prepare;
        this.handoff = new ArrayBlockingQueue<>(handoffSize);
        this.slots = new Semaphore(maxStreams);
        this.dropped = dropped;
        this.dispatcher = Thread.ofPlatform().name("locomov-" + label.replace(' ', '-')).daemon().unstarted(this::dispatch);
    }

    void start() {
        dispatcher.start();
    }

    /** Offers a batch to the dispatcher and returns at once; nothing is queued while no stream is open. */
    void handOff(List<S> batch) {
        if (!closed && !streams.isEmpty() && !batch.isEmpty() && !handoff.offer(batch)) {
            dropped.increment();
        }
    }

    /** A new stream of the items {@code filter} accepts; empty when as many are open as allowed. */
    Optional<EventStream<T>> open(Caller caller, String peer, Predicate<T> filter) {
        if (closed || !slots.tryAcquire()) {
            return Optional.empty();
        }
        EventStream<T> stream = new EventStream<>(caller, peer, filter, streamQueue, this::remove);
        streams.add(stream);
        return Optional.of(stream);
    }

    /** Frees the stream's place; idempotent. */
    void remove(EventStream<T> stream) {
        if (streams.remove(stream)) {
            slots.release();
        }
    }

    int openStreams() {
        return streams.size();
    }

    /** Whether a stream of a caller who is not an admin is open (only those need owners looked up). */
    boolean anyNonAdmin() {
        return streams.stream().anyMatch(stream -> !stream.caller().admin());
    }

    private void dispatch() {
        while (!closed) {
            try {
                List<S> batch = handoff.poll(1, TimeUnit.SECONDS);
                if (batch != null) {
                    deliver(prepare.apply(batch));
                }
            } catch (InterruptedException e) {
                return;
            } catch (StoreException e) {
                log.warn("{}: a batch was not streamed, the database could not answer: {}", label, e.getMessage());
            } catch (RuntimeException e) {
                log.error("{}: delivering a batch failed", label, e);
            }
        }
    }

    private void deliver(List<T> items) {
        for (EventStream<T> stream : streams) {
            for (T item : items) {
                if (stream.wants(item) && !stream.offer(item)) {
                    log.info("{}: ending the stream of {} (user {}): it fell {} events behind", label, stream.peer(),
                            stream.caller().email(), streamQueue);
                    stream.end();
                    break;
                }
            }
        }
    }

    /** Ends every stream and stops the dispatcher. */
    @Override
    public void close() {
        closed = true;
        dispatcher.interrupt();
        streams.forEach(EventStream::end);
    }
}
