package org.locomov.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Header;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.locomov.core.firmware.FirmwareJob;
import org.locomov.core.identity.DeviceIdentity;
import org.locomov.core.identity.Identity;
import org.locomov.store.DeviceAdmin;
import org.locomov.store.plane.FirmwareRows;
import org.locomov.store.plane.FirmwareRows.Firmware;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Firmware images and update jobs (decision 1103): upload an image ({@code POST /api/v1/firmware?name&version},
 * the image as the body, at most {@code --firmware-max-bytes}; its SHA-256 is computed and kept), list them,
 * make an update job for a device, list and read a device's jobs, and the image download a device makes with
 * its own device token ({@code GET /api/v1/firmware/{id}/image}, with single {@code Range} requests).
 *
 * <p>A user sees and uses the images they uploaded, an admin all; jobs follow device ownership (another user's
 * device is a 404). A device may fetch an image only when it has an update job for it.
 */
final class FirmwareRoutes implements RouteGroup {

    static final int MAX_NAME_LENGTH = 100;
    static final int JOB_LIST_LIMIT = 100;
    private static final String BEARER = "Bearer ";
    private static final long TOKEN_CHECK_TIMEOUT_SECONDS = 10;
    private static final Logger log = LoggerFactory.getLogger(FirmwareRoutes.class);

    private final Authenticator auth;
    private final DeviceAdmin devices;
    private final FirmwareRows rows;
    private final DeviceIdentity identity;
    private final ObjectMapper mapper;
    private final int maxBytes;

    FirmwareRoutes(Authenticator auth, DeviceAdmin devices, FirmwareRows rows, DeviceIdentity identity, ObjectMapper mapper,
            int maxBytes) {
        this.auth = auth;
        this.devices = devices;
        this.rows = rows;
        this.identity = identity;
        this.mapper = mapper;
        this.maxBytes = maxBytes;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.post("/api/v1/firmware", auth.require(this::upload));
        routes.get("/api/v1/firmware", auth.require(this::list));
        routes.get("/api/v1/firmware/{id}/image", this::image);
        routes.post("/api/v1/devices/{id}/firmware", auth.require(this::createJob));
        routes.get("/api/v1/devices/{id}/firmware", auth.require(this::jobs));
        routes.get("/api/v1/devices/{id}/firmware/{jid}", auth.require(this::job));
    }

