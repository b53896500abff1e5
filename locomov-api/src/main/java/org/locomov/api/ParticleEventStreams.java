package org.locomov.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.locomov.core.event.DeviceEvent;
import org.locomov.core.event.DeviceEvents;
import org.locomov.core.event.UserEvent;
import org.locomov.core.event.UserEvents;
import org.locomov.store.DeviceAdmin;
import org.locomov.store.ParticleCloudDevices;
import org.locomov.store.ParticleCloudDevices.View;
import org.locomov.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the Particle event streams: device events (committed, from any node) and events users published
 * through the API (announced to every node). Like {@link LiveEvents} and for the same reasons (decision 0604):
 * the plane's dispatcher only offers to a bounded hand-off queue (full: the event is not streamed, and
 * counted); one thread ({@code locomov-particle-events}) looks up each device event's owner and Particle id and
 * offers the event to each stream allowed to see it; a stream that falls {@value #SUBSCRIBER_QUEUE} events
 * behind is ended. At most {@code maxClients} streams are open.
 */
final class ParticleEventStreams implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ParticleEventStreams.class);
    static final int HANDOFF_EVENTS = 4_096;
    static final int SUBSCRIBER_QUEUE = 1_024;
    private static final String API_COREID = "api";

    private final ParticleCloudDevices particleDevices;
    private final DeviceAdmin devices;
    private final BlockingQueue<Object> handoff = new ArrayBlockingQueue<>(HANDOFF_EVENTS);
    private final Set<ParticleEventSubscription> subscribers = ConcurrentHashMap.newKeySet();
    private final Semaphore clientSlots;
    private final Counter dropped;
    private final Thread dispatcher;
    private final AutoCloseable deviceWatch;
    private final AutoCloseable userWatch;
    private volatile boolean closed;

    ParticleEventStreams(DeviceEvents deviceEvents, UserEvents userEvents, ParticleCloudDevices particleDevices,
                         DeviceAdmin devices, int maxClients, MeterRegistry registry) {
        this.particleDevices = particleDevices;
        this.devices = devices;
        this.clientSlots = new Semaphore(maxClients);
        this.dropped = Counter.builder("locomov.api.particle.events.dropped")
                .description("events not streamed to Particle event streams because the hand-off queue was full")
                .register(registry);
        this.dispatcher = Thread.ofPlatform().name("locomov-particle-events").daemon().unstarted(this::dispatch);
        this.deviceWatch = deviceEvents.subscribe(this::handOff);
        this.userWatch = userEvents.subscribe(this::handOff);
    }

    void start() {
        dispatcher.start();
    }

    private void handOff(Object event) {
        if (!closed && !subscribers.isEmpty() && !handoff.offer(event)) {
            dropped.increment();
        }
    }

    /** A new stream; empty when as many are open as allowed. */
    Optional<ParticleEventSubscription> subscribe(Caller caller, Long deviceId, boolean devicesOnly, String prefix,
                                                  String peer) {
        if (closed || !clientSlots.tryAcquire()) {
            return Optional.empty();
        }
        ParticleEventSubscription subscription = new ParticleEventSubscription(caller, deviceId, devicesOnly, prefix, peer,
                SUBSCRIBER_QUEUE, this::unsubscribe);
        subscribers.add(subscription);
        return Optional.of(subscription);
    }

    /** Frees the stream's place; idempotent. */
    void unsubscribe(ParticleEventSubscription subscription) {
        if (subscribers.remove(subscription)) {
            clientSlots.release();
        }
    }

    private void dispatch() {
        while (!closed) {
            try {
                Object event = handoff.poll(1, TimeUnit.SECONDS);
                if (event != null) {
                    deliver(streamEvent(event));
                }
            } catch (InterruptedException e) {
                return;
            } catch (StoreException e) {
                log.warn("Particle event streams: could not look up a device, an event was not streamed: {}", e.getMessage());
            } catch (RuntimeException e) {
                log.error("Particle event streams: delivering an event failed", e);
            }
        }
    }

    private ParticleStreamEvent streamEvent(Object event) {
        return switch (event) {
            case UserEvent user -> new ParticleStreamEvent(null, user.subId(), user.name(), user.data(),
                    user.publishedAt(), API_COREID);
            case DeviceEvent device -> {
                Optional<View> particle = particleDevices.byDeviceId(device.deviceId());
                Long owner = particle.map(View::creator)
                        .orElseGet(() -> devices.creatorsOf(Set.of(device.deviceId())).get(device.deviceId()));
                String coreid = particle.map(View::particleId).orElse(Long.toString(device.deviceId()));
                yield new ParticleStreamEvent(device.deviceId(), owner, device.name(), device.data(), device.publishedAt(), coreid);
            }
            default -> throw new IllegalArgumentException("not an event: " + event);
        };
    }

    private void deliver(ParticleStreamEvent event) {
        for (ParticleEventSubscription subscription : subscribers) {
            if (subscription.wants(event) && !subscription.offer(event)) {
                log.info("Particle event streams: ending the stream of {} (user {}): it fell {} events behind",
                        subscription.peer(), subscription.caller().email(), SUBSCRIBER_QUEUE);
                subscription.end();
            }
        }
    }

    int open() {
        return subscribers.size();
    }

    @Override
    public void close() {
        closed = true;
        for (AutoCloseable watch : new AutoCloseable[] {deviceWatch, userWatch}) {
            try {
                watch.close();
            } catch (Exception e) {
                log.debug("Particle event streams: could not stop watching: {}", e.toString());
            }
        }
        dispatcher.interrupt();
        subscribers.forEach(ParticleEventSubscription::end);
    }
}
