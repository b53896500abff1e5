package org.locomov.mqtt;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.locomov.core.command.Commands;
import org.locomov.core.firmware.FirmwareJobStatus;
import org.locomov.core.firmware.FirmwareJobs;

/**
 * Command answers and firmware reports as the listener hands them over, recorded so that a test can hand a
 * session a command or an offer directly and assert the answer, without making the command or job rows the API
 * makes (the API's path is tested by the server's MqttCommandsIT). Thread-safe (copy-on-write lists).
 */
final class RecordingPlaneParts {

    record Answer(long deviceId, long commandId, boolean ok, String payloadJson) {
    }

    record Report(long deviceId, long jobId, FirmwareJobStatus status, long bytes, String error) {
    }

    final List<Answer> answers = new CopyOnWriteArrayList<>();
    final List<Report> reports = new CopyOnWriteArrayList<>();
    /** Command ids waiting for an answer; others are NOT_WAITING. */
    final List<Long> waiting = new CopyOnWriteArrayList<>();

    final Commands commands = (deviceId, commandId, ok, payloadJson) -> {
        if (!waiting.remove(commandId)) {
            return CompletableFuture.completedFuture(Commands.AnswerOutcome.NOT_WAITING);
        }
        answers.add(new Answer(deviceId, commandId, ok, payloadJson));
        return CompletableFuture.completedFuture(Commands.AnswerOutcome.RECORDED);
    };

    final FirmwareJobs firmware = new FirmwareJobs() {
        @Override
        public CompletableFuture<Void> report(long deviceId, long jobId, FirmwareJobStatus status, long bytes,
                String error) {
            reports.add(new Report(deviceId, jobId, status, bytes, error));
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<byte[]> image(long firmwareId) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException("MQTT devices fetch images themselves"));
        }
    };
}
