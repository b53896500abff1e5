package org.locomov.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.sse.SseClient;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One open live-event stream: a bounded queue of {@link LiveItem}s (readings, commands, device events, update
 * jobs) the dispatcher fills and the stream's request thread drains into the SSE connection.
 *
 * <p>Threads: {@link #offer}, {@link #wants} and {@link #end} are called by the dispatcher (and
 * {@code end} by {@link LiveEvents#close}); {@link #pump} runs on the request's own thread and is the
 * only writer to the connection. The queue is the hand-over; {@code ended} is volatile.
 */
final class LiveSubscription {

    /** Put in the queue to wake the pump when the stream is ended. */
    private static final LiveItem END = new LiveItem("end", Long.MIN_VALUE, "");

    private final Caller caller;
    private final Long deviceId;
    private final String peer;
    private final BlockingQueue<LiveItem> queue;
    private final Consumer<LiveSubscription> onEnd;
    private volatile boolean ended;

    LiveSubscription(Caller caller, Long deviceId, String peer, int capacity, Consumer<LiveSubscription> onEnd) {
        this.caller = caller;
        this.deviceId = deviceId;
        this.peer = peer;
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

    /**
     * Whether this stream shows {@code item}: its device filter matches, and the caller is an admin or
     * created the device ({@code owner} is the device's creator, null when it has none).
     */
    boolean wants(LiveItem item, Long owner) {
        if (deviceId != null && deviceId != item.deviceId()) {
            return false;
        }
        return caller.admin() || (owner != null && owner == caller.subId());
    }

    /** False when the stream is too far behind to take another item. */
    boolean offer(LiveItem item) {
        return queue.remainingCapacity() > 1 && queue.offer(item);
    }

    void end() {
        ended = true;
        queue.offer(END);
    }

    /**
     * Writes queued items to the client ({@code event: reading}, {@code command}, {@code event},
     * {@code firmware-job}) until the client goes away or the
     * stream is ended, with a comment every {@code heartbeat} so idle connections stay open and a gone
     * client is noticed. Runs on the request's thread and blocks it.
     */
    void pump(SseClient client, ObjectMapper mapper, Duration heartbeat) {
        try {
            client.sendComment("locomov live readings");
            while (!ended && !client.terminated()) {
                LiveItem item = queue.poll(heartbeat.toMillis(), TimeUnit.MILLISECONDS);
                if (item == null) {
                    client.sendComment("keep-alive");
                } else if (item != END) {
                    client.sendEvent(item.event(), mapper.writeValueAsString(item.body()), null);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a live event could not be written as JSON", e);
        } finally {
            ended = true;
            onEnd.accept(this);
            client.close();
        }
    }
}
