package org.locomov.mqtt;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.locomov.core.IngestFailures;
import org.locomov.core.Refusal;
import org.locomov.core.RefusalKind;
import org.locomov.core.session.DeviceSessions.SessionHandle;
import org.locomov.mqtt.PublishProcessor.Origin;
import org.locomov.mqtt.TopicTable.Subscription;
import org.locomov.transport.Drain;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An identified device's connection after CONNACK: publishes go to the {@link PublishProcessor} by their
 * topic and are acknowledged in order after commit ({@link InOrderAcks}); subscriptions to the device's
 * commands and firmware topics are granted (QoS 0 or 1), all others refused; PINGREQ answered; DISCONNECT
 * ends the session cleanly. When the connection ends any other way (keep-alive expiry, takeover, network
 * loss) the CONNECT's will is stored as the device event {@code will}.
 *
 * <p>QoS 2 and retained publishes are refused as MQTT 5 asks of a server that advertised Maximum QoS 1 and
 * Retain Available 0 (DISCONNECT 0x9B / 0x9A); MQTT 3.1.1 knows no such reply, so the connection closes.
 *
 * <p>Per connection; every method runs on its event loop, and futures are brought back to it.
 */
final class SessionHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(SessionHandler.class);

    static final String NAME = "session";
    /** The device event a will becomes. */
    static final String WILL_EVENT = "will";
    /** MQTT 5 DISCONNECT reason "disconnect with will message": the will is stored all the same. */
    private static final byte DISCONNECT_WITH_WILL = 0x04;

    /** The CONNECT's will: stored as event {@code will} unless the client disconnects cleanly. */
    record Will(String topic, byte[] message) {
    }

    private final MqttConnections shared;
    private final MqttDeviceSession session;
    private final boolean v5;
    private final Will will;
    private InOrderAcks acks;
    private Origin origin;
    private SessionHandle handle;
    private String peer;
    private boolean cleanDisconnect;

    SessionHandler(MqttConnections shared, MqttDeviceSession session, boolean v5, Will will) {
        this.shared = shared;
        this.session = session;
        this.v5 = v5;
        this.will = will;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        peer = session.peer();
        acks = new InOrderAcks(ctx.channel(), v5, shared.settings().receiveMaximum(),
                refusal -> shared.events().refused(peer, "a publish", refusal), () -> shared.events().acknowledged(1));
        origin = new Origin(session.deviceId(), ctx.channel().eventLoop(), acks, () -> ctx.channel().isActive());
        shared.takeovers().claim(session);
        handle = shared.plane().sessions().open(session);
        log.debug("{}: device {} connected from {} (MQTT {})", shared.listener(), session.deviceId(), peer, v5 ? "5" : "3.1.1");
        acks.start();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof MqttMessage message)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (message.decoderResult().isFailure()) {
            ReferenceCountUtil.release(msg);
            badPacket(ctx, message.decoderResult().cause());
            return;
        }
        switch (message.fixedHeader().messageType()) {
            case PUBLISH -> publish(ctx, (MqttPublishMessage) message);
            case SUBSCRIBE -> subscribe(ctx, (MqttSubscribeMessage) message);
            case UNSUBSCRIBE -> unsubscribe(ctx, (MqttUnsubscribeMessage) message);
            case PINGREQ -> ctx.writeAndFlush(MqttReplies.pingResp());
            case DISCONNECT -> disconnect(ctx, message);
            // The device acknowledged a command or offer sent at QoS 1; delivery was counted when it was sent.
            case PUBACK -> { }
            default -> {
                ReferenceCountUtil.release(msg);
                closeFor(ctx, Refusal.of(RefusalKind.MALFORMED, "unexpected " + message.fixedHeader().messageType())
                        .forDevice(session.deviceId()), MqttReplies.PROTOCOL_ERROR);
            }
        }
    }

    private void publish(ChannelHandlerContext ctx, MqttPublishMessage message) {
        String topic = message.variableHeader().topicName();
        int packetId = message.variableHeader().packetId();
        MqttQoS qos = message.fixedHeader().qosLevel();
        boolean retain = message.fixedHeader().isRetain();
        byte[] payload = ByteBufUtil.getBytes(message.payload());
        message.release();
        long id = session.deviceId();
        if (qos == MqttQoS.EXACTLY_ONCE) {
            closeFor(ctx, new Refusal(RefusalKind.NOT_AUTHORISED, "QoS 2 is not supported (Maximum QoS is 1)", id),
                    MqttReplies.QOS_NOT_SUPPORTED);
            return;
        }
        if (retain) {
            closeFor(ctx, new Refusal(RefusalKind.NOT_AUTHORISED, "retained messages are not supported", id),
                    MqttReplies.RETAIN_NOT_SUPPORTED);
            return;
        }
        CompletableFuture<PublishOutcome> outcome;
        try {
            outcome = shared.publishes().process(TopicTable.route(topic, id), payload, origin);
        } catch (RuntimeException bug) {
            outcome = CompletableFuture.failedFuture(bug);
        }
        if (qos == MqttQoS.AT_LEAST_ONCE) {
            InOrderAcks.Slot slot = acks.open(packetId);
            outcome.whenComplete((answer, failure) -> ConnectHandler.onLoop(ctx, () -> acks.complete(slot,
                    answer != null ? answer : PublishOutcome.refused(IngestFailures.refusalFor(failure, id)))));
        } else {
            outcome.whenComplete((answer, failure) -> {
                if (answer instanceof PublishOutcome.Refused(Refusal refusal)) {
                    shared.events().refused(peer, "a QoS 0 publish", refusal);
                } else if (failure != null) {
                    shared.events().refused(peer, "a QoS 0 publish", IngestFailures.refusalFor(failure, id));
                } else if (answer instanceof PublishOutcome.Stored) {
                    shared.events().acknowledged(1);
                }
            });
        }
    }

    private void subscribe(ChannelHandlerContext ctx, MqttSubscribeMessage message) {
        List<MqttTopicSubscription> filters = message.payload().topicSubscriptions();
        int[] granted = new int[filters.size()];
        boolean changed = false;
        for (int i = 0; i < granted.length; i++) {
            MqttTopicSubscription filter = filters.get(i);
            Subscription subscription = TopicTable.subscription(filter.topicFilter(), session.deviceId());
            if (subscription == Subscription.REFUSED) {
                granted[i] = -1;
                shared.events().refused(peer, "a subscription", new Refusal(RefusalKind.NOT_AUTHORISED,
                        "cannot subscribe to '" + filter.topicFilter() + "'; devices/" + session.deviceId()
                                + "/commands and devices/" + session.deviceId() + "/firmware are offered",
                        session.deviceId()));
            } else {
                MqttQoS qos = filter.qualityOfService() == MqttQoS.AT_MOST_ONCE ? MqttQoS.AT_MOST_ONCE : MqttQoS.AT_LEAST_ONCE;
                granted[i] = qos.value();
                session.subscribed(subscription, qos);
                changed = true;
            }
        }
        ctx.writeAndFlush(MqttReplies.subAck(v5, message.idAndPropertiesVariableHeader().messageId(), granted));
        if (changed) {
            // What waits for the device (queued commands, a firmware job) is handed over now.
            handle.changed();
        }
    }

    private void unsubscribe(ChannelHandlerContext ctx, MqttUnsubscribeMessage message) {
        List<String> topics = message.payload().topics();
        for (String topic : topics) {
            Subscription subscription = TopicTable.subscription(topic, session.deviceId());
            if (subscription != Subscription.REFUSED) {
                session.subscribed(subscription, null);
            }
        }
        ctx.writeAndFlush(MqttReplies.unsubAck(v5, message.idAndPropertiesVariableHeader().messageId(), topics.size()));
    }

    private void disconnect(ChannelHandlerContext ctx, MqttMessage message) {
        cleanDisconnect = !(v5 && message.variableHeader() instanceof MqttReasonCodeAndPropertiesVariableHeader reason
                && reason.reasonCode() == DISCONNECT_WITH_WILL);
        ctx.close();
    }

    private void badPacket(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            closeFor(ctx, new Refusal(RefusalKind.OVERSIZE, "packet larger than " + shared.settings().maxPacketBytes()
                    + " bytes", session.deviceId()), MqttReplies.PACKET_TOO_LARGE);
        } else {
            closeFor(ctx, new Refusal(RefusalKind.MALFORMED, "malformed packet: " + cause.getMessage(),
                    session.deviceId()), MqttReplies.MALFORMED_PACKET);
        }
    }

    /** Refuses what the device sent by ending the connection: MQTT 5 hears why first. */
    private void closeFor(ChannelHandlerContext ctx, Refusal refusal, byte v5Reason) {
        shared.events().refused(peer, "a packet", refusal);
        ctx.channel().config().setAutoRead(false);
        if (v5 && ctx.channel().isActive()) {
            ctx.writeAndFlush(MqttReplies.disconnect(v5Reason)).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.close();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            if (acks.size() > 0) {
                return;                 // the silence is ours: publishes are being stored, reading is paused
            }
            log.info("{}: device {} from {} sent nothing within 1.5 × its keep-alive; closing", shared.listener(),
                    session.deviceId(), peer);
            if (v5) {
                ctx.writeAndFlush(MqttReplies.disconnect(MqttReplies.KEEP_ALIVE_TIMEOUT)).addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.close();
            }
            return;
        }
        if (event == Drain.INSTANCE) {
            acks.drain(() -> {
                if (v5 && ctx.channel().isActive()) {
                    ctx.writeAndFlush(MqttReplies.disconnect(MqttReplies.SERVER_SHUTTING_DOWN))
                            .addListener(ChannelFutureListener.CLOSE);
                } else {
                    ctx.close();
                }
            });
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        handle.close();
        shared.takeovers().release(session);
        if (!cleanDisconnect && will != null) {
            storeWill();
        }
        ctx.fireChannelInactive();
    }

    private void storeWill() {
        long id = session.deviceId();
        shared.publishes().event(WILL_EVENT, will.message(), origin).whenComplete((answer, failure) -> {
            if (answer instanceof PublishOutcome.Stored) {
                log.info("{}: device {} from {} left without DISCONNECT; its will (topic '{}') is stored as event '{}'",
                        shared.listener(), id, peer, will.topic(), WILL_EVENT);
            } else {
                Refusal refusal = answer instanceof PublishOutcome.Refused(Refusal r) ? r
                        : IngestFailures.refusalFor(failure, id);
                shared.events().refused(peer, "a will", refusal);
            }
        });
    }
}
