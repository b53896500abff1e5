package org.locomov.mqtt;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.util.ArrayDeque;
import java.util.function.Consumer;
import org.locomov.core.Refusal;
import org.locomov.transport.Backpressure.ReadPause;

/**
 * The QoS 1 publishes of one connection that are in flight, acknowledged strictly in the order they arrived,
 * each only once its outcome is known (after commit): a publish that commits early waits for the ones before
 * it. At most {@code receiveMaximum} are in flight: reaching it stops reading from the socket, and the
 * acknowledgements that follow resume it. The same gate serves as the {@link ReadPause} while the ingest
 * queue is full, so the socket is read only when neither holds it.
 *
 * <p>A refused publish: MQTT 5 gets a PUBACK with the reason code; MQTT 3.1/3.1.1 has no negative PUBACK, so
 * the publishes before it are acknowledged and then the connection is closed (never a PUBACK for something
 * not stored).
 *
 * <p>Per connection, confined to its event loop: every method must be called there.
 */
final class InOrderAcks implements ReadPause {

    /** One publish awaiting its PUBACK. */
    static final class Slot {
        private final int packetId;
        private PublishOutcome outcome;

        private Slot(int packetId) {
            this.packetId = packetId;
        }
    }

    private final Channel channel;
    private final boolean v5;
    private final int receiveMaximum;
    private final Consumer<Refusal> refused;
    private final Runnable acknowledged;
    private final ArrayDeque<Slot> inFlight = new ArrayDeque<>();
    private int held;
    private boolean closing;
    private Runnable whenDrained;

    /**
     * @param refused      told of each refused publish, for its log line and metric
     * @param acknowledged told of each publish acknowledged after commit
     */
    InOrderAcks(Channel channel, boolean v5, int receiveMaximum, Consumer<Refusal> refused, Runnable acknowledged) {
        this.channel = channel;
        this.v5 = v5;
        this.receiveMaximum = receiveMaximum;
        this.refused = refused;
        this.acknowledged = acknowledged;
    }

    /** A QoS 1 publish arrived: its place in the queue. */
    Slot open(int packetId) {
        Slot slot = new Slot(packetId);
        inFlight.addLast(slot);
        updateReading();
        return slot;
    }

    /** The publish in {@code slot} was committed or refused: acknowledges every finished one at the head. */
    void complete(Slot slot, PublishOutcome outcome) {
        slot.outcome = outcome;
        boolean wrote = false;
        while (!closing && !inFlight.isEmpty() && inFlight.peekFirst().outcome != null) {
            Slot head = inFlight.pollFirst();
            wrote |= acknowledge(head);
        }
        if (wrote) {
            channel.flush();
        }
        updateReading();
        drainedYet();
    }

    /** Starts reading (after CONNACK). */
    void start() {
        updateReading();
    }

    /** Shutdown: read nothing more, and run {@code closeConnection} once every publish in flight is answered. */
    void drain(Runnable closeConnection) {
        whenDrained = closeConnection;
        updateReading();
        drainedYet();
    }

    private void drainedYet() {
        if (whenDrained != null && inFlight.isEmpty()) {
            Runnable close = whenDrained;
            whenDrained = null;
            close.run();
        }
    }

    /** Publishes in flight now. */
    int size() {
        return inFlight.size();
    }

    private boolean acknowledge(Slot slot) {
        switch (slot.outcome) {
            case PublishOutcome.Stored stored -> {
                acknowledged.run();
                channel.write(MqttReplies.pubAck(slot.packetId, (byte) 0));
            }
            case PublishOutcome.NobodyWaiting nobody ->
                    channel.write(MqttReplies.pubAck(slot.packetId, v5 ? MqttReplies.NO_MATCHING_SUBSCRIBERS : 0));
            case PublishOutcome.Refused(Refusal refusal) -> {
                refused.accept(refusal);
                if (v5) {
                    channel.write(MqttReplies.pubAck(slot.packetId, MqttReplies.pubAckCode(refusal)));
                } else {
                    closing = true;
                    channel.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public void pause() {
        held++;
        updateReading();
    }

    @Override
    public void resume() {
        held--;
        updateReading();
    }

    private void updateReading() {
        boolean read = held == 0 && inFlight.size() < receiveMaximum && !closing && whenDrained == null;
        if (channel.isActive() && channel.config().isAutoRead() != read) {
            channel.config().setAutoRead(read);
        }
    }
}
