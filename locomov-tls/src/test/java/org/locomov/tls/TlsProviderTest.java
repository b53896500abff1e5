package org.locomov.tls;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TlsProviderTest {

    @Test
    void parseAcceptsTheOptionNamesInAnyCase() {
        assertThat(TlsProvider.parse("auto")).isEqualTo(TlsProvider.AUTO);
        assertThat(TlsProvider.parse(" OpenSSL ")).isEqualTo(TlsProvider.OPENSSL);
        assertThat(TlsProvider.parse("boringssl")).isEqualTo(TlsProvider.BORINGSSL);
        assertThat(TlsProvider.parse("jdk")).isEqualTo(TlsProvider.JDK);
        assertThat(TlsProvider.OPENSSL.optionName()).isEqualTo("openssl");
    }

    @Test
    void parseRefusesAnUnknownNameListingTheValidOnes() {
        assertThatThrownBy(() -> TlsProvider.parse("libressl"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'libressl'").hasMessageContaining("auto, openssl, boringssl, jdk");
    }
}
