package org.locomov.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import org.locomov.store.ParticleCloudDevices;
import org.locomov.store.ParticleCloudDevices.View;

/**
 * {@code POST /v1/devices/:id/:function} ({@code particle call}, answered with {@code return_value}) and
 * {@code GET /v1/devices/:id/:variable} ({@code particle get}, answered with {@code result}); registered last,
 * since their paths also match the event streams'.
 */
final class ParticleCallRoutes implements RouteGroup {

    private final ParticleAuth auth;
    private final ParticleCloudDevices devices;
    private final ParticleCommands commands;
    private final ObjectMapper mapper;

    ParticleCallRoutes(ParticleAuth auth, ParticleCloudDevices devices, ParticleCommands commands, ObjectMapper mapper) {
        this.auth = auth;
        this.devices = devices;
        this.commands = commands;
        this.mapper = mapper;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.post("/v1/devices/{id}/{function}", auth.require(this::call));
        routes.get("/v1/devices/{id}/{variable}", auth.require(this::read));
    }

    private void call(Context ctx, Caller caller) throws InterruptedException {
        ParticleParams params = ParticleParams.of(ctx, mapper);
        // particle-api-js sends "args", the older clients "arg" or "params".
        String argument = params.text("args");
        if (argument == null) {
            argument = params.text("arg") != null ? params.text("arg") : params.text("params");
        }
        ctx.json(commands.call(visible(ctx, caller), ctx.pathParam("function"), argument, caller));
    }

    private void read(Context ctx, Caller caller) throws InterruptedException {
        ctx.json(commands.read(visible(ctx, caller), ctx.pathParam("variable"), caller));
    }

    private View visible(Context ctx, Caller caller) {
        String idOrName = ctx.pathParam("id");
        return devices.find(idOrName, caller.deviceScope()).orElseThrow(() -> ParticleProblem.unknownDevice(idOrName));
    }
}
