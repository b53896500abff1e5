package org.locomov.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

import org.locomov.core.DeviceNames;

/**
 * Registers and lists devices ({@code pub}), for {@code locomov device add|list} and the API.
 *
 * <p>Thread-safe: stateless apart from the pool.
 */
public final class DeviceRepository {

    /** Longest device name accepted, in characters: {@link DeviceNames#MAX_LENGTH}. */
    public static final int MAX_NAME_LENGTH = DeviceNames.MAX_LENGTH;

    private static final String COLUMNS = "pub_id, name, ssid, hash, created_at, last_seen_at, revoked_at IS NOT NULL";

    private final DataSource dataSource;

    public DeviceRepository(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * Registers device {@code pubId}.
     *
     * @param name nullable
     * @throws DeviceAlreadyExistsException when the id is registered already
     * @throws IllegalArgumentException     when the name is longer than {@value #MAX_NAME_LENGTH} characters
     * @throws StoreException               when the database fails
     */
    public Device add(long pubId, String name) {
        if (name != null && name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("--name must be at most " + MAX_NAME_LENGTH + " characters");
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO pub (pub_id, name) VALUES (?, ?) ON CONFLICT (pub_id) DO NOTHING RETURNING " + COLUMNS)) {
            insert.setLong(1, pubId);
            insert.setString(2, name);
            try (ResultSet row = insert.executeQuery()) {
                if (!row.next()) {
                    throw new DeviceAlreadyExistsException(pubId);
                }
                return device(row);
            }
        } catch (SQLException e) {
            throw new StoreException("could not add device " + pubId, e);
        }
    }

    /** Every registered device, by id. */
    public List<Device> list() {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT " + COLUMNS + " FROM pub ORDER BY pub_id");
                ResultSet rows = query.executeQuery()) {
            List<Device> devices = new ArrayList<>();
            while (rows.next()) {
                devices.add(device(rows));
            }
            return devices;
        } catch (SQLException e) {
            throw new StoreException("could not list devices", e);
        }
    }

    public Optional<Device> find(long pubId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT " + COLUMNS + " FROM pub WHERE pub_id = ?")) {
            query.setLong(1, pubId);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? Optional.of(device(row)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("could not read device " + pubId, e);
        }
    }

    private static Device device(ResultSet row) throws SQLException {
        long hash = row.getLong(4);
        Long hashOrNull = row.wasNull() ? null : hash;
        return new Device(row.getLong(1), row.getString(2), row.getString(3), hashOrNull,
                instant(row.getTimestamp(5)), instant(row.getTimestamp(6)), row.getBoolean(7));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
