package org.locomov.api;

/**
 * Starts a firmware update through the device plane: stores the image and makes an update job for the device,
 * which the transport holding its session carries out (Particle OTA).
 */
@FunctionalInterface
interface FirmwareStarter {

    /** @return the update job's id */
    long start(long deviceId, String fileName, byte[] image, long createdBy);
}
