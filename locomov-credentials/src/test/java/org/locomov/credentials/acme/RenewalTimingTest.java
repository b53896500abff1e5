package org.locomov.credentials.acme;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.locomov.tls.testing.TestCertificates;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.random.RandomGenerator;

import static org.assertj.core.api.Assertions.assertThat;

/** When renewals are planned and failed orders retried. */
class RenewalTimingTest {

    private final RandomGenerator random = RandomGenerator.getDefault();

    @RepeatedTest(20)
    void withoutRenewalInformationRenewalFallsJustBeforeTwoThirdsOfTheLifetime() {
        X509Certificate leaf = TestCertificates.shared().rsaServer().leaf();   // 397 days
        Instant notBefore = leaf.getNotBefore().toInstant();
        Duration lifetime = Duration.between(notBefore, leaf.getNotAfter().toInstant());

        Instant renewAt = new RenewalPlanner(random).byLifetime(leaf);

        Instant twoThirds = notBefore.plus(lifetime.multipliedBy(2).dividedBy(3));
        assertThat(renewAt).isBetween(twoThirds.minus(lifetime.dividedBy(20)), twoThirds);
    }

    @RepeatedTest(20)
    void withRenewalInformationRenewalFallsInTheCasWindowAndNotInThePast() {
        Instant now = Instant.parse("2026-06-01T00:00:00Z");
        RenewalPlanner planner = new RenewalPlanner(random);

        Instant inWindow = planner.inWindow(now.plus(Duration.ofDays(2)), now.plus(Duration.ofDays(3)), now);
        Instant started = planner.inWindow(now.minus(Duration.ofDays(1)), now.plus(Duration.ofHours(1)), now);

        assertThat(inWindow).isBetween(now.plus(Duration.ofDays(2)), now.plus(Duration.ofDays(3)));
        assertThat(started).isBetween(now, now.plus(Duration.ofHours(1)));
        assertThat(planner.inWindow(now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(1)), now)).isEqualTo(now);
    }

    @RepeatedTest(20)
    void retriesDoubleWithJitterUpToTheMaximum() {
        Instant now = Instant.parse("2026-06-01T00:00:00Z");
        RetryBackoff backoff = new RetryBackoff(Duration.ofMinutes(1), Duration.ofHours(1), random);

        assertThat(backoff.nextAttempt(1, Optional.empty(), now)).isBetween(now.plusSeconds(45), now.plusSeconds(75));
        assertThat(backoff.nextAttempt(3, Optional.empty(), now)).isBetween(now.plusSeconds(180), now.plusSeconds(300));
        assertThat(backoff.nextAttempt(40, Optional.empty(), now)).isBetween(now.plusSeconds(2700), now.plusSeconds(3600));
    }

    @Test
    void theCasRetryAfterIsHonouredWhenItIsLater() {
        Instant now = Instant.parse("2026-06-01T00:00:00Z");
        RetryBackoff backoff = new RetryBackoff(Duration.ofMinutes(1), Duration.ofHours(1), random);

        assertThat(backoff.nextAttempt(1, Optional.of(now.plus(Duration.ofHours(3))), now))
                .isEqualTo(now.plus(Duration.ofHours(3)));
        assertThat(backoff.nextAttempt(1, Optional.of(now.plusSeconds(1)), now)).isAfter(now.plusSeconds(44));
    }
}
