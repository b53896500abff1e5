package org.locomov.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.locomov.core.Reading;
import org.locomov.core.Transport;
import org.locomov.store.PacketRows;

/**
 * PostgreSQL's own rate for storing the bench's readings, the yardstick for locomov's persistent mode:
 * one connection inserting into {@code packet} in batches with the very statement locomov's batch
 * writer uses ({@link PacketRows}: one {@code INSERT ... SELECT FROM unnest(arrays)} per batch, each
 * batch its own committed transaction), as fast as it can, for a fixed time after a warm-up.
 *
 * <p>Used by one thread.
 */
final class PostgresBaseline {

    private final DataSource database;
    private final long firstDeviceId;
    private final int devices;
    private final int batchSize;

    PostgresBaseline(DataSource database, long firstDeviceId, int devices, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("--baseline-batch must be at least 1, was " + batchSize);
        }
        this.database = database;
        this.firstDeviceId = firstDeviceId;
        this.devices = devices;
        this.batchSize = batchSize;
    }

    /**
     * Inserts for {@code warmUp + measure}; rows committed in the measured window are the result.
     *
     * @param window sampled when the measured window opens and closes
     */
    Result run(Duration warmUp, Duration measure, LoadGenerator.WindowObserver window) throws SQLException {
        try (Connection connection = database.getConnection()) {
            connection.setAutoCommit(true);
            long start = System.nanoTime();
            long measureStart = start + warmUp.toNanos();
            long end = measureStart + measure.toNanos();
            boolean measuring = false;
            long windowStart = measureStart;
            long rows = 0;
            long batches = 0;
            long nextDevice = 0;
            LatencyHistogram commitLatency = new LatencyHistogram();
            while (System.nanoTime() - end < 0) {
                if (!measuring && System.nanoTime() - measureStart >= 0) {
                    measuring = true;
                    windowStart = System.nanoTime();
                    window.measurementStarted();
                }
                long before = System.nanoTime();
                PacketRows.insert(connection, batch(nextDevice));
                long after = System.nanoTime();
                nextDevice += batchSize;
                if (measuring) {
                    rows += batchSize;
                    batches++;
                    commitLatency.record(after - before);
                }
            }
            window.measurementEnded();
            Duration measured = Duration.ofNanos(System.nanoTime() - windowStart);
            return new Result(rows, batches, measured, commitLatency.snapshot());
        }
    }

    /** The readings a device sends (see Cc3220sPacket), spread over the same devices. */
    private List<Reading> batch(long firstOfBatch) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS); // micros 0
        List<Reading> readings = new ArrayList<>(batchSize);
        for (int i = 0; i < batchSize; i++) {
            long deviceId = firstDeviceId + (firstOfBatch + i) % devices;
            readings.add(new Reading(deviceId, null, now, true, 229.5, 50.3,
                    13.4538, 77.6283, null, Transport.MOV));
        }
        return readings;
    }

    /**
     * @param rows          rows committed inside the measured window
     * @param batches       statements (= transactions) inside the window
     * @param window        the window's length
     * @param commitLatency one batch's statement and commit
     */
    record Result(long rows, long batches, Duration window, LatencyHistogram.Snapshot commitLatency) {
        double rowsPerSecond() {
            return rows / (window.toNanos() / 1e9);
        }
    }
}
