package org.locomov.mov;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import org.locomov.core.IngestFailures;
import org.locomov.core.Refusal;
import org.locomov.transport.Drain;
import org.locomov.transport.ListenerEvents;
import org.locomov.transport.Peers;

/**
 * Answers the packets of one connection in the order they arrived: hands each {@link JsonFrame} to the
 * listener's {@link PacketProcessor} as soon as it is read, and writes its {@link Reply} once it and every
 * packet before it are answered. A {@link Refusal} from the framing below takes its turn the same way.
 * Every reply is logged and counted by the listener's {@link ListenerEvents}.
 *
 * <p>Window: up to {@code maxInFlight} packets are in flight at once (read, not yet answered), so a client
 * that sends several packets without waiting has them stored in the same or consecutive batches rather than
 * one commit per round trip (docs/decisions/1500-grouped-acks-and-pipelined-mov.md). With a window of 1 the
 * connection behaves as before (decision 0300).
 *
 * <p>Reading: {@code autoRead} is off, so nothing is read from the socket unless this handler calls
 * {@code read()}. It keeps at most one read outstanding and asks for the next packet only while the window
 * has room and the channel is writable (a client that does not read its acks stops being read); with the
 * {@code FlowControlHandler} in front, which hands over one message per {@code read()}, backpressure from a
 * full window or a full ingest queue reaches the socket.
 *
 * <p>Replies answered together (one commit) are written together and flushed once. A reply that closes the
 * connection is the last one: packets after it are not answered, and the connection closes once it is written.
 * While a packet is in flight, idle events are ignored (the silence is ours, not the client's); on
 * {@link Drain} the connection is closed once the packets in flight are answered.
 *
 * <p>Per connection, not sharable. Every method runs on the channel's event loop, and the processor's
 * future is brought back to it before its reply is queued, so the fields need no locking.
 */
final class PacketHandler extends ChannelInboundHandlerAdapter {

    /** "Thank you.\n", shared by every connection; each write sends a duplicate. */
    private static final ByteBuf THANK_YOU = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer().writeBytes(Reply.THANK_YOU.line().getBytes(StandardCharsets.US_ASCII)).asReadOnly());

    private final String listener;
    private final PacketProcessor processor;
    private final ListenerEvents events;
    private final int maxInFlight;

    private PacketContext context;
    /** Packets read and not yet answered, in arrival order; a slot's reply is set once it is known. */
    private final ArrayDeque<Slot> inFlight = new ArrayDeque<>();
    private boolean readRequested;
    private boolean draining;
    /** A packet got a reply that closes the connection: nothing after it is read, processed or answered. */
    private boolean closing;

    /** One packet's place in the reply order. */
    private static final class Slot {
        private Reply reply;
        /** Behind a reply that closes the connection: never answered. */
        private boolean dropped;
    }

    PacketHandler(String listener, PacketProcessor processor, ListenerEvents events) {
        this(listener, processor, events, 1);
    }

    /** @param maxInFlight packets read and processed before the first of them is answered (at least 1) */
    PacketHandler(String listener, PacketProcessor processor, ListenerEvents events, int maxInFlight) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1, was " + maxInFlight);
        }
        this.listener = listener;
        this.processor = processor;
        this.events = events;
        this.maxInFlight = maxInFlight;
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
        inFlight.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof JsonFrame packet) {
            readRequested = false;
            if (closing) {
                return;                             // after a closing reply nothing more is processed
            }
            Slot slot = new Slot();
            inFlight.addLast(slot);
            process(ctx, packet, slot);
            requestNextPacket(ctx);
        } else if (msg instanceof Refusal framingRefusal) {
            readRequested = false;
            if (closing) {
                return;
            }
            Slot slot = new Slot();
            inFlight.addLast(slot);
            answered(ctx, slot, Reply.refused(framingRefusal));
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // A burst of reads ended; if it left room (handshake records, part of a packet, a short window), ask again.
        readRequested = false;
        requestNextPacket(ctx);
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        requestNextPacket(ctx);                     // the client read its acks: read its packets again
        ctx.fireChannelWritabilityChanged();
    }

    private void process(ChannelHandlerContext ctx, JsonFrame packet, Slot slot) {
        CompletableFuture<Reply> reply;
        try {
            reply = processor.process(packet, context);
        } catch (RuntimeException bug) {
            reply = CompletableFuture.failedFuture(bug);
        }
        reply.whenComplete((answer, failure) -> {
            Reply checked = answer != null ? answer : Reply.refused(IngestFailures.refusalFor(failure, null));
            if (ctx.executor().inEventLoop()) {
                answered(ctx, slot, checked);
            } else {
                context.execute(() -> answered(ctx, slot, checked));
            }
        });
    }

    private void answered(ChannelHandlerContext ctx, Slot slot, Reply reply) {
        if (slot.dropped) {
            return;                                 // after a closing reply: this packet is not answered
        }
        slot.reply = reply;
        if (reply.closesConnection()) {
            closing = true;                         // read nothing more; what is in flight before it is still answered
            dropAfter(slot);
        }
        writeAnswered(ctx);
    }

    /** Packets after {@code last} are not answered: the connection closes once {@code last}'s reply is written. */
    private void dropAfter(Slot last) {
        while (inFlight.peekLast() != last) {
            inFlight.pollLast().dropped = true;
        }
    }

    /** Writes the replies at the head of the order that are known, flushes once, and reads on if there is room. */
    private void writeAnswered(ChannelHandlerContext ctx) {
        ChannelFuture lastWrite = null;
        boolean closeAfterWrites = false;
        while (!inFlight.isEmpty() && inFlight.peekFirst().reply != null) {
            Reply reply = inFlight.pollFirst().reply;
            switch (reply) {
                case Reply.ThankYou ack -> events.acknowledged(1);
                case Reply.Refused refused -> events.refused(context.peerText(), "a packet", refused.refusal());
            }
            ByteBuf line = reply instanceof Reply.ThankYou ? THANK_YOU.duplicate()
                    : ByteBufUtil.writeUtf8(ctx.alloc(), reply.line());
            lastWrite = ctx.write(line);
            lastWrite.addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            if (reply.closesConnection()) {
                closeAfterWrites = true;            // the last slot: dropAfter left nothing behind it
            }
        }
        if (lastWrite == null) {
            return;
        }
        ctx.flush();
        if (closeAfterWrites || (draining && inFlight.isEmpty())) {
            closing = true;
            lastWrite.addListener(ChannelFutureListener.CLOSE);
        } else {
            requestNextPacket(ctx);
        }
    }

    private void requestNextPacket(ChannelHandlerContext ctx) {
        if (inFlight.size() < maxInFlight && !readRequested && !draining && !closing && ctx.channel().isActive()
                && ctx.channel().isWritable()) {
            readRequested = true;
            ctx.read();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent && !inFlight.isEmpty()) {
            return;
        }
        if (event == Drain.INSTANCE) {
            draining = true;
            if (inFlight.isEmpty()) {
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(event);
    }
}
