package org.locomov.mov;

import org.locomov.core.Refusal;
import org.locomov.core.RefusalKind;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

class JsonFrameDecoderTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(new JsonFrameDecoder(1024));

    @Test
    void prettyPrintedPacketIsOneFrameAndTheNulGarbageAfterItIsDropped() {
        channel.writeInbound(Unpooled.wrappedBuffer(Samples.bytes(Samples.CC3220S_1)));

        assertThat(frames()).containsExactly(new String(Samples.json(Samples.CC3220S_1), UTF_8));
    }

    @Test
    void bytesAfterDroppedGarbageStartAFreshPacket() {
        channel.writeInbound(Unpooled.wrappedBuffer(Samples.bytes(Samples.CC3220S_2)));
        channel.writeInbound(Unpooled.wrappedBuffer(Samples.bytes(Samples.CC3220S_1)));

        assertThat(frames()).containsExactly(
                new String(Samples.json(Samples.CC3220S_2), UTF_8),
                new String(Samples.json(Samples.CC3220S_1), UTF_8));
    }

    @Test
    void cc3220sPacketsSentWithoutWaitingAreAllFramedInOneRead() {
        byte[] first = Samples.bytes(Samples.CC3220S_2);
        byte[] second = Samples.bytes(Samples.CC3220S_1);
        byte[] both = new byte[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);

        channel.writeInbound(Unpooled.wrappedBuffer(both));

        assertThat(frames()).containsExactly(
                new String(Samples.json(Samples.CC3220S_2), UTF_8),
                new String(Samples.json(Samples.CC3220S_1), UTF_8));
    }

    @Test
    void aBraceInTheGarbageIsNotTakenForAPacketUnlessAPacketCouldStartThere() {
        channel.writeInbound(Unpooled.copiedBuffer("{\"id\":1}\u0000\u00a5{\u00ff[\u0001{\"id\":2}", java.nio.charset.StandardCharsets.ISO_8859_1));

        assertThat(frames()).containsExactly("{\"id\":1}", "{\"id\":2}");
    }

    @Test
    void compactPacketEndingInNewlineIsOneFrame() {
        channel.writeInbound(Unpooled.wrappedBuffer(Samples.bytes(Samples.GO_CLIENT)));

        assertThat(frames()).containsExactly(new String(Samples.json(Samples.GO_CLIENT), UTF_8));
    }

    @Test
    void packetSplitByteByByteIsReassembled() {
        byte[] sample = Samples.bytes(Samples.CC3220S_1);
        for (byte b : sample) {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }

        assertThat(frames()).containsExactly(new String(Samples.json(Samples.CC3220S_1), UTF_8));
    }

    @Test
    void twoPacketsInOneReadAreTwoFramesInOrder() {
        channel.writeInbound(Unpooled.copiedBuffer("{\"id\":1}\n  {\"id\":2}\r\n", UTF_8));

        assertThat(frames()).containsExactly("{\"id\":1}", "{\"id\":2}");
    }

    @Test
    void bracesAndEscapedQuotesInsideStringsDoNotEndTheFrame() {
        String tricky = "{\"note\":\"} ] \\\" {\",\"list\":[1,{\"a\":[]}]}";
        channel.writeInbound(Unpooled.copiedBuffer(tricky + "\n", UTF_8));

        assertThat(frames()).containsExactly(tricky);
    }

    @Test
    void packetOfExactlyTheLimitIsAccepted() {
        String packet = paddedPacket(1024);
        channel.writeInbound(Unpooled.copiedBuffer(packet, UTF_8));

        assertThat(frames()).containsExactly(packet);
    }

    @Test
    void packetOverTheLimitIsRefusedAsOversizeWithoutWaitingForItsEnd() {
        String packet = paddedPacket(1025);
        channel.writeInbound(Unpooled.copiedBuffer(packet.substring(0, 1024), UTF_8));

        Object refusal = channel.readInbound();
        assertThat(refusal).isEqualTo(Refusal.of(RefusalKind.OVERSIZE, "packet larger than 1024 bytes"));
        channel.writeInbound(Unpooled.copiedBuffer(packet.substring(1024) + "{\"id\":1}", UTF_8));
        assertThat(channel.<Object>readInbound()).as("everything after an oversize packet is discarded").isNull();
    }

    @Test
    void textThatIsNotJsonIsRefusedAsMalformed() {
        channel.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1\r\n", UTF_8));

        Refusal refusal = channel.readInbound();
        assertThat(refusal.kind()).isEqualTo(RefusalKind.MALFORMED);
        assertThat(refusal.reason()).isEqualTo("malformed JSON: a packet must start with '{', not 'G'");
        assertThat(channel.<Object>readInbound()).isNull();
    }

    @Test
    void nulInsideAPacketIsRefusedAsMalformed() {
        channel.writeInbound(Unpooled.wrappedBuffer("{\"id\":\u0000".getBytes(UTF_8)));

        Refusal refusal = channel.readInbound();
        assertThat(refusal.kind()).isEqualTo(RefusalKind.MALFORMED);
    }

    @Test
    void incompletePacketWaitsForMoreBytes() {
        channel.writeInbound(Unpooled.copiedBuffer("{\"id\":1,\"note\":\"}", UTF_8));
        assertThat(channel.<Object>readInbound()).isNull();

        channel.writeInbound(Unpooled.copiedBuffer("\"}", UTF_8));
        assertThat(frames()).containsExactly("{\"id\":1,\"note\":\"}\"}");
    }

    /** A JSON object of exactly {@code length} bytes. */
    private static String paddedPacket(int length) {
        String head = "{\"id\":1,\"pad\":\"";
        String tail = "\"}";
        return head + "x".repeat(length - head.length() - tail.length()) + tail;
    }

    private List<String> frames() {
        List<String> texts = new ArrayList<>();
        Object msg;
        while ((msg = channel.readInbound()) != null) {
            assertThat(msg).isInstanceOf(JsonFrame.class);
            texts.add(((JsonFrame) msg).text());
        }
        return texts;
    }
}
