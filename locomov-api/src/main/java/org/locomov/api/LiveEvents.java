package org.locomov.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.locomov.core.CommitListener;
import org.locomov.core.Reading;
import org.locomov.store.DeviceAdmin;

/**
 * The live-event streams of {@code GET /api/v1/events}: committed readings, and changes of commands, device
 * events and update jobs (on any node), each shown to the streams of callers allowed to see its device.
 *
 * <p>Threads: {@link #committed} is called on the batch writer's thread, {@link #announce} on the device
 * plane's; both only hand off to the {@link EventStreamHub}, whose dispatcher looks up the owners of the
 * devices (only while a stream of a non-admin is open).
 */
final class LiveEvents implements CommitListener, AutoCloseable {

    /** Batches waiting for the dispatcher. */
    static final int HANDOFF_BATCHES = 1_024;
    /** Items waiting for one stream's connection. */
    static final int STREAM_QUEUE = 4_096;

    static final EventStream.Framing<LiveItem> FRAMING = new EventStream.Framing<>() {
        @Override
        public String opening() {
            return "locomov live readings";
        }

        @Override
        public String keepAlive() {
            return "keep-alive";
        }

        @Override
        public String name(LiveItem item) {
            return item.event();
        }

        @Override
        public Object body(LiveItem item) {
            return item.body();
        }
    };

    private final DeviceAdmin devices;
    private final EventStreamHub<LiveItem, LiveItem> hub;

    LiveEvents(DeviceAdmin devices, int maxClients, MeterRegistry registry) {
        this.devices = devices;
        Counter dropped = Counter.builder("locomov.api.events.dropped.batches")
                .description("committed batches not announced as live events because the hand-off queue was full")
                .register(registry);
        this.hub = new EventStreamHub<>("live events", HANDOFF_BATCHES, STREAM_QUEUE, maxClients, this::withOwners,
                dropped);
        Gauge.builder("locomov.api.events.subscribers", hub, EventStreamHub::openStreams)
                .description("open live-event streams").register(registry);
    }

    void start() {
        hub.start();
    }

    /** Called on the writer's thread after commit: hands off and returns at once. */
    @Override
    public void committed(List<Reading> readings) {
        if (hub.openStreams() > 0) {
            hub.handOff(readings.stream().map(reading -> new LiveItem("reading", reading.deviceId(),
                    ApiJson.LiveReading.of(reading))).toList());
        }
    }

    /** A command, device event or update job changed: hands off and returns at once. */
    void announce(LiveItem item) {
        hub.handOff(List.of(item));
    }

    /**
     * A new stream for {@code caller}, for one device or (when {@code deviceId} is null) for every device the
     * caller may see; empty when the client limit is reached.
     */
    Optional<EventStream<LiveItem>> subscribe(Caller caller, Long deviceId, String peer) {
        return hub.open(caller, peer, item -> (deviceId == null || deviceId == item.deviceId())
                && caller.maySee(item.owner()));
    }

    private List<LiveItem> withOwners(List<LiveItem> batch) {
        if (!hub.anyNonAdmin()) {
            return batch;
        }
        Set<Long> deviceIds = batch.stream().map(LiveItem::deviceId).collect(Collectors.toSet());
        Map<Long, Long> creators = devices.creatorsOf(deviceIds);
        return batch.stream().map(item -> item.ownedBy(creators.get(item.deviceId()))).toList();
    }

    /** Ends every stream and stops the dispatcher. */
    @Override
    public void close() {
        hub.close();
    }
}
