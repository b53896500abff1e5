package org.locomov.credentials.acme;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * How long to wait before the next attempt after failed orders: the first delay, doubled per failure in a
 * row up to the maximum, each drawn from 75 % to 125 % of that (jitter, so that many nodes or many servers
 * behind one CA do not retry in step), and never earlier than the CA's {@code Retry-After}.
 *
 * <p>Thread-safe when the random generator is (the JDK's default generators used here are per instance and
 * used by one thread).
 */
final class RetryBackoff {

    private final Duration first;
    private final Duration max;
    private final RandomGenerator random;

    RetryBackoff(Duration first, Duration max, RandomGenerator random) {
        this.first = first;
        this.max = max;
        this.random = random;
    }

    /** When to try again after the {@code failuresInRow}-th failure in a row (1 = the first). */
    Instant nextAttempt(int failuresInRow, Optional<Instant> retryAfter, Instant now) {
        long baseMillis = first.toMillis();
        for (int doubling = 1; doubling < failuresInRow && baseMillis < max.toMillis(); doubling++) {
            baseMillis *= 2;
        }
        baseMillis = Math.min(baseMillis, max.toMillis());
        long jittered = (long) (baseMillis * (0.75 + 0.5 * random.nextDouble()));
        Instant byBackoff = now.plusMillis(Math.min(jittered, max.toMillis()));
        return retryAfter.filter(byBackoff::isBefore).orElse(byBackoff);
    }
}
