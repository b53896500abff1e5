package org.locomov.api;

import io.javalin.http.HttpStatus;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.locomov.store.ParticleCloudDevices.View;

/**
 * {@code particle flash <device> FILE.bin}: the multipart {@code file} of {@code PUT /v1/devices/:id} becomes a
 * firmware image and an update job for the device (decision 1024). Only binaries: locomov compiles nothing, so
 * source files are refused with a message saying so.
 */
final class ParticleFlash {

    private final FirmwareStarter starter;
    private final long maxImageBytes;

    ParticleFlash(FirmwareStarter starter, long maxImageBytes) {
        this.starter = starter;
        this.maxImageBytes = maxImageBytes;
    }

    Map<String, Object> flash(View device, UploadedFile file, Caller caller) {
        // Some clients send the path they read the file from; the image is named by the file's own name.
        String sent = file.filename() == null ? "firmware.bin" : file.filename();
        String name = sent.substring(Math.max(sent.lastIndexOf('/'), sent.lastIndexOf('\\')) + 1);
        if (!name.endsWith(".bin")) {
            throw ParticleProblem.badRequest("locomov flashes binaries (.bin) only; compile " + name + " first");
        }
        if (file.size() <= 0 || file.size() > maxImageBytes) {
            throw ParticleProblem.of(HttpStatus.CONTENT_TOO_LARGE, "Bad Request",
                    "a firmware image must be 1 to " + maxImageBytes + " bytes, " + name + " has " + file.size());
        }
        byte[] image;
        try (InputStream content = file.content()) {
            image = content.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the uploaded firmware", e);
        }
        long job = starter.start(device.deviceId(), name, image, caller.subId());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", device.particleId());
        body.put("status", "Update started");
        body.put("ok", true);
        body.put("job_id", job);
        return body;
    }
}
