package org.locomov.credentials.acme;

import org.shredzone.acme4j.PollableResource;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.exception.AcmeException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Waits for an ACME resource (challenge, order) to reach one of some states: fetches it, and between fetches
 * waits as long as the CA's {@code Retry-After} says or, when it says nothing, a short interval that doubles
 * up to {@link #MAX_INTERVAL}. acme4j's own {@code waitForStatus} waits 3 s when the CA is silent, which
 * makes every order against a fast CA take seconds longer than it needs.
 *
 * <p>Stateless; blocks the calling thread.
 */
final class StatusPolling {

    static final Duration FIRST_INTERVAL = Duration.ofMillis(100);
    static final Duration MAX_INTERVAL = Duration.ofSeconds(3);

    private StatusPolling() {
    }

    /**
     * @return the state reached, one of {@code wanted}
     * @throws AcmeOrderException when {@code timeout} passes first
     */
    static Status until(PollableResource resource, Set<Status> wanted, Duration timeout, String what)
            throws AcmeException, AcmeOrderException, InterruptedException {
        Clock clock = Clock.systemUTC();
        Instant deadline = clock.instant().plus(timeout);
        Duration interval = FIRST_INTERVAL;
        while (true) {
            Optional<Instant> retryAfter = resource.fetch();
            Status status = resource.getStatus();
            if (wanted.contains(status)) {
                return status;
            }
            Instant now = clock.instant();
            Duration wait = retryAfter.map(at -> Duration.between(now, at)).filter(d -> !d.isNegative()).orElse(interval);
            if (now.plus(wait).isAfter(deadline)) {
                throw new AcmeOrderException(what + " still " + status + " after " + timeout.toSeconds()
                        + " s (the order timeout)");
            }
            Thread.sleep(wait.toMillis());
            interval = interval.multipliedBy(2).compareTo(MAX_INTERVAL) > 0 ? MAX_INTERVAL : interval.multipliedBy(2);
        }
    }
}
