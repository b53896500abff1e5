package org.locomov.mov;

import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First in every pipeline: counts the listener's open connections and closes a new one at once when
 * {@code maxConnections} are already open, before a byte of it is read or a TLS handshake is spent on
 * it. A refused connection is logged and counted in {@code locomov.connections.refused}.
 *
 * <p>Sharable: one instance per listener, called from every event loop of it; the only state is the
 * open-connection count, an {@link AtomicInteger} taken and given back with compare-and-set.
 */
@Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ConnectionLimiter.class);

    private final String listener;
    private final int maxConnections;
    private final AtomicInteger open = new AtomicInteger();
    private final Counter refused;

    ConnectionLimiter(String listener, int maxConnections, MeterRegistry registry) {
        this.listener = listener;
        this.maxConnections = maxConnections;
        this.refused = Counter.builder("locomov.connections.refused")
                .description("Connections closed at once because the listener had too many open")
                .tag("listener", listener)
                .tag("reason", "too_many_connections")
                .register(registry);
    }

    int openConnections() {
        return open.get();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (tryOpen()) {
            ctx.channel().closeFuture().addListener(closed -> open.decrementAndGet());
            ctx.fireChannelActive();
            return;
        }
        refused.increment();
        log.info("{} refused a connection from {}: too many connections ({} open)", listener,
                PacketContext.describe(ctx.channel().remoteAddress()), maxConnections);
        ctx.close();
    }

    private boolean tryOpen() {
        int current;
        do {
            current = open.get();
            if (current >= maxConnections) {
                return false;
            }
        } while (!open.compareAndSet(current, current + 1));
        return true;
    }
}
