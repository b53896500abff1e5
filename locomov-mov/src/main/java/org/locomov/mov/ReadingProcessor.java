package org.locomov.mov;

import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.locomov.core.DecodeResult;
import org.locomov.core.DeviceDirectory;
import org.locomov.core.DeviceStatus;
import org.locomov.core.Ingest;
import org.locomov.core.IngestFailures;
import org.locomov.core.Reading;
import org.locomov.core.Refusal;
import org.locomov.core.RefusalKind;
import org.locomov.core.Transport;
import org.locomov.core.session.DeviceSessions;
import org.locomov.transport.Backpressure;
import org.locomov.transport.Backpressure.BoundedQueue;
import org.locomov.transport.JsonReadingDecoder;

/**
 * The mov listener's step after framing: decode the packet into a {@link Reading}, check its device,
 * submit it to {@link Ingest}, and reply {@code Thank you.} once it is committed.
 *
 * <p>Backpressure ({@link Backpressure}): when the ingest queue is full the reading is held, not dropped,
 * and submitted again from the connection's event loop once there is room. Until then the reply future is
 * incomplete, so the packet keeps its place in the connection's window, which fills and stops reading.
 *
 * <p>Sessions: once a reading of a device is committed, the connection it came on holds a session for that
 * device in {@link DeviceSessions} until it closes ({@link ConnectionSessions}), so the device is online.
 *
 * <p>Stateless and shared by every connection of a listener; thread-safe because each call works only
 * on its own reading and future, and per-connection state is touched only on that connection's event loop.
 */
public final class ReadingProcessor implements PacketProcessor {

    private final JsonReadingDecoder decoder = JsonReadingDecoder.json();
    private final DeviceDirectory devices;
    private final BoundedQueue<Reading> ingest;
    private final DeviceSessions sessions;
    private final Clock clock;

    public ReadingProcessor(DeviceDirectory devices, Ingest ingest, DeviceSessions sessions) {
        this(devices, ingest, sessions, Clock.systemUTC());
    }

    public ReadingProcessor(DeviceDirectory devices, Ingest ingest, DeviceSessions sessions, Clock clock) {
        this.devices = Objects.requireNonNull(devices, "devices");
        this.ingest = Backpressure.readings(ingest);
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public CompletableFuture<Reply> process(JsonFrame packet, PacketContext context) {
        return switch (decoder.decodeObject(packet.bytes(), "packet", clock.instant(), Transport.MOV)) {
            case DecodeResult.Refused<Reading>(Refusal refusal) -> CompletableFuture.completedFuture(Reply.refused(refusal));
            case DecodeResult.Decoded<Reading>(Reading reading) -> checkThenStore(reading, context);
        };
    }

    private CompletableFuture<Reply> checkThenStore(Reading reading, PacketContext context) {
        long id = reading.deviceId();
        return devices.check(id)
                .thenCompose(status -> status == DeviceStatus.KNOWN
                        ? store(reading, context)
                        : CompletableFuture.completedFuture(Reply.refused(refusalFor(status, id))))
                .exceptionally(failure -> Reply.refused(IngestFailures.refusalFor(failure, id)));
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
        Backpressure.submit(ingest, reading, context.eventLoop(), Backpressure.ReadPause.NONE)
                .whenComplete((ignored, failure) -> {
                    if (failure != null) {
                        reply.complete(Reply.refused(IngestFailures.refusalFor(failure, reading.deviceId())));
                        return;
                    }
                    // Online before the ack is written; when the listener has stopped the task is dropped, and
                    // so is the reply, which has no connection left to go to.
                    context.execute(() -> {
                        context.sessions().online(reading.deviceId(), sessions);
                        reply.complete(Reply.THANK_YOU);
                    });
                });
        return reply;
    }
}
