package org.locomov.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPublicKey;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.locomov.core.session.DeviceDescription;
import org.locomov.core.session.DeviceSessions;
import org.locomov.particle.keys.ParticleIds;
import org.locomov.particle.keys.PgParticleDevices;
import org.locomov.particle.keys.RsaKeys;
import org.locomov.store.DeviceAdmin;
import org.locomov.store.ParticleCloudDevices;
import org.locomov.store.ParticleCloudDevices.ClaimOutcome;
import org.locomov.store.ParticleCloudDevices.View;
import org.locomov.store.PgDeviceDescriptions;
import org.locomov.store.StoreQueryException;

/**
 * The Particle Cloud API's devices: list, one device with its functions and variables, rename, claim, release,
 * and a device key sent for provisioning ({@code particle keys send}). {@code PUT /v1/devices/:id} also signals
 * and flashes ({@link ParticleCommands}, {@link ParticleFlash}). A device is named by its 24-hex Particle id or
 * its name; another user's device is answered as unknown (decision 1023).
 */
final class ParticleDeviceRoutes implements RouteGroup {

    private final ParticleAuth auth;
    private final ParticleCloudDevices devices;
    private final DeviceAdmin admin;
    private final PgParticleDevices keys;
    private final PgDeviceDescriptions descriptions;
    private final DeviceSessions sessions;
    private final ParticleCommands commands;
    private final ParticleFlash flash;
    private final ObjectMapper mapper;

    ParticleDeviceRoutes(ParticleAuth auth, ParticleCloudDevices devices, DeviceAdmin admin, PgParticleDevices keys,
                         PgDeviceDescriptions descriptions, DeviceSessions sessions, ParticleCommands commands,
                         ParticleFlash flash, ObjectMapper mapper) {
        this.auth = auth;
        this.devices = devices;
        this.admin = admin;
        this.keys = keys;
        this.descriptions = descriptions;
        this.sessions = sessions;
        this.commands = commands;
        this.flash = flash;
        this.mapper = mapper;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/v1/devices", auth.require(this::list));
        routes.post("/v1/devices", auth.require(this::claim));
        routes.post("/v1/provisioning/{id}", auth.require(this::provision));
    }

    /** Routes with a device id last: registered after the event streams, whose paths they would also match. */
    void registerDeviceRoutes(RoutesConfig routes) {
        routes.get("/v1/devices/{id}", auth.require(this::get));
        routes.put("/v1/devices/{id}", auth.require(this::update));
        routes.delete("/v1/devices/{id}", auth.require(this::release));
    }

    private void list(Context ctx, Caller caller) {
        ctx.json(devices.list(caller.deviceScope()).stream()
                .map(view -> ParticleJson.device(view, sessions.isOnline(view.deviceId())))
                .toList());
    }

    private void get(Context ctx, Caller caller) {
        View view = visible(ctx, caller);
        DeviceDescription description = descriptions.findNow(view.deviceId()).orElse(DeviceDescription.NOTHING);
        ctx.json(ParticleJson.deviceDetail(view, sessions.isOnline(view.deviceId()), description));
    }

    /** Rename ({@code name}), signal ({@code signal=1|0}) or flash (a multipart {@code file}), as Particle does. */
    private void update(Context ctx, Caller caller) throws InterruptedException {
        View view = visible(ctx, caller);
        if (ctx.isMultipartFormData() && ctx.uploadedFile("file") != null) {
            ctx.json(flash.flash(view, ctx.uploadedFile("file"), caller));
            return;
        }
        ParticleParams params = ParticleParams.of(ctx, mapper);
        if (params.has("signal")) {
            boolean on = params.flag("signal");
            commands.signal(view, on, caller);
            ctx.json(Map.of("id", view.particleId(), "connected", true, "signaling", on));
            return;
        }
        String name = params.text("name", DeviceAdmin.MAX_NAME_LENGTH);
        if (name == null) {
            throw ParticleProblem.badRequest("say what to change: name, signal or a file to flash");
        }
        DeviceAdmin.DeviceView renamed = admin.rename(view.deviceId(), name.strip(), caller.deviceScope())
                .orElseThrow(() -> ParticleProblem.unknownDevice(ctx.pathParam("id")));
        ctx.json(Map.of("id", view.particleId(), "name", renamed.name(), "ok", true));
    }

    private void claim(Context ctx, Caller caller) {
        String id = particleId(ParticleParams.of(ctx, mapper).text("id", 100));
        ClaimOutcome outcome = devices.claim(id, caller.subId());
        switch (outcome) {
            case CLAIMED, ALREADY_YOURS -> ctx.json(Map.of("ok", true, "id", id, "user_id", caller.subId()));
            case OWNED_BY_ANOTHER -> throw ParticleProblem.of(HttpStatus.FORBIDDEN, "That belongs to someone else.", null);
            case UNKNOWN -> throw ParticleProblem.of(HttpStatus.NOT_FOUND, "Device not found.",
                    "no device has registered the key of " + id + "; send it with 'particle keys send' or 'locomov particle keys'");
        }
    }

    /** Gives up ownership; the device, its key and its data stay (an admin or someone else may claim it). */
    private void release(Context ctx, Caller caller) {
        View view = visible(ctx, caller);
        devices.release(view.deviceId(), caller.deviceScope());
        ctx.json(Map.of("ok", true));
    }

    /**
     * A device's RSA public key (PEM or DER): registers the device when its id is new (owned by the caller),
     * replaces the key when the caller may see the device; another user's device is refused.
     */
    private void provision(Context ctx, Caller caller) {
        String id = particleId(ctx.pathParam("id"));
        String pem = ParticleParams.of(ctx, mapper).text("publicKey", 8_192);
        if (pem == null || pem.isBlank()) {
            throw ParticleProblem.badRequest("publicKey (the device's RSA public key, PEM) is required");
        }
        RSAPublicKey key;
        try {
            key = RsaKeys.parsePublic(pem.getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw ParticleProblem.badRequest("publicKey is not an RSA public key: " + e.getMessage());
        }
        if (devices.find(id, DeviceAdmin.Scope.all()).isPresent() && devices.find(id, caller.deviceScope()).isEmpty()) {
            throw ParticleProblem.of(HttpStatus.FORBIDDEN, "That belongs to someone else.", null);
        }
        PgParticleDevices.Registration registration;
        try {
            registration = keys.register(id, key, null);
        } catch (SQLException e) {
            throw new StoreQueryException("could not register the key of Particle device " + id, e);
        }
        if (registration.created()) {
            devices.claim(id, caller.subId());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ok", true);
        body.put("id", id);
        body.put("created", registration.created());
        ctx.json(body);
    }

    private View visible(Context ctx, Caller caller) {
        String idOrName = ctx.pathParam("id");
        return devices.find(idOrName, caller.deviceScope()).orElseThrow(() -> ParticleProblem.unknownDevice(idOrName));
    }

    private static String particleId(String id) {
        try {
            return ParticleIds.parse(id);
        } catch (IllegalArgumentException e) {
            throw ParticleProblem.badRequest(e.getMessage());
        }
    }
}
