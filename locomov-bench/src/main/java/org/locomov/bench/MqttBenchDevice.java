package org.locomov.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * One simulated MQTT device: a TLS connection, CONNECT (MQTT 3.1.1, username = device id, password = its token),
 * then QoS 1 PUBLISHes of a reading to {@code devices/{id}/readings}, keeping up to {@code inFlight}
 * unacknowledged, until the run's time is up; then it waits for the last PUBACKs and disconnects. Every PUBACK
 * is counted in the shared {@link LoadTally} with its latency (publish written → PUBACK read).
 *
 * <p>Confined to its channel's event loop once connected: the fields are touched only there.
 */
final class MqttBenchDevice extends ChannelInboundHandlerAdapter {

    private static final byte[] READING = "{\"voltage\":230.5,\"freq\":50.0,\"status\":true}"
            .getBytes(StandardCharsets.US_ASCII);

    private final long deviceId;
    private final String password;
    private final int inFlight;
    private final LoadTally tally;
    private final String topic;
    private final long[] sentNanos = new long[65_536];
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private int nextPacketId = 1;
    private int unacked;
    private boolean stopping;

    MqttBenchDevice(long deviceId, String password, int inFlight, LoadTally tally) {
        this.deviceId = deviceId;
        this.password = password;
        this.inFlight = inFlight;
        this.tally = tally;
        this.topic = "devices/" + deviceId + "/readings";
    }

    CompletableFuture<Void> finished() {
        return finished;
    }

    void start(Bootstrap connections, SslContext tls) {
        ChannelFuture connect = connections.clone().handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel channel) {
                channel.pipeline().addLast(tls.newHandler(channel.alloc()), new MqttDecoder(), MqttEncoder.INSTANCE,
                        MqttBenchDevice.this);
            }
        }).connect();
        connect.addListener(done -> {
            if (!done.isSuccess()) {
                tally.error("connect failed: " + done.cause().getMessage());
                finished.complete(null);
            }
        });
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SslHandshakeCompletionEvent handshake) {
            if (!handshake.isSuccess()) {
                tally.error("TLS handshake failed: " + handshake.cause().getMessage());
                ctx.close();
                return;
            }
            ctx.writeAndFlush(MqttMessageBuilders.connect()
                    .protocolVersion(MqttVersion.MQTT_3_1_1)
                    .clientId("bench-" + deviceId)
                    .cleanSession(true)
                    .keepAlive(60)
                    .hasUser(true).username(Long.toString(deviceId))
                    .hasPassword(true).password(password.getBytes(StandardCharsets.UTF_8))
                    .build());
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            MqttMessage message = (MqttMessage) msg;
            if (message.decoderResult().isFailure()) {
                tally.error("bad packet from the server: " + message.decoderResult().cause().getMessage());
                ctx.close();
                return;
            }
            if (message.fixedHeader().messageType() == MqttMessageType.CONNACK) {
                MqttConnectReturnCode code = ((MqttConnAckMessage) message).variableHeader().connectReturnCode();
                if (code != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
                    tally.error("CONNACK " + code);
                    ctx.close();
                    return;
                }
                fill(ctx);
            } else if (message.fixedHeader().messageType() == MqttMessageType.PUBACK) {
                int packetId = ((MqttMessageIdVariableHeader) message.variableHeader()).messageId();
                long now = System.nanoTime();
                tally.ackReceived(sentNanos[packetId], sentNanos[packetId], now);
                unacked--;
                fill(ctx);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /** Publishes until {@code inFlight} are unacknowledged or the run is over; disconnects after the last PUBACK. */
    private void fill(ChannelHandlerContext ctx) {
        boolean wrote = false;
        while (!stopping && unacked < inFlight) {
            if (!tally.claimPacket()) {
                stopping = true;
                break;
            }
            int packetId = nextPacketId;
            nextPacketId = packetId == 65_535 ? 1 : packetId + 1;
            sentNanos[packetId] = System.nanoTime();
            ctx.write(MqttMessageBuilders.publish().topicName(topic).qos(MqttQoS.AT_LEAST_ONCE).retained(false)
                    .messageId(packetId).payload(Unpooled.wrappedBuffer(READING)).build());
            tally.packetSent();
            unacked++;
            wrote = true;
        }
        if (wrote) {
            ctx.flush();
        }
        if (stopping && unacked == 0) {
            ctx.writeAndFlush(MqttMessageBuilders.disconnect().build()).addListener(done -> ctx.close());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (unacked > 0) {
            tally.error("connection closed with " + unacked + " publishes unacknowledged");
        }
        finished.complete(null);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        tally.error("connection failed: " + cause.getMessage());
        ctx.close();
    }
}
