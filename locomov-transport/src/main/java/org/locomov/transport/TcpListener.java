package org.locomov.transport;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.locomov.core.listener.Listener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP listener on Netty: the bootstrap every TCP transport shares (mov, confo, MQTT, Particle), so a
 * transport brings only its pipeline. Every connection is counted and limited ({@link ConnectionLimiter},
 * first in the pipeline) and tracked, so that {@link #close} can drain: stop accepting, fire {@link Drain}
 * into each connection so it finishes what it is committing, wait at most the drain time, then close the
 * rest. What was not acknowledged by then is sent again by its device.
 *
 * <p>Lifecycle: {@link #start} and {@link #close} are called by the owner, one after the other, from one
 * thread; {@link #port} may be read from any thread once {@code start} returned.
 */
public final class TcpListener implements Listener {

    private static final Logger log = LoggerFactory.getLogger(TcpListener.class);

    /** What a transport puts after the limiter, for each accepted connection. */
    @FunctionalInterface
    public interface Pipeline {
        void initialize(SocketChannel channel);
    }

    private final String name;
    private final String transport;
    private final Endpoint endpoint;
    private final int maxConnections;
    private final Duration drainTimeout;
    private final boolean autoRead;
    private final ListenerEvents events;
    private final MeterRegistry registry;
    private final Pipeline pipeline;
    private final ChannelGroup openChannels;

    private EventLoopGroup acceptor;
    private EventLoopGroup workers;
    private ConnectionLimiter limiter;
    private Gauge openGauge;
    private volatile Channel serverChannel;
    private boolean closed;

    /**
     * @param transport      the protocol, for metrics
     * @param autoRead       false for transports that read only when they ask (one message in flight)
     * @param events         the listener's log lines and metrics
     * @param pipeline       builds the pipeline after the limiter
     */
    public TcpListener(String name, String transport, Endpoint endpoint, int maxConnections, Duration drainTimeout,
            boolean autoRead, ListenerEvents events, MeterRegistry registry, Pipeline pipeline) {
        this.name = Objects.requireNonNull(name, "name");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.maxConnections = maxConnections;
        this.drainTimeout = Objects.requireNonNull(drainTimeout, "drainTimeout");
        this.autoRead = autoRead;
        this.events = Objects.requireNonNull(events, "events");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.openChannels = new DefaultChannelGroup(name + "-connections", GlobalEventExecutor.INSTANCE);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Endpoint endpoint() {
        return endpoint;
    }

    /** Connections open now. */
    public int openConnections() {
        return limiter == null ? 0 : limiter.openConnections();
    }

    @Override
    public void start() {
        if (serverChannel != null || closed) {
            throw new IllegalStateException(name + " listener was already started");
        }
        limiter = new ConnectionLimiter(maxConnections, events);
        openGauge = limiter.registerGauge(registry, name, transport);
        acceptor = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(name + "-accept"),
                NioIoHandler.newFactory());
        workers = new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory(name + "-io"), NioIoHandler.newFactory());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptor, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.AUTO_READ, autoRead)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        openChannels.add(channel);
                        // Over maxConnections: closed before anything is read.
                        channel.pipeline().addLast("limit", limiter);
                        pipeline.initialize(channel);
                    }
                });
        ChannelFuture bound = bootstrap.bind(endpoint.bindAddress(), endpoint.port()).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            close();
            throw new IllegalStateException(name + " listener cannot listen on " + endpoint.bindAddress() + ":"
                    + endpoint.port() + ": " + bound.cause().getMessage(), bound.cause());
        }
        serverChannel = bound.channel();
        log.info("{} listening on {}:{} ({}, at most {} connections)", name, endpoint.bindAddress(), port(),
                endpoint.security(), maxConnections);
    }

    @Override
    public int port() {
        Channel channel = serverChannel;
        if (channel == null) {
            throw new IllegalStateException(name + " listener is not started");
        }
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

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
        openChannels.forEach(connection -> connection.pipeline().fireUserEventTriggered(Drain.INSTANCE));
        if (!openChannels.newCloseFuture().awaitUninterruptibly(drainTimeout.toMillis())) {
            log.info("{} closing {} connections whose work was not answered within {}", name, openChannels.size(),
                    drainTimeout);
        }
        openChannels.close().awaitUninterruptibly();
        shutDown(workers);
        shutDown(acceptor);
        if (openGauge != null) {
            registry.remove(openGauge);
        }
        if (channel != null) {
            log.info("{} listener stopped", name);
        }
    }

    private static void shutDown(EventLoopGroup group) {
        if (group != null) {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly();
        }
    }
}
