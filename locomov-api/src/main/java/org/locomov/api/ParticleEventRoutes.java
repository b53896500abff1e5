package org.locomov.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.sse.SseClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.locomov.core.event.DeviceEvent;
import org.locomov.core.event.UserEvent;
import org.locomov.core.event.UserEvents;
import org.locomov.store.ParticleCloudDevices;
import org.locomov.store.ParticleCloudDevices.View;

/**
 * Particle's events: {@code POST /v1/devices/events} publishes an event as the caller ({@code particle
 * publish}; it reaches the caller's streams and devices, decision 1022), and the streams
 * {@code GET /v1/events[/:prefix]}, {@code /v1/devices/events[/:prefix]} (both: every event the caller may see)
 * and {@code /v1/devices/:id/events[/:prefix]} (one device's) send them in Particle's SSE framing. Streams need
 * no {@code Accept} header, since particle-api-js sends none.
 */
final class ParticleEventRoutes implements RouteGroup {

    /** How long a publish waits for its announcement to commit. */
    private static final Duration PUBLISH_WAIT = Duration.ofSeconds(10);

    private final ParticleAuth auth;
    private final ParticleCloudDevices devices;
    private final UserEvents userEvents;
    private final ParticleEventStreams streams;
    private final ObjectMapper mapper;
    private final Duration heartbeat;

    /** @param heartbeat a comment is sent this often on a quiet stream (Particle's clients give up after 13 s) */
    ParticleEventRoutes(ParticleAuth auth, ParticleCloudDevices devices, UserEvents userEvents, ParticleEventStreams streams,
                        ObjectMapper mapper, Duration heartbeat) {
        this.auth = auth;
        this.devices = devices;
        this.userEvents = userEvents;
        this.streams = streams;
        this.mapper = mapper;
        this.heartbeat = heartbeat;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.post("/v1/devices/events", auth.require(this::publish));
        routes.get("/v1/events", auth.require((ctx, caller) -> stream(ctx, caller, null, null)));
        routes.get("/v1/events/{prefix}", auth.require((ctx, caller) -> stream(ctx, caller, null, ctx.pathParam("prefix"))));
        routes.get("/v1/devices/events", auth.require((ctx, caller) -> stream(ctx, caller, null, null)));
        routes.get("/v1/devices/events/{prefix}",
                auth.require((ctx, caller) -> stream(ctx, caller, null, ctx.pathParam("prefix"))));
        routes.get("/v1/devices/{id}/events", auth.require((ctx, caller) -> stream(ctx, caller, visible(ctx, caller), null)));
        routes.get("/v1/devices/{id}/events/{prefix}",
                auth.require((ctx, caller) -> stream(ctx, caller, visible(ctx, caller), ctx.pathParam("prefix"))));
    }

    private void publish(Context ctx, Caller caller) throws InterruptedException {
        ParticleParams params = ParticleParams.of(ctx, mapper);
        String name = params.text("name", DeviceEvent.MAX_NAME_LENGTH);
        if (name == null || name.isEmpty()) {
            throw ParticleProblem.badRequest("name is required (1 to " + DeviceEvent.MAX_NAME_LENGTH + " characters)");
        }
        String data = params.text("data", UserEvent.MAX_DATA_LENGTH);
        UserEvent event;
        try {
            event = new UserEvent(caller.subId(), name, data, Instant.now(), !params.has("private") || params.flag("private"));
        } catch (IllegalArgumentException e) {
            throw ParticleProblem.badRequest(e.getMessage());
        }
        try {
            userEvents.publish(event).get(PUBLISH_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw ParticleProblem.of(HttpStatus.SERVICE_UNAVAILABLE, "Service Unavailable",
                    "the event could not be announced; try again later");
        }
        ctx.json(Map.of("ok", true));
    }

    private void stream(Context ctx, Caller caller, View device, String prefix) {
        Long deviceId = device == null ? null : device.deviceId();
        EventStream<ParticleStreamEvent> subscription = streams.subscribe(caller, deviceId, device != null, prefix, ctx.ip())
                .orElseThrow(() -> ParticleProblem.of(HttpStatus.SERVICE_UNAVAILABLE, "Too many event streams",
                        "the server has as many event streams open as it allows; try again later"));
        // Javalin's SseHandler serves only requests that accept text/event-stream; Particle's clients send no
        // Accept header, so the stream is opened here, with the same headers, on the request's own thread.
        SseClient client;
        try {
            ctx.status(HttpStatus.OK);
            ctx.res().setCharacterEncoding("UTF-8");
            ctx.res().setContentType("text/event-stream");
            ctx.res().addHeader("Cache-Control", "no-cache");
            ctx.res().addHeader("X-Accel-Buffering", "no");
            ctx.res().flushBuffer();
            client = new SseClient(ctx);
        } catch (IOException | RuntimeException e) {
            subscription.end();
            streams.unsubscribe(subscription);
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
        subscription.pump(client, mapper, heartbeat, ParticleEventStreams.FRAMING);
    }

    private View visible(Context ctx, Caller caller) {
        String idOrName = ctx.pathParam("id");
        return devices.find(idOrName, caller.deviceScope()).orElseThrow(() -> ParticleProblem.unknownDevice(idOrName));
    }
}
