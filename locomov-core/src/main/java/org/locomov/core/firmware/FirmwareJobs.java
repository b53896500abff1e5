package org.locomov.core.firmware;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What a transport tells the device plane about firmware update jobs, and where it reads an image it
 * sends itself. Jobs reach a session through {@link org.locomov.core.session.DeviceSession#offer}.
 *
 * <p>Thread-safe and non-blocking.
 */
public interface FirmwareJobs {

    /**
     * Progress of job {@code jobId} on device {@code deviceId}. Reports for a job that is not the device's
     * or already final change nothing.
     *
     * @param bytes how many bytes of the image the device has
     * @param error why it failed; nullable unless {@code status} is {@link FirmwareJobStatus#FAILED}
     */
    CompletableFuture<Void> report(long deviceId, long jobId, FirmwareJobStatus status, long bytes, String error);

    /** The image of firmware {@code firmwareId}, for transports that push it to the device. */
    CompletableFuture<byte[]> image(long firmwareId);

    /**
     * Calls {@code subscriber} with every update job as it is after each change committed from now on, on any
     * node, on a dispatcher thread (it must not block). Close the returned handle to stop. Default: none.
     */
    default AutoCloseable watch(Consumer<FirmwareJob> subscriber) {
        return () -> { };
    }
}
