package org.locomov.mov;

import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;
import org.locomov.core.identity.DeviceIdentity;
import org.locomov.transport.ConnectionEvents;
import org.locomov.transport.ListenerEvents;
import org.locomov.transport.ServerTls;
import org.locomov.transport.TcpListener;

/**
 * Builds the pipeline of each accepted connection after the connection limiter; read top to bottom, it is
 * the protocol stack.
 *
 * <p>Shared by every connection of a listener: holds only the listener's shared, thread-safe parts and
 * creates the per-connection handlers.
 */
final class MovChannelInitializer implements TcpListener.Pipeline {

    /** What a TLS port answers, unencrypted, to a client that speaks plain text. */
    private static final String TLS_REQUIRED_LINE = "Error: TLS required\n";

    private final String listener;
    private final MovSettings settings;
    private final ServerTls tls;
    private final PacketProcessor processor;
    private final DeviceIdentity identity;
    private final ListenerEvents events;
    private final ConnectionEvents connectionEvents;

    MovChannelInitializer(String listener, MovSettings settings, ServerTls tls, PacketProcessor processor,
            DeviceIdentity identity, ListenerEvents events) {
        this.listener = listener;
        this.settings = settings;
        this.tls = tls;
        this.processor = processor;
        this.identity = identity;
        this.events = events;
        this.connectionEvents = new ConnectionEvents(events, TLS_REQUIRED_LINE);
    }

    @Override
    public void initialize(SocketChannel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        // TLS, with the RSA or EC certificate chosen from the client hello; plain text fails here.
        pipeline.addLast("tls", tls.newHandler());
        // Neither a packet nor a reply for idleTimeout: IdleStateEvent, and ConnectionEvents closes.
        pipeline.addLast("idle", new IdleStateHandler(0, 0, settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
        // The first JSON value of the stream, at most maxPacketBytes; device garbage after a NUL dropped.
        pipeline.addLast("frame", new JsonFrameDecoder(settings.maxPacketBytes()));
        // One frame per read(): PacketHandler reads while its window has room, so backpressure reaches the socket.
        pipeline.addLast("pace", new FlowControlHandler());
        // A client certificate, when one was presented: checked once, then every packet must carry its device id.
        if (tls.clientCertificates().asked()) {
            pipeline.addLast("certificate", new ClientCertificateGate(identity));
        }
        // Decode, check the device, store; reply "Thank you." after commit or "Error: <reason>".
        pipeline.addLast("packet", new PacketHandler(listener, processor, events, settings.maxInFlight()));
        // Handshake failures, idle timeouts, plain text, I/O errors: log, count, close.
        pipeline.addLast("events", connectionEvents);
    }
}
