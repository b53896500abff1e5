package org.locomov.store.plane;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.locomov.core.event.DeviceEvent;

/**
 * The {@code event} table: device events stored in batches and listed by device and time. Each insert is
 * announced on {@value #CHANNEL} by the table's trigger, as {@code "<id> <pub_id>"}.
 *
 * <p>Thread-safe: stateless; each call borrows its own connection (or uses the caller's).
 */
public final class EventRows {

    public static final String CHANNEL = "locomov_event";

    /** A stored device event; {@code isPrivate} as {@link DeviceEvent#isPrivate()}. */
    public record StoredEvent(long id, long deviceId, String name, String data, Instant publishedAt, Instant savedAt,
            String transport, boolean isPrivate) {
    }

    private static final String COLUMNS = "id, pub_id, name, data, published_at, saved_at, transport, private";
    private static final String INSERT =
            "INSERT INTO event (pub_id, name, data, published_at, transport, private) VALUES (?, ?, ?, ?, ?, ?)";

    private final DataSource dataSource;

    public EventRows(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** Inserts {@code events} in one batch on {@code connection} (the caller commits). */
    static void insert(Connection connection, List<DeviceEvent> events) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            for (DeviceEvent event : events) {
                insert.setLong(1, event.deviceId());
                insert.setString(2, event.name());
                insert.setString(3, event.data());
                insert.setObject(4, Sql.utc(event.publishedAt()));
                insert.setString(5, event.transport().tag());
                insert.setBoolean(6, event.isPrivate());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /**
     * The device's events published in {@code [from, to)} (either may be null), with {@code name} if given, oldest
     * first, at most {@code limit}.
     */
    public List<StoredEvent> list(long deviceId, Instant from, Instant to, String name, int limit) {
        return Sql.query(dataSource, "could not list the events of device " + deviceId, "SELECT " + COLUMNS + """
                 FROM event WHERE pub_id = ?
                  AND (?::timestamptz IS NULL OR published_at >= ?) AND (?::timestamptz IS NULL OR published_at < ?)
                  AND (?::text IS NULL OR name = ?)
                ORDER BY published_at, id LIMIT ?""", statement -> {
                    statement.setLong(1, deviceId);
                    statement.setObject(2, Sql.utc(from));
                    statement.setObject(3, Sql.utc(from));
                    statement.setObject(4, Sql.utc(to));
                    statement.setObject(5, Sql.utc(to));
                    statement.setString(6, name);
                    statement.setString(7, name);
                    statement.setInt(8, limit);
                }, EventRows::read);
    }

    /** The events with these ids, in id order. */
    public List<StoredEvent> byIds(Collection<Long> ids) {
        return Sql.query(dataSource, "could not read events", "SELECT " + COLUMNS + " FROM event WHERE id = ANY (?) ORDER BY id",
                statement -> {
                    Array array = statement.getConnection().createArrayOf("bigint", ids.toArray());
                    statement.setArray(1, array);
                }, EventRows::read);
    }

    private static StoredEvent read(ResultSet row) throws SQLException {
        return new StoredEvent(row.getLong("id"), row.getLong("pub_id"), row.getString("name"), row.getString("data"),
                Sql.instant(row, "published_at"), Sql.instant(row, "saved_at"), row.getString("transport"),
                row.getBoolean("private"));
    }
}
