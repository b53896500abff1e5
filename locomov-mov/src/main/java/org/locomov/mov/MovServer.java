package org.locomov.mov;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import org.locomov.core.identity.DeviceIdentity;
import org.locomov.core.listener.Listener;
import org.locomov.transport.ListenerEvents;
import org.locomov.transport.ServerTls;
import org.locomov.transport.TcpListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TLS-over-TCP listener with the mov framing: devices send JSON packets, each is handed to a
 * {@link PacketProcessor}, and each gets one line back ({@code Thank you.} after commit, or
 * {@code Error: <reason>}). The mov listener is this class with a {@link ReadingProcessor}; the confo
 * listener is this class with its own processor. Built on the transport kit's {@link TcpListener}, which
 * limits, tracks and drains its connections.
 *
 * <p>Lifecycle as {@link Listener}: {@link #start} and {@link #close} from one thread.
 */
public final class MovServer implements Listener {

    private static final Logger log = LoggerFactory.getLogger(MovServer.class);

    /** The protocol's name in metrics. */
    static final String TRANSPORT = "mov";

    private final TcpListener listener;
    private final MovSettings settings;

    /**
     * @param identity checks client certificates, when {@code tls} asks for them
     */
    public MovServer(String name, MovSettings settings, ServerTls tls, PacketProcessor processor,
            DeviceIdentity identity, MeterRegistry registry) {
        this.settings = Objects.requireNonNull(settings, "settings");
        ListenerEvents events = new ListenerEvents(name, TRANSPORT, registry);
        // Read only when a connection is ready for its next packet: see PacketHandler.
        this.listener = new TcpListener(name, TRANSPORT, endpoint(settings, tls), settings.maxConnections(),
                settings.drainTimeout(), false, events, registry,
                new MovChannelInitializer(name, settings, tls, processor, identity, events));
    }

    static Endpoint endpoint(MovSettings settings, ServerTls tls) {
        return new Endpoint("tcp", settings.bindAddress(), settings.port(), tls.profile().configName(), true);
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
        log.debug("{} takes packets up to {} bytes", listener.name(), settings.maxPacketBytes());
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
     * Stops accepting, lets each connection finish the packet it is storing (for at most the drain
     * timeout), then closes every connection. Packets not yet answered are not acknowledged, so their
     * devices send them again.
     */
    @Override
    public void close() {
        listener.close();
    }
}
