package org.locomov.mqtt;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.locomov.core.command.Commands;
import org.locomov.core.event.DeviceEvent;
import org.locomov.core.event.DeviceEvents;
import org.locomov.core.firmware.FirmwareJobStatus;
import org.locomov.core.firmware.FirmwareJobs;

/**
 * The device-plane parts whose PostgreSQL implementations are being built on another branch (events, command
 * answers, firmware reports): they record what the listener hands them, so a test can assert it. Readings,
 * identity and devices are the real, database-backed ones. Thread-safe (copy-on-write lists).
 */
final class RecordingPlaneParts {

    record Answer(long deviceId, long commandId, boolean ok, String payloadJson) {
    }

    record Report(long deviceId, long jobId, FirmwareJobStatus status, long bytes, String error) {
    }

    final List<DeviceEvent> events = new CopyOnWriteArrayList<>();
    final List<Answer> answers = new CopyOnWriteArrayList<>();
    final List<Report> reports = new CopyOnWriteArrayList<>();
    /** Command ids waiting for an answer; others are NOT_WAITING. */
    final List<Long> waiting = new CopyOnWriteArrayList<>();

    /** Command answers, recorded. */
    final Commands commands = new Commands() {
        @Override
        public CompletableFuture<AnswerOutcome> answer(long deviceId, long commandId, boolean ok, String payloadJson) {
            if (!waiting.remove(commandId)) {
                return CompletableFuture.completedFuture(AnswerOutcome.NOT_WAITING);
            }
            answers.add(new Answer(deviceId, commandId, ok, payloadJson));
            return CompletableFuture.completedFuture(AnswerOutcome.RECORDED);
        }
    };

    /** Device events, recorded. */
    final DeviceEvents deviceEvents = new DeviceEvents() {

        @Override
        public CompletableFuture<Void> publish(DeviceEvent event) {
            events.add(event);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void whenCapacity(Runnable task) {
            task.run();
        }

        @Override
        public AutoCloseable subscribe(Consumer<DeviceEvent> subscriber) {
            return () -> { };
        }
    };

    /** Firmware reports, recorded. */
    final FirmwareJobs firmware = new FirmwareJobs() {

        @Override
        public CompletableFuture<Void> report(long deviceId, long jobId, FirmwareJobStatus status, long bytes, String error) {
            reports.add(new Report(deviceId, jobId, status, bytes, error));
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<byte[]> image(long firmwareId) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException("MQTT devices fetch images themselves"));
        }
    };
}
