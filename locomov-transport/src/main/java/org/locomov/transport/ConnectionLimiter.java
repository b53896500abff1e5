package org.locomov.transport;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * First in every pipeline: counts the listener's open connections and closes a new one at once when
 * {@code maxConnections} are already open, before a byte of it is read or a TLS handshake is spent on
 * it; a connection it lets in it leaves at once (its close future gives the slot back). A refused connection is logged and counted by {@link ListenerEvents#tooManyConnections}; the open
 * count is the gauge {@code locomov.connections.open{listener, transport}}.
 *
 * <p>Sharable: one instance per listener, called from every event loop of it; the only state is the
 * open-connection count, an {@link AtomicInteger} taken and given back with compare-and-set.
 */
@Sharable
public final class ConnectionLimiter extends ChannelInboundHandlerAdapter {

    private final int maxConnections;
    private final ListenerEvents events;
    private final AtomicInteger open = new AtomicInteger();

    public ConnectionLimiter(int maxConnections, ListenerEvents events) {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1, was " + maxConnections);
        }
        this.maxConnections = maxConnections;
        this.events = events;
    }

    /** Registers the open-connections gauge; remove the returned meter when the listener stops. */
    public Gauge registerGauge(MeterRegistry registry, String listener, String transport) {
        return Gauge.builder("locomov.connections.open", open, AtomicInteger::get)
                .description("Connections open on the listener")
                .tags("listener", listener, "transport", transport)
                .register(registry);
    }

    public int openConnections() {
        return open.get();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (tryOpen()) {
            ctx.channel().closeFuture().addListener(closed -> open.decrementAndGet());
            ctx.fireChannelActive();
            // Counted; the close listener gives the slot back. Leaving the pipeline saves each idle connection
            // a handler context (decision 1513).
            ctx.pipeline().remove(this);
            return;
        }
        events.tooManyConnections(Peers.describe(ctx.channel().remoteAddress()), maxConnections);
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
