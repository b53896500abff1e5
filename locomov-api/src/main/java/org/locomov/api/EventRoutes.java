package org.locomov.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Header;
import io.javalin.http.HttpStatus;
import io.javalin.http.sse.SseHandler;
import java.time.Duration;
import org.locomov.store.DeviceAdmin;

/**
 * {@code GET /api/v1/events[?device=N]}: Server-Sent Events, one {@code reading} event per committed
 * reading the caller may see. Needs {@code Accept: text/event-stream} (what browsers' EventSource sends).
 */
final class EventRoutes implements RouteGroup {

    private final Authenticator auth;
    private final DeviceAdmin devices;
    private final LiveEvents events;
    private final ObjectMapper mapper;
    private final Duration heartbeat;

    EventRoutes(Authenticator auth, DeviceAdmin devices, LiveEvents events, ObjectMapper mapper, Duration heartbeat) {
        this.auth = auth;
        this.devices = devices;
        this.events = events;
        this.mapper = mapper;
        this.heartbeat = heartbeat;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/api/v1/events", auth.require(this::stream));
    }

    private void stream(Context ctx, Caller caller) {
        Long deviceId = Params.queryLong(ctx, "device");
        if (deviceId != null && devices.find(deviceId, caller.deviceScope()).isEmpty()) {
            throw DeviceRoutes.notFound(deviceId);
        }
        String accept = ctx.header(Header.ACCEPT);
        if (accept == null || !accept.contains("text/event-stream")) {
            throw new ApiProblem(HttpStatus.NOT_ACCEPTABLE, "not_acceptable", "live events need Accept: text/event-stream");
        }
        EventStream<LiveItem> subscription = events.subscribe(caller, deviceId, ctx.ip())
                .orElseThrow(() -> new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "too_many_streams",
                        "the server has as many live-event streams open as it allows; try again later"));
        // Javalin's SSE handler sets the headers and runs the pump on an async thread; it blocks there.
        new SseHandler(client -> subscription.pump(client, mapper, heartbeat, LiveEvents.FRAMING)).handle(ctx);
    }
}
