package org.locomov.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locomov.tls.DevelopmentCa;

/** {@code cert status} and {@code cert check} on the development CA's real files. */
class CertCommandTest {

    @TempDir
    Path dataDir;

    @Test
    void checkAcceptsTheServedChainsForTheRootTheyEndAt() {
        CommandLines.Outcome status = CommandLines.execute(Map.of(), "cert", "status", "--data-dir", dataDir.toString());
        Path root = dataDir.resolve("tls/ca.pem");

        CommandLines.Outcome check = CommandLines.execute(Map.of(), "cert", "check", "--data-dir", dataDir.toString(),
                "--ca", root.toString());

        assertThat(status.status()).as(status.err()).isZero();
        assertThat(check.status()).as(check.err()).isZero();
        assertThat(check.out()).contains("RSA chain (depth 2", "EC chain (depth 2")
                .contains("ACCEPTED by a device holding only this root").doesNotContain("REFUSED", "warning");
    }

    @Test
    void checkRefusesWhenTheDeviceHoldsAnotherRoot(@TempDir Path other) throws Exception {
        DevelopmentCa otherCa = DevelopmentCa.openOrCreate(other, List.of("localhost"), List.of());

        CommandLines.Outcome check = CommandLines.execute(Map.of(), "cert", "check", "--data-dir", dataDir.toString(),
                "--ca", otherCa.caCertificateFile().toString());

        assertThat(check.status()).isEqualTo(CertCommand.FAILED);
        assertThat(check.out()).contains("RSA chain", "REFUSED", "not at the device's root");
    }

    @Test
    void checkWarnsAboutAChainLargerThanTheDevicesBuffer() {
        CommandLines.execute(Map.of(), "cert", "status", "--data-dir", dataDir.toString());

        CommandLines.Outcome check = CommandLines.execute(Map.of(), "cert", "check", "--data-dir", dataDir.toString(),
                "--ca", dataDir.resolve("tls/ca.pem").toString(), "--max-chain-bytes", "600");

        assertThat(check.status()).isZero();
        assertThat(check.out()).contains("ACCEPTED", "warning: the chain takes", "more than --max-chain-bytes 600");
    }

    @Test
    void statusPrintsPerListenerAndKeyTypeTheChainAndItsRenewal() {
        CommandLines.Outcome status = CommandLines.execute(Map.of(), "cert", "status", "--data-dir", dataDir.toString());

        assertThat(status.status()).as(status.err()).isZero();
        assertThat(status.out()).contains("certificates: development CA", "listener mov", "listener confo", "listener api",
                "RSA chain (RSA-only clients", "EC chain", "[0] CN=localhost", "[1] CN=locomov development CA",
                "names:     DNS:localhost", "bytes on the wire", "renewal: re-issued by the development CA");
    }

    @Test
    void aDomainWithoutAnAcmeDirectoryIsRefused() {
        CommandLines.Outcome status = CommandLines.execute(Map.of(), "cert", "status", "--data-dir", dataDir.toString(),
                "--domain", "meters.example.org");

        assertThat(status.status()).isEqualTo(Main.USAGE_ERROR);
        assertThat(status.err()).contains("--domain names ACME certificates; give --acme-directory too");
    }
}
