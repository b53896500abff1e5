package org.locomov.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslClientHelloHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The per-connection handler {@link ServerTls#newHandler()} hands out: waits for the client hello, picks
 * the RSA or the EC context for it, and replaces itself (under its own name) with that context's
 * {@link SslHandler}. One deadline covers the whole handshake: the time spent waiting for the hello is
 * taken from the {@code SslHandler}'s handshake timeout.
 *
 * <p>A first byte that is not a TLS handshake record (0x16) is plaintext: the bytes are dropped, the handler
 * removes itself and fires {@link NotSslRecordException} (unwrapped) so the listener can reply in plain
 * text and close; the channel is closed when the handshake deadline passes if the listener has not.
 *
 * <p>Thread-safety: one instance per channel, used only on that channel's event loop.
 */
final class ClientHelloRouter extends SslClientHelloHandler<SslContext> {

    private static final int TLS_HANDSHAKE_RECORD = 0x16;
    private static final int PLAINTEXT_SAMPLE_BYTES = 16;

    private final Function<ClientHelloSummary, SslContext> chooser;
    private final long handshakeTimeoutNanos;
    private long deadlineNanos;
    private ScheduledFuture<?> helloTimeout;

    ClientHelloRouter(Function<ClientHelloSummary, SslContext> chooser, long handshakeTimeoutNanos) {
        this.chooser = chooser;
        this.handshakeTimeoutNanos = handshakeTimeoutNanos;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        super.handlerAdded(ctx);
        if (ctx.channel().isActive()) {
            startDeadline(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        startDeadline(ctx);
        super.channelActive(ctx);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (in.isReadable() && in.getUnsignedByte(in.readerIndex()) != TLS_HANDSHAKE_RECORD) {
            refusePlaintext(ctx, in);
            return;
        }
        super.decode(ctx, in, out);
    }

    @Override
    protected Future<SslContext> lookup(ChannelHandlerContext ctx, ByteBuf clientHello) {
        // No hello (another record type first): the RSA context, whose SslHandler then reports the error.
        ClientHelloSummary hello = clientHello == null ? ClientHelloSummary.UNREADABLE : ClientHelloSummary.parse(clientHello);
        return ctx.executor().newSucceededFuture(chooser.apply(hello));
    }

    @Override
    protected void onLookupComplete(ChannelHandlerContext ctx, Future<SslContext> future) {
        SslHandler sslHandler = future.getNow().newHandler(ctx.alloc());
        sslHandler.setHandshakeTimeout(Math.max(1, remainingNanos()), TimeUnit.NANOSECONDS);
        try {
            ctx.pipeline().replace(this, ctx.name(), sslHandler);
            sslHandler = null;
        } finally {
            // Only when replace failed (the channel closed meanwhile): free the engine's native memory.
            if (sslHandler != null) {
                ReferenceCountUtil.safeRelease(sslHandler.engine());
            }
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
        cancelHelloTimeout();
        super.handlerRemoved0(ctx);
    }

    private void startDeadline(ChannelHandlerContext ctx) {
        if (helloTimeout != null) {
            return;
        }
        deadlineNanos = System.nanoTime() + handshakeTimeoutNanos;
        helloTimeout = ctx.executor().schedule(() -> {
            if (!ctx.isRemoved()) {
                ctx.fireExceptionCaught(new SslHandshakeTimeoutException(
                        "no TLS client hello within " + TimeUnit.NANOSECONDS.toMillis(handshakeTimeoutNanos) + " ms"));
                ctx.close();
            }
        }, handshakeTimeoutNanos, TimeUnit.NANOSECONDS);
    }

    private void refusePlaintext(ChannelHandlerContext ctx, ByteBuf in) {
        String sample = ByteBufUtil.hexDump(in, in.readerIndex(), Math.min(PLAINTEXT_SAMPLE_BYTES, in.readableBytes()));
        in.skipBytes(in.readableBytes());
        cancelHelloTimeout();
        Channel channel = ctx.channel();
        ScheduledFuture<?> closer = channel.eventLoop().schedule(
                () -> { channel.close(); }, Math.max(1, remainingNanos()), TimeUnit.NANOSECONDS);
        channel.closeFuture().addListener(closed -> closer.cancel(false));
        ctx.pipeline().remove(this);
        ctx.fireExceptionCaught(new NotSslRecordException("not a TLS record; the client sent plaintext starting "
                + sample));
    }

    private long remainingNanos() {
        return deadlineNanos - System.nanoTime();
    }

    private void cancelHelloTimeout() {
        if (helloTimeout != null) {
            helloTimeout.cancel(false);
        }
    }
}