    private void upload(Context ctx, Caller caller) throws IOException {
        String name = requiredText(ctx, "name");
        String version = requiredText(ctx, "version");
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            throw tooLarge();
        }
        byte[] image;
        try (InputStream body = ctx.bodyInputStream()) {
            image = body.readNBytes(maxBytes + 1);
        }
        if (image.length > maxBytes) {
            throw tooLarge();
        }
        if (image.length == 0) {
            throw ApiProblem.badRequest("the body must be the firmware image; it was empty");
        }
        Firmware stored = rows.upload(name, version, image, sha256(image), caller.subId())
                .orElseThrow(() -> ApiProblem.conflict("firmware " + name + " " + version + " exists already"));
        log.info("Firmware {} {} uploaded by {}: {} bytes, SHA-256 {}", name, version, caller.email(), stored.size(),
                stored.sha256Hex());
        ctx.status(HttpStatus.CREATED).header("Location", "/api/v1/firmware/" + stored.id())
                .json(ApiJson.FirmwareJson.of(stored));
    }

    private ApiProblem tooLarge() {
        return new ApiProblem(HttpStatus.CONTENT_TOO_LARGE, "too_large",
                "a firmware image may have at most " + maxBytes + " bytes (--firmware-max-bytes)");
    }

    private void list(Context ctx, Caller caller) {
        ctx.json(Map.of("firmware", rows.list(caller.ownerFilter()).stream().map(ApiJson.FirmwareJson::of).toList()));
    }

    private void createJob(Context ctx, Caller caller) {
        long deviceId = visibleDevice(ctx, caller);
        long firmwareId = JsonBody.of(ctx, mapper).requiredLong("firmware");
        if (rows.find(firmwareId, caller.ownerFilter()).isEmpty()) {
            throw ApiProblem.notFound("no firmware " + firmwareId);
        }
        FirmwareJob job = rows.createJob(deviceId, firmwareId, caller.subId());
        ctx.status(HttpStatus.CREATED).header("Location", "/api/v1/devices/" + deviceId + "/firmware/" + job.id())
                .json(ApiJson.FirmwareJobJson.of(job));
    }

    private void jobs(Context ctx, Caller caller) {
        long deviceId = visibleDevice(ctx, caller);
        ctx.json(Map.of("jobs", rows.jobs(deviceId, JOB_LIST_LIMIT).stream().map(ApiJson.FirmwareJobJson::of).toList()));
    }

    private void job(Context ctx, Caller caller) {
        long deviceId = visibleDevice(ctx, caller);
        long jobId = Params.pathLong(ctx, "jid");
        ctx.json(ApiJson.FirmwareJobJson.of(rows.job(deviceId, jobId)
                .orElseThrow(() -> ApiProblem.notFound("no update job " + jobId + " for device " + deviceId))));
    }

    /** The image, for a device with an update job for it, whole or the one byte range it asks for. */
    private void image(Context ctx) throws InterruptedException {
        long firmwareId = Params.pathLong(ctx, "id");
        Optional<Long> deviceId = device(ctx);
        if (deviceId.isEmpty()) {
            return;
        }
        if (!rows.hasJob(deviceId.get(), firmwareId)) {
            throw ApiProblem.notFound("no firmware " + firmwareId + " for device " + deviceId.get());
        }
        Firmware firmware = rows.find(firmwareId, null).orElseThrow(() -> ApiProblem.notFound("no firmware " + firmwareId));
        ByteRange range;
        try {
            range = ByteRange.parse(ctx.header(Header.RANGE), firmware.size());
        } catch (ByteRange.Unsatisfiable e) {
            log.info("API refused {} {} from {}: {}", ctx.method(), ctx.path(), ctx.ip(), e.getMessage());
            ctx.header(Header.CONTENT_RANGE, "bytes */" + firmware.size());
            ErrorReplies.reply(ctx, HttpStatus.RANGE_NOT_SATISFIABLE, "range_not_satisfiable", e.getMessage());
            return;
        }
        byte[] bytes = rows.read(firmwareId, range.first(), (int) range.length())
                .orElseThrow(() -> ApiProblem.notFound("no firmware " + firmwareId));
        ctx.header(Header.ACCEPT_RANGES, "bytes");
        ctx.header(Header.ETAG, "\"" + firmware.sha256Hex() + "\"");
        ctx.contentType("application/octet-stream");
        if (range.partial()) {
            ctx.status(HttpStatus.PARTIAL_CONTENT);
            ctx.header(Header.CONTENT_RANGE, "bytes " + range.first() + "-" + range.last() + "/" + firmware.size());
        }
        ctx.result(bytes);
    }

    /** The device whose token the request carries, or empty after answering 401. */
    private Optional<Long> device(Context ctx) throws InterruptedException {
        String header = ctx.header(Header.AUTHORIZATION);
        String reason;
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            reason = header == null ? "no Authorization header" : "Authorization is not a Bearer token";
        } else {
            try {
                Identity found = identity.byToken(header.substring(BEARER.length()).strip())
                        .get(TOKEN_CHECK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                if (found instanceof Identity.Identified identified) {
                    return Optional.of(identified.deviceId());
                }
                reason = ((Identity.Refused) found).refusal().reason();
            } catch (ExecutionException | TimeoutException e) {
                throw new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "storage_unavailable",
                        "the device token could not be checked; try again later");
            }
        }
        log.info("API refused {} {} from {}: {}", ctx.method(), ctx.path(), ctx.ip(), reason);
        ctx.header(Header.WWW_AUTHENTICATE, "Bearer realm=\"locomov devices\"");
        ErrorReplies.reply(ctx, HttpStatus.UNAUTHORIZED, "unauthorized", "send the device's token as Authorization: Bearer <token>");
        return Optional.empty();
    }

    private long visibleDevice(Context ctx, Caller caller) {
        long deviceId = Params.pathLong(ctx, "id");
        if (devices.find(deviceId, caller.deviceScope()).isEmpty()) {
            throw DeviceRoutes.notFound(deviceId);
        }
        return deviceId;
    }

    private static String requiredText(Context ctx, String parameter) {
        String value = ctx.queryParam(parameter);
        if (value == null || value.isBlank() || value.length() > MAX_NAME_LENGTH) {
            throw ApiProblem.badRequest(parameter + " is required, 1 to " + MAX_NAME_LENGTH + " characters");
        }
        return value.strip();
    }

    private static byte[] sha256(byte[] image) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(image);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
