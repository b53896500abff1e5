package org.locomov.core.firmware;

import java.time.Instant;
import java.util.Objects;

/**
 * A firmware update job as it stands: which device gets which image, where it is, how far it got.
 *
 * @param id         the job
 * @param deviceId   the device it updates
 * @param firmwareId the image
 * @param status     where it is
 * @param bytes      how many bytes of the image the device has
 * @param error      why it failed; null unless {@link FirmwareJobStatus#FAILED}
 * @param createdAt  when it was made
 * @param updatedAt  its last change
 * @param finishedAt when it became final; nullable
 */
public record FirmwareJob(long id, long deviceId, long firmwareId, FirmwareJobStatus status, long bytes, String error,
        Instant createdAt, Instant updatedAt, Instant finishedAt) {

    /** Longest error kept, in characters. */
    public static final int MAX_ERROR_LENGTH = 1_000;

    public FirmwareJob {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}
