package org.locomov.bench;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts latencies in fixed log-linear buckets of microseconds: exact below 32 µs, then 16 buckets per
 * power of two (at most 1/16 ≈ 6 % wide), from 1 µs to beyond an hour in under a thousand counters.
 * That precision is plenty for p50/p99 of network round trips and needs no allocation per record.
 *
 * <p>Thread-safe: {@link #record} is called from every event-loop thread of the load generator at once;
 * each bucket is an atomic counter. A {@link #snapshot()} taken while records continue is a consistent
 * enough picture for a report (each bucket is read once).
 */
public final class LatencyHistogram {

    private static final int SUB_BUCKET_BITS = 4;
    private static final int SUB_BUCKETS = 1 << SUB_BUCKET_BITS;
    private static final int BUCKETS = (Long.SIZE - SUB_BUCKET_BITS + 1) * SUB_BUCKETS;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    /** Adds one latency of {@code nanos} (negative values count as zero). */
    public void record(long nanos) {
        counts.incrementAndGet(bucketOf(Math.max(0, nanos) / 1_000));
    }

    /** The counts as they are now. */
    public Snapshot snapshot() {
        long[] copy = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            copy[i] = counts.get(i);
        }
        return new Snapshot(copy);
    }

    static int bucketOf(long micros) {
        if (micros < 2 * SUB_BUCKETS) {
            return (int) micros;
        }
        int highestBit = Long.SIZE - 1 - Long.numberOfLeadingZeros(micros);
        int subBucket = (int) (micros >>> (highestBit - SUB_BUCKET_BITS)) & (SUB_BUCKETS - 1);
        return (highestBit - SUB_BUCKET_BITS + 1) * SUB_BUCKETS + subBucket;
    }

    /** The largest value, in microseconds, that falls into {@code bucket}. */
    static long upperBoundMicros(int bucket) {
        if (bucket < 2 * SUB_BUCKETS) {
            return bucket;
        }
        int highestBit = bucket / SUB_BUCKETS + SUB_BUCKET_BITS - 1;
        long subBucket = bucket % SUB_BUCKETS;
        long lower = (SUB_BUCKETS + subBucket) << (highestBit - SUB_BUCKET_BITS);
        long width = 1L << (highestBit - SUB_BUCKET_BITS);
        return lower + width - 1;
    }

    /** An immutable copy of the counts, with the percentiles a report needs. */
    public static final class Snapshot {
        private final long[] counts;
        private final long total;

        private Snapshot(long[] counts) {
            this.counts = counts;
            long sum = 0;
            for (long count : counts) {
                sum += count;
            }
            this.total = sum;
        }

        /** How many latencies were recorded. */
        public long count() {
            return total;
        }

        /**
         * The latency at or below which {@code fraction} (0..1] of the recorded ones fall, rounded up to
         * the bucket's upper bound; {@link Duration#ZERO} when nothing was recorded.
         */
        public Duration percentile(double fraction) {
            if (!(fraction > 0 && fraction <= 1)) {
                throw new IllegalArgumentException("fraction must be in (0, 1], was " + fraction);
            }
            if (total == 0) {
                return Duration.ZERO;
            }
            long rank = (long) Math.ceil(fraction * total);
            long seen = 0;
            for (int bucket = 0; bucket < counts.length; bucket++) {
                seen += counts[bucket];
                if (seen >= rank) {
                    return Duration.ofNanos(upperBoundMicros(bucket) * 1_000);
                }
            }
            throw new IllegalStateException("counts changed under the snapshot");
        }
    }
}
