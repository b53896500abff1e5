package org.locomov.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.sse.SseClient;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.locomov.core.Reading;
import org.locomov.core.Transport;

/**
 * One open live-event stream: a bounded queue the dispatcher fills and the stream's request thread
 * drains into the SSE connection.
 *
 * <p>Threads: {@link #offer}, {@link #wants} and {@link #end} are called by the dispatcher (and
 * {@code end} by {@link LiveEvents#close}); {@link #pump} runs on the request's own thread and is the
 * only writer to the connection. The queue is the hand-over; {@code ended} is volatile.
 */
final class LiveSubscription {

    /** Put in the queue to wake the pump when the stream is ended. */
    private static final Reading END = new Reading(Long.MIN_VALUE, null, java.time.Instant.EPOCH, null, null, null, null,
            null, null, Transport.API);

    private final Caller caller;
    private final Long deviceId;
    private final String peer;
    private final BlockingQueue<Reading> queue;
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
     * Whether this stream shows {@code reading}: its device filter matches, and the caller is an admin or
     * created the device ({@code owner} is the device's creator, null when it has none).
     */
    boolean wants(Reading reading, Long owner) {
        if (deviceId != null && deviceId != reading.deviceId()) {
            return false;
        }
        return caller.admin() || (owner != null && owner == caller.subId());
    }

    /** False when the stream is too far behind to take another reading. */
    boolean offer(Reading reading) {
        return queue.remainingCapacity() > 1 && queue.offer(reading);
    }

    void end() {
        ended = true;
        queue.offer(END);
    }

    /**
     * Writes queued readings to the client as {@code event: reading} until the client goes away or the
     * stream is ended, with a comment every {@code heartbeat} so idle connections stay open and a gone
     * client is noticed. Runs on the request's thread and blocks it.
     */
    void pump(SseClient client, ObjectMapper mapper, Duration heartbeat) {
        try {
            client.sendComment("locomov live readings");
            while (!ended && !client.terminated()) {
                Reading reading = queue.poll(heartbeat.toMillis(), TimeUnit.MILLISECONDS);
                if (reading == null) {
                    client.sendComment("keep-alive");
                } else if (reading != END) {
                    client.sendEvent("reading", mapper.writeValueAsString(ApiJson.LiveReading.of(reading)), null);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a reading could not be written as JSON", e);
        } finally {
            ended = true;
            onEnd.accept(this);
            client.close();
        }
    }
}
