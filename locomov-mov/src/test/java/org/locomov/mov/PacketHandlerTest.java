package org.locomov.mov;

import org.locomov.core.Refusal;
import org.locomov.core.RefusalKind;
import org.locomov.transport.Drain;
import org.locomov.transport.ListenerEvents;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.flow.FlowControlHandler;
import org.junit.jupiter.api.Test;

/** The pacing of one connection: a window of packets in flight, replies in order, read only when there is room. */
class PacketHandlerTest {

    private final List<JsonFrame> processed = new ArrayList<>();
    private final List<CompletableFuture<Reply>> pending = new ArrayList<>();
    private final PacketProcessor processor = (packet, context) -> {
        processed.add(packet);
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        pending.add(reply);
        return reply;
    };
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private int socketReads;

    private EmbeddedChannel channel() {
        return channel(1);
    }

    private EmbeddedChannel channel(int maxInFlight) {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAutoRead(false);
        channel.pipeline().addLast(new ChannelOutboundHandlerAdapter() {
            @Override
            public void read(ChannelHandlerContext ctx) {
                socketReads++;
                ctx.read();
            }
        });
        channel.pipeline().addLast(new JsonFrameDecoder(1024), new FlowControlHandler(),
                new PacketHandler("mov", processor, new ListenerEvents("mov", "mov", registry), maxInFlight));
        channel.pipeline().fireChannelActive();
        return channel;
    }

    @Test
    void secondPacketWaitsUntilTheFirstIsAnswered() {
        EmbeddedChannel channel = channel();
        channel.writeInbound(channel.alloc().buffer().writeBytes("{\"id\":1}\n{\"id\":2}\n".getBytes(UTF_8)));

        assertThat(processed).extracting(JsonFrame::text).containsExactly("{\"id\":1}");
        assertThat(outbound(channel)).isEmpty();

        pending.get(0).complete(Reply.THANK_YOU);
        channel.runPendingTasks();

        assertThat(processed).extracting(JsonFrame::text).containsExactly("{\"id\":1}", "{\"id\":2}");
        pending.get(1).complete(Reply.refused(new Refusal(RefusalKind.UNKNOWN_DEVICE, "unknown device 2", 2L)));
        channel.runPendingTasks();

        assertThat(outbound(channel)).isEqualTo("Thank you.\nError: unknown device 2\n");
        assertThat(channel.isOpen()).isTrue();
        assertThat(registry.get("locomov.readings.refused").tags("transport", "mov", "reason", "unknown_device").counter().count())
                .isEqualTo(1.0);
    }

    @Test
    void socketIsNotReadWhileAPacketIsInFlight() {
        EmbeddedChannel channel = channel();
        channel.writeInbound(channel.alloc().buffer().writeBytes("{\"id\":1}".getBytes(UTF_8)));
        int readsBeforeReply = socketReads;

        channel.runPendingTasks();
        assertThat(socketReads).isEqualTo(readsBeforeReply);

        pending.get(0).complete(Reply.THANK_YOU);
        channel.runPendingTasks();
        assertThat(socketReads).isEqualTo(readsBeforeReply + 1);
    }

    @Test
    void refusalThatLosesFramingClosesAfterItsLine() {
        EmbeddedChannel channel = channel();
        channel.writeInbound(channel.alloc().buffer().writeBytes("hello\n".getBytes(UTF_8)));

        assertThat(outbound(channel)).startsWith("Error: malformed JSON");
        assertThat(channel.isOpen()).isFalse();
        assertThat(processed).isEmpty();
    }

