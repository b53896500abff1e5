package org.locomov.transport;

import org.locomov.transport.testing.TestServerTls;
import org.locomov.tls.testing.EchoServer;
import org.locomov.tls.testing.OpensslClient;
import org.locomov.tls.CipherProfile;
import org.locomov.tls.DevelopmentCa;
import org.locomov.tls.ClientTls;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locomov.tls.testing.TestCertificates;

import javax.net.ssl.SSLSocket;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** ServerTls over real TLS on 127.0.0.1 with the OpenSSL (BoringSSL) provider, against the real openssl client. */
class ServerTlsTest {

    private static DevelopmentCa ca;

    @BeforeAll
    static void certificates() {
        OpensslClient.assumeInstalled();
        ca = TestCertificates.shared();
    }

    @Test
    void rsaOnlyTls12ClientGetsTheRsaChainEndingAtTheCa() throws Exception {
        ServerTls tls = TestServerTls.create(CipherProfile.CC32XX);
        assertThat(tls.provider()).isEqualTo(ServerTls.defaultProvider());
        try (EchoServer server = new EchoServer(tls::newHandler)) {
            OpensslClient.Result result = OpensslClient.sClient(server.port(), ca.caCertificateFile(),
                    "hello\nbye\n", "-tls1_2", "-cipher", "AES256-SHA");

            assertThat(result.output()).contains("Verify return code: 0 (ok)", "Cipher is AES256-SHA", "echo: hello");
            assertThat(result.servedChain()).containsExactly(ca.rsaServer().leaf(), ca.caCertificate());
        }
    }

    @Test
    void ecdsaClientGetsTheEcCertificateFromTheSamePort() throws Exception {
        try (EchoServer server = new EchoServer(TestServerTls.create(CipherProfile.CC32XX)::newHandler)) {
            OpensslClient.Result result = OpensslClient.sClient(server.port(), ca.caCertificateFile(),
                    "bye\n", "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256");

            assertThat(result.output()).contains("Verify return code: 0 (ok)", "Cipher is ECDHE-ECDSA-AES128-GCM-SHA256");
            assertThat(result.servedChain()).containsExactly(ca.ecServer().leaf(), ca.caCertificate());
        }
    }

    @Test
    void tls13ClientGetsACertificate() throws Exception {
        try (EchoServer server = new EchoServer(TestServerTls.create(CipherProfile.MODERN)::newHandler)) {
            OpensslClient.Result result = OpensslClient.sClient(server.port(), ca.caCertificateFile(),
                    "hello\nbye\n", "-tls1_3");

            assertThat(result.output()).contains("Verify return code: 0 (ok)", "TLSv1.3", "echo: hello");
            assertThat(result.servedChain()).containsExactly(ca.ecServer().leaf(), ca.caCertificate());
        }
    }

    @Test
    void withoutAnEcCertificateEveryClientGetsRsa() throws Exception {
        ServerTls tls = ServerTls.create(ca.rsaServer(), null, CipherProfile.MODERN, Duration.ofSeconds(10), "rsa-only");
        try (EchoServer server = new EchoServer(tls::newHandler)) {
            OpensslClient.Result result = OpensslClient.sClient(server.port(), ca.caCertificateFile(),
                    "bye\n", "-tls1_3");

            assertThat(result.output()).contains("Verify return code: 0 (ok)");
            assertThat(result.servedChain()).first().isEqualTo(ca.rsaServer().leaf());
        }
    }

    @Test
    void modernProfileRefusesAes256Sha() throws Exception {
        try (EchoServer server = new EchoServer(TestServerTls.create(CipherProfile.MODERN)::newHandler)) {
            OpensslClient.Result result = OpensslClient.sClient(server.port(), ca.caCertificateFile(),
                    "hello\nbye\n", "-tls1_2", "-cipher", "AES256-SHA");

            assertThat(result.exitCode()).isNotZero();
            assertThat(result.servedChain()).isEmpty();
            assertThat(result.output()).doesNotContain("echo: hello");
            await().until(() -> !server.handshakes.isEmpty());
            assertThat(server.handshakes.get(0).isSuccess()).isFalse();
        }
    }

