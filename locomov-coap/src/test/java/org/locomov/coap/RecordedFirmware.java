package org.locomov.coap;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.locomov.core.firmware.FirmwareJobStatus;
import org.locomov.core.firmware.FirmwareJobs;

/** Firmware images and job reports kept in memory: the PostgreSQL implementation is on branch plane-services. */
final class RecordedFirmware implements FirmwareJobs {

    record Report(long deviceId, long jobId, FirmwareJobStatus status, long bytes, String error) {
    }

    final Map<Long, byte[]> images = new ConcurrentHashMap<>();
    final List<Report> reports = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<Void> report(long deviceId, long jobId, FirmwareJobStatus status, long bytes, String error) {
        reports.add(new Report(deviceId, jobId, status, bytes, error));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<byte[]> image(long firmwareId) {
        byte[] image = images.get(firmwareId);
        return image == null ? CompletableFuture.failedFuture(new IllegalStateException("no firmware " + firmwareId))
                : CompletableFuture.completedFuture(image);
    }
}
