package org.locomov.tls;

import io.netty.handler.ssl.SslProvider;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code --tls-provider openssl}: the system's OpenSSL through netty-tcnative's dynamic build (its own JVM: the choice
 * holds per process). Where that build loads (OpenSSL 3.2+, libapr1) it must serve the CC3220S handshake; where it
 * does not (Debian 12's OpenSSL 3.0), asking for it explicitly must be a clear start error, and {@code auto} must
 * still serve, with BoringSSL.
 */
class SystemOpensslLibraryTest {

    @Test
    void explicitOpensslServesTheCc3220sHandshakeOrRefusesToStartSayingWhatItNeeds() throws Exception {
        TlsLibrary library;
        try {
            library = TlsLibrary.select(TlsProvider.OPENSSL);
        } catch (IllegalStateException refused) {
            assertThat(refused).hasMessageStartingWith("TLS provider openssl: ")
                    .hasMessageContaining("OpenSSL 3.2 or newer").hasMessageContaining("libapr1")
                    .hasMessageContaining("--tls-provider boringssl");
            TlsLibrary fallback = TlsLibrary.select(TlsProvider.AUTO);
            assertThat(fallback.serving()).isEqualTo(TlsProvider.BORINGSSL);
            Cc3220sHandshakes.assertServes(fallback.nettyProvider());
            return;
        }
        assertThat(library.serving()).isEqualTo(TlsProvider.OPENSSL);
        assertThat(library.nettyProvider()).isEqualTo(SslProvider.OPENSSL);
        assertThat(library.describe()).startsWith("system OpenSSL (OpenSSL 3.");
        assertThat(TlsLibrary.select(TlsProvider.AUTO)).isSameAs(library);
        Cc3220sHandshakes.assertServes(SslProvider.OPENSSL);
        assertThatThrownBy(() -> TlsLibrary.select(TlsProvider.BORINGSSL))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("whole process");
    }
}
