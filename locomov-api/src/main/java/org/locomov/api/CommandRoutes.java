package org.locomov.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.locomov.core.command.Command;
import org.locomov.core.command.Commands;
import org.locomov.store.DeviceAdmin;
import org.locomov.store.plane.CommandRows;

/**
 * {@code /api/v1/devices/{id}/commands}: make a command for a device (optionally waiting up to
 * {@value #MAX_WAIT_SECONDS} s for its answer), list them, read one. Ownership as for devices: another
 * user's device is a 404.
 */
final class CommandRoutes implements RouteGroup {

    static final int DEFAULT_TTL_SECONDS = 60;
    static final int MAX_WAIT_SECONDS = 30;
    static final int DEFAULT_LIST_LIMIT = 100;
    static final int MAX_LIST_LIMIT = 1_000;

    private final Authenticator auth;
    private final DeviceAdmin devices;
    private final CommandRows rows;
    private final Commands commands;
    private final ObjectMapper mapper;

    CommandRoutes(Authenticator auth, DeviceAdmin devices, CommandRows rows, Commands commands, ObjectMapper mapper) {
        this.auth = auth;
        this.devices = devices;
        this.rows = rows;
        this.commands = commands;
        this.mapper = mapper;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.post("/api/v1/devices/{id}/commands", auth.require(this::create));
        routes.get("/api/v1/devices/{id}/commands", auth.require(this::list));
        routes.get("/api/v1/devices/{id}/commands/{cid}", auth.require(this::get));
    }

    private void create(Context ctx, Caller caller) throws InterruptedException {
        long deviceId = visibleDevice(ctx, caller);
        JsonBody body = JsonBody.of(ctx, mapper);
        String name = body.optionalString("name", Command.MAX_NAME_LENGTH);
        if (name == null || name.isEmpty()) {
            throw ApiProblem.badRequest("name is required (1 to " + Command.MAX_NAME_LENGTH + " characters)");
        }
        String payload = body.optionalJson("payload");
        int ttlSeconds = body.optionalInt("ttlSeconds", DEFAULT_TTL_SECONDS, 1, (int) CommandRows.MAX_TTL.toSeconds());
        int waitSeconds = body.optionalInt("waitSeconds", 0, 0, MAX_WAIT_SECONDS);

        Command command;
        if (waitSeconds == 0) {
            command = rows.create(deviceId, name, payload, Duration.ofSeconds(ttlSeconds), caller.subId());
        } else {
            command = createAndWait(deviceId, name, payload, ttlSeconds, waitSeconds, caller);
        }
        ctx.status(HttpStatus.CREATED).header("Location", "/api/v1/devices/" + deviceId + "/commands/" + command.id())
                .json(ApiJson.CommandJson.of(command));
    }

    /**
     * Subscribes before the command exists, so that an answer however quick is not missed; then waits for the
     * command to be final, at most {@code waitSeconds}, and answers with it as it is then.
     */
    private Command createAndWait(long deviceId, String name, String payload, int ttlSeconds, int waitSeconds,
            Caller caller) throws InterruptedException {
        AtomicLong commandId = new AtomicLong(-1);
        CompletableFuture<Void> finished = new CompletableFuture<>();
        try (AutoCloseable watch = commands.watch(changed -> {
            if (changed.id() == commandId.get() && changed.status().isFinal()) {
                finished.complete(null);
            }
        })) {
            Command made = rows.create(deviceId, name, payload, Duration.ofSeconds(ttlSeconds), caller.subId());
            commandId.set(made.id());
            Command now = rows.find(deviceId, made.id()).orElse(made);
            if (!now.status().isFinal()) {
                try {
                    finished.get(waitSeconds, TimeUnit.SECONDS);
                } catch (TimeoutException | ExecutionException e) {
                    // Not answered in time: the command as it stands.
                }
            }
            return rows.find(deviceId, made.id()).orElse(made);
        } catch (InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("could not stop watching a command", e);
        }
    }

    /** Newest first; {@code next} is the {@code before} value for the following page, or null. */
    private void list(Context ctx, Caller caller) {
        long deviceId = visibleDevice(ctx, caller);
        Long before = Params.queryLong(ctx, "before");
        int limit = Params.queryInt(ctx, "limit", DEFAULT_LIST_LIMIT, 1, MAX_LIST_LIMIT);
        List<Command> page = rows.list(deviceId, before, limit);
        Map<String, Object> body = new HashMap<>();
        body.put("commands", page.stream().map(ApiJson.CommandJson::of).toList());
        body.put("next", page.size() == limit ? page.getLast().id() : null);
        ctx.json(body);
    }

    private void get(Context ctx, Caller caller) {
        long deviceId = visibleDevice(ctx, caller);
        long commandId = Params.pathLong(ctx, "cid");
        Command command = rows.find(deviceId, commandId)
                .orElseThrow(() -> ApiProblem.notFound("no command " + commandId + " for device " + deviceId));
        ctx.json(ApiJson.CommandJson.of(command));
    }

    private long visibleDevice(Context ctx, Caller caller) {
        long deviceId = Params.pathLong(ctx, "id");
        if (devices.find(deviceId, caller.deviceScope()).isEmpty()) {
            throw DeviceRoutes.notFound(deviceId);
        }
        return deviceId;
    }
}
