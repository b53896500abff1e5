package org.locomov.mov;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.locomov.tls.ServerTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TLS-over-TCP listener with the mov framing: devices send JSON packets, each is handed to a
 * {@link PacketProcessor}, and each gets one line back ({@code Thank you.} after commit, or
 * {@code Error: <reason>}). The mov listener is this class with a {@link ReadingProcessor}; the confo
 * listener is this class with its own processor.
 *
 * <p>The {@link ServerTls} is built by the caller from {@link MovSettings#cipherProfile()} and
 * {@link MovSettings#handshakeTimeout()}, so that certificate sources stay outside this module.
 *
 * <p>Lifecycle: {@link #start} and {@link #close} are called by the owner, one after the other, from
 * one thread; {@link #port} may be read from any thread once {@code start} returned. Connections
 * run on the listener's own event loops.
 */
public final class MovServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MovServer.class);

    private final String listener;
    private final MovSettings settings;
    private final ServerTls tls;
    private final PacketProcessor processor;
    private final MeterRegistry registry;
    private final ChannelGroup openChannels;

    private EventLoopGroup acceptor;
    private EventLoopGroup workers;
    private Gauge openGauge;
    private volatile Channel serverChannel;
    private boolean closed;

    public MovServer(String listenerName, MovSettings settings, ServerTls tls, PacketProcessor processor,
            MeterRegistry registry) {
        this.listener = Objects.requireNonNull(listenerName, "listenerName");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.tls = Objects.requireNonNull(tls, "tls");
        this.processor = Objects.requireNonNull(processor, "processor");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.openChannels = new DefaultChannelGroup(listenerName + "-connections", GlobalEventExecutor.INSTANCE);
    }

    /**
     * Binds the port and returns once the listener accepts connections.
     *
     * @throws IllegalStateException when the address cannot be bound (in use, not local, no permission)
     */
    public void start() {
        if (serverChannel != null || closed) {
            throw new IllegalStateException(listener + " listener was already started");
        }
        ReplyReporter replies = new ReplyReporter(listener, registry);
        ConnectionLimiter limiter = new ConnectionLimiter(listener, settings.maxConnections(), registry);
        ConnectionEvents events = new ConnectionEvents(listener, replies, registry);
        openGauge = Gauge.builder("locomov.connections.open", limiter, ConnectionLimiter::openConnections)
                .description("Connections open on the listener")
                .tag("listener", listener)
                .register(registry);

        acceptor = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(listener + "-accept"),
                NioIoHandler.newFactory());
        workers = new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory(listener + "-io"),
                NioIoHandler.newFactory());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptor, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                // Read only when a connection is ready for its next packet: see PacketHandler.
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new MovChannelInitializer(listener, settings, tls, processor, limiter, events, replies,
                        openChannels));

        ChannelFuture bound = bootstrap.bind(settings.bindAddress(), settings.port()).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            close();
            throw new IllegalStateException(listener + " listener cannot listen on " + settings.bindAddress() + ":"
                    + settings.port() + ": " + bound.cause().getMessage(), bound.cause());
        }
        serverChannel = bound.channel();
        log.info("{} listening on {}:{} (TLS profile {}, packets up to {} bytes, at most {} connections)", listener,
                settings.bindAddress(), port(), settings.cipherProfile(), settings.maxPacketBytes(),
                settings.maxConnections());
    }

    /** The port the listener is bound to; the real one when the settings asked for port 0. */
    public int port() {
        Channel channel = serverChannel;
        if (channel == null) {
            throw new IllegalStateException(listener + " listener is not started");
        }
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /**
     * Stops accepting, lets each connection finish the packet it is storing (for at most the drain
     * timeout), then closes every connection and stops the event loops. Packets not yet answered are
     * not acknowledged, so their devices send them again.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Channel channel = serverChannel;
        if (channel != null) {
            channel.close().awaitUninterruptibly();
        }
        openChannels.forEach(connection -> connection.pipeline().fireUserEventTriggered(PacketHandler.Drain.INSTANCE));
        if (!openChannels.newCloseFuture().awaitUninterruptibly(settings.drainTimeout().toMillis())) {
            log.info("{} closing {} connections whose packets were not answered within {}", listener,
                    openChannels.size(), settings.drainTimeout());
        }
        openChannels.close().awaitUninterruptibly();
        shutDown(workers);
        shutDown(acceptor);
        if (openGauge != null) {
            registry.remove(openGauge);
        }
        if (channel != null) {
            log.info("{} listener stopped", listener);
        }
    }

    private static void shutDown(EventLoopGroup group) {
        if (group != null) {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly();
        }
    }
}
