package org.locomov.core.firmware;

import java.util.Objects;

/**
 * A firmware update job as a device session is handed it: which image, how big, its SHA-256, and the API
 * path where a device that fetches images itself gets it ({@code GET /api/v1/firmware/{id}/image}, with
 * its device token and {@code Range}). A transport that carries updates out itself (Particle OTA) reads
 * the image through {@link FirmwareJobs#image}.
 *
 * @param jobId      the update job
 * @param deviceId   the device it is for
 * @param firmwareId the image
 * @param name       the image's name
 * @param version    the image's version
 * @param size       bytes
 * @param sha256Hex  lower-case hex
 * @param imagePath  the API path of the image, e.g. {@code /api/v1/firmware/7/image}
 */
public record FirmwareOffer(long jobId, long deviceId, long firmwareId, String name, String version, long size,
        String sha256Hex, String imagePath) {

    public FirmwareOffer {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(sha256Hex, "sha256Hex");
        Objects.requireNonNull(imagePath, "imagePath");
    }
}
