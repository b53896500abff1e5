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
 * One open Particle event stream: which events it shows (the caller's, optionally one device's, optionally
 * those whose name starts with a prefix) and a bounded queue the dispatcher fills and the request's thread
 * writes out in Particle's framing, {@code event: NAME} then {@code data: {"data","ttl","published_at","coreid"}}.
 *
 * <p>Threads: {@link #wants}, {@link #offer} and {@link #end} are called by the dispatcher; {@link #pump} runs on
 * the request's thread and is the only writer to the connection. {@code ended} is volatile.
 */
final class ParticleEventSubscription {

    private static final ParticleStreamEvent END = new ParticleStreamEvent(null, null, "end", null, java.time.Instant.EPOCH, "");

    private final Caller caller;
    private final Long deviceId;
    private final boolean devicesOnly;
    private final String prefix;
    private final String peer;
    private final BlockingQueue<ParticleStreamEvent> queue;
    private final Consumer<ParticleEventSubscription> onEnd;
    private volatile boolean ended;

    /**
     * @param deviceId    only this device's events; null for all the caller may see
     * @param devicesOnly without the events users published (a device's own stream)
     * @param prefix      only events whose name starts with it; null for all
     */
    ParticleEventSubscription(Caller caller, Long deviceId, boolean devicesOnly, String prefix, String peer, int capacity,
                              Consumer<ParticleEventSubscription> onEnd) {
        this.caller = caller;
        this.deviceId = deviceId;
        this.devicesOnly = devicesOnly;
        this.prefix = prefix;
        this.peer = peer;
        this.queue = new ArrayBlockingQueue<>(capacity + 1);
        this.onEnd = onEnd;
    }

    Caller caller() {
        return caller;
    }

    String peer() {
        return peer;
    }

    boolean wants(ParticleStreamEvent event) {
        if (prefix != null && !event.name().startsWith(prefix)) {
            return false;
        }
        if (deviceId != null && !deviceId.equals(event.deviceId())) {
            return false;
        }
        if (devicesOnly && event.deviceId() == null) {
            return false;
        }
        return caller.admin() || (event.owner() != null && event.owner() == caller.subId());
    }

    /** False when the stream is too far behind to take another event. */
    boolean offer(ParticleStreamEvent event) {
        return queue.remainingCapacity() > 1 && queue.offer(event);
    }

    void end() {
        ended = true;
        queue.offer(END);
    }

    /** Writes events until the client goes or the stream is ended, with a comment every {@code heartbeat}. */
    void pump(SseClient client, ObjectMapper mapper, Duration heartbeat) {
        try {
            client.sendComment("ok");
            while (!ended && !client.terminated()) {
                ParticleStreamEvent event = queue.poll(heartbeat.toMillis(), TimeUnit.MILLISECONDS);
                if (event == null) {
                    client.sendComment("");
                } else if (event != END) {
                    client.sendEvent(event.name(), mapper.writeValueAsString(
                            ParticleJson.event(event.data(), event.publishedAt(), event.coreid())), null);
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
