package org.locomov.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * What the bench needs from locomov's tables: the simulated devices registered in {@code pub} (so the
 * server checks them on its normal path, as for a real fleet) and the number of stored readings, which
 * every locomov phase checks its acks against.
 *
 * <p>Thread-safe: each call takes its own pooled connection.
 */
final class PacketTable {

    private final DataSource database;

    PacketTable(DataSource database) {
        this.database = database;
    }

    /** Registers devices {@code firstId} to {@code firstId + count - 1}; ones already there are kept. */
    void registerDevices(long firstId, int count) throws SQLException {
        try (Connection connection = database.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO pub (pub_id, name) SELECT id, 'bench-' || id FROM generate_series(?::bigint, ?::bigint) AS id"
                                + " ON CONFLICT DO NOTHING")) {
            insert.setLong(1, firstId);
            insert.setLong(2, firstId + count - 1);
            insert.executeUpdate();
        }
    }

    long countReadings() throws SQLException {
        try (Connection connection = database.getConnection();
                PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM packet");
                ResultSet row = count.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }
}
