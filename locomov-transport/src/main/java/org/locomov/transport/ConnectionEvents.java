package org.locomov.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLException;
import org.locomov.core.Refusal;
import org.locomov.core.RefusalKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last in every TLS pipeline: ends connections that went wrong below the protocol, each with a log line
 * naming the peer and the reason ({@link ListenerEvents}). A failed or timed-out TLS handshake is counted;
 * plain text sent to the TLS port is refused (answered in plain text when the protocol has a way to say
 * so, e.g. mov's {@code Error: TLS required}); an idle connection is closed; anything unexpected is logged
 * with its stack trace.
 *
 * <p>Sharable and stateless: one instance per listener, called from all of its event loops.
 */
@Sharable
public final class ConnectionEvents extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ConnectionEvents.class);

    private static final Refusal TLS_REQUIRED = Refusal.of(RefusalKind.TLS_REQUIRED, "TLS required");

    private final ListenerEvents events;
    private final byte[] plainTextAnswer;

    /**
     * @param plainTextAnswer written, unencrypted, to a client that sent plain text where the TLS handshake
     *                        belongs, before closing; {@code null} to close without a word
     */
    public ConnectionEvents(ListenerEvents events, String plainTextAnswer) {
        this.events = events;
        this.plainTextAnswer = plainTextAnswer == null ? null : plainTextAnswer.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SslHandshakeCompletionEvent handshake) {
            if (!handshake.isSuccess()) {
                events.handshakeFailed(peer(ctx), handshake.cause());
                ctx.close();
            }
        } else if (event instanceof IdleStateEvent) {
            log.debug("{} closing idle connection from {}", events.listener(), peer(ctx));
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
            events.handshakeFailed(peer(ctx), cause);
            ctx.close();
        } else if (has(cause, SSLException.class)) {
            // Already logged and counted by handshakeFailed when it broke the handshake.
            log.debug("{} TLS error from {}: {}", events.listener(), peer(ctx), cause.toString());
            ctx.close();
        } else if (has(cause, IOException.class)) {
            log.debug("{} connection from {} failed: {}", events.listener(), peer(ctx), cause.toString());
            ctx.close();
        } else {
            log.warn("{} unexpected error on the connection from {}; closing it", events.listener(), peer(ctx), cause);
            ctx.close();
        }
    }

    /**
     * Refuses a client that sent plain text where the TLS handshake belongs. The answer is written from the
     * first handler's context, so it reaches the socket without passing through TLS.
     */
    private void refusePlainText(ChannelHandlerContext ctx) {
        events.refused(peer(ctx), "a connection", TLS_REQUIRED);
        if (plainTextAnswer == null) {
            ctx.close();
            return;
        }
        ctx.pipeline().firstContext().writeAndFlush(Unpooled.wrappedBuffer(plainTextAnswer))
                .addListener(ChannelFutureListener.CLOSE);
    }

    private static String peer(ChannelHandlerContext ctx) {
        return Peers.describe(ctx.channel().remoteAddress());
    }

    static boolean has(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
