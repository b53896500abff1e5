package org.locomov.transport;

import org.locomov.tls.testing.EchoServer;
import org.locomov.tls.testing.OpensslClient;
import org.locomov.tls.CipherProfile;
import org.locomov.tls.DevelopmentCa;
import org.locomov.tls.JdkLegacySuites;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.handler.ssl.SslProvider;
import org.junit.jupiter.api.Test;
import org.locomov.tls.testing.TestCertificates;
import org.slf4j.LoggerFactory;

import java.security.Security;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cc32xx profile on the JDK provider, on a JDK (24+) that disables TLS_RSA_* by default. Surefire runs
 * each test class in a fresh JVM, so nothing has loaded the JDK's TLS settings before this test.
 */
class JdkProviderCc32xxTest {

    @Test
    void cc32xxServesTlsRsaWithTheJdkProviderAndSaysWhy() throws Exception {
        OpensslClient.assumeInstalled();
        DevelopmentCa ca = TestCertificates.shared();
        ListAppender<ILoggingEvent> logs = captureLogs();

        ServerTls tls = ServerTls.create(ca.rsaServer(), ca.ecServer(), CipherProfile.CC32XX,
                Duration.ofSeconds(10), "mov", SslProvider.JDK);

        assertThat(tls.provider()).isEqualTo(SslProvider.JDK);
        assertThat(Security.getProperty(JdkLegacySuites.PROPERTY)).doesNotContain("TLS_RSA_*").contains("3DES_EDE_CBC");
        assertThat(logs.list).anySatisfy(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.WARN);
            assertThat(event.getFormattedMessage()).contains("mov", "TLS_RSA_*", "jdk.tls.disabledAlgorithms", "CC32xx");
        });
        assertThat(logs.list).anySatisfy(event -> assertThat(event.getFormattedMessage())
                .contains("mov", "cc32xx", "TLS_RSA_WITH_AES_256_CBC_SHA", "CC3220S"));
        try (EchoServer server = new EchoServer(tls::newHandler)) {
            OpensslClient.Result device = OpensslClient.sClient(server.port(), ca.caCertificateFile(),
                    "hello\nbye\n", "-tls1_2", "-cipher", "AES256-SHA");
            assertThat(device.output()).contains("Verify return code: 0 (ok)", "Cipher is AES256-SHA", "echo: hello");
            assertThat(device.servedChain()).containsExactly(ca.rsaServer().leaf(), ca.caCertificate());

            OpensslClient.Result modern = OpensslClient.sClient(server.port(), ca.caCertificateFile(),
                    "bye\n", "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256");
            assertThat(modern.output()).contains("Verify return code: 0 (ok)");
            assertThat(modern.servedChain()).first().isEqualTo(ca.ecServer().leaf());
        }
    }

    private static ListAppender<ILoggingEvent> captureLogs() {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        ((Logger) LoggerFactory.getLogger("org.locomov")).addAppender(appender);
        return appender;
    }
}
