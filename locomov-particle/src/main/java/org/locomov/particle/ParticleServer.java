package org.locomov.particle;

import io.micrometer.core.instrument.MeterRegistry;
import java.security.KeyPair;
import java.util.Objects;
import java.util.function.Supplier;
import org.locomov.core.DevicePlane;
import org.locomov.core.event.UserEvents;
import org.locomov.core.listener.Listener;
import org.locomov.core.session.DeviceDescriptions;
import org.locomov.particle.keys.ParticleDevices;
import org.locomov.transport.ListenerEvents;
import org.locomov.transport.TcpListener;

/**
 * The Particle listener: Spark Cores (and Photons) on TCP 5683 speaking their own protocol, on the
 * transport kit's {@link TcpListener} (connection limit, tracking, drain). The server key is loaded (or
 * created) when it starts.
 *
 * <p>Lifecycle as {@link Listener}: {@link #start} and {@link #close} from one thread.
 */
public final class ParticleServer implements Listener {

    /** The protocol's name in metrics. */
    public static final String TRANSPORT = "particle";

    private final String name;
    private final ParticleSettings settings;
    private final Supplier<KeyPair> serverKey;
    private final ParticleDevices devices;
    private final DevicePlane plane;
    private final DeviceDescriptions descriptions;
    private final UserEvents userEvents;
    private final MeterRegistry registry;
    private final ParticleSessions sessions = new ParticleSessions();
    private final ParticleRefusals refusals;
    private EventRouter router;
    private TcpListener listener;

    /**
     * @param descriptions where sessions publish what their devices describe (decision 1021)
     * @param userEvents   events users publish through the API, for devices' subscriptions (decision 1022)
     */
    public ParticleServer(String name, ParticleSettings settings, Supplier<KeyPair> serverKey, ParticleDevices devices,
            DevicePlane plane, DeviceDescriptions descriptions, UserEvents userEvents, MeterRegistry registry) {
        this.name = Objects.requireNonNull(name, "name");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.serverKey = Objects.requireNonNull(serverKey, "serverKey");
        this.devices = Objects.requireNonNull(devices, "devices");
        this.plane = Objects.requireNonNull(plane, "plane");
        this.descriptions = Objects.requireNonNull(descriptions, "descriptions");
        this.userEvents = Objects.requireNonNull(userEvents, "userEvents");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.refusals = new ParticleRefusals(name, registry);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Endpoint endpoint() {
        return new Endpoint("tcp", settings.bindAddress(), settings.port(), "particle-rsa-aes", false);
    }

    @Override
    public void start() {
        KeyPair key = serverKey.get();
        ListenerEvents events = new ListenerEvents(name, TRANSPORT, registry);
        router = new EventRouter(name, devices, registry);
        router.start(plane.events(), userEvents);
        listener = new TcpListener(name, TRANSPORT, endpoint(), settings.maxSessions(), settings.drainTimeout(), true,
                events, registry, new ParticleChannelInitializer(name, settings, key, devices, plane, descriptions, router, sessions,
                        new HandshakeLimiter(settings.maxHandshakes()), refusals, events));
        listener.start();
    }

    @Override
    public int port() {
        if (listener == null) {
            throw new IllegalStateException(name + " listener is not started");
        }
        return listener.port();
    }

    /** The sessions on this node, for the Particle API. */
    public ParticleSessions sessions() {
        return sessions;
    }

    /** Refusal counts, for tests. */
    public ParticleRefusals refusals() {
        return refusals;
    }

    @Override
    public void close() {
        if (listener != null) {
            listener.close();
        }
        if (router != null) {
            router.close();
        }
        if (devices instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException("could not stop the device key lookups", e);
            }
        }
    }
}
