package org.locomov.server;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.locomov.core.command.Commands;
import org.locomov.core.event.DeviceEvent;
import org.locomov.core.event.DeviceEvents;
import org.locomov.core.firmware.FirmwareJobStatus;
import org.locomov.core.firmware.FirmwareJobs;

/**
 * TEMPORARY (issue 7 work in progress): the parts of the device plane whose database-backed implementations
 * are being built on another branch. Every call fails; no listener of this branch uses them yet.
 */
final class DevicePlaneStandIns implements Commands, DeviceEvents, FirmwareJobs {

    private static <T> CompletableFuture<T> unavailable() {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("not wired yet"));
    }

    @Override
    public CompletableFuture<AnswerOutcome> answer(long deviceId, long commandId, boolean ok, String payloadJson) {
        return unavailable();
    }

    @Override
    public CompletableFuture<Void> publish(DeviceEvent event) {
        return unavailable();
    }

    @Override
    public void whenCapacity(Runnable task) {
        task.run();
    }

    @Override
    public AutoCloseable subscribe(Consumer<DeviceEvent> subscriber) {
        return () -> { };
    }

    @Override
    public CompletableFuture<Void> report(long deviceId, long jobId, FirmwareJobStatus status, long bytes, String error) {
        return unavailable();
    }

    @Override
    public CompletableFuture<byte[]> image(long firmwareId) {
        return unavailable();
    }
}
