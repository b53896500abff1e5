package org.locomov.store;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

import org.locomov.core.DeviceNames;

/**
 * Devices as their owners manage them through the API: listed with their newest reading, created,
 * renamed, deleted with their readings, and claimed by hash. Every call takes a {@link Scope}: a user
 * acts only on the devices they created ({@code pub.creator}); an admin on all. A device outside the
 * scope behaves exactly like one that does not exist.
 *
 * <p>Thread-safe: holds only the data source; every call borrows its own connection.
 */
public final class DeviceAdmin {

    /** Longest device name kept: {@link DeviceNames#MAX_LENGTH}. */
    public static final int MAX_NAME_LENGTH = DeviceNames.MAX_LENGTH;

    /** Which devices a call may see: those created by {@code creator}, or all when it is null. */
    public record Scope(Long creator) {
        public static Scope all() {
            return new Scope(null);
        }

        public static Scope ownedBy(long subId) {
            return new Scope(subId);
        }
    }

    /** The newest reading of a device, by the time it is filed under. */
    public record LastReading(long id, Instant createdAt, Instant savedAt, Double voltage, Double frequency,
                              Boolean protectedStatus, Double lat, Double lng) {

        /**
         * Device time minus receipt time of this reading. A device that sends no timestamp is filed
         * under its receipt time, so its skew is the (tiny, negative) receipt-to-commit delay.
         */
        public Duration clockSkew() {
            return Duration.between(savedAt, createdAt);
        }
    }

    /** A device with what an owner wants to see at a glance. {@code lastReading} is null before the first one. */
    public record DeviceView(long id, String name, String ssid, Long hash, Long creatorId, String creatorEmail,
                             Instant createdAt, Instant lastSeenAt, boolean revoked, LastReading lastReading) {
    }

    /** What became of a claim. {@code deviceId} is null only for {@link Outcome#UNKNOWN_HASH}. */
    public record Claim(Outcome outcome, Long deviceId) {
        public enum Outcome { CLAIMED, ALREADY_YOURS, OWNED_BY_ANOTHER, UNKNOWN_HASH }
    }

    private static final String SELECT_VIEW = """
            SELECT p.pub_id, p.name, p.ssid, p.hash, p.creator, s.email AS creator_email, p.created_at,
                   p.last_seen_at, p.revoked_at IS NOT NULL AS revoked,
                   r.id AS r_id, r.created_at AS r_created_at, r.saved_at AS r_saved_at, r.voltage, r.frequency,
                   r.protected, r.lat, r.lng
            FROM pub p
            LEFT JOIN sub s ON s.id = p.creator
            LEFT JOIN LATERAL (
                SELECT id, created_at, saved_at, voltage, frequency, protected, lat, lng
                FROM reading WHERE pub_id = p.pub_id ORDER BY created_at DESC, id DESC LIMIT 1) r ON true
            """;
    private static final String IN_SCOPE = "(?::bigint IS NULL OR p.creator = ?)";

    private final DataSource dataSource;

    public DeviceAdmin(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** Devices in scope with ids above {@code afterId}, ordered by id, at most {@code limit}. */
    public List<DeviceView> list(Scope scope, long afterId, int limit) {
        String sql = SELECT_VIEW + " WHERE p.pub_id > ? AND " + IN_SCOPE + " ORDER BY p.pub_id LIMIT ?";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(sql)) {
            select.setLong(1, afterId);
            setScope(select, 2, scope);
            select.setInt(4, limit);
            try (ResultSet rows = select.executeQuery()) {
                List<DeviceView> devices = new ArrayList<>();
                while (rows.next()) {
                    devices.add(readView(rows));
                }
                return devices;
            }
        } catch (SQLException e) {
            throw new StoreQueryException("could not list devices", e);
        }
    }

    public Optional<DeviceView> find(long deviceId, Scope scope) {
        try (Connection connection = dataSource.getConnection()) {
            return find(connection, deviceId, scope);
        } catch (SQLException e) {
            throw new StoreQueryException("could not read device " + deviceId, e);
        }
    }

