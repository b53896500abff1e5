package org.locomov.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locomov.tls.ClientTls;
import org.locomov.tls.DevelopmentCa;
import org.locomov.tls.testing.TestCertificates;

/** The API's TLS: RSA or EC certificate per client, modern suites only, certificates replaced while running. */
class ApiTlsTest {

    private static ApiFixture api;

    @BeforeAll
    static void start() {
        api = ApiFixture.start();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void clientOfferingOnlyRsaSuitesGetsTheRsaCertificate() throws Exception {
        X509Certificate served = handshake("TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");

        assertThat(served.getPublicKey().getAlgorithm()).isEqualTo("RSA");
        assertThat(served).isEqualTo(TestCertificates.shared().rsaServer().leaf());
    }

    @Test
    void clientOfferingEcdsaSuitesGetsTheEcCertificate() throws Exception {
        X509Certificate served = handshake("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");

        assertThat(served.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(served).isEqualTo(TestCertificates.shared().ecServer().leaf());
    }

    @Test
    void rsaKeyExchangeWithCbcIsRefused() {
        assertThatThrownBy(() -> handshake("TLSv1.2", "TLS_RSA_WITH_AES_256_CBC_SHA")).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void replacedCertificatesAreServedToNewConnectionsWithoutARestart() throws Exception {
        Path otherDir = Files.createTempDirectory("locomov-api-other-ca");
        DevelopmentCa other = DevelopmentCa.openOrCreate(otherDir, List.of("localhost"), List.of("127.0.0.1"));
        DevelopmentCa original = TestCertificates.shared();
        int port = api.server.port();
        try {
            api.server.replaceCertificates(other.rsaServer(), other.ecServer());

            X509Certificate served = handshake("TLSv1.3", "TLS_AES_128_GCM_SHA256", other.caCertificateFile());
            assertThat(api.server.port()).isEqualTo(port);
            assertThat(served.getIssuerX500Principal()).isEqualTo(other.caCertificate().getSubjectX500Principal());
        } finally {
            api.server.replaceCertificates(original.rsaServer(), original.ecServer());
        }
        assertThat(api.get("/api/v1/openapi.json", null).statusCode()).isEqualTo(200);
    }

    private static X509Certificate handshake(String protocol, String suite) throws Exception {
        return handshake(protocol, suite, ApiFixture.caFile());
    }

    private static X509Certificate handshake(String protocol, String suite, Path ca) throws Exception {
        try (SSLSocket socket = (SSLSocket) ClientTls.jdkContext(ca).getSocketFactory().createSocket("127.0.0.1", api.server.port())) {
            socket.setSoTimeout(10_000);
            socket.setEnabledProtocols(new String[] {protocol});
            socket.setEnabledCipherSuites(new String[] {suite});
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }
}
