package org.locomov.mov;

import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import org.locomov.core.ConnectedDevices;
import org.locomov.core.DeviceDirectory;
import org.locomov.core.DeviceStatus;
import org.locomov.core.Ingest;
import org.locomov.core.Reading;

/**
 * The mov listener's step after framing: decode the packet into a {@link Reading}, check its device,
 * submit it to {@link Ingest}, and reply {@code Thank you.} once it is committed.
 *
 * <p>Backpressure: when the ingest queue is full the reading is held here, not dropped, and submitted
 * again from the connection's event loop once {@link Ingest#whenCapacity} says there is room. Until
 * then the reply future is incomplete, so the connection reads nothing more.
 *
 * <p>Online state: once a reading of a device is committed, the connection it came on reports that
 * device online in {@link ConnectedDevices} until it closes ({@link ConnectionDevices}).
 *
 * <p>Stateless and shared by every connection of a listener; thread-safe because each call works only
 * on its own reading and future, and per-connection state is touched only on that connection's event loop.
 */
public final class ReadingProcessor implements PacketProcessor {

    private final MovPacketDecoder decoder = new MovPacketDecoder();
    private final DeviceDirectory devices;
    private final Ingest ingest;
    private final ConnectedDevices connected;
    private final Clock clock;

    /** A processor whose online state nobody reads (tools, tests). */
    public ReadingProcessor(DeviceDirectory devices, Ingest ingest) {
        this(devices, ingest, new ConnectedDevices(), Clock.systemUTC());
    }

    public ReadingProcessor(DeviceDirectory devices, Ingest ingest, ConnectedDevices connected) {
        this(devices, ingest, connected, Clock.systemUTC());
    }

    public ReadingProcessor(DeviceDirectory devices, Ingest ingest, Clock clock) {
        this(devices, ingest, new ConnectedDevices(), clock);
    }

    public ReadingProcessor(DeviceDirectory devices, Ingest ingest, ConnectedDevices connected, Clock clock) {
        this.devices = Objects.requireNonNull(devices, "devices");
        this.ingest = Objects.requireNonNull(ingest, "ingest");
        this.connected = Objects.requireNonNull(connected, "connected");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public CompletableFuture<Reply> process(JsonFrame packet, PacketContext context) {
        return switch (decoder.decode(packet.bytes(), clock.instant())) {
            case DecodeResult.Refused<Reading>(Refusal refusal) -> CompletableFuture.completedFuture(refusal);
            case DecodeResult.Decoded<Reading>(Reading reading) -> checkThenStore(reading, context);
        };
    }

    private CompletableFuture<Reply> checkThenStore(Reading reading, PacketContext context) {
        long id = reading.deviceId();
        return devices.check(id)
                .thenCompose(status -> status == DeviceStatus.KNOWN
                        ? store(reading, context)
                        : CompletableFuture.<Reply>completedFuture(refusalFor(status, id)))
                .exceptionally(failure -> IngestFailures.refusalFor(failure, id));
    }

    private static Refusal refusalFor(DeviceStatus status, long id) {
        return switch (status) {
            case UNKNOWN -> new Refusal(RefusalKind.UNKNOWN_DEVICE, "unknown device " + id, id);
            case REVOKED -> new Refusal(RefusalKind.REVOKED_DEVICE, "device " + id + " is revoked", id);
            case KNOWN -> throw new IllegalArgumentException("a known device is not refused");
        };
    }

    private CompletableFuture<Reply> store(Reading reading, PacketContext context) {
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        submit(reading, context, reply);
        return reply;
    }

    private void submit(Reading reading, PacketContext context, CompletableFuture<Reply> reply) {
        CompletableFuture<Void> committed = ingest.submit(reading);
        if (committed == null) {
            ingest.whenCapacity(() -> context.execute(() -> submit(reading, context, reply)));
            return;
        }
        committed.whenComplete((ignored, failure) -> {
            if (failure != null) {
                reply.complete(IngestFailures.refusalFor(failure, reading.deviceId()));
                return;
            }
            // Online before the ack is written; when the listener has stopped the task is dropped, and
            // so is the reply, which has no connection left to go to.
            context.execute(() -> {
                context.devices().online(reading.deviceId(), connected);
                reply.complete(Reply.THANK_YOU);
            });
        });
    }
}
