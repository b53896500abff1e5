package org.locomov.mov;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.locomov.core.IngestFailures;
import org.locomov.core.Refusal;
import org.locomov.core.RefusalKind;
import org.locomov.core.identity.DeviceIdentity;
import org.locomov.core.identity.Identity;
import org.locomov.transport.JsonFields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds a connection that presented a client certificate to the device the certificate names. At the first
 * packet the certificate chain (already checked against the trusted CAs by the TLS handshake) is handed to
 * the {@link DeviceIdentity}, once per connection: it must name a device, be unrevoked and on record. From
 * then on every packet's {@code id} must be that device's, else it is refused with
 * {@code Error: certificate is for device X}. A connection without a certificate (client auth
 * {@code optional}) passes untouched.
 *
 * <p>Refusals are handed on as {@link Refusal} messages, which {@link PacketHandler} answers, logs and counts
 * like any other. While the identity is checked, the packet is held here and the read requests that
 * {@link PacketHandler} sends meanwhile are dropped; it always gets the packet or a refusal afterwards, and
 * asks again after replying, so one packet stays in flight per connection.
 *
 * <p>Per connection, not sharable. Every method runs on the channel's event loop, and the check's answer is
 * brought back to it, so the fields need no locking.
 */
final class ClientCertificateGate extends ChannelDuplexHandler {

    private static final Logger log = LoggerFactory.getLogger(ClientCertificateGate.class);

    private enum State {
        /** No packet yet: whether there is a certificate is looked at with the first one. */
        FIRST_PACKET,
        /** The identity is being checked; the packet waits. */
        CHECKING,
        /** Accepted: packets must carry {@link #boundDevice}. */
        BOUND,
        /** No certificate was presented: packets pass. */
        NO_CERTIFICATE
    }

    private final DeviceIdentity identity;
    private State state = State.FIRST_PACKET;
    private long boundDevice;

    ClientCertificateGate(DeviceIdentity identity) {
        this.identity = identity;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof JsonFrame packet)) {
            ctx.fireChannelRead(msg);
            return;
        }
        switch (state) {
            case FIRST_PACKET -> firstPacket(ctx, packet);
            case BOUND -> ctx.fireChannelRead(checkedId(packet));
            case NO_CERTIFICATE -> ctx.fireChannelRead(packet);
            // PacketHandler's read requests are dropped while checking, so no second packet can arrive.
            case CHECKING -> throw new IllegalStateException("a packet arrived while the certificate was checked");
        }
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        if (state != State.CHECKING) {
            ctx.read();
        }
    }

    private void firstPacket(ChannelHandlerContext ctx, JsonFrame packet) {
        List<X509Certificate> chain = peerChain(ctx);
        if (chain.isEmpty()) {
            state = State.NO_CERTIFICATE;
            ctx.fireChannelRead(packet);
            return;
        }
        state = State.CHECKING;
        identity.byCertificate(chain).whenComplete((answer, failure) -> ctx.executor().execute(() -> {
            if (failure != null) {
                state = State.FIRST_PACKET;         // checked again with the next packet
                ctx.fireChannelRead(IngestFailures.refusalFor(failure, null));
                return;
            }
            switch (answer) {
                case Identity.Identified identified -> {
                    state = State.BOUND;
                    boundDevice = identified.deviceId();
                    log.debug("connection from {} bound to device {} by its certificate", ctx.channel().remoteAddress(),
                            boundDevice);
                    ctx.fireChannelRead(checkedId(packet));
                }
                case Identity.Refused refused -> {
                    state = State.FIRST_PACKET;
                    ctx.fireChannelRead(refused.refusal());
                }
            }
        }));
    }

    private Object checkedId(JsonFrame packet) {
        OptionalLong id = deviceId(packet);
        if (id.isPresent() && id.getAsLong() != boundDevice) {
            return new Refusal(RefusalKind.CERTIFICATE_MISMATCH, "certificate is for device " + boundDevice,
                    id.getAsLong());
        }
        return packet;                              // no id, or not a number: the decoder refuses it
    }

    private static List<X509Certificate> peerChain(ChannelHandlerContext ctx) {
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

    /** The top-level {@code id} of a packet when it is an integer; the full decode comes later. */
    private static OptionalLong deviceId(JsonFrame packet) {
        try (JsonParser parser = JsonFields.JSON.createParser(packet.bytes())) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return OptionalLong.empty();
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("id".equals(name)) {
                    return value == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER
                            ? OptionalLong.of(parser.getLongValue()) : OptionalLong.empty();
                }
                parser.skipChildren();
            }
            return OptionalLong.empty();
        } catch (IOException malformed) {
            return OptionalLong.empty();
        }
    }
}
