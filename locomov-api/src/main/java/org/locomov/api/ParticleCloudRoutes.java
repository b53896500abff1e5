package org.locomov.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.locomov.core.event.DeviceEvents;
import org.locomov.core.event.UserEvents;
import org.locomov.core.session.DeviceSessions;
import org.locomov.particle.keys.PgParticleDevices;
import org.locomov.store.DeviceAdmin;
import org.locomov.store.ParticleCloudDevices;
import org.locomov.store.PgDeviceDescriptions;
import org.locomov.store.TokenRepository;
import org.locomov.store.UserPasswords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Particle Cloud API ({@code /oauth/token} and {@code /v1}, issue 10) on the HTTPS API port, so that
 * {@code particle-cli} and other Particle API clients manage locomov's devices: its route groups, registered
 * in the order Javalin must try them (event streams before {@code /v1/devices/:id}, function and variable
 * routes last), and the one place where a {@link ParticleProblem} becomes Particle's error body.
 */
final class ParticleCloudRoutes implements RouteGroup, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ParticleCloudRoutes.class);

    /** Logins a client address may try per minute (passwords can be guessed; tokens cannot). */
    static final int LOGINS_PER_MINUTE = 10;
    /** Particle's clients give up on a stream silent for 13 s; the cloud sends a keep-alive about every 9 s. */
    static final Duration MAX_HEARTBEAT = Duration.ofSeconds(9);

    /** What the Particle API hands to the device plane. */
    record Plane(DeviceSessions sessions, DeviceEvents deviceEvents, UserEvents userEvents, CommandRunner commands,
                 FirmwareStarter firmware, long maxFirmwareBytes) {
    }

    private final ParticleLoginRoutes login;
    private final ParticleEventRoutes events;
    private final ParticleDeviceRoutes devices;
    private final ParticleCallRoutes calls;
    private final ParticleEventStreams streams;

    ParticleCloudRoutes(DataSource dataSource, TokenRepository tokens, DeviceAdmin admin, Plane plane, int maxStreams,
                        Duration idleTimeout, MeterRegistry registry, ObjectMapper mapper) {
        ParticleAuth auth = new ParticleAuth(tokens);
        ParticleCloudDevices particleDevices = new ParticleCloudDevices(dataSource);
        // The API calls only the blocking forms, on its own (virtual) request threads.
        PgDeviceDescriptions descriptions = new PgDeviceDescriptions(dataSource, Runnable::run);
        ParticleCommands commands = new ParticleCommands(plane.commands(), plane.sessions(), descriptions, mapper);
        this.streams = new ParticleEventStreams(plane.deviceEvents(), plane.userEvents(), particleDevices, admin,
                maxStreams, registry);
        Duration heartbeat = idleTimeout.dividedBy(2).compareTo(MAX_HEARTBEAT) < 0 ? idleTimeout.dividedBy(2) : MAX_HEARTBEAT;

        this.login = new ParticleLoginRoutes(auth, new UserPasswords(dataSource), tokens,
                new AddressRateLimiter(LOGINS_PER_MINUTE), mapper);
        this.events = new ParticleEventRoutes(auth, particleDevices, plane.userEvents(), streams, mapper, heartbeat);
        this.devices = new ParticleDeviceRoutes(auth, particleDevices, admin,
                new PgParticleDevices(dataSource, Runnable::run), descriptions, plane.sessions(), commands,
                new ParticleFlash(plane.firmware(), plane.maxFirmwareBytes()), mapper);
        this.calls = new ParticleCallRoutes(auth, particleDevices, commands, mapper);
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.exception(ParticleProblem.class, (problem, ctx) -> {
            int status = problem.status().getCode();
            // 401s are logged by ParticleAuth with their precise reason; 404s are what clients probe with.
            if (status >= 400 && status < 500 && status != 401 && status != 404) {
                log.info("Particle API refused {} {} from {}: {}", ctx.method(), ctx.path(), ctx.ip(), problem.getMessage());
            } else if (status >= 500) {
                log.warn("Particle API {} {} from {} failed: {}", ctx.method(), ctx.path(), ctx.ip(), problem.getMessage());
            }
            ctx.status(problem.status()).json(problem.body());
        });
        for (RouteGroup group : List.<RouteGroup>of(login, events, devices)) {
            group.register(routes);
        }
        devices.registerDeviceRoutes(routes);
        calls.register(routes);
    }

    void start() {
        streams.start();
    }

    @Override
    public void close() {
        streams.close();
    }
}
