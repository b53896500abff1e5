package org.locomov.mov;

import java.util.concurrent.CompletableFuture;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;

/**
 * Answers each packet of one connection, one at a time and in order: hands a {@link JsonFrame} to
 * the listener's {@link PacketProcessor}, writes its {@link Reply}, and only then asks for the next
 * packet ({@code autoRead} is off, so nothing is read from the socket until this handler calls
 * {@code read()}). A {@link Refusal} from the framing below is answered the same way.
 *
 * <p>While a packet is being stored, idle events are ignored (the silence is ours, not the client's);
 * on {@link Drain} the connection is closed once the packet in flight, if any, is answered.
 *
 * <p>Per connection, not sharable. Every method runs on the channel's event loop, and the
 * processor's future is brought back to it before the reply is sent, so the fields need no locking.
 */
final class PacketHandler extends ChannelInboundHandlerAdapter {

    /** User event that asks a connection to finish its packet in flight and close. */
    enum Drain { INSTANCE }

    private final String listener;
    private final PacketProcessor processor;
    private final ReplyReporter replies;

    private PacketContext context;
    private boolean inFlight;
    private boolean draining;

    PacketHandler(String listener, PacketProcessor processor, ReplyReporter replies) {
        this.listener = listener;
        this.processor = processor;
        this.replies = replies;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        context = new PacketContext(listener, ctx.channel().remoteAddress(), ctx.executor());
        ctx.read();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof JsonFrame packet) {
            process(ctx, packet);
        } else if (msg instanceof Refusal framingRefusal) {
            reply(ctx, framingRefusal);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    private void process(ChannelHandlerContext ctx, JsonFrame packet) {
        inFlight = true;
        CompletableFuture<Reply> reply;
        try {
            reply = processor.process(packet, context);
        } catch (RuntimeException bug) {
            reply = CompletableFuture.failedFuture(bug);
        }
        reply.whenComplete((answer, failure) -> {
            Reply checked = answer != null ? answer : IngestFailures.refusalFor(failure, null);
            if (ctx.executor().inEventLoop()) {
                reply(ctx, checked);
            } else {
                context.execute(() -> reply(ctx, checked));
            }
        });
    }

    private void reply(ChannelHandlerContext ctx, Reply reply) {
        inFlight = false;
        replies.replied(context.peerText(), reply);
        boolean close = reply.closesConnection() || draining;
        ctx.writeAndFlush(ByteBufUtil.writeUtf8(ctx.alloc(), reply.line())).addListener(written -> {
            if (close || !written.isSuccess()) {
                ctx.close();
            } else {
                ctx.read();
            }
        });
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent && inFlight) {
            return;
        }
        if (event == Drain.INSTANCE) {
            draining = true;
            if (!inFlight) {
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(event);
    }
}
