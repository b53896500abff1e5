package org.locomov.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locomov.tls.ClientAuthMode;

/** {@code --mov-client-auth} and {@code --device-ca-trust}: their default, and what is refused before anything starts. */
class DeviceAuthOptionsTest {

    @TempDir
    Path directory;

    private List<String> refusals(String... args) {
        return CommandLines.refusals(CommandLines.serve(Map.of(), args));
    }

    @Test
    void clientCertificatesAreNotAskedForByDefault() {
        DeviceAuthOptions options = new DeviceAuthOptions();
        options.movClientAuth = DeviceAuthOptions.DEFAULT_MOV_CLIENT_AUTH;

        DeviceAuthSettings settings = options.settings(new SettingsProblems(), directory);

        assertThat(settings.movClientAuth()).isEqualTo(ClientAuthMode.NONE);
        assertThat(settings.tlsDirectory()).isEqualTo(directory.resolve("tls"));
    }

    @Test
    void unknownModeIsRefusedNamingTheOptionAndTheChoices() {
        assertThat(refusals("--mov-client-auth", "always"))
                .anyMatch(reason -> reason.startsWith("--mov-client-auth") && reason.contains("none, optional, require"));
    }

    @Test
    void operatorCaWithoutClientCertificatesIsRefused() throws Exception {
        Path ca = java.nio.file.Files.writeString(directory.resolve("operator.pem"), "-----BEGIN CERTIFICATE-----\n");

        assertThat(refusals("--device-ca-trust", ca.toString()))
                .anyMatch(reason -> reason.startsWith("--device-ca-trust needs --mov-client-auth optional or require"));
    }

    @Test
    void unreadableOperatorCaIsRefusedWithItsPath() {
        assertThat(refusals("--mov-client-auth", "optional", "--device-ca-trust", directory.resolve("nope.pem").toString()))
                .anyMatch(reason -> reason.startsWith("--device-ca-trust: cannot read") && reason.contains("nope.pem"));
    }
}
