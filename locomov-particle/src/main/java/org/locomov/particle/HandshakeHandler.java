package org.locomov.particle;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.locomov.particle.ParticleRefusals.Reason;
import org.locomov.particle.crypto.DeviceHello;
import org.locomov.particle.crypto.HandshakeException;
import org.locomov.particle.crypto.ParticleHandshake;
import org.locomov.particle.crypto.SessionMaterial;
import org.locomov.particle.keys.ParticleDevice;
import org.locomov.particle.keys.ParticleDevices;
import org.locomov.particle.keys.RsaKeys;
import org.locomov.transport.Peers;

/**
 * The server's side of the handshake on one connection: sends the nonce, reads the device's 256 bytes, looks
 * the device up, answers with the session material, then hands the connection to the session pipeline and
 * removes itself (bytes the device already sent after its handshake go on to the frame decoder).
 *
 * <p>Per connection, event loop only. The device lookup completes on another thread and is brought back to
 * the event loop before anything else is touched.
 */
final class HandshakeHandler extends ByteToMessageDecoder {

    /** Starts the session pipeline once the device has its session material. */
    interface SessionStarter {
        void start(ChannelHandlerContext ctx, ParticleDevice device, SessionMaterial material);
    }

    private final ParticleSettings settings;
    private final KeyPair serverKey;
    private final ParticleDevices devices;
    private final HandshakeLimiter limiter;
    private final ParticleRefusals refusals;
    private final SecureRandom random;
    private final SessionStarter starter;

    private byte[] nonce;
    private boolean holdsPermit;
    private boolean lookingUp;
    private boolean finished;
    private int received;
    private ScheduledFuture<?> timeout;

    HandshakeHandler(ParticleSettings settings, KeyPair serverKey, ParticleDevices devices, HandshakeLimiter limiter,
            ParticleRefusals refusals, SecureRandom random, SessionStarter starter) {
        this.settings = settings;
        this.serverKey = serverKey;
        this.devices = devices;
        this.limiter = limiter;
        this.refusals = refusals;
        this.random = random;
        this.starter = starter;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (!limiter.tryAcquire()) {
            finished = true;
            refuse(ctx, null, Reason.TOO_MANY_HANDSHAKES, limiter.max() + " handshakes already in progress");
            return;
        }
        holdsPermit = true;
        nonce = ParticleHandshake.nonce(random);
        ctx.writeAndFlush(Unpooled.wrappedBuffer(nonce));
        timeout = ctx.executor().schedule(() -> {
            if (!finished) {
                finished = true;
                refuse(ctx, null, Reason.HANDSHAKE_TIMEOUT, "no handshake within " + settings.handshakeTimeout());
            }
        }, settings.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (finished) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (lookingUp) {
            // The device must wait for the server's answer; bytes beyond a frame's worth are not a Core.
            if (in.readableBytes() > settings.maxMessageBytes() + 2) {
                finished = true;
                in.skipBytes(in.readableBytes());
                refuse(ctx, null, Reason.GARBAGE_HANDSHAKE, "sent data before the server's handshake answer");
            }
            return;
        }
        received = in.readableBytes();
        if (received < ParticleHandshake.DEVICE_MESSAGE_BYTES) {
            return;
        }
        byte[] message = new byte[ParticleHandshake.DEVICE_MESSAGE_BYTES];
        in.readBytes(message);
        DeviceHello hello;
        try {
            hello = ParticleHandshake.open(message, nonce, serverKey.getPrivate());
        } catch (HandshakeException e) {
            finished = true;
            in.skipBytes(in.readableBytes());
            refuse(ctx, null, e.getMessage().contains("nonce") ? Reason.WRONG_NONCE : Reason.GARBAGE_HANDSHAKE,
                    e.getMessage());
            return;
        }
        lookingUp = true;
        devices.find(hello.deviceId()).whenComplete((found, failure) -> ctx.executor().execute(() -> {
            if (finished || !ctx.channel().isActive()) {
                return;
            }
            if (failure != null) {
                finished = true;
                refuse(ctx, hello.deviceId(), Reason.SERVER_ERROR, "device lookup failed: " + failure.getMessage());
                return;
            }
            accept(ctx, hello, found);
        }));
    }

    private void accept(ChannelHandlerContext ctx, DeviceHello hello, Optional<ParticleDevice> found) {
        finished = true;
        if (found.isEmpty()) {
            refuse(ctx, hello.deviceId(), Reason.UNKNOWN_DEVICE, "no key registered for this device id");
            return;
        }
        ParticleDevice device = found.get();
        if (device.revoked()) {
            refuse(ctx, hello.deviceId(), Reason.REVOKED_DEVICE, "device " + device.deviceId() + " is revoked");
            return;
        }
        if (hello.publicKeyDer() != null && !sameKey(hello.publicKeyDer(), device)) {
            refuse(ctx, hello.deviceId(), Reason.DEVICE_KEY_MISMATCH, "the key it sent is not the one registered");
            return;
        }
        SessionMaterial material = SessionMaterial.random(random);
        ctx.writeAndFlush(Unpooled.wrappedBuffer(ParticleHandshake.reply(material, device.publicKey(), serverKey.getPrivate())));
        releasePermit();
        cancelTimeout();
        starter.start(ctx, device, material);
        ctx.pipeline().remove(this);
    }

    private static boolean sameKey(byte[] sent, ParticleDevice device) {
        try {
            return Arrays.equals(RsaKeys.fromDer(sent).getEncoded(), device.publicKey().getEncoded());
        } catch (IllegalArgumentException notAKey) {
            return false;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (!finished && holdsPermit) {
            finished = true;
            refusals.refuse(Peers.describe(ctx.channel().remoteAddress()), null, Reason.TRUNCATED_HANDSHAKE,
                    "closed after " + received + " of " + ParticleHandshake.DEVICE_MESSAGE_BYTES + " handshake bytes");
        }
        releasePermit();
        cancelTimeout();
        super.channelInactive(ctx);
    }

    private void refuse(ChannelHandlerContext ctx, String device, Reason reason, String detail) {
        refusals.refuse(Peers.describe(ctx.channel().remoteAddress()), device, reason, detail);
        releasePermit();
        cancelTimeout();
        ctx.close();
    }

    private void releasePermit() {
        if (holdsPermit) {
            holdsPermit = false;
            limiter.release();
        }
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
        }
    }
}
