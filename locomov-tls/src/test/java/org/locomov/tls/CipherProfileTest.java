package org.locomov.tls;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CipherProfileTest {

    @Test
    void parseAcceptsTheConfigNames() {
        assertThat(CipherProfile.parse("modern")).isEqualTo(CipherProfile.MODERN);
        assertThat(CipherProfile.parse(" CC32xx ")).isEqualTo(CipherProfile.CC32XX);
    }

    @Test
    void parseRefusesAnUnknownNameListingTheValidOnes() {
        assertThatThrownBy(() -> CipherProfile.parse("legacy"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'legacy'").hasMessageContaining("modern, cc32xx");
    }

    @Test
    void modernOffersOnlyTls13AndEcdheWithAead() {
        assertThat(CipherProfile.MODERN.protocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(CipherProfile.MODERN.cipherSuites()).allSatisfy(suite -> assertThat(
                suite.matches("TLS_(AES_\\d+_GCM|CHACHA20_POLY1305)_SHA\\d+")
                        || suite.matches("TLS_ECDHE_(RSA|ECDSA)_WITH_(AES_\\d+_GCM_SHA\\d+|CHACHA20_POLY1305_SHA256)"))
                .as(suite).isTrue());
        assertThat(CipherProfile.MODERN.legacySuites()).isEmpty();
        assertThat(CipherProfile.MODERN.needsRsaKeyExchange()).isFalse();
    }

    @Test
    void cc32xxAddsTheRsaKeyExchangeAndEcdheRsaCbcSuites() {
        assertThat(CipherProfile.CC32XX.cipherSuites()).containsAll(CipherProfile.MODERN.cipherSuites());
        assertThat(CipherProfile.CC32XX.legacySuites()).containsExactlyInAnyOrder(
                "TLS_RSA_WITH_AES_256_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA",
                "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA");
        assertThat(CipherProfile.CC32XX.needsRsaKeyExchange()).isTrue();
        assertThat(CipherProfile.CC32XX.whyLegacy()).contains("CC3220S");
    }

    @Test
    void suitesPerKeyTypeKeepTls13ForBothAndSplitTls12ByCertificate() {
        assertThat(CipherProfile.CC32XX.cipherSuites(KeyType.EC))
                .contains("TLS_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")
                .noneMatch(suite -> suite.contains("_RSA_"));
        assertThat(CipherProfile.CC32XX.cipherSuites(KeyType.RSA))
                .contains("TLS_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_256_CBC_SHA")
                .noneMatch(suite -> suite.contains("ECDSA"));
    }
}
