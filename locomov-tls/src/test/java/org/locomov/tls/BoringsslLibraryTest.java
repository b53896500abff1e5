package org.locomov.tls;

import io.netty.handler.ssl.SslProvider;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code --tls-provider boringssl}: netty-tcnative-boringssl-static (its own JVM: the choice is per process). */
class BoringsslLibraryTest {

    @Test
    void servesTheCc3220sHandshakeWithBoringssl() throws Exception {
        TlsLibrary library = TlsLibrary.select(TlsProvider.BORINGSSL);

        assertThat(library.serving()).isEqualTo(TlsProvider.BORINGSSL);
        assertThat(library.nettyProvider()).isEqualTo(SslProvider.OPENSSL);
        assertThat(library.describe()).contains("BoringSSL");
        Cc3220sHandshakes.assertServes(SslProvider.OPENSSL);
    }

    @Test
    void askingForTheSystemsOpensslOnceBoringsslIsLoadedIsAClearStartError() {
        TlsLibrary.select(TlsProvider.BORINGSSL);

        assertThatThrownBy(() -> TlsLibrary.select(TlsProvider.OPENSSL))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("openssl asked for").hasMessageContaining("BoringSSL")
                .hasMessageContaining("whole process");
        assertThat(TlsLibrary.select(TlsProvider.AUTO).serving()).isEqualTo(TlsProvider.BORINGSSL);
        assertThat(TlsLibrary.current().serving()).isEqualTo(TlsProvider.BORINGSSL);
    }
}
