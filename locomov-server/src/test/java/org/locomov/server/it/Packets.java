package org.locomov.server.it;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** What the tests check in the database: the rows of {@code packet}. */
final class Packets {

    private Packets() {
    }

    static long count(LocomovProcess server, long deviceId) throws SQLException {
        try (Connection connection = server.connect();
                PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM reading WHERE pub_id = ?")) {
            query.setLong(1, deviceId);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    record Row(Instant createdAt, double voltage, double frequency, boolean protectedStatus) {
    }

    /** The one row of {@code deviceId} with {@code voltage}, if stored. */
    static Optional<Row> find(LocomovProcess server, long deviceId, double voltage) throws SQLException {
        try (Connection connection = server.connect();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT created_at, voltage, frequency, protected FROM reading WHERE pub_id = ? AND voltage = ?")) {
            query.setLong(1, deviceId);
            query.setDouble(2, voltage);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Row(row.getTimestamp(1).toInstant(), row.getDouble(2), row.getDouble(3),
                        row.getBoolean(4)));
            }
        }
    }
}
