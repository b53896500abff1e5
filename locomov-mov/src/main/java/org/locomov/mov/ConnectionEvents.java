package org.locomov.mov;

import java.io.IOException;

import javax.net.ssl.SSLException;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last in every pipeline: ends connections that went wrong below the packet level, each with a log
 * line naming the peer. A failed or timed-out TLS handshake is counted in
 * {@code locomov.tls.handshake.failures}; plain text sent to the TLS port is answered, in plain text,
 * {@code Error: TLS required}; an idle connection is closed; anything unexpected is logged with its
 * stack trace.
 *
 * <p>Sharable and stateless: one instance per listener, called from all of its event loops.
 */
@Sharable
final class ConnectionEvents extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ConnectionEvents.class);

    private static final Refusal TLS_REQUIRED = Refusal.of(RefusalKind.TLS_REQUIRED, "TLS required");

    private final String listener;
    private final ReplyReporter replies;
    private final Counter handshakeFailures;

    ConnectionEvents(String listener, ReplyReporter replies, MeterRegistry registry) {
        this.listener = listener;
        this.replies = replies;
        this.handshakeFailures = Counter.builder("locomov.tls.handshake.failures")
                .description("TLS handshakes that failed or timed out")
                .tag("listener", listener)
                .register(registry);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SslHandshakeCompletionEvent handshake) {
            if (!handshake.isSuccess()) {
                handshakeFailed(ctx, handshake.cause());
            }
        } else if (event instanceof IdleStateEvent) {
            log.debug("{} closing idle connection from {}", listener, peer(ctx));
            ctx.close();
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        boolean beforeHandshake = ctx.pipeline().get(SslHandler.class) == null;
        if (beforeHandshake && has(cause, NotSslRecordException.class)) {
            refusePlainText(ctx);
        } else if (beforeHandshake && has(cause, SslHandshakeTimeoutException.class)) {
            // No client hello in time: reported here, since there is no SslHandler yet to send an event.
            handshakeFailed(ctx, cause);
        } else if (has(cause, SSLException.class)) {
            // Already logged and counted by handshakeFailed when it broke the handshake.
            log.debug("{} TLS error from {}: {}", listener, peer(ctx), cause.toString());
            ctx.close();
        } else if (has(cause, IOException.class)) {
            log.debug("{} connection from {} failed: {}", listener, peer(ctx), cause.toString());
            ctx.close();
        } else {
            log.warn("{} unexpected error on the connection from {}; closing it", listener, peer(ctx), cause);
            ctx.close();
        }
    }

    private void handshakeFailed(ChannelHandlerContext ctx, Throwable cause) {
        handshakeFailures.increment();
        if (has(cause, SslHandshakeTimeoutException.class)) {
            log.info("{} TLS handshake with {} timed out", listener, peer(ctx));
        } else {
            log.info("{} TLS handshake with {} failed: {}", listener, peer(ctx), cause.getMessage());
        }
        ctx.close();
    }

    /**
     * Answers a client that sent plain text where the TLS handshake belongs. The line is written from
     * the first handler's context, so it reaches the socket without passing through TLS.
     */
    private void refusePlainText(ChannelHandlerContext ctx) {
        replies.refused(peer(ctx), TLS_REQUIRED);
        ChannelHandlerContext beforeTls = ctx.pipeline().firstContext();
        beforeTls.writeAndFlush(ByteBufUtil.writeAscii(ctx.alloc(), TLS_REQUIRED.line()))
                .addListener(ChannelFutureListener.CLOSE);
    }

    private static String peer(ChannelHandlerContext ctx) {
        return PacketContext.describe(ctx.channel().remoteAddress());
    }

    private static boolean has(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
