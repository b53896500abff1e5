package org.locomov.bench;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.time.Duration;

/**
 * The pipeline of one simulated device's connection, bottom to top.
 *
 * <p>Threads: {@link #initChannel} runs on the new channel's event loop; the fields are final.
 */
final class DeviceChannelInitializer extends ChannelInitializer<SocketChannel> {

    private final SslContext tls;
    private final Duration ackTimeout;
    private final SimulatedDevice device;

    DeviceChannelInitializer(SslContext tls, Duration ackTimeout, SimulatedDevice device) {
        this.tls = tls;
        this.ackTimeout = ackTimeout;
        this.device = device;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        // TLS as the device does it; no peer host given, so no session is cached for resumption.
        SslHandler tlsHandler = tls.newHandler(channel.alloc());
        tlsHandler.setHandshakeTimeoutMillis(ackTimeout.toMillis());
        channel.pipeline().addLast("tls", tlsHandler);
        // Packets out, reply lines in, one ack deadline per packet.
        channel.pipeline().addLast("exchange", new ExchangeHandler(device, ackTimeout));
    }
}
