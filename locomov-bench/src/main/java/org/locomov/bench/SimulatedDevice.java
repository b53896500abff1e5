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
 * connection ({@link LoadMode#PERSISTENT}), until the {@link LoadTally} says the run is over. In persistent
 * mode it may keep several packets unacknowledged ({@code inFlight}, a pipelining client); acks come in order.
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

    /** Packets sent before waiting for the first ack: 1, or more for a pipelining client (persistent mode only). */
    private final int inFlight;
    /** Connecting, nothing sent yet: a failure now is one error. */
    private boolean exchangeOpen;
    private boolean reachedServer;
    private long exchangeStartNanos;
    /** Packets sent and not yet acknowledged, oldest at {@link #head}: when each was sent and its exchange began. */
    private final long[] sentNanos;
    private final long[] startedNanos;
    private int head;
    private int outstanding;

    /**
     * @param connections  where and how to connect (the remote address and options are set)
     * @param inFlight     persistent mode: packets sent before waiting for the first ack (1 as a CC3220S)
     * @param pipelineFor  the initializer of this device's connections; its pipeline ends in an
     *                     {@link ExchangeHandler} for this device
     */
    SimulatedDevice(long id, LoadMode mode, int inFlight, LoadTally tally, Bootstrap connections,
                    Function<SimulatedDevice, ChannelHandler> pipelineFor) {
        this.id = id;
        this.mode = mode;
        this.inFlight = mode == LoadMode.CONNECT_PER_PACKET ? 1 : inFlight;
        this.tally = tally;
        this.sentNanos = new long[this.inFlight];
        this.startedNanos = new long[this.inFlight];
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

    /** Whether packets sent on the current connection still wait for their acks. */
    boolean awaitingAcks() {
        return outstanding > 0;
    }

    void handshakeCompleted(ExchangeHandler exchange, ChannelHandlerContext ctx) {
        reachedServer = true;
        if (mode == LoadMode.CONNECT_PER_PACKET) {
            sendPacket(exchange, ctx, exchangeStartNanos);  // its packet was claimed before connecting
        } else {
            exchangeOpen = false;
            fillWindowOrClose(exchange, ctx);
        }
    }

    void ackReceived(ExchangeHandler exchange, ChannelHandlerContext ctx) {
        if (outstanding == 0) {
            return;
        }
        long sent = sentNanos[head];
        long started = startedNanos[head];
        head = (head + 1) % inFlight;
        outstanding--;
        tally.ackReceived(sent, started, System.nanoTime());
        if (mode == LoadMode.CONNECT_PER_PACKET) {
            ctx.close();
        } else {
            fillWindowOrClose(exchange, ctx);
        }
    }

    /** Counts the open exchanges (each packet awaiting its ack, or the connection being made) as failed, once. */
    void exchangeFailed(String reason) {
        int failed = outstanding > 0 ? outstanding : exchangeOpen ? 1 : 0;
        for (int i = 0; i < failed; i++) {
            tally.error(reason);
        }
        outstanding = 0;
        head = 0;
        exchangeOpen = false;
    }

    private void fillWindowOrClose(ExchangeHandler exchange, ChannelHandlerContext ctx) {
        while (outstanding < inFlight && tally.claimPacket()) {
            sendPacket(exchange, ctx, System.nanoTime());
        }
        if (outstanding == 0) {
            ctx.close();  // the run is over: this close is ours, not a failure
        }
    }

    private void sendPacket(ExchangeHandler exchange, ChannelHandlerContext ctx, long exchangeStart) {
        byte[] packet = Cc3220sPacket.forDevice(id, System.currentTimeMillis() / 1_000);
        int slot = (head + outstanding) % inFlight;
        sentNanos[slot] = System.nanoTime();
        startedNanos[slot] = exchangeStart;
        outstanding++;
        exchangeOpen = false;
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
