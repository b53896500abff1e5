package org.locomov.tls;

import io.netty.handler.ssl.SslProvider;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --tls-provider jdk}: SunJSSE, with the RSA key exchange the cc32xx profile needs allowed again. */
class JdkLibraryTest {

    @Test
    void servesTheCc3220sHandshakeWithTheJdk() throws Exception {
        TlsLibrary library = TlsLibrary.select(TlsProvider.JDK);
        JdkLegacySuites.allowRsaKeyExchange("JdkLibraryTest");

        assertThat(library.serving()).isEqualTo(TlsProvider.JDK);
        assertThat(library.nettyProvider()).isEqualTo(SslProvider.JDK);
        assertThat(library.describe()).contains("SunJSSE");
        Cc3220sHandshakes.assertServes(SslProvider.JDK);
    }
}
