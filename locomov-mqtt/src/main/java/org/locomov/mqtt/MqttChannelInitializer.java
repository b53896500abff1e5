package org.locomov.mqtt;

import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;
import org.locomov.transport.ConnectionEvents;
import org.locomov.transport.ListenerEvents;
import org.locomov.transport.ServerTls;
import org.locomov.transport.TcpListener;

/**
 * Builds the pipeline of each accepted MQTT connection after the connection limiter; read top to bottom, it
 * is the protocol stack.
 *
 * <p>Shared by every connection of the listener: holds only shared, thread-safe parts.
 */
final class MqttChannelInitializer implements TcpListener.Pipeline {

    /** Longest client identifier taken; devices use short ones, and the session is keyed by device id anyway. */
    private static final int MAX_CLIENT_ID_LENGTH = 256;

    private final MqttSettings settings;
    private final ServerTls tls;
    private final MqttConnections connections;
    private final ConnectionEvents connectionEvents;

    MqttChannelInitializer(MqttSettings settings, ServerTls tls, MqttConnections connections, ListenerEvents events) {
        this.settings = settings;
        this.tls = tls;
        this.connections = connections;
        // A TLS port answers plain text by closing: an MQTT client would not understand a line.
        this.connectionEvents = new ConnectionEvents(events, null);
    }

    @Override
    public void initialize(SocketChannel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        // TLS, with the RSA or EC certificate chosen from the client hello; plain text fails here.
        pipeline.addLast("tls", tls.newHandler());
        // Until CONNECT: the connect timeout; ConnectHandler replaces it with the client's keep-alive × 1.5.
        pipeline.addLast(ConnectHandler.IDLE, new IdleStateHandler(settings.connectTimeout().toMillis(), 0, 0,
                TimeUnit.MILLISECONDS));
        // MQTT packets, at most maxPacketBytes each; a bad or oversize packet becomes a failed message.
        pipeline.addLast("decoder", new MqttDecoder(settings.maxPacketBytes(), MAX_CLIENT_ID_LENGTH));
        pipeline.addLast("encoder", MqttEncoder.INSTANCE);
        // CONNECT: version, login by certificate or token, CONNACK; then replaced by the device's SessionHandler.
        pipeline.addLast(ConnectHandler.NAME, new ConnectHandler(connections));
        // Handshake failures, idle and keep-alive expiry, I/O errors: log, count, close.
        pipeline.addLast("events", connectionEvents);
    }
}
