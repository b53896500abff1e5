package org.locomov.tls;

import org.locomov.tls.testing.EchoServer;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locomov.tls.testing.TestCertificates;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ClientTls against a real ServerTls listener on 127.0.0.1. */
class ClientTlsTest {

    private static DevelopmentCa ca;
    private static EchoServer server;
    private static EventLoopGroup clients;

    @BeforeAll
    static void start() throws Exception {
        ca = TestCertificates.shared();
        server = EchoServer.serving(ca.rsaServer(), CipherProfile.CC32XX);
        clients = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (clients != null) {
            clients.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void deviceEmulationNegotiatesTlsRsaWithTheRsaCertificate() throws Exception {
        SslContext device = ClientTls.forCa(ca.caCertificateFile(), List.of("TLSv1.2"),
                List.of("TLS_RSA_WITH_AES_256_CBC_SHA"));

        Future<Channel> handshake = handshake(device, "127.0.0.1");

        assertThat(handshake.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(handshake.isSuccess()).as("handshake: %s", handshake.cause()).isTrue();
        SSLSession session = handshake.getNow().pipeline().get(SslHandler.class).engine().getSession();
        assertThat(session.getProtocol()).isEqualTo("TLSv1.2");
        assertThat(session.getCipherSuite()).isEqualTo("TLS_RSA_WITH_AES_256_CBC_SHA");
        assertThat(session.getPeerCertificates()[0]).isEqualTo(ca.rsaServer().leaf());
        handshake.getNow().close().sync();
    }

    @Test
    void nettyClientRefusesAServerWhoseCertificateLacksTheHostName() throws Exception {
        Future<Channel> handshake = handshake(ClientTls.forCa(ca.caCertificateFile()), "meter.example");

        assertThat(handshake.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(handshake.cause()).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void nettyClientRefusesAServerFromAnotherCa(@TempDir Path otherDir) throws Exception {
        DevelopmentCa other = DevelopmentCa.openOrCreate(otherDir, List.of("localhost"), List.of("127.0.0.1"));

        Future<Channel> handshake = handshake(ClientTls.forCa(other.caCertificateFile()), "127.0.0.1");

        assertThat(handshake.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(handshake.cause()).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void jdkContextAcceptsTheServerByAddressAndRefusesAWrongName() throws Exception {
        var factory = ClientTls.jdkContext(ca.caCertificateFile()).getSocketFactory();
        try (SSLSocket good = (SSLSocket) factory.createSocket("127.0.0.1", server.port())) {
            good.startHandshake();
            assertThat(good.getSession().getPeerCertificates()[0]).isIn(ca.rsaServer().leaf(), ca.ecServer().leaf());
        }
        try (Socket plain = new Socket("127.0.0.1", server.port());
             SSLSocket wrongName = (SSLSocket) factory.createSocket(plain, "meter.example", server.port(), true)) {
            assertThatThrownBy(wrongName::startHandshake).isInstanceOf(SSLHandshakeException.class);
        }
    }

    /** Connects with {@code context}, checking the server against {@code expectedHost}; completes with the handshake. */
    private static Future<Channel> handshake(SslContext context, String expectedHost) throws InterruptedException {
        // Kept here, not looked up in the pipeline afterwards: a failed handshake may already have closed
        // the channel and emptied its pipeline by the time connect() returns.
        SslHandler tls = context.newHandler(ByteBufAllocator.DEFAULT, expectedHost, server.port());
        new Bootstrap().group(clients).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(tls);
                    }
                })
                .connect("127.0.0.1", server.port()).sync();
        return tls.handshakeFuture();
    }
}
