package org.locomov.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The device end of one connection, after TLS: sends packets when its {@link SimulatedDevice} says so and
 * turns the server's reply bytes into lines ({@code Thank you.\n}, or {@code Error: ...\n}), with a
 * timeout on each ack.
 *
 * <p>Threads: one per connection, touched only by that channel's event loop.
 */
final class ExchangeHandler extends ChannelInboundHandlerAdapter {

    static final String ACK = "Thank you.";
    /** Longer than any reply a mov server sends; a server that sends more without a newline is broken. */
    private static final int MAX_REPLY_BYTES = 256;

    private final SimulatedDevice device;
    private final Duration ackTimeout;
    private final byte[] reply = new byte[MAX_REPLY_BYTES];
    private int replyLength;
    private ScheduledFuture<?> ackDeadline;

    ExchangeHandler(SimulatedDevice device, Duration ackTimeout) {
        this.device = device;
        this.ackTimeout = ackTimeout;
    }

    /** Writes one packet and, unless an ack is awaited already, starts waiting for its ack. */
    void send(ChannelHandlerContext ctx, byte[] packet) {
        if (ackDeadline == null) {
            awaitAck(ctx);
        }
        ctx.writeAndFlush(Unpooled.wrappedBuffer(packet)).addListener(written -> {
            if (!written.isSuccess()) {
                fail(ctx, "write failed: " + SimulatedDevice.describe(written.cause()));
            }
        });
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof SslHandshakeCompletionEvent handshake) {
            if (handshake.isSuccess()) {
                device.handshakeCompleted(this, ctx);
            } else {
                fail(ctx, "handshake failed: " + SimulatedDevice.describe(handshake.cause()));
            }
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            ByteBuf bytes = (ByteBuf) msg;
            while (bytes.isReadable() && ctx.channel().isActive()) {
                byte next = bytes.readByte();
                if (replyLength == MAX_REPLY_BYTES) {
                    fail(ctx, "reply longer than " + MAX_REPLY_BYTES + " bytes without a newline");
                    return;
                }
                reply[replyLength++] = next;
                if (next == '\n') {
                    String line = new String(reply, 0, replyLength - 1, StandardCharsets.US_ASCII);
                    replyLength = 0;
                    cancelDeadline();
                    if (line.equals(ACK)) {
                        device.ackReceived(this, ctx);
                        if (ackDeadline == null && device.awaitingAcks()) {
                            awaitAck(ctx);            // the next packet's ack, sent before this one came
                        }
                    } else {
                        fail(ctx, "refused: " + line);
                    }
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, SimulatedDevice.describe(cause));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancelDeadline();
        super.channelInactive(ctx);
    }

    private void fail(ChannelHandlerContext ctx, String reason) {
        cancelDeadline();
        device.exchangeFailed(reason);
        ctx.close();
    }

    private void awaitAck(ChannelHandlerContext ctx) {
        ackDeadline = ctx.executor().schedule(
                () -> fail(ctx, "no ack within " + ackTimeout.toMillis() + " ms"),
                ackTimeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void cancelDeadline() {
        if (ackDeadline != null) {
            ackDeadline.cancel(false);
            ackDeadline = null;
        }
    }
}
