package org.locomov.transport;

import org.locomov.tls.testing.EchoServer;
import org.locomov.tls.testing.LogCapture;
import org.locomov.tls.CipherProfile;
import org.locomov.tls.DevelopmentCa;
import org.locomov.tls.PemFilePair;
import org.locomov.tls.PemFileSource;
import org.locomov.tls.PemFiles;
import org.locomov.tls.CertificateListener;
import org.locomov.tls.ServerCertificate;
import org.locomov.tls.ClientTls;
import org.locomov.tls.CertificateFileException;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLSocket;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Hot reload of the operator's PEM files, over real TLS on 127.0.0.1. */
class PemFileSourceTest {

    private static final Duration POLL = Duration.ofMillis(100);

    private static DevelopmentCa first;
    private static DevelopmentCa second;

    @BeforeAll
    static void twoCas(@TempDir Path dir) throws Exception {
        first = DevelopmentCa.openOrCreate(dir.resolve("first"), List.of("localhost"), List.of("127.0.0.1"));
        second = DevelopmentCa.openOrCreate(dir.resolve("second"), List.of("localhost"), List.of("127.0.0.1"));
    }

    @Test
    void changedFilesReachNewHandshakesWhileAnOpenConnectionKeepsWorking(@TempDir Path dir) throws Exception {
        PemFilePair files = write(dir, first.rsaServer());
        try (PemFileSource source = new PemFileSource(files, null, POLL, Clock.systemUTC())) {
            ServerTls tls = ServerTls.create(source.current().rsa(), null, CipherProfile.MODERN,
                    Duration.ofSeconds(10), "pem-test");
            source.addListener("pem-test", tls);
            source.start();
            try (EchoServer server = new EchoServer(tls::newHandler);
                 SSLSocket before = connect(first.caCertificateFile(), server.port())) {
                assertThat(exchange(before, "one")).isEqualTo("echo: one");

                replace(files, second.rsaServer());

                await().atMost(Duration.ofSeconds(10))
                        .until(() -> source.current().rsa().leaf().equals(second.rsaServer().leaf()));
                try (SSLSocket after = connect(second.caCertificateFile(), server.port())) {
                    assertThat(after.getSession().getPeerCertificates()[0]).isEqualTo(second.rsaServer().leaf());
                }
                assertThat(exchange(before, "two")).isEqualTo("echo: two");
                assertThat(before.getSession().getPeerCertificates()[0]).isEqualTo(first.rsaServer().leaf());
            }
        }
    }

    @Test
    void aKeyThatDoesNotMatchIsRefusedWithALogLineAndTheOldCertificateStays(@TempDir Path dir) throws Exception {
        PemFilePair files = write(dir, first.rsaServer());
        try (LogCapture log = new LogCapture(PemFileSource.class);
             PemFileSource source = new PemFileSource(files, null, POLL, Clock.systemUTC())) {
            ServerTls tls = ServerTls.create(source.current().rsa(), null, CipherProfile.MODERN,
                    Duration.ofSeconds(10), "pem-refusal");
            source.addListener("pem-refusal", tls);
            source.start();

            PemFiles.writeCertificates(files.chain(), second.rsaServer().chain());   // the key stays the first's

            await().atMost(Duration.ofSeconds(10)).until(() -> !log.messages("WARN").isEmpty());
            assertThat(log.messages("WARN").getFirst()).contains("refused", "does not belong to the certificate");
            assertThat(tls.rsaCertificate().leaf()).isEqualTo(first.rsaServer().leaf());
            try (EchoServer server = new EchoServer(tls::newHandler);
                 SSLSocket after = connect(first.caCertificateFile(), server.port())) {
                assertThat(after.getSession().getPeerCertificates()[0]).isEqualTo(first.rsaServer().leaf());
            }

            PemFiles.writePrivateKey(files.key(), second.rsaServer().key());          // now the pair matches again
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> tls.rsaCertificate().leaf().equals(second.rsaServer().leaf()));
        }
    }

    @Test
    void anEcCertificateWhereRsaIsNeededIsRefusedAtStart(@TempDir Path dir) throws Exception {
        PemFilePair files = write(dir, first.ecServer());

        assertThatThrownBy(() -> new PemFileSource(files, null, POLL, Clock.systemUTC()))
                .isInstanceOf(CertificateFileException.class)
                .hasMessageContaining("holds an EC key where an RSA certificate is expected");
    }

    private static PemFilePair write(Path dir, ServerCertificate certificate) throws Exception {
        PemFilePair files = new PemFilePair(dir.resolve("chain.pem"), dir.resolve("key.pem"));
        PemFiles.writeCertificates(files.chain(), certificate.chain());
        PemFiles.writePrivateKey(files.key(), certificate.key());
        return files;
    }

    /** Both files replaced by renames, key first, as a careful deployment script does. */
    private static void replace(PemFilePair files, ServerCertificate certificate) throws Exception {
        Path dir = files.chain().getParent();
        PemFiles.writePrivateKey(dir.resolve("new-key.pem"), certificate.key());
        PemFiles.writeCertificates(dir.resolve("new-chain.pem"), certificate.chain());
        Files.move(dir.resolve("new-key.pem"), files.key(), StandardCopyOption.REPLACE_EXISTING);
        Files.move(dir.resolve("new-chain.pem"), files.chain(), StandardCopyOption.REPLACE_EXISTING);
    }

    static SSLSocket connect(Path caFile, int port) throws Exception {
        SSLSocket socket = (SSLSocket) ClientTls.jdkContext(caFile).getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(20_000);
        socket.startHandshake();
        return socket;
    }

    static String exchange(SSLSocket socket, String line) throws Exception {
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