    @Test
    void plaintextSurfacesAsNotSslRecordExceptionAndGetsAPlainReply() throws Exception {
        try (EchoServer server = new EchoServer(TestServerTls.create(CipherProfile.CC32XX)::newHandler);
             Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write("{\"id\":1,\"voltage\":230}\n".getBytes(StandardCharsets.US_ASCII));

            BufferedReader reader = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            assertThat(reader.readLine()).isEqualTo("Error: TLS required");
            assertThat(reader.read()).isEqualTo(-1);
            assertThat(server.errors).hasSize(1).first().isInstanceOf(NotSslRecordException.class);
        }
    }

    @Test
    void clientThatSendsNoHelloIsClosedAtTheHandshakeTimeout() throws Exception {
        ServerTls tls = ServerTls.create(ca.rsaServer(), ca.ecServer(), CipherProfile.MODERN,
                Duration.ofMillis(200), "short-timeout");
        try (EchoServer server = new EchoServer(tls::newHandler);
             Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(20_000);

            assertThat(socket.getInputStream().read()).isEqualTo(-1);
            await().until(() -> !server.errors.isEmpty());
            assertThat(server.errors.get(0)).isInstanceOf(SslHandshakeTimeoutException.class);
        }
    }

    @Test
    void replacedCertificatesReachNewHandshakesWhileOpenConnectionsKeepWorking(@TempDir Path otherDir) throws Exception {
        ServerTls tls = TestServerTls.create(CipherProfile.MODERN);
        DevelopmentCa other = DevelopmentCa.openOrCreate(otherDir, List.of("localhost"), List.of("127.0.0.1"));
        try (EchoServer server = new EchoServer(tls::newHandler);
             SSLSocket before = connect(ca.caCertificateFile(), server.port())) {
            assertThat(exchange(before, "one")).isEqualTo("echo: one");

            tls.replaceCertificates(other.rsaServer(), other.ecServer());

            try (SSLSocket after = connect(other.caCertificateFile(), server.port())) {
                assertThat(after.getSession().getPeerCertificates()[0]).isEqualTo(other.ecServer().leaf());
                assertThat(exchange(after, "two")).isEqualTo("echo: two");
            }
            OpensslClient.Result rsaClient = OpensslClient.sClient(server.port(), other.caCertificateFile(),
                    "bye\n", "-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256");
            assertThat(rsaClient.servedChain()).containsExactly(other.rsaServer().leaf(), other.caCertificate());
            assertThat(before.getSession().getPeerCertificates()[0]).isEqualTo(ca.ecServer().leaf());
            assertThat(exchange(before, "three")).isEqualTo("echo: three");
        }
    }

    @Test
    void describeNamesProfileProviderSuitesAndCertificates() {
        String line = TestServerTls.create(CipherProfile.CC32XX).describe();

        assertThat(line).contains("cc32xx", ServerTls.defaultProvider().name(), "TLSv1.3, TLSv1.2",
                "TLS_RSA_WITH_AES_256_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "RSA CN=localhost", "EC CN=localhost");
    }

    private static SSLSocket connect(Path caFile, int port) throws Exception {
        SSLSocket socket = (SSLSocket) ClientTls.jdkContext(caFile).getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(20_000);
        socket.startHandshake();
        return socket;
    }

    private static String exchange(SSLSocket socket, String line) throws Exception {
        OutputStream out = socket.getOutputStream();
        out.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        StringBuilder reply = new StringBuilder();
        for (int c = socket.getInputStream().read(); c != -1 && c != '\n'; c = socket.getInputStream().read()) {
            reply.append((char) c);
        }
        return reply.toString();
    }
}
