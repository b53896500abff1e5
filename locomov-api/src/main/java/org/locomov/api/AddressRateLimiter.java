package org.locomov.api;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Limits how often one client address may call an unauthenticated route: a token bucket per address
 * that holds {@code requestsPerMinute} requests and refills at that rate, so a client may spend its
 * minute's allowance in a burst and then gets one request every {@code 60 s / requestsPerMinute}.
 *
 * <p>Memory is bounded: at most {@value #MAX_TRACKED_ADDRESSES} addresses are tracked. When the table is
 * full, addresses whose bucket has refilled (quiet for a minute) are forgotten; if none has, a new address
 * is refused until one does, so a flood from many addresses cannot grow the table.
 *
 * <p>Thread-safe: called from many request threads at once. The table is a {@link ConcurrentHashMap}
 * and each bucket is changed only inside the map's atomic {@code compute} for its address.
 */
final class AddressRateLimiter {

    static final int MAX_TRACKED_ADDRESSES = 10_000;
    private static final long NANOS_PER_MINUTE = Duration.ofMinutes(1).toNanos();

    /** What a request may do. */
    sealed interface Verdict permits Allowed, Limited {
    }

    /** The request may go on. */
    record Allowed() implements Verdict {
    }

    /** The request is refused; the client may try again after {@code retryAfter}. */
    record Limited(Duration retryAfter) implements Verdict {
    }

    private static final Allowed ALLOWED = new Allowed();

    /**
     * One address's allowance, as the time its bucket will be full again: each request moves it on by
     * {@code 60 s / requestsPerMinute}, and a request that would move it more than a minute ahead of now
     * is refused (the "generic cell rate" form of a token bucket: one number, no refill timer).
     */
    private record Bucket(long fullAgainAtNanos) {
    }

    private final int requestsPerMinute;
    private final long nanosPerRequest;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    AddressRateLimiter(int requestsPerMinute) {
        this(requestsPerMinute, System::nanoTime);
    }

    /** @param nanoClock a monotonic clock in nanoseconds (tests give their own) */
    AddressRateLimiter(int requestsPerMinute, LongSupplier nanoClock) {
        if (requestsPerMinute < 1) {
            throw new IllegalArgumentException("requestsPerMinute must be at least 1, was " + requestsPerMinute);
        }
        this.requestsPerMinute = requestsPerMinute;
        this.nanosPerRequest = NANOS_PER_MINUTE / requestsPerMinute;
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    int requestsPerMinute() {
        return requestsPerMinute;
    }

    /** Takes one request from {@code address}'s allowance, or says how long until it has one again. */
    Verdict take(String address) {
        long now = nanoClock.getAsLong();
        if (!buckets.containsKey(address) && buckets.size() >= MAX_TRACKED_ADDRESSES) {
            buckets.values().removeIf(bucket -> bucket.fullAgainAtNanos() - now <= 0);
            if (buckets.size() >= MAX_TRACKED_ADDRESSES) {
                return new Limited(Duration.ofNanos(nanosPerRequest));
            }
        }
        Verdict[] verdict = new Verdict[1];
        buckets.compute(address, (key, bucket) -> {
            long fullAgainAt = bucket == null || bucket.fullAgainAtNanos() - now < 0 ? now : bucket.fullAgainAtNanos();
            long afterThis = fullAgainAt + nanosPerRequest;
            if (afterThis - now > NANOS_PER_MINUTE) {
                verdict[0] = new Limited(Duration.ofNanos(afterThis - now - NANOS_PER_MINUTE));
                return new Bucket(fullAgainAt);
            }
            verdict[0] = ALLOWED;
            return new Bucket(afterThis);
        });
        return verdict[0];
    }
}
