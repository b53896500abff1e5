package org.locomov.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.locomov.core.Refusal;
import org.locomov.core.RefusalKind;

/** {@link InOrderAcks} alone, on Netty's EmbeddedChannel: the order, the receive maximum, refusals per version. */
class InOrderAcksTest {

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final List<Refusal> refusals = new ArrayList<>();
    private int acknowledged;

    private InOrderAcks acks(boolean v5, int receiveMaximum) {
        InOrderAcks acks = new InOrderAcks(channel, v5, receiveMaximum, refusals::add, () -> acknowledged++);
        acks.start();
        return acks;
    }

    private List<Integer> written() {
        List<Integer> ids = new ArrayList<>();
        for (Object out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
            if (!(out instanceof MqttMessage message)) {
                continue;                       // the empty flush before a close
            }
            assertThat(message.fixedHeader().messageType()).isEqualTo(MqttMessageType.PUBACK);
            ids.add(((MqttPubReplyMessageVariableHeader) message.variableHeader()).messageId());
        }
        return ids;
    }

    @Test
    void anEarlyCommitWaitsForThePublishesBeforeIt() {
        InOrderAcks acks = acks(true, 10);
        InOrderAcks.Slot first = acks.open(1);
        InOrderAcks.Slot second = acks.open(2);
        InOrderAcks.Slot third = acks.open(3);

        acks.complete(third, PublishOutcome.STORED);
        acks.complete(second, PublishOutcome.STORED);
        assertThat(written()).isEmpty();

        acks.complete(first, PublishOutcome.STORED);
        assertThat(written()).containsExactly(1, 2, 3);
        assertThat(acknowledged).isEqualTo(3);
    }

    @Test
    void readingStopsAtTheReceiveMaximumAndResumesWithTheNextAck() {
        InOrderAcks acks = acks(true, 2);
        InOrderAcks.Slot first = acks.open(1);
        assertThat(channel.config().isAutoRead()).isTrue();
        acks.open(2);
        assertThat(channel.config().isAutoRead()).isFalse();

        acks.complete(first, PublishOutcome.STORED);
        assertThat(channel.config().isAutoRead()).isTrue();
    }

    @Test
    void aFullIngestQueuePausesReadingToo() {
        InOrderAcks acks = acks(true, 10);
        acks.pause();
        assertThat(channel.config().isAutoRead()).isFalse();
        acks.resume();
        assertThat(channel.config().isAutoRead()).isTrue();
    }

    @Test
    void mqtt5RefusalIsAPubAckWithItsReasonCode() {
        InOrderAcks acks = acks(true, 10);
        InOrderAcks.Slot slot = acks.open(5);

        acks.complete(slot, PublishOutcome.refused(Refusal.of(RefusalKind.MALFORMED, "bad")));

        MqttMessage ack = channel.readOutbound();
        assertThat(((MqttPubReplyMessageVariableHeader) ack.variableHeader()).reasonCode())
                .isEqualTo(MqttReplies.PAYLOAD_FORMAT_INVALID);
        assertThat(channel.isActive()).isTrue();
        assertThat(refusals).hasSize(1);
        assertThat(acknowledged).isZero();
    }

    @Test
    void mqtt311RefusalAcksWhatCameBeforeAndClosesWithoutAPubAckForIt() {
        InOrderAcks acks = acks(false, 10);
        InOrderAcks.Slot stored = acks.open(1);
        InOrderAcks.Slot refused = acks.open(2);
        InOrderAcks.Slot after = acks.open(3);

        acks.complete(after, PublishOutcome.STORED);
        acks.complete(refused, PublishOutcome.refused(Refusal.of(RefusalKind.NOT_AUTHORISED, "not yours")));
        acks.complete(stored, PublishOutcome.STORED);
        channel.runPendingTasks();

        assertThat(written()).containsExactly(1);
        assertThat(channel.isActive()).isFalse();
    }
}
