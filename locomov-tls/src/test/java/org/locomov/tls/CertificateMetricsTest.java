package org.locomov.tls;

import org.locomov.tls.testing.LogCapture;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

class CertificateMetricsTest {

    @Test
    void daysLeftArePublishedPerListenerAndKeyTypeAndFewerThanFourteenAreWarnedAbout(@TempDir Path dir) throws Exception {
        // Issued 390 days ago with the 397-day lifetime: 7 days left.
        Instant issued = Instant.now().minus(Duration.ofDays(390));
        DevelopmentCa ca = DevelopmentCa.openOrCreate(dir, List.of("localhost"), List.of(),
                Clock.fixed(issued, ZoneOffset.UTC));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();

        try (LogCapture log = new LogCapture(CertificateMetrics.class);
             CertificateMetrics metrics = new CertificateMetrics(registry, Clock.systemUTC())) {
            metrics.watch("mov", () -> new CertificatePair(ca.rsaServer(), null));

            assertThat(registry.get(CertificateMetrics.DAYS_LEFT).tags("listener", "mov", "keytype", "rsa").gauge().value())
                    .isCloseTo(7.0, within(0.1));
            assertThat(registry.get(CertificateMetrics.DAYS_LEFT).tags("listener", "mov", "keytype", "ec").gauge().value())
                    .isNaN();
            await().until(() -> !log.messages("WARN").isEmpty());
            assertThat(log.messages("WARN").getFirst()).contains("mov", "RSA certificate expires in 7.0 days");
            assertThat(registry.get(CertificateMetrics.RENEWAL_FAILURES).counter().count()).isZero();
        }
    }
}
