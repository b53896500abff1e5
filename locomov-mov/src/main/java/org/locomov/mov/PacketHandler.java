package org.locomov.mov;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.concurrent.CompletableFuture;
import org.locomov.core.IngestFailures;
import org.locomov.core.Refusal;
import org.locomov.transport.Drain;
import org.locomov.transport.ListenerEvents;
import org.locomov.transport.Peers;

/**
 * Answers each packet of one connection, one at a time and in order: hands a {@link JsonFrame} to
 * the listener's {@link PacketProcessor}, writes its {@link Reply}, and only once the reply is
 * written asks for the next packet. A {@link Refusal} from the framing below is answered the same way.
 * Every reply is logged and counted by the listener's {@link ListenerEvents}.
 *
 * <p>Reading: {@code autoRead} is off, so nothing is read from the socket unless this handler calls
 * {@code read()}. It keeps at most one read outstanding, and asks again when a read burst ends
 * without a packet (the TLS handshake, half a packet), never while a packet is in flight. With the
 * {@code FlowControlHandler} in front, which hands over one message per {@code read()}, that keeps
 * one packet in flight per connection: backpressure reaches the socket, and acks stay in order.
 *
 * <p>While a packet is in flight, idle events are ignored (the silence is ours, not the client's);
 * on {@link Drain} the connection is closed once the packet in flight, if any, is answered.
 *
 * <p>Per connection, not sharable. Every method runs on the channel's event loop, and the
 * processor's future is brought back to it before the reply is sent, so the fields need no locking.
 */
final class PacketHandler extends ChannelInboundHandlerAdapter {

    private final String listener;
    private final PacketProcessor processor;
    private final ListenerEvents events;

    private PacketContext context;
    /** From a packet's arrival until its reply is written. */
    private boolean inFlight;
    private boolean readRequested;
    private boolean draining;

    PacketHandler(String listener, PacketProcessor processor, ListenerEvents events) {
        this.listener = listener;
        this.processor = processor;
        this.events = events;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        String peer = Peers.describe(ctx.channel().remoteAddress());
        context = new PacketContext(listener, peer, ctx.executor(),
                new ConnectionSessions(listener, peer, () -> ctx.channel().close()));
        requestNextPacket(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (context != null) {
            context.sessions().closed();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof JsonFrame packet) {
            readRequested = false;
            process(ctx, packet);
        } else if (msg instanceof Refusal framingRefusal) {
            readRequested = false;
            inFlight = true;
            reply(ctx, Reply.refused(framingRefusal));
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // A burst of reads ended; if it brought no packet (handshake records, part of a packet), ask again.
        readRequested = false;
        requestNextPacket(ctx);
        ctx.fireChannelReadComplete();
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
            Reply checked = answer != null ? answer : Reply.refused(IngestFailures.refusalFor(failure, null));
            if (ctx.executor().inEventLoop()) {
                reply(ctx, checked);
            } else {
                context.execute(() -> reply(ctx, checked));
            }
        });
    }

    private void reply(ChannelHandlerContext ctx, Reply reply) {
        switch (reply) {
            case Reply.ThankYou ack -> events.acknowledged(1);
            case Reply.Refused refused -> events.refused(context.peerText(), "a packet", refused.refusal());
        }
        ctx.writeAndFlush(ByteBufUtil.writeUtf8(ctx.alloc(), reply.line())).addListener(written -> {
            inFlight = false;
            if (!written.isSuccess() || reply.closesConnection() || draining) {
                ctx.close();
            } else {
                requestNextPacket(ctx);
            }
        });
    }

    private void requestNextPacket(ChannelHandlerContext ctx) {
        if (!inFlight && !readRequested && !draining && ctx.channel().isActive()) {
            readRequested = true;
            ctx.read();
        }
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
