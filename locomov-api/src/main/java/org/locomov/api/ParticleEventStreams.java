package org.locomov.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.locomov.core.event.DeviceEvent;
import org.locomov.core.event.DeviceEvents;
import org.locomov.core.event.UserEvent;
import org.locomov.core.event.UserEvents;
import org.locomov.store.DeviceAdmin;
import org.locomov.store.ParticleCloudDevices;
import org.locomov.store.ParticleCloudDevices.View;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Particle event streams: device events (committed, from any node) and events users published through the
 * API (announced to every node), in Particle's framing ({@code event: NAME}, then {@code data:
 * {"data","ttl","published_at","coreid"}}). The device plane's dispatcher only hands off to the
 * {@link EventStreamHub}, whose thread looks up each device event's owner and Particle id.
 */
final class ParticleEventStreams implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ParticleEventStreams.class);
    static final int HANDOFF_EVENTS = 4_096;
    static final int STREAM_QUEUE = 1_024;
    private static final String API_COREID = "api";

    static final EventStream.Framing<ParticleStreamEvent> FRAMING = new EventStream.Framing<>() {
        @Override
        public String opening() {
            return "ok";
        }

        @Override
        public String keepAlive() {
            return "";
        }

        @Override
        public String name(ParticleStreamEvent event) {
            return event.name();
        }

        @Override
        public Object body(ParticleStreamEvent event) {
            return ParticleJson.event(event.data(), event.publishedAt(), event.coreid());
        }
    };

    private final ParticleCloudDevices particleDevices;
    private final DeviceAdmin devices;
    private final EventStreamHub<Object, ParticleStreamEvent> hub;
    private final AutoCloseable deviceWatch;
    private final AutoCloseable userWatch;

    ParticleEventStreams(DeviceEvents deviceEvents, UserEvents userEvents, ParticleCloudDevices particleDevices,
                         DeviceAdmin devices, int maxClients, MeterRegistry registry) {
        this.particleDevices = particleDevices;
        this.devices = devices;
        Counter dropped = Counter.builder("locomov.api.particle.events.dropped")
                .description("events not streamed to Particle event streams because the hand-off queue was full")
                .register(registry);
        this.hub = new EventStreamHub<>("particle events", HANDOFF_EVENTS, STREAM_QUEUE, maxClients,
                batch -> batch.stream().map(this::streamEvent).toList(), dropped);
        this.deviceWatch = deviceEvents.subscribe(event -> hub.handOff(List.of(event)));
        this.userWatch = userEvents.subscribe(event -> hub.handOff(List.of(event)));
    }

    void start() {
        hub.start();
    }

    /**
     * A new stream; empty when as many are open as allowed.
     *
     * @param deviceId    only this device's events; null for all the caller may see
     * @param devicesOnly without the events users published (a device's own stream)
     * @param prefix      only events whose name starts with it; null for all
     */
    Optional<EventStream<ParticleStreamEvent>> subscribe(Caller caller, Long deviceId, boolean devicesOnly,
                                                        String prefix, String peer) {
        return hub.open(caller, peer, event -> (prefix == null || event.name().startsWith(prefix))
                && (deviceId == null || deviceId.equals(event.deviceId()))
                && !(devicesOnly && event.deviceId() == null)
                && caller.maySee(event.owner()));
    }

    /** Frees the stream's place; idempotent. */
    void unsubscribe(EventStream<ParticleStreamEvent> stream) {
        hub.remove(stream);
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

    @Override
    public void close() {
        for (AutoCloseable watch : new AutoCloseable[] {deviceWatch, userWatch}) {
            try {
                watch.close();
            } catch (Exception e) {
                log.debug("Particle event streams: could not stop watching: {}", e.toString());
            }
        }
        hub.close();
    }
}
