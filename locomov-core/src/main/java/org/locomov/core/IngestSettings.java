package org.locomov.core;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the ingest pipeline, checked once when built.
 *
 * @param queueCapacity  readings that may wait for the writer before transports are told to pause
 *                       (default {@value #DEFAULT_QUEUE_CAPACITY})
 * @param maxBatchSize   most readings written in one statement (default {@value #DEFAULT_MAX_BATCH_SIZE})
 * @param storageTimeout how long a queued reading waits for a commit while the database is
 *                       unreachable before it fails with {@link StorageUnavailableException}
 *                       (default 30 s)
 */
public record IngestSettings(int queueCapacity, int maxBatchSize, Duration storageTimeout) {

    public static final int DEFAULT_QUEUE_CAPACITY = 10_000;
    public static final int DEFAULT_MAX_BATCH_SIZE = 1_000;
    public static final Duration DEFAULT_STORAGE_TIMEOUT = Duration.ofSeconds(30);

    public static final IngestSettings DEFAULTS =
            new IngestSettings(DEFAULT_QUEUE_CAPACITY, DEFAULT_MAX_BATCH_SIZE, DEFAULT_STORAGE_TIMEOUT);

    public IngestSettings {
        Objects.requireNonNull(storageTimeout, "storageTimeout");
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("--ingest-queue-capacity must be at least 1, was " + queueCapacity);
        }
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("--ingest-max-batch must be at least 1, was " + maxBatchSize);
        }
        if (storageTimeout.isNegative() || storageTimeout.isZero()) {
            throw new IllegalArgumentException("--ingest-storage-timeout must be positive, was " + storageTimeout);
        }
    }
}
