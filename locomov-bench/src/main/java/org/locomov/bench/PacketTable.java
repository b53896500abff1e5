package org.locomov.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.locomov.store.DeviceAlreadyExistsException;
import org.locomov.store.DeviceRepository;

/**
 * What the bench needs from locomov's tables: the simulated devices registered (through locomov-store's
 * {@link DeviceRepository}, as {@code locomov device add} does, so the server checks them on its normal
 * path) and the number of stored readings, which every locomov phase checks its acks against.
 *
 * <p>Thread-safe: each call takes its own pooled connection.
 */
final class PacketTable {

    private final DataSource database;

    PacketTable(DataSource database) {
        this.database = database;
    }

    /** Registers devices {@code firstId} to {@code firstId + count - 1}; ones already there (a reused --work-dir) are kept. */
    void registerDevices(long firstId, int count) {
        DeviceRepository devices = new DeviceRepository(database);
        for (long id = firstId; id < firstId + count; id++) {
            try {
                devices.add(id, "bench-" + id);
            } catch (DeviceAlreadyExistsException alreadyThere) {
                // registered by an earlier run on the same work directory
            }
        }
    }

    long countReadings() throws SQLException {
        try (Connection connection = database.getConnection();
                PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM reading");
                ResultSet row = count.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }
}
