package org.locomov.mqtt;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import org.locomov.core.DevicePlane;
import org.locomov.core.listener.Listener;
import org.locomov.transport.ListenerEvents;
import org.locomov.transport.ServerTls;
import org.locomov.transport.TcpListener;

/**
 * The MQTT listener: the transport kit's {@link TcpListener} (limits, tracking, drain) with the MQTT pipeline
 * of {@link MqttChannelInitializer}.
 *
 * <p>Lifecycle as {@link Listener}: {@link #start} and {@link #close} from one thread.
 */
public final class MqttServer implements Listener {

    /** The protocol's name in metrics. */
    static final String TRANSPORT = "mqtt";

    private final TcpListener listener;

    public MqttServer(String name, MqttSettings settings, ServerTls tls, DevicePlane plane, MeterRegistry registry) {
        Objects.requireNonNull(settings, "settings");
        ListenerEvents events = new ListenerEvents(name, TRANSPORT, registry);
        MqttConnections connections = new MqttConnections(name, settings, plane, events, new Takeovers(name));
        // Reads freely; a connection stops reading while its receive maximum is in flight (InOrderAcks).
        this.listener = new TcpListener(name, TRANSPORT, endpoint(settings), settings.maxConnections(),
                settings.drainTimeout(), true, events, registry,
                new MqttChannelInitializer(settings, tls, connections, events));
    }

    static Endpoint endpoint(MqttSettings settings) {
        return new Endpoint("tcp", settings.bindAddress(), settings.port(), settings.cipherProfile().configName(), true);
    }

    @Override
    public String name() {
        return listener.name();
    }

    @Override
    public Endpoint endpoint() {
        return listener.endpoint();
    }

    @Override
    public void start() {
        listener.start();
    }

    @Override
    public int port() {
        return listener.port();
    }

    /** Connections open now. */
    public int openConnections() {
        return listener.openConnections();
    }

    /**
     * Stops accepting, lets each connection finish acknowledging what it is storing (at most the drain timeout),
     * then closes every connection; unacknowledged QoS 1 publishes are sent again by their devices.
     */
    @Override
    public void close() {
        listener.close();
    }
}