    /**
     * Registers a device owned by {@code creator}.
     *
     * @return the new device, or empty when a device with this id already exists
     */
    public Optional<DeviceView> create(long deviceId, String name, long creator) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO pub (pub_id, name, creator) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
            insert.setLong(1, deviceId);
            insert.setString(2, name);
            insert.setLong(3, creator);
            if (insert.executeUpdate() == 0) {
                return Optional.empty();
            }
            return find(connection, deviceId, Scope.all());
        } catch (SQLException e) {
            throw new StoreQueryException("could not create device " + deviceId, e);
        }
    }

    /** @return the renamed device, or empty when it is not in scope */
    public Optional<DeviceView> rename(long deviceId, String name, Scope scope) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement(
                     "UPDATE pub p SET name = ? WHERE p.pub_id = ? AND " + IN_SCOPE)) {
            update.setString(1, name);
            update.setLong(2, deviceId);
            setScope(update, 3, scope);
            if (update.executeUpdate() == 0) {
                return Optional.empty();
            }
            return find(connection, deviceId, Scope.all());
        } catch (SQLException e) {
            throw new StoreQueryException("could not rename device " + deviceId, e);
        }
    }

    /**
     * Deletes a device and, through the foreign key's cascade, all its readings.
     *
     * @return false when the device is not in scope
     */
    public boolean delete(long deviceId, Scope scope) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement("DELETE FROM pub p WHERE p.pub_id = ? AND " + IN_SCOPE)) {
            delete.setLong(1, deviceId);
            setScope(delete, 2, scope);
            return delete.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreQueryException("could not delete device " + deviceId, e);
        }
    }

    /** Makes {@code subId} the creator of the device with this hash, if it has none yet. */
    public Claim claim(long hash, long subId) {
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE pub SET creator = ? WHERE hash = ? AND creator IS NULL RETURNING pub_id")) {
                update.setLong(1, subId);
                update.setLong(2, hash);
                try (ResultSet row = update.executeQuery()) {
                    if (row.next()) {
                        return new Claim(Claim.Outcome.CLAIMED, row.getLong(1));
                    }
                }
            }
            try (PreparedStatement select = connection.prepareStatement("SELECT pub_id, creator FROM pub WHERE hash = ?")) {
                select.setLong(1, hash);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        return new Claim(Claim.Outcome.UNKNOWN_HASH, null);
                    }
                    long creator = row.getLong("creator");
                    Claim.Outcome outcome = creator == subId ? Claim.Outcome.ALREADY_YOURS : Claim.Outcome.OWNED_BY_ANOTHER;
                    return new Claim(outcome, row.getLong("pub_id"));
                }
            }
        } catch (SQLException e) {
            throw new StoreQueryException("could not claim a device by hash", e);
        }
    }

    /** The creators of those of these devices that have one (devices without a creator are left out). */
    public Map<Long, Long> creatorsOf(Collection<Long> deviceIds) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT pub_id, creator FROM pub WHERE pub_id = ANY (?) AND creator IS NOT NULL")) {
            Array ids = connection.createArrayOf("bigint", deviceIds.toArray());
            select.setArray(1, ids);
            try (ResultSet rows = select.executeQuery()) {
                Map<Long, Long> creators = new HashMap<>();
                while (rows.next()) {
                    creators.put(rows.getLong(1), rows.getLong(2));
                }
                return creators;
            }
        } catch (SQLException e) {
            throw new StoreQueryException("could not look up device owners", e);
        }
    }

    private static Optional<DeviceView> find(Connection connection, long deviceId, Scope scope) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(SELECT_VIEW + " WHERE p.pub_id = ? AND " + IN_SCOPE)) {
            select.setLong(1, deviceId);
            setScope(select, 2, scope);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(readView(row)) : Optional.empty();
            }
        }
    }

    private static void setScope(PreparedStatement statement, int firstIndex, Scope scope) throws SQLException {
        statement.setObject(firstIndex, scope.creator(), java.sql.Types.BIGINT);
        statement.setObject(firstIndex + 1, scope.creator(), java.sql.Types.BIGINT);
    }

    private static DeviceView readView(ResultSet row) throws SQLException {
        long readingId = row.getLong("r_id");
        LastReading last = row.wasNull() ? null : new LastReading(readingId, instant(row, "r_created_at"),
                instant(row, "r_saved_at"), nullableDouble(row, "voltage"), nullableDouble(row, "frequency"),
                nullableBoolean(row, "protected"), nullableDouble(row, "lat"), nullableDouble(row, "lng"));
        return new DeviceView(row.getLong("pub_id"), row.getString("name"), row.getString("ssid"),
                nullableLong(row, "hash"), nullableLong(row, "creator"), row.getString("creator_email"),
                instant(row, "created_at"), instant(row, "last_seen_at"), row.getBoolean("revoked"), last);
    }

    static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static Double nullableDouble(ResultSet row, String column) throws SQLException {
        double value = row.getDouble(column);
        return row.wasNull() ? null : value;
    }

    static Long nullableLong(ResultSet row, String column) throws SQLException {
        long value = row.getLong(column);
        return row.wasNull() ? null : value;
    }

    static Boolean nullableBoolean(ResultSet row, String column) throws SQLException {
        boolean value = row.getBoolean(column);
        return row.wasNull() ? null : value;
    }
}
