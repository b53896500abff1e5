package org.locomov.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.locomov.core.session.DeviceSessions;
import org.locomov.store.DeviceAdmin;
import org.locomov.store.DeviceAdmin.Claim;
import org.locomov.store.DeviceAdmin.DeviceView;

/**
 * {@code /api/v1/devices}: list, get, create, rename, delete (with its readings, only with
 * {@code ?confirm=<id>}), and claim an unowned device by its hash. A user acts on the devices they
 * created; another user's device is answered exactly like a missing one (404).
 */
final class DeviceRoutes implements RouteGroup {

    static final int DEFAULT_LIST_LIMIT = 500;
    static final int MAX_LIST_LIMIT = 5_000;

    private final Authenticator auth;
    private final DeviceAdmin devices;
    private final DeviceSessions connected;
    private final ObjectMapper mapper;

    DeviceRoutes(Authenticator auth, DeviceAdmin devices, DeviceSessions connected, ObjectMapper mapper) {
        this.auth = auth;
        this.devices = devices;
        this.connected = connected;
        this.mapper = mapper;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/api/v1/devices", auth.require(this::list));
        routes.post("/api/v1/devices", auth.require(this::create));
        routes.post("/api/v1/devices/claim", auth.require(this::claim));
        routes.get("/api/v1/devices/{id}", auth.require(this::get));
        routes.patch("/api/v1/devices/{id}", auth.require(this::rename));
        routes.delete("/api/v1/devices/{id}", auth.require(this::delete));
    }

    /** Devices ordered by id; {@code next} is the {@code after} value for the following page, or null. */
    private void list(Context ctx, Caller caller) {
        Long after = Params.queryLong(ctx, "after");
        int limit = Params.queryInt(ctx, "limit", DEFAULT_LIST_LIMIT, 1, MAX_LIST_LIMIT);
        List<DeviceView> page = devices.list(caller.deviceScope(), after == null ? Long.MIN_VALUE : after, limit);
        Map<String, Object> body = new HashMap<>();
        body.put("devices", page.stream().map(view -> ApiJson.Device.of(view, connected)).toList());
        body.put("next", page.size() == limit ? page.getLast().id() : null);
        ctx.json(body);
    }

    private void get(Context ctx, Caller caller) {
        long id = Params.pathLong(ctx, "id");
        ctx.json(ApiJson.Device.of(visible(id, caller), connected));
    }

    private void create(Context ctx, Caller caller) {
        JsonBody body = JsonBody.of(ctx, mapper);
        long id = body.requiredLong("id");
        String name = body.optionalString("name", DeviceAdmin.MAX_NAME_LENGTH);
        DeviceView created = devices.create(id, name, caller.subId())
                .orElseThrow(() -> ApiProblem.conflict("device " + id + " already exists"));
        ctx.status(HttpStatus.CREATED).header("Location", "/api/v1/devices/" + id).json(ApiJson.Device.of(created, connected));
    }

    private void rename(Context ctx, Caller caller) {
        long id = Params.pathLong(ctx, "id");
        String name = JsonBody.of(ctx, mapper).optionalString("name", DeviceAdmin.MAX_NAME_LENGTH);
        DeviceView renamed = devices.rename(id, name, caller.deviceScope()).orElseThrow(() -> notFound(id));
        ctx.json(ApiJson.Device.of(renamed, connected));
    }

    /** Deleting drops every reading of the device too, so the id must be repeated in {@code confirm}. */
    private void delete(Context ctx, Caller caller) {
        long id = Params.pathLong(ctx, "id");
        String confirm = ctx.queryParam("confirm");
        if (confirm == null || !confirm.equals(Long.toString(id))) {
            throw ApiProblem.badRequest("deleting a device deletes all its readings; repeat its id as ?confirm=" + id);
        }
        if (!devices.delete(id, caller.deviceScope())) {
            throw notFound(id);
        }
        ctx.status(HttpStatus.NO_CONTENT);
    }

    private void claim(Context ctx, Caller caller) {
        long hash = JsonBody.of(ctx, mapper).requiredLong("hash");
        Claim claim = devices.claim(hash, caller.subId());
        switch (claim.outcome()) {
            case CLAIMED, ALREADY_YOURS ->
                    ctx.json(ApiJson.Device.of(visible(claim.deviceId(), caller), connected));
            case OWNED_BY_ANOTHER -> throw ApiProblem.conflict("the device with this hash already has an owner");
            case UNKNOWN_HASH -> throw ApiProblem.notFound("no device has this hash");
        }
    }

    private DeviceView visible(long id, Caller caller) {
        return devices.find(id, caller.deviceScope()).orElseThrow(() -> notFound(id));
    }

    static ApiProblem notFound(long id) {
        return ApiProblem.notFound("no device " + id);
    }
}
