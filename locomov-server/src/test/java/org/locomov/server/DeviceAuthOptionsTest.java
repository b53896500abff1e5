package org.locomov.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --mov-client-auth} and {@code --device-ca-trust}: their default, and what is refused before anything starts. */
class DeviceAuthOptionsTest {

    @TempDir
    Path directory;

    private List<String> refusals(String... args) {
        return CommandLines.refusals(CommandLines.serve(Map.of(), args));
    }

    @Test
    void clientCertificatesAreNotAskedForByDefault() {
        ServerSettings settings = CommandLines.validSettings(CommandLines.serve(Map.of(), "--data-dir", directory.toString()));

        assertThat(settings.listener("mov").settings()).isInstanceOf(org.locomov.mov.MovSettings.class);
        assertThat(settings.listener("mov").toString()).contains("clientAuth=none");
        assertThat(settings.deviceAuth().tlsDirectory()).isEqualTo(directory.resolve("tls"));
        assertThat(settings.deviceAuth().masterKeyFile()).isEqualTo(directory.resolve("tls/master.key"));
    }

    @Test
    void unknownModeIsRefusedNamingTheOptionAndTheChoices() {
        assertThat(refusals("--mov-client-auth", "always"))
                .anyMatch(reason -> reason.startsWith("--mov-client-auth") && reason.contains("none, optional, require"));
    }

    @Test
    void unreadableOperatorCaIsRefusedWithItsPath() {
        assertThat(refusals("--mov-client-auth", "optional", "--device-ca-trust", directory.resolve("nope.pem").toString()))
                .anyMatch(reason -> reason.startsWith("--device-ca-trust: cannot read") && reason.contains("nope.pem"));
    }
}
