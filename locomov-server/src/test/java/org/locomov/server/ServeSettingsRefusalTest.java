package org.locomov.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Impossible combinations are refused before anything starts, each with a message naming the option. */
class ServeSettingsRefusalTest {

    @TempDir
    Path directory;

    private List<String> refusals(String... args) {
        return CommandLines.refusals(CommandLines.serve(Map.of(), args));
    }

    @Test
    void tlsCertWithoutTlsKeyIsRefused() throws IOException {
        Path chain = Files.writeString(directory.resolve("chain.pem"), "-----BEGIN CERTIFICATE-----\n");

        assertThat(refusals("--tls-cert", chain.toString())).containsExactly("--tls-cert needs --tls-key (its private key)");
    }

    @Test
    void tlsKeyWithoutTlsCertIsRefused() throws IOException {
        Path key = Files.writeString(directory.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\n");

        assertThat(refusals("--tls-key", key.toString())).anyMatch(reason -> reason.startsWith("--tls-key needs --tls-cert"));
    }

    @Test
    void unreadableCertificateFileIsRefusedWithItsPath() {
        Path missing = directory.resolve("missing.pem");

        assertThat(refusals("--tls-cert", missing.toString(), "--tls-key", missing.toString()))
                .anyMatch(reason -> reason.startsWith("--tls-cert: cannot read") && reason.contains("missing.pem"));
    }

    @Test
    void credentialsWithoutAnExternalDatabaseAreRefused() {
        assertThat(refusals("--db-user", "meter", "--db-password", "x"))
                .anyMatch(reason -> reason.startsWith("--db-user is for an external database"))
                .anyMatch(reason -> reason.startsWith("--db-password is for an external database"));
    }

    @Test
    void nonPostgresUrlIsRefusedNamingTheOption() {
        assertThat(refusals("--db-url", "jdbc:mysql://db/x")).anyMatch(reason -> reason.startsWith("--db-url"));
    }

    @Test
    void unknownCipherProfileIsRefusedNamingTheOptionAndTheChoices() {
        assertThat(refusals("--mov-cipher-profile", "legacy"))
                .anyMatch(reason -> reason.startsWith("--mov-cipher-profile") && reason.contains("modern")
                        && reason.contains("cc32xx"));
    }

    @Test
    void outOfRangeNumbersAreRefusedNamingTheirOptions() {
        assertThat(refusals("--mov-port", "70000", "--mov-max-packet-bytes", "10", "--ingest-queue-capacity", "0",
                "--retention-days", "-1", "--db-pool-size", "0", "--idle-timeout", "0s"))
                .anyMatch(reason -> reason.startsWith("--mov-port"))
                .anyMatch(reason -> reason.startsWith("--ingest-queue-capacity"))
                .anyMatch(reason -> reason.startsWith("--retention-days"))
                .anyMatch(reason -> reason.startsWith("--db-pool-size"))
                .anyMatch(reason -> reason.startsWith("--idle-timeout"));
    }

    @Test
    void twoListenersOnOnePortAreRefusedNamingBothOptions() {
        assertThat(refusals("--confo-port", "38981"))
                .contains("--mov-port and --confo-port must differ, both are TCP 38981");
        assertThat(refusals("--api-port", "38979"))
                .contains("--confo-port and --api-port must differ, both are TCP 38979");
        assertThat(refusals("--mov-port", "0", "--confo-port", "0")).isEmpty();
    }

    @Test
    void particleOptionsAreCheckedNamingThemAndItsPortCollidesLikeAnyOther() {
        assertThat(refusals("--particle-max-handshakes", "0", "--particle-command-timeout", "soon"))
                .anyMatch(reason -> reason.startsWith("--particle-max-handshakes"))
                .anyMatch(reason -> reason.startsWith("--particle-command-timeout"));
        assertThat(refusals("--particle-max-message-bytes", "100"))
                .anyMatch(reason -> reason.startsWith("--particle-max-message-bytes"));
        assertThat(refusals("--particle-port", "38981"))
                .anyMatch(reason -> reason.contains("--particle-port") && reason.contains("38981"));
        assertThat(refusals("--particle-port", "-1")).isEmpty();
    }

    @Test
    void refusedServeExitsWithUsageStatusAndPrintsEveryReason() {
        CommandLines.Outcome outcome = CommandLines.execute(Map.of(), "serve", "--data-dir", directory.toString(),
                "--tls-key", directory.resolve("k.pem").toString(), "--db-user", "meter");

        assertThat(outcome.status()).isEqualTo(Main.USAGE_ERROR);
        assertThat(outcome.err()).contains("locomov serve: --tls-key needs --tls-cert")
                .contains("locomov serve: --db-user is for an external database");
        assertThat(directory.resolve("postgres")).doesNotExist();
    }
}
