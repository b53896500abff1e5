package org.locomov.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.locomov.api.ApiBootstrap.FirstAdmin;
import org.locomov.core.listener.Listener.Endpoint;
import org.junit.jupiter.api.Test;

class BannerTest {

    private static Banner banner(Path caFile, String databaseUrl) {
        return new Banner("1.2.3", List.of(new Banner.Listener("mov", new Endpoint("tcp", "0.0.0.0", 0, "cc32xx", true), 40123)), caFile,
                "development CA", "external PostgreSQL at " + Banner.withoutPassword(databaseUrl),
                Path.of("/srv/locomov"), Path.of("/srv/locomov/logs/locomov.log"), Optional.empty());
    }

    @Test
    void showsEachListenerWithItsRealPortAndProfileAndTheCaDevicesMustTrust() {
        String text = banner(Path.of("/srv/locomov/tls/ca.pem"), "jdbc:postgresql://db/x").render();

        assertThat(text).startsWith("locomov 1.2.3 ready")
                .containsPattern("listener mov\\s+0\\.0\\.0\\.0:40123\\s+cipher profile cc32xx")
                .containsPattern("devices trust\\s+/srv/locomov/tls/ca\\.pem")
                .containsPattern("data dir\\s+/srv/locomov\n");
    }

    @Test
    void showsTheFirstAdminsTokenWhenOneWasCreated() {
        Banner withAdmin = new Banner("1.2.3", List.of(), null, "development CA", "embedded PostgreSQL",
                Path.of("/srv/locomov"), Path.of("/srv/locomov/logs/locomov.log"),
                Optional.of(new FirstAdmin("admin@localhost", 1, "lm_secret")));

        assertThat(withAdmin.render()).containsPattern("first admin\\s+admin@localhost")
                .containsPattern("admin token\\s+lm_secret");
        assertThat(banner(null, "jdbc:postgresql://db/x").render()).doesNotContain("admin token");
    }

    @Test
    void neverShowsTheDatabasePassword() {
        String text = banner(null, "jdbc:postgresql://db/x?user=u&password=s3cret&ssl=true").render();

        assertThat(text).doesNotContain("s3cret").contains("password=***&ssl=true");
    }

    @Test
    void withTheOperatorsCertificateDevicesTrustItsRoot() {
        String text = banner(null, "jdbc:postgresql://db/x").render();

        assertThat(text).containsPattern("devices trust\\s+the root CA of development CA");
    }
}
