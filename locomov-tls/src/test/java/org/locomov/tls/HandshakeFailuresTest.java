package org.locomov.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locomov.tls.HandshakeFailures.Failure;
import org.locomov.tls.testing.EchoServer;
import org.locomov.tls.testing.OpensslClient;
import org.locomov.tls.testing.TestCertificates;

/**
 * Each way a real handshake fails gets its own reason and tag, never "null" (issue 12): openssl s_client and
 * raw sockets against a Netty TLS server on loopback.
 */
class HandshakeFailuresTest {

    @TempDir
    Path temp;

    private EchoServer server;

    /** Both TLS stacks a listener may run on (ServerTls prefers OpenSSL when netty-tcnative is there). */
    static Stream<SslProvider> providers() {
        return OpenSsl.isAvailable() ? Stream.of(SslProvider.JDK, SslProvider.OPENSSL) : Stream.of(SslProvider.JDK);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private EchoServer serve(SslProvider provider, ClientAuth clientAuth, long handshakeTimeoutMs) throws Exception {
        CipherProfile profile = CipherProfile.MODERN;
        ServerCertificate certificate = TestCertificates.shared().rsaServer();
        SslContext context = SslContextBuilder
                .forServer(certificate.key(), certificate.chain().toArray(X509Certificate[]::new))
                .protocols(profile.protocols())
                .ciphers(profile.cipherSuites(certificate.keyType()))
                .trustManager(TestCertificates.shared().caCertificate())
                .clientAuth(clientAuth)
                .sslProvider(provider)
                .build();
        server = new EchoServer(() -> {
            SslHandler handler = context.newHandler(ByteBufAllocator.DEFAULT);
            handler.setHandshakeTimeoutMillis(handshakeTimeoutMs);
            return handler;
        });
        return server;
    }

    private EchoServer serve(SslProvider provider) throws Exception {
        return serve(provider, ClientAuth.NONE, 10_000);
    }

    /** What the server made of the first handshake that failed (or the error that stopped it). */
    private Failure serverSide() {
        await().atMost(Duration.ofSeconds(20)).until(() ->
                server.handshakes.stream().anyMatch(event -> !event.isSuccess()) || !server.errors.isEmpty());
        Throwable cause = Stream.concat(
                        server.handshakes.stream().filter(event -> !event.isSuccess()).map(event -> event.cause()),
                        server.errors.stream())
                .findFirst().orElseThrow();
        Failure failure = HandshakeFailures.classify(cause);
        assertThat(failure.reason()).isNotBlank().doesNotContain("null");
        return failure;
    }

    private static Path otherCaDirectory(Path temp) throws Exception {
        Path dir = temp.resolve("other-ca");
        DevelopmentCa.openOrCreate(dir, List.of("localhost"), List.of("127.0.0.1"));
        return dir;
    }

    @ParameterizedTest
    @MethodSource("providers")
    void aClientThatDoesNotTrustTheServersCaSaysUnknownCa(SslProvider provider) throws Exception {
        OpensslClient.assumeInstalled();
        serve(provider);
        Path otherCa = otherCaDirectory(temp).resolve("ca.pem");

        OpensslClient.sClient(server.port(), otherCa, "", "-tls1_2", "-verify_return_error");

        Failure failure = serverSide();
        assertThat(failure.tag()).isEqualTo("client_alert_unknown_ca");
        assertThat(failure.reason()).contains("does not trust the CA");
    }

    @ParameterizedTest
    @MethodSource("providers")
    void noCipherSuiteInCommon(SslProvider provider) throws Exception {
        OpensslClient.assumeInstalled();
        serve(provider);

        OpensslClient.sClient(server.port(), TestCertificates.shared().caCertificateFile(), "", "-tls1_2",
                "-cipher", "AES256-SHA");

        assertThat(serverSide().tag()).isEqualTo("no_shared_cipher");
    }

    @ParameterizedTest
    @MethodSource("providers")
    void aTlsVersionTheListenerDoesNotSpeak(SslProvider provider) throws Exception {
        OpensslClient.assumeInstalled();
        serve(provider);

        OpensslClient.sClient(server.port(), TestCertificates.shared().caCertificateFile(), "", "-tls1_1",
                "-cipher", "DEFAULT@SECLEVEL=0");

        Failure failure = serverSide();
        assertThat(failure.tag()).isIn("protocol_version", "client_alert_protocol_version");
        assertThat(failure.reason()).contains("TLS");
    }

    @ParameterizedTest
    @MethodSource("providers")
    void aClientCertificateFromAnUntrustedCa(SslProvider provider) throws Exception {
        OpensslClient.assumeInstalled();
        serve(provider, ClientAuth.REQUIRE, 10_000);
        Path other = otherCaDirectory(temp);

        OpensslClient.sClient(server.port(), TestCertificates.shared().caCertificateFile(), "", "-tls1_2",
                "-cert", other.resolve("server-rsa.pem").toString(), "-key", keyFile(other).toString());

        Failure failure = serverSide();
        assertThat(failure.tag()).isEqualTo("client_certificate_untrusted");
        assertThat(failure.reason()).contains("not issued by a CA this listener trusts");
    }

    @ParameterizedTest
    @MethodSource("providers")
    void noClientCertificateWhereOneIsRequired(SslProvider provider) throws Exception {
        OpensslClient.assumeInstalled();
        serve(provider, ClientAuth.REQUIRE, 10_000);

        OpensslClient.sClient(server.port(), TestCertificates.shared().caCertificateFile(), "", "-tls1_2");

        assertThat(serverSide().tag()).isEqualTo("client_certificate_missing");
    }

    @ParameterizedTest
    @MethodSource("providers")
    void plainTextOnTheTlsPort(SslProvider provider) throws Exception {
        serve(provider);
        try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            plain.getOutputStream().write("{\"id\": 1}\n".getBytes(StandardCharsets.US_ASCII));
            plain.getOutputStream().flush();
            assertThat(serverSide().tag()).isEqualTo("plaintext");
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void aClientThatHangsUpHalfwayThroughItsHello(SslProvider provider) throws Exception {
        serve(provider);
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            OutputStream out = client.getOutputStream();
            // A handshake record header announcing 80 bytes of ClientHello, then only 4 of them.
            out.write(new byte[] {0x16, 0x03, 0x01, 0x00, 0x50, 0x01, 0x00, 0x00, 0x4c});
            out.flush();
        }
        Failure failure = serverSide();
        assertThat(failure.tag()).isEqualTo("closed");
        assertThat(failure.reason()).isEqualTo("the client closed the connection during the handshake");
    }

    @ParameterizedTest
    @MethodSource("providers")
    void aClientThatNeverSendsItsHelloTimesOut(SslProvider provider) throws Exception {
        serve(provider, ClientAuth.NONE, 300);
        try (Socket silent = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            assertThat(serverSide().tag()).isEqualTo("timeout");
        }
    }

    @Test
    void anExceptionWithoutAnyMessageStillNamesWhatItIs() {
        assertThat(HandshakeFailures.reason(new javax.net.ssl.SSLHandshakeException(null)))
                .isEqualTo("SSLHandshakeException");
        assertThat(HandshakeFailures.reason(null)).isEqualTo("the connection closed during the handshake");
    }

    private static Path keyFile(Path caDir) throws Exception {
        try (Stream<Path> files = Files.list(caDir)) {
            return files.filter(file -> file.getFileName().toString().startsWith("server-rsa")
                    && file.getFileName().toString().contains("key")).findFirst().orElseThrow();
        }
    }
}
