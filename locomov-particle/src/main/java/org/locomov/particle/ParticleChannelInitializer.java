package org.locomov.particle;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.locomov.core.DevicePlane;
import org.locomov.core.session.DeviceDescriptions;
import org.locomov.particle.crypto.SessionMaterial;
import org.locomov.particle.keys.ParticleDevice;
import org.locomov.particle.keys.ParticleDevices;
import org.locomov.transport.ListenerEvents;
import org.locomov.transport.TcpListener;

/**
 * The pipeline of one Particle connection, read top to bottom as the protocol stack. Plain TCP: the
 * protocol encrypts itself.
 */
final class ParticleChannelInitializer implements TcpListener.Pipeline {

    private final String name;
    private final ParticleSettings settings;
    private final KeyPair serverKey;
    private final ParticleDevices devices;
    private final DevicePlane plane;
    private final DeviceDescriptions descriptions;
    private final EventRouter router;
    private final ParticleSessions sessions;
    private final HandshakeLimiter handshakes;
    private final ParticleRefusals refusals;
    private final ListenerEvents events;
    private final SecureRandom random = new SecureRandom();

    ParticleChannelInitializer(String name, ParticleSettings settings, KeyPair serverKey, ParticleDevices devices,
            DevicePlane plane, DeviceDescriptions descriptions, EventRouter router, ParticleSessions sessions, HandshakeLimiter handshakes, ParticleRefusals refusals,
            ListenerEvents events) {
        this.name = name;
        this.settings = settings;
        this.serverKey = serverKey;
        this.devices = devices;
        this.plane = plane;
        this.descriptions = descriptions;
        this.router = router;
        this.sessions = sessions;
        this.handshakes = handshakes;
        this.refusals = refusals;
        this.events = events;
    }

    @Override
    public void initialize(SocketChannel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        // A session silent this long is gone (a Core pings after 15 s without a message).
        pipeline.addLast("idle", new IdleStateHandler(settings.idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS));
        // Nonce, the device's RSA message, the session material; then it puts the session layers below.
        pipeline.addLast("handshake", new HandshakeHandler(settings, serverKey, devices, handshakes, refusals, random,
                this::startSession));
    }

    private void startSession(ChannelHandlerContext ctx, ParticleDevice device, SessionMaterial material) {
        ChannelPipeline pipeline = ctx.pipeline();
        // 2-byte length + ciphertext, with the size limit checked before buffering.
        pipeline.addLast("frames", new SparkFrameDecoder(settings.maxMessageBytes(), refusals, device.particleId()));
        // AES-128-CBC with the protocol's IV chaining, each way; CoAP messages above it.
        pipeline.addLast("cipher", new CipherCodec(material, refusals, device.particleId()));
        // Hello, events, time, ping; functions, variables and OTA for the device plane.
        pipeline.addLast("session", new ParticleConnection(name, settings, plane, descriptions, router, sessions, refusals,
                events, device,
                random.nextInt(0x10000)));
    }
}
