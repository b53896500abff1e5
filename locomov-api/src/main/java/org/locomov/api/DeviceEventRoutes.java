package org.locomov.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.Map;
import org.locomov.core.event.DeviceEvent;
import org.locomov.store.DeviceAdmin;
import org.locomov.store.plane.EventRows;

/**
 * {@code GET /api/v1/devices/{id}/events?from&to&name&limit}: the device events a device published (named
 * messages that are not readings), oldest first, by the time the device published them. Another user's
 * device is a 404.
 */
final class DeviceEventRoutes implements RouteGroup {

    static final int DEFAULT_LIMIT = 1_000;
    static final int MAX_LIMIT = 10_000;

    private final Authenticator auth;
    private final DeviceAdmin devices;
    private final EventRows rows;

    DeviceEventRoutes(Authenticator auth, DeviceAdmin devices, EventRows rows) {
        this.auth = auth;
        this.devices = devices;
        this.rows = rows;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/api/v1/devices/{id}/events", auth.require(this::list));
    }

    private void list(Context ctx, Caller caller) {
        long deviceId = Params.pathLong(ctx, "id");
        if (devices.find(deviceId, caller.deviceScope()).isEmpty()) {
            throw DeviceRoutes.notFound(deviceId);
        }
        Instant from = Params.queryInstant(ctx, "from");
        Instant to = Params.queryInstant(ctx, "to");
        if (from != null && to != null && !from.isBefore(to)) {
            throw ApiProblem.badRequest("from must be before to");
        }
        String name = ctx.queryParam("name");
        if (name != null && (name.isEmpty() || name.length() > DeviceEvent.MAX_NAME_LENGTH)) {
            throw ApiProblem.badRequest("name must be 1 to " + DeviceEvent.MAX_NAME_LENGTH + " characters");
        }
        int limit = Params.queryInt(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        ctx.json(Map.of("events", rows.list(deviceId, from, to, name, limit).stream().map(ApiJson.StoredEventJson::of).toList()));
    }
}
