package org.locomov.bench;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

/**
 * PostgreSQL's own rate for storing the bench's readings, the yardstick for locomov's persistent mode:
 * one connection inserting into {@code packet} in batches with the statement shape locomov's batch
 * writer uses (one {@code INSERT ... SELECT FROM unnest(arrays)} per batch, each batch its own committed
 * transaction), as fast as it can, for a fixed time after a warm-up.
 *
 * <p>Used by one thread.
 */
final class PostgresBaseline {

    /** As locomov-store's {@code PacketInsert}: device time as epoch seconds plus microseconds. */
    private static final String INSERT = """
            INSERT INTO packet (pub_id, created_at, voltage, frequency, protected, lat, lng, extra, transport)
            SELECT r.pub_id, to_timestamp(r.epoch_second) + r.micros * interval '1 microsecond',
                   r.voltage, r.frequency, r.protected, r.lat, r.lng, r.extra::jsonb, r.transport
            FROM unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::float8[], ?::float8[], ?::boolean[],
                        ?::float8[], ?::float8[], ?::text[], ?::text[])
                 AS r(pub_id, epoch_second, micros, voltage, frequency, protected, lat, lng, extra, transport)
            """;

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
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                while (System.nanoTime() - end < 0) {
                    if (!measuring && System.nanoTime() - measureStart >= 0) {
                        measuring = true;
                        windowStart = System.nanoTime();
                        window.measurementStarted();
                    }
                    long before = System.nanoTime();
                    bind(connection, insert, nextDevice);
                    insert.executeUpdate();
                    long after = System.nanoTime();
                    nextDevice += batchSize;
                    if (measuring) {
                        rows += batchSize;
                        batches++;
                        commitLatency.record(after - before);
                    }
                }
            }
            window.measurementEnded();
            Duration measured = Duration.ofNanos(System.nanoTime() - windowStart);
            return new Result(rows, batches, measured, commitLatency.snapshot());
        }
    }

    private void bind(Connection connection, PreparedStatement insert, long firstOfBatch) throws SQLException {
        Long[] deviceIds = new Long[batchSize];
        Long[] epochSeconds = new Long[batchSize];
        Long[] micros = new Long[batchSize];
        Double[] voltages = new Double[batchSize];
        Double[] frequencies = new Double[batchSize];
        Boolean[] protectedFlags = new Boolean[batchSize];
        Double[] lats = new Double[batchSize];
        Double[] lngs = new Double[batchSize];
        String[] extras = new String[batchSize];
        String[] transports = new String[batchSize];
        Instant now = Instant.now();
        for (int i = 0; i < batchSize; i++) {
            // The readings a device sends (see Cc3220sPacket), spread over the same devices.
            deviceIds[i] = firstDeviceId + (firstOfBatch + i) % devices;
            epochSeconds[i] = now.getEpochSecond();
            micros[i] = 0L;
            voltages[i] = 229.5;
            frequencies[i] = 50.3;
            protectedFlags[i] = true;
            lats[i] = 13.4538;
            lngs[i] = 77.6283;
            extras[i] = null;
            transports[i] = "mov";
        }
        List<Array> arrays = List.of(
                connection.createArrayOf("int8", deviceIds),
                connection.createArrayOf("int8", epochSeconds),
                connection.createArrayOf("int8", micros),
                connection.createArrayOf("float8", voltages),
                connection.createArrayOf("float8", frequencies),
                connection.createArrayOf("bool", protectedFlags),
                connection.createArrayOf("float8", lats),
                connection.createArrayOf("float8", lngs),
                connection.createArrayOf("text", extras),
                connection.createArrayOf("text", transports));
        for (int i = 0; i < arrays.size(); i++) {
            insert.setArray(i + 1, arrays.get(i));
        }
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
