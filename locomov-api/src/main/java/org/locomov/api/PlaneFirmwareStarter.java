package org.locomov.api;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.locomov.store.plane.FirmwareRows;
import org.locomov.store.plane.FirmwareRows.Firmware;

/**
 * {@link FirmwareStarter} on the device plane's firmware tables: the image is stored under its file's name and
 * version {@code flash-} + the first 12 hex digits of its SHA-256 (the same binary flashed again reuses it),
 * then an update job is made, which its trigger announces to the node that holds the device's session
 * (decision 1024).
 *
 * <p>Thread-safe: stateless.
 */
final class PlaneFirmwareStarter implements FirmwareStarter {

    private final FirmwareRows rows;

    PlaneFirmwareStarter(FirmwareRows rows) {
        this.rows = rows;
    }

    @Override
    public long start(long deviceId, String fileName, byte[] image, long createdBy) {
        byte[] sha256 = sha256(image);
        String name = fileName.length() > 100 ? fileName.substring(0, 100) : fileName;
        String version = "flash-" + HexFormat.of().formatHex(sha256).substring(0, 12);
        Firmware firmware = rows.upload(name, version, image, sha256, createdBy)
                .or(() -> rows.list(null).stream()
                        .filter(stored -> stored.name().equals(name) && stored.version().equals(version))
                        .findFirst())
                .orElseThrow(() -> new IllegalStateException("firmware " + name + " " + version + " vanished"));
        return rows.createJob(deviceId, firmware.id(), createdBy).id();
    }

    private static byte[] sha256(byte[] image) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(image);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
