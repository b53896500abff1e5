package org.locomov.mqtt;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.locomov.core.command.Command;
import org.locomov.core.firmware.FirmwareOffer;
import org.locomov.core.session.DeviceSession;
import org.locomov.mqtt.TopicTable.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connected MQTT device as the device plane sees it: it takes commands once it subscribed to
 * {@code devices/{id}/commands}, firmware offers once it subscribed to {@code devices/{id}/firmware}, and
 * each is published to it as JSON at the QoS it was granted. Exclusive: a second session of the device
 * closes this one ({@link Takeovers} here, {@code DeviceSessions} across nodes).
 *
 * <p>Called from any thread: the subscription QoS are volatile, and everything that touches the channel is
 * handed to its event loop (the packet id counter lives there).
 */
final class MqttDeviceSession implements DeviceSession {

    private static final Logger log = LoggerFactory.getLogger(MqttDeviceSession.class);

    private final long deviceId;
    private final String listener;
    private final String peer;
    private final Channel channel;
    private final boolean v5;
    private volatile MqttQoS commandsQos;
    private volatile MqttQoS firmwareQos;
    private int nextPacketId = 1;     // event loop only

    MqttDeviceSession(long deviceId, String listener, String peer, Channel channel, boolean v5) {
        this.deviceId = deviceId;
        this.listener = listener;
        this.peer = peer;
        this.channel = channel;
        this.v5 = v5;
    }

    @Override
    public long deviceId() {
        return deviceId;
    }

    @Override
    public String listener() {
        return listener;
    }

    @Override
    public String peer() {
        return peer;
    }

    @Override
    public boolean exclusive() {
        return true;
    }

    @Override
    public boolean takesCommands() {
        return commandsQos != null && channel.isActive();
    }

    @Override
    public boolean takesFirmware() {
        return firmwareQos != null && channel.isActive();
    }

    /** The device subscribed ({@code qos} granted) or unsubscribed ({@code null}). */
    void subscribed(Subscription subscription, MqttQoS qos) {
        switch (subscription) {
            case COMMANDS -> commandsQos = qos;
            case FIRMWARE -> firmwareQos = qos;
            case REFUSED -> throw new IllegalArgumentException("a refused subscription is not held");
        }
    }

    @Override
    public CompletableFuture<Void> deliver(Command command) {
        return publish(Subscription.COMMANDS, commandsQos, DeviceMessages.command(command));
    }

    @Override
    public CompletableFuture<Void> offer(FirmwareOffer offer) {
        return publish(Subscription.FIRMWARE, firmwareQos, DeviceMessages.firmwareOffer(offer));
    }

    private CompletableFuture<Void> publish(Subscription subscription, MqttQoS qos, byte[] json) {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        if (qos == null) {
            sent.completeExceptionally(new IllegalStateException("device " + deviceId + " is not subscribed to "
                    + TopicTable.topicOf(subscription, deviceId)));
            return sent;
        }
        try {
            channel.eventLoop().execute(() -> {
                if (!channel.isActive()) {
                    sent.completeExceptionally(new ClosedChannelException());
                    return;
                }
                MqttMessageBuilders.PublishBuilder message = MqttMessageBuilders.publish()
                        .topicName(TopicTable.topicOf(subscription, deviceId))
                        .qos(qos)
                        .retained(false)
                        .payload(Unpooled.wrappedBuffer(json));
                if (qos == MqttQoS.AT_LEAST_ONCE) {
                    message.messageId(nextPacketId());
                }
                channel.writeAndFlush(message.build()).addListener(written -> {
                    if (written.isSuccess()) {
                        sent.complete(null);
                    } else {
                        sent.completeExceptionally(written.cause());
                    }
                });
            });
        } catch (RejectedExecutionException stopped) {
            sent.completeExceptionally(new ClosedChannelException());
        }
        return sent;
    }

    private int nextPacketId() {
        int id = nextPacketId;
        nextPacketId = id == 65_535 ? 1 : id + 1;
        return id;
    }

    /** A newer session of the device took over: MQTT 5 is told so (0x8E), then the connection closes. */
    void takenOver() {
        closeWith(MqttReplies.SESSION_TAKEN_OVER);
    }

    @Override
    public void close(String reason) {
        log.info("{}: closing the session of device {} from {}: {}", listener, deviceId, peer, reason);
        closeWith(reason != null && reason.contains("took over") ? MqttReplies.SESSION_TAKEN_OVER
                : ADMINISTRATIVE_ACTION);
    }

    private static final byte ADMINISTRATIVE_ACTION = (byte) 0x98;

    private void closeWith(byte v5Reason) {
        try {
            channel.eventLoop().execute(() -> {
                if (v5 && channel.isActive()) {
                    channel.writeAndFlush(MqttReplies.disconnect(v5Reason)).addListener(ChannelFutureListener.CLOSE);
                } else {
                    channel.close();
                }
            });
        } catch (RejectedExecutionException stopped) {
            channel.close();
        }
    }
}
