package org.locomov.mqtt;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.locomov.core.IngestFailures;
import org.locomov.core.Refusal;
import org.locomov.core.RefusalKind;
import org.locomov.core.identity.Identity;
import org.locomov.transport.Peers;

/**
 * The first packet of a connection: CONNECT, with the device proving who it is by its client certificate
 * (checked by TLS against the device CAs, then by {@link org.locomov.core.identity.DeviceIdentity}) or by
 * username = device id and password = its access token. Accepted: CONNACK, keep-alive at 1.5 × the client's,
 * and this handler replaces itself with the device's {@link SessionHandler}. Refused: the CONNACK code of the
 * client's version, one log line and a metric, and the connection closes.
 *
 * <p>Per connection; every method runs on its event loop (the identity's answer is brought back there).
 * Packets that arrive while the identity is checked are held and handed to the session afterwards.
 */
final class ConnectHandler extends ChannelInboundHandlerAdapter {

    static final String NAME = "connect";
    static final String IDLE = "idle";

    private static final Refusal NO_LOGIN = Refusal.of(RefusalKind.BAD_CREDENTIALS,
            "log in with a client certificate, or with username = device id and password = its token");

    private final MqttConnections shared;
    private final List<Object> held = new ArrayList<>();
    private boolean connectSeen;

