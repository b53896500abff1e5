package org.locomov.mqtt;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A device that speaks MQTT 3.1.1 byte by byte over TLS and then falls silent, as a crashed device does: no
 * PINGREQ, no DISCONNECT (a real client library would keep the connection alive). For keep-alive and will tests.
 */
final class RawMqttDevice implements AutoCloseable {

    private final SSLSocket socket;
    private final InputStream in;

    private RawMqttDevice(SSLSocket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
    }

    static RawMqttDevice connect(int port) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        TrustManagerFactory trust = HiveClients.trust();
        context.init(null, trust.getTrustManagers(), null);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("localhost", port);
        socket.startHandshake();
        return new RawMqttDevice(socket);
    }

    /** Sends CONNECT (3.1.1, clean session) with a login and a will; returns the CONNACK's return code. */
    int login(long deviceId, String token, int keepAliveSeconds, String willTopic, String willMessage) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        string(body, "MQTT");
        body.write(4);                                  // protocol level 3.1.1
        body.write(0x80 | 0x40 | 0x04 | 0x02);          // username, password, will (QoS 0), clean session
        body.write(keepAliveSeconds >> 8);
        body.write(keepAliveSeconds & 0xFF);
        string(body, "raw-" + deviceId);
        string(body, willTopic);
        string(body, willMessage);
        string(body, Long.toString(deviceId));
        string(body, token);
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(0x10);
        int length = body.size();
        do {
            int digit = length % 128;
            length /= 128;
            packet.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
        body.writeTo(packet);
        socket.getOutputStream().write(packet.toByteArray());
        socket.getOutputStream().flush();
        byte[] connAck = new byte[4];
        new DataInputStream(in).readFully(connAck);
        return connAck[3];
    }

    /** Blocks until the server closes the connection (true) — the test bounds it with a socket timeout. */
    boolean awaitClosedByServer(int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        try {
            return in.read() == -1;
        } catch (javax.net.ssl.SSLException | java.net.SocketException closed) {
            return true;
        }
    }

    private static void string(ByteArrayOutputStream out, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.write(bytes.length >> 8);
        out.write(bytes.length & 0xFF);
        out.writeBytes(bytes);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
