package org.locomov.tls;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DeviceTrustCheckTest {

    private static DevelopmentCa ca;
    private static DevelopmentCa otherCa;

    @BeforeAll
    static void cas(@TempDir Path dir) throws Exception {
        ca = DevelopmentCa.openOrCreate(dir.resolve("a"), List.of("localhost"), List.of());
        otherCa = DevelopmentCa.openOrCreate(dir.resolve("b"), List.of("localhost"), List.of());
    }

    @Test
    void aChainEndingAtTheDevicesRootIsAccepted() {
        DeviceTrustCheck.Verdict withRoot = DeviceTrustCheck.check(new ServedChain(ca.rsaServer().chain()),
                ca.caCertificate(), DeviceTrustCheck.DEFAULT_MAX_CHAIN_BYTES, Instant.now());
        DeviceTrustCheck.Verdict leafOnly = DeviceTrustCheck.check(new ServedChain(List.of(ca.rsaServer().leaf())),
                ca.caCertificate(), DeviceTrustCheck.DEFAULT_MAX_CHAIN_BYTES, Instant.now());

        assertThat(withRoot.accepted()).isTrue();
        assertThat(withRoot.problems()).isEmpty();
        assertThat(withRoot.warnings()).isEmpty();
        assertThat(leafOnly.accepted()).isTrue();
    }

    @Test
    void aChainEndingAtAnotherRootIsRefusedNamingBoth() {
        DeviceTrustCheck.Verdict verdict = DeviceTrustCheck.check(new ServedChain(ca.rsaServer().chain()),
                otherCa.caCertificate(), DeviceTrustCheck.DEFAULT_MAX_CHAIN_BYTES, Instant.now());

        assertThat(verdict.accepted()).isFalse();
        assertThat(verdict.problems()).singleElement().asString()
                .contains("not at the device's root", "another root of that name");
    }

    @Test
    void aChainLargerThanTheLimitIsAWarningNotARefusal() {
        ServedChain chain = new ServedChain(ca.rsaServer().chain());

        DeviceTrustCheck.Verdict verdict = DeviceTrustCheck.check(chain, ca.caCertificate(), 500, Instant.now());

        assertThat(verdict.accepted()).isTrue();
        assertThat(verdict.warnings()).singleElement().asString()
                .contains(chain.bytesOnTheWire() + " bytes", "--max-chain-bytes 500");
    }

    @Test
    void anExpiredChainIsRefused() {
        DeviceTrustCheck.Verdict verdict = DeviceTrustCheck.check(new ServedChain(ca.rsaServer().chain()),
                ca.caCertificate(), DeviceTrustCheck.DEFAULT_MAX_CHAIN_BYTES, ca.rsaServer().notAfter().plusSeconds(1));

        assertThat(verdict.accepted()).isFalse();
        assertThat(verdict.problems()).anySatisfy(problem -> assertThat(problem).contains("expired"));
    }

    @Test
    void bytesOnTheWireCountTheTlsFraming() throws Exception {
        ServedChain chain = new ServedChain(ca.rsaServer().chain());
        int der = ca.rsaServer().leaf().getEncoded().length + ca.caCertificate().getEncoded().length;

        assertThat(chain.bytesOnTheWire()).isEqualTo(7 + 2 * 3 + der);
        assertThat(chain.render("  ")).contains("[0] CN=localhost", "DNS:localhost", "depth 2");
    }
}
