package org.locomov.particle.testing;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.locomov.core.Confirmations;
import org.locomov.core.DevicePlane;
import org.locomov.core.DeviceStatus;
import org.locomov.core.Ingest;
import org.locomov.core.command.Commands;
import org.locomov.core.event.DeviceEvent;
import org.locomov.core.event.DeviceEvents;
import org.locomov.core.firmware.FirmwareJobStatus;
import org.locomov.core.firmware.FirmwareJobs;
import org.locomov.core.identity.DeviceIdentity;
import org.locomov.core.identity.Identity;
import org.locomov.core.identity.PskLookup;
import org.locomov.core.session.LocalDeviceSessions;

/**
 * The device-plane parts the Particle listener talks to, recording what it is told, for tests until the
 * PostgreSQL ones (branch plane-services) are merged: commands' answers, events (also announced to
 * subscribers), firmware reports and images. Readings go to the real {@link Ingest} given.
 *
 * <p>Thread-safe: concurrent collections.
 */
public final class RecordingDevicePlane {

    public record Answer(long deviceId, long commandId, boolean ok, String payloadJson) {
    }

    public record Report(long deviceId, long jobId, FirmwareJobStatus status, long bytes, String error) {
    }

    public final List<Answer> answers = new CopyOnWriteArrayList<>();
    public final List<DeviceEvent> events = new CopyOnWriteArrayList<>();
    public final List<Report> reports = new CopyOnWriteArrayList<>();
    public final Map<Long, byte[]> images = new ConcurrentHashMap<>();
    public final LocalDeviceSessions sessions = new LocalDeviceSessions();
    private final List<Consumer<DeviceEvent>> subscribers = new CopyOnWriteArrayList<>();

    /** The parts as the core interfaces, each recording into the lists above. */
    public final Commands commands = this::answer;
    public final DeviceEvents deviceEvents = new DeviceEvents() {
        @Override
        public CompletableFuture<Void> publish(DeviceEvent event) {
            return RecordingDevicePlane.this.publish(event);
        }

        @Override
        public void whenCapacity(Runnable task) {
            RecordingDevicePlane.this.whenCapacity(task);
        }

        @Override
        public AutoCloseable subscribe(Consumer<DeviceEvent> subscriber) {
            return RecordingDevicePlane.this.subscribe(subscriber);
        }
    };
    public final FirmwareJobs firmware = new FirmwareJobs() {
        @Override
        public CompletableFuture<Void> report(long deviceId, long jobId, FirmwareJobStatus status, long bytes, String error) {
            return RecordingDevicePlane.this.report(deviceId, jobId, status, bytes, error);
        }

        @Override
        public CompletableFuture<byte[]> image(long firmwareId) {
            return RecordingDevicePlane.this.image(firmwareId);
        }
    };

    /** A whole plane: these parts, {@code ingest}, local sessions, and stand-ins for what Particle never asks. */
    public DevicePlane plane(Ingest ingest) {
        return new DevicePlane(ingest, deviceId -> CompletableFuture.completedFuture(DeviceStatus.KNOWN),
                new NoIdentity(), sessions, commands, deviceEvents, firmware, post -> {
                    throw new UnsupportedOperationException("no confirmations on the Particle listener");
                });
    }

    public CompletableFuture<Commands.AnswerOutcome> answer(long deviceId, long commandId, boolean ok, String payloadJson) {
        answers.add(new Answer(deviceId, commandId, ok, payloadJson));
        return CompletableFuture.completedFuture(Commands.AnswerOutcome.RECORDED);
    }

    public CompletableFuture<Void> publish(DeviceEvent event) {
        events.add(event);
        subscribers.forEach(subscriber -> subscriber.accept(event));
        return CompletableFuture.completedFuture(null);
    }

    public void whenCapacity(Runnable task) {
        task.run();
    }

    public AutoCloseable subscribe(Consumer<DeviceEvent> subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    public CompletableFuture<Void> report(long deviceId, long jobId, FirmwareJobStatus status, long bytes, String error) {
        reports.add(new Report(deviceId, jobId, status, bytes, error));
        return CompletableFuture.completedFuture(null);
    }

    public CompletableFuture<byte[]> image(long firmwareId) {
        byte[] image = images.get(firmwareId);
        return image == null ? CompletableFuture.failedFuture(new IllegalArgumentException("no firmware " + firmwareId))
                : CompletableFuture.completedFuture(image.clone());
    }

    private static final class NoIdentity implements DeviceIdentity {
        @Override
        public CompletableFuture<Identity> byCertificate(List<X509Certificate> chain) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException());
        }

        @Override
        public CompletableFuture<Identity> byToken(long deviceId, String token) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException());
        }

        @Override
        public CompletableFuture<Identity> byToken(String token) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException());
        }

        @Override
        public CompletableFuture<PskLookup> byPskIdentity(String pskIdentity) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException());
        }

        @Override
        public List<X509Certificate> trustAnchors() {
            return List.of();
        }

        @Override
        public void onTrustAnchorsChanged(Runnable listener) {
        }
    }
}
