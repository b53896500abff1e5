package org.locomov.mqtt;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.locomov.core.DecodeResult;
import org.locomov.core.DevicePlane;
import org.locomov.core.IngestFailures;
import org.locomov.core.Reading;
import org.locomov.core.Refusal;
import org.locomov.core.RefusalKind;
import org.locomov.core.StorageUnavailableException;
import org.locomov.core.Transport;
import org.locomov.core.command.Commands.AnswerOutcome;
import org.locomov.core.event.DeviceEvent;
import org.locomov.mqtt.DeviceMessages.CommandAnswer;
import org.locomov.mqtt.DeviceMessages.FirmwareReport;
import org.locomov.mqtt.TopicTable.Target;
import org.locomov.transport.Backpressure;
import org.locomov.transport.Backpressure.BoundedQueue;
import org.locomov.transport.Backpressure.ReadPause;
import org.locomov.transport.JsonReadingDecoder;

/**
 * What a publish of an identified device becomes, by its topic's route: readings (one object, or an array
 * stored in one transaction), a device event, a command answer or a firmware report. The future completes
 * with the {@link PublishOutcome} once it is committed or refused — never before commit.
 *
 * <p>Storage unavailable is not a refusal here: the publish is submitted again (every
 * {@value #RETRY_SECONDS} s, after the ingest's own storage timeout) for as long as its connection is open,
 * so a QoS 1 publish is acknowledged once PostgreSQL is back, and not before (decision 1302).
 *
 * <p>Stateless and shared by every connection of a listener; each call works on its own publish.
 */
final class PublishProcessor {

    static final long RETRY_SECONDS = 1;

    /** Where the publish came from: the connection's event loop, read pause and whether it is still open. */
    record Origin(long deviceId, ScheduledExecutorService eventLoop, ReadPause pause, BooleanSupplier open) {
    }

    private final JsonReadingDecoder decoder = JsonReadingDecoder.json();
    private final DevicePlane plane;
    private final BoundedQueue<List<Reading>> readings;
    private final BoundedQueue<DeviceEvent> events;
    private final Clock clock;

    PublishProcessor(DevicePlane plane) {
        this.plane = plane;
        this.readings = new BoundedQueue<>() {
            @Override
            public CompletableFuture<Void> offer(List<Reading> batch) {
                return batch.size() == 1 ? plane.ingest().submit(batch.getFirst()) : plane.ingest().submitAll(batch);
            }

            @Override
            public void whenCapacity(Runnable task) {
                plane.ingest().whenCapacity(task);
            }
        };
        this.events = Backpressure.events(plane.events());
        this.clock = Clock.systemUTC();
    }

    CompletableFuture<PublishOutcome> process(Target target, byte[] payload, Origin origin) {
        long id = origin.deviceId();
        return switch (target.route()) {
            case READINGS -> switch (decoder.decodeReadings(payload, id, MqttSettings.MAX_READINGS_PER_MESSAGE,
                    clock.instant(), Transport.MQTT)) {
                case DecodeResult.Refused<List<Reading>>(Refusal refusal) -> refused(refusal);
                case DecodeResult.Decoded<List<Reading>>(List<Reading> decoded) -> store(readings, decoded, origin);
            };
            case EVENT -> event(target.eventName(), payload, origin);
            case COMMAND_RESPONSE -> answer(payload, id);
            case FIRMWARE_STATUS -> report(payload, id);
            case OTHER_DEVICE -> refused(new Refusal(RefusalKind.NOT_AUTHORISED,
                    "a device publishes only to its own topics, devices/" + id + "/...", id));
            case UNKNOWN -> refused(new Refusal(RefusalKind.NOT_AUTHORISED, "no such topic; devices/" + id
                    + "/readings, events/{name}, commands/response and firmware/status are taken", id));
        };
    }

    /** Stores a will (or any event) as device event {@code name}; completes after commit. */
    CompletableFuture<PublishOutcome> event(String name, byte[] payload, Origin origin) {
        String data = new String(payload, StandardCharsets.UTF_8);
        if (data.length() > DeviceEvent.MAX_DATA_LENGTH) {
            return refused(new Refusal(RefusalKind.OVERSIZE, "event data longer than " + DeviceEvent.MAX_DATA_LENGTH
                    + " characters", origin.deviceId()));
        }
        DeviceEvent event = new DeviceEvent(origin.deviceId(), name, data.isEmpty() ? null : data, clock.instant(),
                Transport.MQTT);
        return store(events, event, origin);
    }

    private <T> CompletableFuture<PublishOutcome> store(BoundedQueue<T> queue, T item, Origin origin) {
        CompletableFuture<PublishOutcome> outcome = new CompletableFuture<>();
        submit(queue, item, origin, outcome);
        return outcome;
    }

    private <T> void submit(BoundedQueue<T> queue, T item, Origin origin, CompletableFuture<PublishOutcome> outcome) {
        Backpressure.submit(queue, item, origin.eventLoop(), origin.pause()).whenComplete((ignored, failure) -> {
            if (failure == null) {
                outcome.complete(PublishOutcome.STORED);
            } else if (unwrap(failure) instanceof StorageUnavailableException && origin.open().getAsBoolean()) {
                retryLater(() -> submit(queue, item, origin, outcome), origin, outcome);
            } else {
                outcome.complete(PublishOutcome.refused(IngestFailures.refusalFor(failure, origin.deviceId())));
            }
        });
    }

    private static void retryLater(Runnable retry, Origin origin, CompletableFuture<PublishOutcome> outcome) {
        try {
            origin.eventLoop().schedule(retry, RETRY_SECONDS, TimeUnit.SECONDS);
        } catch (RejectedExecutionException stopped) {
            outcome.complete(PublishOutcome.refused(Refusal.of(RefusalKind.SHUTTING_DOWN, "server is shutting down")
                    .forDevice(origin.deviceId())));
        }
    }

    private CompletableFuture<PublishOutcome> answer(byte[] payload, long deviceId) {
        return switch (DeviceMessages.commandAnswer(payload)) {
            case DecodeResult.Refused<CommandAnswer>(Refusal refusal) -> refused(refusal.forDevice(deviceId));
            case DecodeResult.Decoded<CommandAnswer>(CommandAnswer answer) -> plane.commands()
                    .answer(deviceId, answer.commandId(), answer.ok(), answer.payloadJson())
                    .thenApply(recorded -> recorded == AnswerOutcome.RECORDED ? PublishOutcome.STORED
                            : PublishOutcome.NOBODY_WAITING)
                    .exceptionally(failure -> PublishOutcome.refused(IngestFailures.refusalFor(failure, deviceId)));
        };
    }

    private CompletableFuture<PublishOutcome> report(byte[] payload, long deviceId) {
        return switch (DeviceMessages.firmwareReport(payload)) {
            case DecodeResult.Refused<FirmwareReport>(Refusal refusal) -> refused(refusal.forDevice(deviceId));
            case DecodeResult.Decoded<FirmwareReport>(FirmwareReport report) -> plane.firmware()
                    .report(deviceId, report.jobId(), report.status(), report.bytes(), report.error())
                    .thenApply(done -> PublishOutcome.STORED)
                    .exceptionally(failure -> PublishOutcome.refused(IngestFailures.refusalFor(failure, deviceId)));
        };
    }

    private static CompletableFuture<PublishOutcome> refused(Refusal refusal) {
        return CompletableFuture.completedFuture(PublishOutcome.refused(refusal));
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
