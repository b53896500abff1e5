package org.locomov.mov;

import java.io.IOException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.OptionalLong;

import javax.net.ssl.SSLPeerUnverifiedException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;
import org.locomov.tls.ClientCertificates;
import org.locomov.tls.DeviceCertificateCheck.CertificateStatus;
import org.locomov.tls.DeviceCertificateTrust.DeviceCertificate;
import org.locomov.tls.DeviceCertificateTrust.Identification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds a connection that presented a client certificate to the device the certificate names. At the first
 * packet the certificate (already chained to a trusted CA by the TLS handshake) is checked against the
 * database, once per connection: unrevoked and on record. From then on every packet's {@code id} must be that
 * device's, else it is refused with {@code Error: certificate is for device X}. A connection without a
 * certificate (client auth {@code optional}) passes untouched.
 *
 * <p>Refusals are handed on as {@link Refusal} messages, which {@link PacketHandler} answers, logs and counts
 * like any other. While the database check runs, the packet is held here and the read requests that
 * {@link PacketHandler} sends meanwhile are dropped; it always gets the packet or a refusal afterwards, and
 * asks again after replying, so one packet stays in flight per connection.
 *
 * <p>Per connection, not sharable. Every method runs on the channel's event loop, and the check's answer is
 * brought back to it, so the fields need no locking.
 */
final class ClientCertificateGate extends ChannelDuplexHandler {

    private static final Logger log = LoggerFactory.getLogger(ClientCertificateGate.class);
    private static final JsonFactory JSON = new JsonFactory();

    private enum State {
        /** No packet yet: whether there is a certificate is looked at with the first one. */
        FIRST_PACKET,
        /** The database is being asked; the packet waits. */
        CHECKING,
        /** Accepted: packets must carry {@link #boundDevice}. */
        BOUND,
        /** No certificate was presented: packets pass. */
        NO_CERTIFICATE
    }

    private final ClientCertificates certificates;
    private State state = State.FIRST_PACKET;
    private long boundDevice;

    ClientCertificateGate(ClientCertificates certificates) {
        this.certificates = certificates;
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
        X509Certificate leaf = peerCertificate(ctx);
        if (leaf == null) {
            state = State.NO_CERTIFICATE;
            ctx.fireChannelRead(packet);
            return;
        }
        switch (certificates.trust().identify(leaf)) {
            case Identification.Unusable(String reason) ->
                    ctx.fireChannelRead(Refusal.of(RefusalKind.CERTIFICATE_REFUSED, reason));
            case Identification.Identified(DeviceCertificate certificate) -> check(ctx, packet, certificate);
        }
    }

    private void check(ChannelHandlerContext ctx, JsonFrame packet, DeviceCertificate certificate) {
        state = State.CHECKING;
        certificates.check().check(certificate).whenComplete((status, failure) -> ctx.executor().execute(() -> {
            if (failure != null) {
                state = State.FIRST_PACKET;         // checked again with the next packet
                ctx.fireChannelRead(IngestFailures.refusalFor(failure, certificate.deviceId()));
            } else if (status == CertificateStatus.ACCEPTED) {
                state = State.BOUND;
                boundDevice = certificate.deviceId();
                log.debug("connection from {} bound to device {} by its {} certificate", ctx.channel().remoteAddress(),
                        boundDevice, certificate.origin());
                ctx.fireChannelRead(checkedId(packet));
            } else {
                state = State.FIRST_PACKET;
                ctx.fireChannelRead(refusalFor(status, certificate.deviceId()));
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

    private static Refusal refusalFor(CertificateStatus status, long deviceId) {
        return switch (status) {
            case REVOKED -> new Refusal(RefusalKind.REVOKED_DEVICE, "certificate of device " + deviceId + " is revoked",
                    deviceId);
            case NOT_ON_RECORD -> new Refusal(RefusalKind.CERTIFICATE_REFUSED,
                    "certificate is not on record for device " + deviceId, deviceId);
            case UNKNOWN_DEVICE -> new Refusal(RefusalKind.UNKNOWN_DEVICE, "unknown device " + deviceId, deviceId);
            case ACCEPTED -> throw new IllegalArgumentException("an accepted certificate is not refused");
        };
    }

    private static X509Certificate peerCertificate(ChannelHandlerContext ctx) {
        SslHandler tls = ctx.pipeline().get(SslHandler.class);
        if (tls == null) {
            return null;
        }
        try {
            Certificate[] chain = tls.engine().getSession().getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate leaf ? leaf : null;
        } catch (SSLPeerUnverifiedException none) {
            return null;
        }
    }

    /** The top-level {@code id} of a packet when it is an integer; the full decode comes later. */
    private static OptionalLong deviceId(JsonFrame packet) {
        try (JsonParser parser = JSON.createParser(packet.bytes())) {
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
