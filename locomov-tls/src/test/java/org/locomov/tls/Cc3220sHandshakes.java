package org.locomov.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import org.locomov.tls.testing.EchoServer;
import org.locomov.tls.testing.OpensslClient;
import org.locomov.tls.testing.TestCertificates;

import java.security.cert.X509Certificate;

import static org.assertj.core.api.Assertions.assertThat;

/** A CC3220S-shaped handshake (TLS 1.2, TLS_RSA_WITH_AES_256_CBC_SHA, RSA-2048) by openssl s_client, for the provider tests. */
final class Cc3220sHandshakes {

    private Cc3220sHandshakes() {
    }

    /** Serves the cc32xx profile's RSA suites through {@code provider} and checks what s_client negotiated. */
    static void assertServes(SslProvider provider) throws Exception {
        OpensslClient.assumeInstalled();
        CipherProfile profile = CipherProfile.CC32XX;
        ServerCertificate certificate = TestCertificates.shared().rsaServer();
        SslContext context = SslContextBuilder
                .forServer(certificate.key(), certificate.chain().toArray(X509Certificate[]::new))
                .sslProvider(provider)
                .protocols(profile.protocols())
                .ciphers(profile.cipherSuites(KeyType.RSA))
                .build();
        try (EchoServer server = new EchoServer(() -> context.newHandler(ByteBufAllocator.DEFAULT))) {
            OpensslClient.Result result = OpensslClient.sClient(server.port(),
                    TestCertificates.shared().caCertificateFile(), "hello\nbye\n", "-tls1_2", "-cipher", "AES256-SHA");

            assertThat(result.output()).contains("Protocol  : TLSv1.2", "Cipher    : AES256-SHA",
                    "Verify return code: 0 (ok)", "echo: hello", "echo: bye");
            assertThat(server.handshakes).allMatch(event -> event.isSuccess());
            assertThat(server.errors).isEmpty();
        }
    }
}