    ConnectHandler(MqttConnections shared) {
        this.shared = shared;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (connectSeen) {
            held.add(msg);
            return;
        }
        if (!(msg instanceof MqttMessage message)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (message.decoderResult().isFailure()) {
            refuseBadConnect(ctx, message.decoderResult().cause());
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!(message instanceof MqttConnectMessage connect)) {
            shared.events().connectionRefused(peer(ctx), Refusal.of(RefusalKind.MALFORMED,
                    "the first packet must be CONNECT, was " + message.fixedHeader().messageType()));
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        connectSeen = true;
        ctx.channel().config().setAutoRead(false);
        login(ctx, connect);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        // Closed while the identity was checked: what was held goes nowhere.
        if (!ctx.channel().isActive()) {
            held.forEach(ReferenceCountUtil::release);
            held.clear();
        }
    }

    private void login(ChannelHandlerContext ctx, MqttConnectMessage connect) {
        MqttConnectVariableHeader header = connect.variableHeader();
        boolean v5 = header.version() == MqttVersion.MQTT_5.protocolLevel();
        if (v5 && header.properties().getProperty(MqttProperties.AUTHENTICATION_METHOD) != null) {
            refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_BAD_AUTHENTICATION_METHOD,
                    Refusal.of(RefusalKind.BAD_CREDENTIALS, "enhanced authentication is not supported"));
            return;
        }
        String username = header.hasUserName() ? connect.payload().userName() : null;
        List<X509Certificate> chain = peerChain(ctx);
        CompletableFuture<Identity> identity;
        if (!chain.isEmpty()) {
            identity = shared.plane().identity().byCertificate(chain);
        } else if (username != null && header.hasPassword()) {
            Long deviceId = deviceId(username);
            if (deviceId == null) {
                refuse(ctx, v5, Refusal.of(RefusalKind.BAD_CREDENTIALS, "the username must be the device id, was '"
                        + username + "'"));
                return;
            }
            identity = shared.plane().identity().byToken(deviceId, connect.payload().password());
        } else {
            refuse(ctx, v5, NO_LOGIN);
            return;
        }
        identity.whenComplete((answer, failure) -> onLoop(ctx, () -> {
            if (!ctx.channel().isActive()) {
                return;
            }
            if (failure != null) {
                refuse(ctx, v5, IngestFailures.refusalFor(failure, null));
                return;
            }
            switch (answer) {
                case Identity.Refused refused -> refuse(ctx, v5, refused.refusal());
                case Identity.Identified identified -> {
                    Long named = username == null ? null : deviceId(username);
                    if (!chain.isEmpty() && username != null && (named == null || named != identified.deviceId())) {
                        refuse(ctx, v5, new Refusal(RefusalKind.CERTIFICATE_MISMATCH, "the certificate is for device "
                                + identified.deviceId() + ", the username names another", identified.deviceId()));
                    } else {
                        accept(ctx, connect, v5, identified.deviceId());
                    }
                }
            }
        }));
    }

    private void accept(ChannelHandlerContext ctx, MqttConnectMessage connect, boolean v5, long deviceId) {
        MqttConnectVariableHeader header = connect.variableHeader();
        int keepAliveSeconds = header.keepAliveTimeSeconds();
        // MQTT: a client silent for 1.5 × its keep-alive is gone; without one, the listener's idle timeout holds.
        long silenceMillis = keepAliveSeconds > 0 ? keepAliveSeconds * 1500L : shared.settings().idleTimeout().toMillis();
        ctx.pipeline().replace(IDLE, IDLE, new IdleStateHandler(silenceMillis, 0, 0, TimeUnit.MILLISECONDS));
        SessionHandler.Will will = header.isWillFlag()
                ? new SessionHandler.Will(connect.payload().willTopic(), connect.payload().willMessageInBytes()) : null;
        String clientId = connect.payload().clientIdentifier();
        String assigned = v5 && (clientId == null || clientId.isEmpty()) ? "device-" + deviceId : null;
        ctx.writeAndFlush(MqttReplies.connAckAccepted(v5, shared.settings(), assigned));
        MqttDeviceSession session = new MqttDeviceSession(deviceId, shared.listener(), peer(ctx), ctx.channel(), v5);
        SessionHandler handler = new SessionHandler(shared, session, v5, will);
        ctx.pipeline().replace(this, SessionHandler.NAME, handler);
        ChannelHandlerContext next = ctx.pipeline().context(handler);
        for (Object message : held) {
            handler.channelRead(next, message);
        }
        held.clear();
    }

    private void refuse(ChannelHandlerContext ctx, boolean v5, Refusal refusal) {
        refuse(ctx, MqttReplies.connectCode(v5, refusal), refusal);
    }

    private void refuse(ChannelHandlerContext ctx, MqttConnectReturnCode code, Refusal refusal) {
        shared.events().connectionRefused(peer(ctx), refusal);
        ctx.writeAndFlush(MqttReplies.connAck(code)).addListener(ChannelFutureListener.CLOSE);
    }

    /** A CONNECT the decoder could not take: an unknown protocol version or client id gets its CONNACK. */
    private void refuseBadConnect(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof MqttUnacceptableProtocolVersionException) {
            refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION,
                    Refusal.of(RefusalKind.MALFORMED, "unsupported MQTT protocol version"));
        } else if (cause instanceof MqttIdentifierRejectedException) {
            refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED,
                    Refusal.of(RefusalKind.MALFORMED, "client identifier rejected: " + cause.getMessage()));
        } else {
            RefusalKind kind = cause instanceof TooLongFrameException ? RefusalKind.OVERSIZE : RefusalKind.MALFORMED;
            shared.events().connectionRefused(peer(ctx), Refusal.of(kind, "bad CONNECT: " + cause.getMessage()));
            ctx.close();
        }
    }

    private static Long deviceId(String username) {
        try {
            long id = Long.parseLong(username.strip());
            return id < 0 ? null : id;
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }

    static List<X509Certificate> peerChain(ChannelHandlerContext ctx) {
        SslHandler tls = ctx.pipeline().get(SslHandler.class);
        if (tls == null) {
            return List.of();
        }
        try {
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate certificate : tls.engine().getSession().getPeerCertificates()) {
                if (certificate instanceof X509Certificate x509) {
                    chain.add(x509);
                }
            }
            return chain;
        } catch (SSLPeerUnverifiedException none) {
            return List.of();
        }
    }

    static String peer(ChannelHandlerContext ctx) {
        return Peers.describe(ctx.channel().remoteAddress());
    }

    static void onLoop(ChannelHandlerContext ctx, Runnable task) {
        if (ctx.executor().inEventLoop()) {
            task.run();
            return;
        }
        try {
            ctx.executor().execute(task);
        } catch (RejectedExecutionException stopped) {
            // The listener stopped; the connection is closed with it.
        }
    }
}
