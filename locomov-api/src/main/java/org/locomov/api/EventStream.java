package org.locomov.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.sse.SseClient;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One open server-sent-event stream: which items it shows (a filter over what its {@link EventStreamHub}
 * delivers) and a bounded queue the hub's dispatcher fills and the request's thread writes out.
 *
 * <p>Threads: {@link #wants}, {@link #offer} and {@link #end} are called by the hub's dispatcher (and {@code end}
 * by {@link EventStreamHub#close}); {@link #pump} runs on the request's thread and is the only writer to the
 * connection. The queue is the hand-over; {@code ended} is volatile.
 *
 * @param <T> what the stream carries
 */
final class EventStream<T> {

    /** How a kind of stream looks on the wire. */
    interface Framing<T> {

        /** The comment sent first, so that the client sees the stream is open. */
        String opening();

        /** The comment sent when nothing happened for a heartbeat. */
        String keepAlive();

        /** The SSE {@code event:} name of an item. */
        String name(T item);

        /** The item's {@code data:}, written as JSON. */
        Object body(T item);
    }

    /** Put in the queue to wake the pump when the stream is ended. */
    private static final Object END = new Object();

    private final Caller caller;
    private final String peer;
    private final Predicate<T> filter;
    private final BlockingQueue<Object> queue;
    private final Consumer<EventStream<T>> onEnd;
    private volatile boolean ended;

    EventStream(Caller caller, String peer, Predicate<T> filter, int capacity, Consumer<EventStream<T>> onEnd) {
        this.caller = caller;
        this.peer = peer;
        this.filter = filter;
        // One slot more than the limit keeps room for END.
        this.queue = new ArrayBlockingQueue<>(capacity + 1);
        this.onEnd = onEnd;
    }

    Caller caller() {
        return caller;
    }

    String peer() {
        return peer;
    }

    boolean wants(T item) {
        return filter.test(item);
    }

    /** False when the stream is too far behind to take another item. */
    boolean offer(T item) {
        return queue.remainingCapacity() > 1 && queue.offer(item);
    }

    void end() {
        ended = true;
        queue.offer(END);
    }

    /**
     * Writes queued items to the client until it goes away or the stream is ended, with a comment every
     * {@code heartbeat} so idle connections stay open and a gone client is noticed. Blocks the calling thread.
     */
    @SuppressWarnings("unchecked")
    void pump(SseClient client, ObjectMapper mapper, Duration heartbeat, Framing<T> framing) {
        try {
            client.sendComment(framing.opening());
            while (!ended && !client.terminated()) {
                Object next = queue.poll(heartbeat.toMillis(), TimeUnit.MILLISECONDS);
                if (next == null) {
                    client.sendComment(framing.keepAlive());
                } else if (next != END) {
                    T item = (T) next;
                    client.sendEvent(framing.name(item), mapper.writeValueAsString(framing.body(item)), null);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an event could not be written as JSON", e);
        } finally {
            ended = true;
            onEnd.accept(this);
            client.close();
        }
    }
}
