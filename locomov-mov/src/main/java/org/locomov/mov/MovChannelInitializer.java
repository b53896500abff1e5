package org.locomov.mov;

import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.timeout.IdleStateHandler;
import org.locomov.tls.ServerTls;

/**
 * Builds the pipeline of each accepted connection; read top to bottom, it is the protocol stack.
 *
 * <p>Sharable (Netty's initializers are): holds only the listener's shared, thread-safe handlers
 * and creates the per-connection ones.
 */
final class MovChannelInitializer extends ChannelInitializer<SocketChannel> {

    private final MovSettings settings;
    private final ServerTls tls;
    private final ConnectionLimiter limiter;
    private final ConnectionEvents events;
    private final String listener;
    private final PacketProcessor processor;
    private final ReplyReporter replies;
    private final ChannelGroup openChannels;

    MovChannelInitializer(String listener, MovSettings settings, ServerTls tls, PacketProcessor processor,
            ConnectionLimiter limiter, ConnectionEvents events, ReplyReporter replies, ChannelGroup openChannels) {
        this.listener = listener;
        this.settings = settings;
        this.tls = tls;
        this.processor = processor;
        this.limiter = limiter;
        this.events = events;
        this.replies = replies;
        this.openChannels = openChannels;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        openChannels.add(channel);
        ChannelPipeline pipeline = channel.pipeline();
        // Over maxConnections: closed before anything is read.
        pipeline.addLast("limit", limiter);
        // TLS, with the RSA or EC certificate chosen from the client hello; plain text fails here.
        pipeline.addLast("tls", tls.newHandler());
        // Neither a packet nor a reply for idleTimeout: IdleStateEvent, and ConnectionEvents closes.
        pipeline.addLast("idle", new IdleStateHandler(0, 0, settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
        // The first JSON value of the stream, at most maxPacketBytes; device garbage after a NUL dropped.
        pipeline.addLast("frame", new JsonFrameDecoder(settings.maxPacketBytes()));
        // One frame per read(): the next packet waits while one is being stored, so acks stay in order.
        pipeline.addLast("pace", new FlowControlHandler());
        // A client certificate, when one was presented: checked once, then every packet must carry its device id.
        if (tls.clientCertificates().asked()) {
            pipeline.addLast("certificate", new ClientCertificateGate(tls.clientCertificates()));
        }
        // Decode, check the device, store; reply "Thank you." after commit or "Error: <reason>".
        pipeline.addLast("packet", new PacketHandler(listener, processor, replies));
        // Handshake failures, idle timeouts, plain text, I/O errors: log, count, close.
        pipeline.addLast("events", events);
    }
}
