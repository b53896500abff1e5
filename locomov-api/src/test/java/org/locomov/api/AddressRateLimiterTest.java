package org.locomov.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.locomov.api.AddressRateLimiter.Allowed;
import org.locomov.api.AddressRateLimiter.Limited;

/** The per-address token bucket, on a clock the test moves. */
class AddressRateLimiterTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final AddressRateLimiter limiter = new AddressRateLimiter(6, nanos::get);

    private void advance(Duration by) {
        nanos.addAndGet(by.toNanos());
    }

    @Test
    void aMinutesAllowanceMayBeSpentAtOnceThenTheNextWaitsForItsShare() {
        for (int i = 0; i < 6; i++) {
            assertThat(limiter.take("10.0.0.1")).isInstanceOf(Allowed.class);
        }

        assertThat(limiter.take("10.0.0.1")).isEqualTo(new Limited(Duration.ofSeconds(10)));
        advance(Duration.ofSeconds(4));
        assertThat(limiter.take("10.0.0.1")).isEqualTo(new Limited(Duration.ofSeconds(6)));
        advance(Duration.ofSeconds(6));
        assertThat(limiter.take("10.0.0.1")).isInstanceOf(Allowed.class);
        assertThat(limiter.take("10.0.0.1")).isInstanceOf(Limited.class);
    }

    @Test
    void eachAddressHasItsOwnAllowance() {
        for (int i = 0; i < 6; i++) {
            limiter.take("10.0.0.1");
        }

        assertThat(limiter.take("10.0.0.1")).isInstanceOf(Limited.class);
        assertThat(limiter.take("10.0.0.2")).isInstanceOf(Allowed.class);
    }

    @Test
    void refusedRequestsDoNotPushTheWaitFurther() {
        for (int i = 0; i < 6; i++) {
            limiter.take("10.0.0.1");
        }
        for (int i = 0; i < 100; i++) {
            limiter.take("10.0.0.1");
        }

        advance(Duration.ofSeconds(10));
        assertThat(limiter.take("10.0.0.1")).isInstanceOf(Allowed.class);
    }

    @Test
    void aQuietMinuteRefillsTheWholeAllowance() {
        for (int i = 0; i < 6; i++) {
            limiter.take("10.0.0.1");
        }

        advance(Duration.ofMinutes(5));
        for (int i = 0; i < 6; i++) {
            assertThat(limiter.take("10.0.0.1")).isInstanceOf(Allowed.class);
        }
        assertThat(limiter.take("10.0.0.1")).isInstanceOf(Limited.class);
    }

    @Test
    void whenTheTableIsFullQuietAddressesAreForgottenAndBusyOnesKeptSoNewcomersWaitUntilOneIsQuiet() {
        for (int i = 0; i < AddressRateLimiter.MAX_TRACKED_ADDRESSES; i++) {
            limiter.take("10.1." + (i / 256) + "." + (i % 256));
        }

        assertThat(limiter.take("192.168.0.1")).isInstanceOf(Limited.class);
        advance(Duration.ofSeconds(11));
        assertThat(limiter.take("192.168.0.1")).isInstanceOf(Allowed.class);
    }
}
