package org.locomov.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.locomov.core.CommitListener;
import org.locomov.core.Reading;
import org.locomov.store.DeviceAdmin;
import org.locomov.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers committed readings, and changes of commands, device events and update jobs (on any node), to the
 * live-event subscribers allowed to see them.
 *
 * <p>Threads: {@link #committed} is called on the batch writer's thread, {@link #announce} on the device
 * plane's; both only offer the batch to a
 * bounded hand-off queue (a full queue drops the batch for live events and counts it; the readings are
 * safely stored). One dispatcher thread ({@code locomov-api-events}) takes batches, looks up the owners
 * of their devices when a non-admin is subscribed, and offers each reading to each allowed subscriber's
 * own bounded queue. Each subscriber's request thread drains its queue ({@link LiveSubscription}). A
 * subscriber too slow to keep up is ended rather than allowed to hold memory. The subscriber set is a
 * concurrent set; the client limit is a semaphore.
 */
final class LiveEvents implements CommitListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LiveEvents.class);
    /** Batches waiting for the dispatcher. */
    static final int HANDOFF_BATCHES = 1_024;
    /** Readings waiting for one subscriber's connection. */
    static final int SUBSCRIBER_QUEUE = 4_096;

    private final DeviceAdmin devices;
    private final BlockingQueue<List<LiveItem>> handoff = new ArrayBlockingQueue<>(HANDOFF_BATCHES);
    private final Set<LiveSubscription> subscribers = ConcurrentHashMap.newKeySet();
    private final Semaphore clientSlots;
    private final Counter droppedBatches;
    private final Thread dispatcher;
    private volatile boolean closed;

    LiveEvents(DeviceAdmin devices, int maxClients, MeterRegistry registry) {
        this.devices = devices;
        this.clientSlots = new Semaphore(maxClients);
        this.droppedBatches = Counter.builder("locomov.api.events.dropped.batches")
                .description("committed batches not announced as live events because the hand-off queue was full")
                .register(registry);
        Gauge.builder("locomov.api.events.subscribers", subscribers, Set::size)
                .description("open live-event streams").register(registry);
        this.dispatcher = Thread.ofPlatform().name("locomov-api-events").daemon().unstarted(this::dispatch);
    }

    void start() {
        dispatcher.start();
    }

    /** Called on the writer's thread after commit: hands off and returns at once. */
    @Override
    public void committed(List<Reading> readings) {
        if (closed || readings.isEmpty() || subscribers.isEmpty()) {
            return;
        }
        handOff(readings.stream().map(reading -> new LiveItem("reading", reading.deviceId(),
                ApiJson.LiveReading.of(reading))).toList());
    }

    /** A command, device event or update job changed: hands off and returns at once. */
    void announce(LiveItem item) {
        if (closed || subscribers.isEmpty()) {
            return;
        }
        handOff(List.of(item));
    }

    private void handOff(List<LiveItem> items) {
        if (!handoff.offer(items)) {
            droppedBatches.increment();
        }
    }

    /**
     * A new subscription for {@code caller}, for one device or (when {@code deviceId} is null) for every
     * device the caller may see; empty when the client limit is reached.
     */
    Optional<LiveSubscription> subscribe(Caller caller, Long deviceId, String peer) {
        if (closed || !clientSlots.tryAcquire()) {
            return Optional.empty();
        }
        LiveSubscription subscription = new LiveSubscription(caller, deviceId, peer, SUBSCRIBER_QUEUE, this::unsubscribe);
        subscribers.add(subscription);
        return Optional.of(subscription);
    }

    private void unsubscribe(LiveSubscription subscription) {
        if (subscribers.remove(subscription)) {
            clientSlots.release();
        }
    }

    private void dispatch() {
        while (!closed) {
            try {
                List<LiveItem> batch = handoff.poll(1, TimeUnit.SECONDS);
                if (batch != null) {
                    deliver(batch);
                }
            } catch (InterruptedException e) {
                return;
            } catch (StoreException e) {
                log.warn("live events: could not look up device owners, a batch was not announced: {}", e.getMessage());
            } catch (RuntimeException e) {
                log.error("live events: delivering a batch failed", e);
            }
        }
    }

    private void deliver(List<LiveItem> batch) {
        Map<Long, Long> owners = anyNonAdmin() ? owners(batch) : Map.of();
        for (LiveSubscription subscription : subscribers) {
            for (LiveItem item : batch) {
                if (subscription.wants(item, owners.get(item.deviceId())) && !subscription.offer(item)) {
                    log.info("live events: ending the stream of {} (user {}): it fell {} events behind",
                            subscription.peer(), subscription.caller().email(), SUBSCRIBER_QUEUE);
                    subscription.end();
                    break;
                }
            }
        }
    }

    private boolean anyNonAdmin() {
        return subscribers.stream().anyMatch(subscription -> !subscription.caller().admin());
    }

    private Map<Long, Long> owners(List<LiveItem> batch) {
        Set<Long> deviceIds = batch.stream().map(LiveItem::deviceId).collect(Collectors.toSet());
        return devices.creatorsOf(deviceIds);
    }

    /** Ends every stream and stops the dispatcher. */
    @Override
    public void close() {
        closed = true;
        dispatcher.interrupt();
        subscribers.forEach(LiveSubscription::end);
    }
}
