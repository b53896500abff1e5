package org.locomov.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.locomov.tls.TlsProvider;

/** {@code serve --tls-provider} (decision 1520): parsed into the settings, from the flag or the environment. */
class TlsProviderOptionTest {

    @Test
    void autoByDefault() {
        assertThat(CommandLines.validSettings(CommandLines.serve(Map.of())).tlsProvider()).isEqualTo(TlsProvider.AUTO);
    }

    @Test
    void eachProviderByNameInAnyCase() {
        assertThat(CommandLines.validSettings(CommandLines.serve(Map.of(), "--tls-provider", "boringssl")).tlsProvider())
                .isEqualTo(TlsProvider.BORINGSSL);
        assertThat(CommandLines.validSettings(CommandLines.serve(Map.of(), "--tls-provider=OpenSSL")).tlsProvider())
                .isEqualTo(TlsProvider.OPENSSL);
        assertThat(CommandLines.validSettings(CommandLines.serve(Map.of("LOCOMOV_TLS_PROVIDER", "jdk"))).tlsProvider())
                .isEqualTo(TlsProvider.JDK);
    }

    @Test
    void anUnknownProviderIsRefusedBeforeAnythingStartsListingTheChoices() {
        CommandLines.Outcome outcome = CommandLines.execute(Map.of(), "serve", "--tls-provider", "libressl");

        assertThat(outcome.status()).isNotZero();
        assertThat(outcome.err()).contains("--tls-provider", "'libressl'", "auto, openssl, boringssl, jdk");
    }
}
