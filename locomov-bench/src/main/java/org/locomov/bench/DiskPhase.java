package org.locomov.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.locomov.core.Reading;
import org.locomov.core.Transport;
import org.locomov.store.PacketRows;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bytes on disk per stored reading: table (heap, TOAST, free-space and visibility maps) plus indexes of
 * every packet partition after {@code VACUUM}, divided by the readings. Runs last: it empties the table
 * and writes {@code --disk-readings} readings with the writer's own statement ({@link PacketRows}), one
 * per device per minute with the devices interleaved as live traffic is. The load phases' rows are not
 * used: their device clocks have one-second resolution, so a device's readings share timestamps and the
 * index deduplicates them, which real meters (a reading a minute) would not allow.
 */
final class DiskPhase implements BenchPhase {

    private static final Logger log = LoggerFactory.getLogger(DiskPhase.class);
    private static final int BATCH = 1_000;

    private final long targetReadings;

    DiskPhase(long targetReadings) {
        this.targetReadings = targetReadings;
    }

    @Override
    public String key() {
        return "disk";
    }

    @Override
    public List<PhaseResult> run(BenchContext context) throws Exception {
        context.stopServer();  // nothing writes while the table is measured
        try (Connection connection = context.database().dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE packet");
            log.info("phase disk: writing {} readings", targetReadings);
            write(context, targetReadings);
            statement.execute("VACUUM (ANALYZE) packet");
            try (ResultSet row = statement.executeQuery("""
                    SELECT (SELECT count(*) FROM packet),
                           coalesce(sum(pg_table_size(c.oid)), 0), coalesce(sum(pg_indexes_size(c.oid)), 0)
                    FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                    WHERE i.inhparent = 'packet'::regclass""")) {
                row.next();
                BenchFigures.Disk disk = new BenchFigures.Disk(row.getLong(1), row.getLong(2), row.getLong(3));
                context.figures().disk(disk);
                log.info("phase disk: {} readings, {} bytes of table, {} of indexes: {} bytes per reading",
                        disk.readings(), disk.tableBytes(), disk.indexBytes(), Math.round(disk.bytesPerReading()));
            }
        }
        return List.of();
    }

    private static void write(BenchContext context, long readings) throws SQLException {
        int devices = context.settings().devices();
        Instant start = Instant.now();
        try (Connection connection = context.database().dataSource().getConnection()) {
            List<Reading> batch = new ArrayList<>(BATCH);
            for (long i = 0; i < readings; i++) {
                long device = LoadSettings.DEFAULT_FIRST_DEVICE_ID + i % devices;
                // The bench device's values (Cc3220sPacket), one reading per device per minute.
                batch.add(new Reading(device, start.plusSeconds(60 * (i / devices)), Instant.now(), true, 229.5, 50.3,
                        13.4538, 77.6283, null, Transport.MOV));
                if (batch.size() == BATCH || i == readings - 1) {
                    PacketRows.insert(connection, batch);
                    batch.clear();
                }
            }
        }
    }
}
