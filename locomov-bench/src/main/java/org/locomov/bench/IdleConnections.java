package org.locomov.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many device connections that complete their TLS handshake and then stay silent, as sleeping meters do.
 * Opened with a bounded number of handshakes in flight (the server's own handshake limit would refuse a
 * flood); source addresses rotate over 127.0.0.x so that the ephemeral ports of one address never run out.
 *
 * <p>Threads: {@link #open} and {@link #close} run on the bench thread; handlers run on the event loops
 * and touch only the concurrent counters.
 */
final class IdleConnections implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IdleConnections.class);
    private static final int HANDSHAKES_IN_FLIGHT = 64;
    private static final int SOURCE_ADDRESSES = 8;
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);

    private final EventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Queue<Channel> open = new ConcurrentLinkedQueue<>();
    private final AtomicLong closedByServer = new AtomicLong();
    private final Map<String, Long> failures = new ConcurrentHashMap<>();

    /**
     * Opens {@code count} connections to {@code port} on 127.0.0.1 and returns once each has completed its
     * handshake or failed.
     *
     * @return how many are open
     */
    int open(int port, SslContext tls, int count) throws InterruptedException {
        Semaphore inFlight = new Semaphore(HANDSHAKES_IN_FLIGHT);
        Bootstrap bootstrap = new Bootstrap().group(loops).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) HANDSHAKE_TIMEOUT.toMillis())
                .remoteAddress(new InetSocketAddress("127.0.0.1", port));
        for (int i = 0; i < count; i++) {
            inFlight.acquire();
            InetSocketAddress source = new InetSocketAddress("127.0.0." + (1 + i % SOURCE_ADDRESSES), 0);
            Silent silent = new Silent(inFlight);
            ChannelFuture connecting = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel channel) {
                    SslHandler handler = tls.newHandler(channel.alloc());
                    handler.setHandshakeTimeoutMillis(HANDSHAKE_TIMEOUT.toMillis());
                    channel.pipeline().addLast(handler, silent);
                }
            }).connect(bootstrap.config().remoteAddress(), source);
            connecting.addListener((ChannelFuture attempt) -> {
                if (!attempt.isSuccess()) {
                    silent.settled("connect: " + SimulatedDevice.describe(attempt.cause()), null);
                }
            });
        }
        inFlight.acquire(HANDSHAKES_IN_FLIGHT);  // every attempt has finished
        inFlight.release(HANDSHAKES_IN_FLIGHT);
        log.info("{} idle connections open, {} failed {}", open.size(), count - open.size(), failures);
        return open.size();
    }

    int stillOpen() {
        return (int) open.stream().filter(Channel::isActive).count();
    }

    Map<String, Long> failures() {
        return Map.copyOf(failures);
    }

    long closedByServer() {
        return closedByServer.get();
    }

    private void failed(String reason) {
        failures.merge(reason, 1L, Long::sum);
    }

    @Override
    public void close() {
        List<Channel> channels = List.copyOf(open);
        channels.forEach(Channel::close);
        loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    /** Completes the handshake, then says nothing; counts a close by the server. */
    private final class Silent extends ChannelInboundHandlerAdapter {
        private final Semaphore inFlight;
        private final java.util.concurrent.atomic.AtomicBoolean settled = new java.util.concurrent.atomic.AtomicBoolean();
        private volatile boolean opened;

        Silent(Semaphore inFlight) {
            this.inFlight = inFlight;
        }

        /** The attempt is over: open ({@code failure} null, {@code channel} given) or failed. Once only. */
        void settled(String failure, Channel channel) {
            if (settled.compareAndSet(false, true)) {
                if (failure == null) {
                    opened = true;
                    open.add(channel);
                } else {
                    failed(failure);
                }
                inFlight.release();
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof SslHandshakeCompletionEvent handshake) {
                if (handshake.isSuccess()) {
                    settled(null, ctx.channel());
                } else {
                    settled("handshake: " + SimulatedDevice.describe(handshake.cause()), null);
                    ctx.close();
                }
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            if (opened) {
                closedByServer.incrementAndGet();
            }
            settled("closed before the handshake completed", null);
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