    @Test
    void failedProcessorIsAnsweredAsServerErrorAndClosed() {
        EmbeddedChannel channel = channel();
        channel.writeInbound(channel.alloc().buffer().writeBytes("{\"id\":1}".getBytes(UTF_8)));

        pending.get(0).completeExceptionally(new IllegalStateException("bug"));
        channel.runPendingTasks();

        assertThat(outbound(channel)).isEqualTo("Error: server error, try again later\n");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void drainClosesAfterThePacketInFlightIsAnswered() {
        EmbeddedChannel channel = channel();
        channel.writeInbound(channel.alloc().buffer().writeBytes("{\"id\":1}".getBytes(UTF_8)));

        channel.pipeline().fireUserEventTriggered(Drain.INSTANCE);
        assertThat(channel.isOpen()).isTrue();

        pending.get(0).complete(Reply.THANK_YOU);
        channel.runPendingTasks();
        assertThat(outbound(channel)).isEqualTo("Thank you.\n");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void windowReadsUpToMaxInFlightPacketsAndAnswersThemInArrivalOrder() {
        EmbeddedChannel channel = channel(2);
        channel.writeInbound(channel.alloc().buffer().writeBytes("{\"id\":1}{\"id\":2}{\"id\":3}{\"id\":4}".getBytes(UTF_8)));
        assertThat(processed).extracting(JsonFrame::text).containsExactly("{\"id\":1}", "{\"id\":2}");

        pending.get(1).complete(Reply.THANK_YOU);           // the second is stored first: its ack waits for the first's
        channel.runPendingTasks();
        assertThat(outbound(channel)).isEmpty();
        assertThat(processed).hasSize(2);

        pending.get(0).complete(Reply.refused(new Refusal(RefusalKind.WRONG_TYPE, "field 'voltage' must be a number", 1L)));
        channel.runPendingTasks();
        assertThat(outbound(channel)).isEqualTo("Error: field 'voltage' must be a number\nThank you.\n");
        assertThat(processed).extracting(JsonFrame::text).containsExactly("{\"id\":1}", "{\"id\":2}", "{\"id\":3}",
                "{\"id\":4}");

        pending.get(2).complete(Reply.THANK_YOU);
        pending.get(3).complete(Reply.THANK_YOU);
        channel.runPendingTasks();
        assertThat(outbound(channel)).isEqualTo("Thank you.\nThank you.\n");
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void fullWindowStopsReadingTheSocket() {
        EmbeddedChannel channel = channel(2);
        channel.writeInbound(channel.alloc().buffer().writeBytes("{\"id\":1}".getBytes(UTF_8)));
        channel.writeInbound(channel.alloc().buffer().writeBytes("{\"id\":2}".getBytes(UTF_8)));
        int readsWithFullWindow = socketReads;

        channel.runPendingTasks();
        assertThat(socketReads).isEqualTo(readsWithFullWindow);

        pending.get(0).complete(Reply.THANK_YOU);
        channel.runPendingTasks();
        assertThat(socketReads).isEqualTo(readsWithFullWindow + 1);
    }

    @Test
    void replyThatClosesIsTheLastOneAndLaterPacketsAreNotAnswered() {
        EmbeddedChannel channel = channel(3);
        channel.writeInbound(channel.alloc().buffer().writeBytes("{\"id\":1}{\"id\":2}{\"id\":3}".getBytes(UTF_8)));

        pending.get(2).complete(Reply.THANK_YOU);
        pending.get(1).complete(Reply.refused(new Refusal(RefusalKind.REVOKED_DEVICE, "device 2 is revoked", 2L)));
        pending.get(0).complete(Reply.THANK_YOU);
        channel.runPendingTasks();

        assertThat(outbound(channel)).isEqualTo("Thank you.\nError: device 2 is revoked\n");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void drainWithAWindowClosesOnceEveryPacketInFlightIsAnswered() {
        EmbeddedChannel channel = channel(4);
        channel.writeInbound(channel.alloc().buffer().writeBytes("{\"id\":1}{\"id\":2}".getBytes(UTF_8)));
        channel.pipeline().fireUserEventTriggered(Drain.INSTANCE);

        pending.get(0).complete(Reply.THANK_YOU);
        channel.runPendingTasks();
        assertThat(channel.isOpen()).isTrue();

        pending.get(1).complete(Reply.THANK_YOU);
        channel.runPendingTasks();
        assertThat(outbound(channel)).isEqualTo("Thank you.\nThank you.\n");
        assertThat(channel.isOpen()).isFalse();
    }

    private static String outbound(EmbeddedChannel channel) {
        StringBuilder text = new StringBuilder();
        ByteBuf buf;
        while ((buf = channel.readOutbound()) != null) {
            text.append(buf.toString(UTF_8));
            buf.release();
        }
        return text.toString();
    }
}
