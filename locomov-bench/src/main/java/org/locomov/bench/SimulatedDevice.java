package org.locomov.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One simulated meter: connects, sends a packet when its connection is ready, waits for the ack, and
 * either closes and reconnects ({@link LoadMode#CONNECT_PER_PACKET}) or sends the next packet on the same
 * connection ({@link LoadMode#PERSISTENT}), until the {@link LoadTally} says the run is over.
 *
 * <p>Threads: a device has at most one connection at a time, and every callback runs on that
 * connection's event loop; the next connection is opened from the previous one's close listener, so
 * Netty's hand-over orders all writes to the fields below (no two threads touch them at once).
 */
final class SimulatedDevice {

    /** Pause before reconnecting after a connection that failed before its handshake (server down, port full). */
    private static final long RECONNECT_PAUSE_MS = 100;

    private final long id;
    private final LoadMode mode;
    private final LoadTally tally;
    private final Bootstrap bootstrap;
    private final CompletableFuture<Void> finished = new CompletableFuture<>();

    private boolean exchangeOpen;
    private boolean reachedServer;
    private long exchangeStartNanos;
    private long sentNanos;

    /**
     * @param connections  where and how to connect (the remote address and options are set)
     * @param pipelineFor  the initializer of this device's connections; its pipeline ends in an
     *                     {@link ExchangeHandler} for this device
     */
    SimulatedDevice(long id, LoadMode mode, LoadTally tally, Bootstrap connections,
                    Function<SimulatedDevice, ChannelHandler> pipelineFor) {
        this.id = id;
        this.mode = mode;
        this.tally = tally;
        this.bootstrap = connections.clone().handler(pipelineFor.apply(this));
    }

    long id() {
        return id;
    }

    /** Completes when the device has stopped and its last connection is closed. */
    CompletableFuture<Void> finished() {
        return finished;
    }

    void start() {
        connectIfStillRunning();
    }

    void handshakeCompleted(ExchangeHandler exchange, ChannelHandlerContext ctx) {
        reachedServer = true;
        if (mode == LoadMode.CONNECT_PER_PACKET) {
            sendPacket(exchange, ctx);  // its packet was claimed before connecting
        } else {
            sendNextOrClose(exchange, ctx);
        }
    }

    void ackReceived(ExchangeHandler exchange, ChannelHandlerContext ctx) {
        if (!exchangeOpen) {
            return;
        }
        exchangeOpen = false;
        tally.ackReceived(sentNanos, exchangeStartNanos, System.nanoTime());
        if (mode == LoadMode.CONNECT_PER_PACKET) {
            ctx.close();
        } else {
            sendNextOrClose(exchange, ctx);
        }
    }

    /** Counts the open exchange as failed; later reports about the same exchange are ignored. */
    void exchangeFailed(String reason) {
        if (exchangeOpen) {
            exchangeOpen = false;
            tally.error(reason);
        }
    }

    private void sendNextOrClose(ExchangeHandler exchange, ChannelHandlerContext ctx) {
        if (tally.claimPacket()) {
            exchangeStartNanos = System.nanoTime();
            exchangeOpen = true;
            sendPacket(exchange, ctx);
        } else {
            exchangeOpen = false;  // the run is over: this close is ours, not a failure
            ctx.close();
        }
    }

    private void sendPacket(ExchangeHandler exchange, ChannelHandlerContext ctx) {
        byte[] packet = Cc3220sPacket.forDevice(id, System.currentTimeMillis() / 1_000);
        sentNanos = System.nanoTime();
        tally.packetSent();
        exchange.send(ctx, packet);
    }

    private void connectIfStillRunning() {
        boolean proceed = mode == LoadMode.CONNECT_PER_PACKET ? tally.claimPacket() : tally.running();
        if (!proceed) {
            finished.complete(null);
            return;
        }
        reachedServer = false;
        exchangeStartNanos = System.nanoTime();
        exchangeOpen = true;
        ChannelFuture connecting = bootstrap.connect();
        connecting.addListener((ChannelFuture attempt) -> {
            if (!attempt.isSuccess()) {
                exchangeFailed("connect failed: " + describe(attempt.cause()));
            }
        });
        Channel channel = connecting.channel();
        channel.closeFuture().addListener(closed -> connectionClosed(channel));
    }

    private void connectionClosed(Channel channel) {
        exchangeFailed("connection closed before the ack");
        if (reachedServer) {
            connectIfStillRunning();
        } else {
            channel.eventLoop().schedule(this::connectIfStillRunning, RECONNECT_PAUSE_MS, TimeUnit.MILLISECONDS);
        }
    }

    /** A one-line reason for a failure, for the report's error breakdown. */
    static String describe(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message.lines().findFirst().orElse(""));
    }
}
