package org.locomov.particle;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.locomov.core.event.DeviceEvent;
import org.locomov.core.event.DeviceEvents;
import org.locomov.core.event.UserEvent;
import org.locomov.core.event.UserEvents;
import org.locomov.particle.keys.DeviceOwner;
import org.locomov.particle.keys.ParticleDevices;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events for the subscriptions of this listener's devices (decision 1541): device events committed on any node
 * and events users publish through the API, each sent to the connected devices whose subscriptions admit it
 * ({@link EventSubscription#admits}: a private event only to devices of its owner).
 *
 * <p>Threads: connections add and remove their subscriptions from their event loops (a concurrent map of
 * immutable lists). The plane's dispatcher only offers events to a bounded hand-off queue (full: the event is
 * not sent to devices, and counted, as the API's streams do, decision 0604); one thread
 * ({@code locomov-particle-events}) takes them in order, looks up in one query whom the publishing device and
 * the candidate subscribers belong to (as they are now, so a claim or release holds at once), and hands each
 * admitted event to its connection's event loop. A device receives its events in the order they were announced.
 */
final class EventRouter implements AutoCloseable {

    static final int HANDOFF_EVENTS = 4_096;

    private static final Logger log = LoggerFactory.getLogger(EventRouter.class);

    /** An event on its way to devices, whoever published it. */
    private record Routed(Long sourceDeviceId, Long publisher, String name, String data, boolean isPrivate) {
    }

    private final String listener;
    private final ParticleDevices devices;
    private final Map<ParticleConnection, List<EventSubscription>> subscriptions = new ConcurrentHashMap<>();
    private final BlockingQueue<Routed> handoff = new ArrayBlockingQueue<>(HANDOFF_EVENTS);
    private final Counter dropped;
    private final Thread router;
    private final List<AutoCloseable> watches = new ArrayList<>();
    private volatile boolean closed;

    EventRouter(String listener, ParticleDevices devices, MeterRegistry registry) {
        this.listener = Objects.requireNonNull(listener, "listener");
        this.devices = Objects.requireNonNull(devices, "devices");
        this.dropped = Counter.builder("locomov.particle.events.dropped").tag("listener", listener)
                .description("events not sent to subscribed devices because the hand-off queue was full")
                .register(registry);
        this.router = Thread.ofPlatform().name("locomov-particle-events").daemon().unstarted(this::run);
    }

    /** Starts taking device and user events. */
    void start(DeviceEvents deviceEvents, UserEvents userEvents) {
        router.start();
        watches.add(deviceEvents.subscribe(event -> handOff(new Routed(event.deviceId(), null, event.name(),
                event.data(), event.isPrivate()))));
        watches.add(userEvents.subscribe(event -> handOff(new Routed(null, event.subId(), event.name(), event.data(),
                event.isPrivate()))));
    }

    /** Adds a subscription of {@code connection}'s device; from its event loop. */
    void subscribe(ParticleConnection connection, EventSubscription subscription) {
        subscriptions.compute(connection, (owner, existing) -> {
            if (existing != null && existing.contains(subscription)) {
                return existing;
            }
            List<EventSubscription> next = new ArrayList<>(existing == null ? List.of() : existing);
            next.add(subscription);
            return List.copyOf(next);
        });
    }

    /** Forgets {@code connection}'s subscriptions; from its event loop when it closes. */
    void unsubscribe(ParticleConnection connection) {
        subscriptions.remove(connection);
    }

    private void handOff(Routed event) {
        if (!closed && !subscriptions.isEmpty() && !handoff.offer(event)) {
            dropped.increment();
        }
    }

    private void run() {
        while (!closed) {
            try {
                Routed event = handoff.poll(1, TimeUnit.SECONDS);
                if (event != null) {
                    route(event);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("{} could not send an event to subscribed devices: {}", listener, e.getMessage());
            }
        }
    }

    private void route(Routed event) {
        Map<ParticleConnection, List<EventSubscription>> candidates = new LinkedHashMap<>();
        subscriptions.forEach((connection, wanted) -> {
            if (!Objects.equals(event.sourceDeviceId(), connection.deviceId())
                    && wanted.stream().anyMatch(subscription -> event.name().startsWith(subscription.prefix()))) {
                candidates.put(connection, wanted);
            }
        });
        if (candidates.isEmpty()) {
            return;
        }
        Set<Long> deviceIds = new HashSet<>();
        candidates.keySet().forEach(connection -> deviceIds.add(connection.deviceId()));
        if (event.sourceDeviceId() != null) {
            deviceIds.add(event.sourceDeviceId());
        }
        Map<Long, DeviceOwner> owners = devices.owners(deviceIds).join();
        DeviceOwner source = event.sourceDeviceId() == null ? null : owners.get(event.sourceDeviceId());
        Long eventOwner = event.sourceDeviceId() == null ? event.publisher() : source == null ? null : source.subId();
        String sourceParticleId = source == null ? null : source.particleId();
        candidates.forEach((connection, wanted) -> {
            DeviceOwner subscriber = owners.get(connection.deviceId());
            Long subscriberOwner = subscriber == null ? null : subscriber.subId();
            if (wanted.stream().anyMatch(subscription -> subscription.admits(event.name(), event.isPrivate(), eventOwner,
                    sourceParticleId, subscriberOwner))) {
                connection.deliverEvent(event.name(), event.data(), !event.isPrivate());
            }
        });
    }

    /** Stops taking events; those not yet routed are not sent. */
    @Override
    public void close() {
        closed = true;
        for (AutoCloseable watch : watches) {
            try {
                watch.close();
            } catch (Exception e) {
                log.debug("{} could not stop watching events: {}", listener, e.toString());
            }
        }
        router.interrupt();
        subscriptions.clear();
    }
}
