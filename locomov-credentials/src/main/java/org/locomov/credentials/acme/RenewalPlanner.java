package org.locomov.credentials.acme;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * When a certificate should be renewed: at a random moment of the CA's suggested window when the CA offers
 * ACME Renewal Information (RFC 9773), otherwise at two thirds of its lifetime, brought forward by a random
 * part of up to a twentieth of the lifetime (jitter, so that nodes and servers do not all renew at once).
 * Either way well before expiry, leaving a third of the lifetime for retries.
 *
 * <p>Used by one thread (the ACME source's).
 */
final class RenewalPlanner {

    private final RandomGenerator random;

    RenewalPlanner(RandomGenerator random) {
        this.random = random;
    }

    /** Two thirds of the lifetime, jittered earlier. */
    Instant byLifetime(X509Certificate leaf) {
        Instant notBefore = leaf.getNotBefore().toInstant();
        Duration lifetime = Duration.between(notBefore, leaf.getNotAfter().toInstant());
        long jitterMillis = lifetime.toMillis() / 20;
        long earlier = jitterMillis <= 0 ? 0 : random.nextLong(jitterMillis);
        return notBefore.plus(lifetime.multipliedBy(2).dividedBy(3)).minusMillis(earlier);
    }

    /** A random moment in the CA's window, not before {@code now}; {@code now} when the window has passed. */
    Instant inWindow(Instant windowStart, Instant windowEnd, Instant now) {
        Instant start = windowStart.isBefore(now) ? now : windowStart;
        if (!windowEnd.isAfter(start)) {
            return now;
        }
        return start.plusMillis(random.nextLong(Duration.between(start, windowEnd).toMillis() + 1));
    }
}
