package org.locomov.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

import org.locomov.core.ConfoPost;
import org.locomov.core.Confirmations;
import org.locomov.core.StorageUnavailableException;

/**
 * Cloud confirmations in PostgreSQL: {@link #apply} carries out the {@link ConfoDecision} for one device
 * post in one transaction ({@link #confirm} is the same for the confo transport, in core's terms), and
 * {@link #newestHash} answers the phone app's question.
 *
 * <p>Races: every confirmation first takes one transaction-scoped advisory lock, so confirmations are
 * applied one at a time across every locomov node on the database (they come once per provisioning, so
 * this costs nothing), and the device's {@code pub} row is locked {@code FOR UPDATE}, so an API claim or
 * rename of it waits for the confirmation and then sees its result. A new device's id collides with an
 * id added at that very moment through the API only by a narrow race; then the transaction is retried,
 * as it is on a serialization failure or deadlock (docs/decisions/0900-confo-new-device-ids.md).
 *
 * <p>Thread-safe: holds only the data source; every call borrows its own connection. Calls block on
 * the database, so transports make them off their event loops.
 */
public final class ConfoRepository implements Confirmations {

    /** Key of the advisory lock every confirmation takes: "confo" in ASCII. */
    static final long CONFO_LOCK_KEY = 0x636f6e666fL;
    private static final int MAX_ATTEMPTS = 3;
    private static final String SERIALIZATION_FAILURE = "40001";
    private static final String DEADLOCK_DETECTED = "40P01";

    private final DataSource dataSource;

    public ConfoRepository(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * Decides what {@code post} means and applies it: saves it in {@code confo} or {@code cconfo}, records
     * an unregistered e-mail in {@code csub}, creates or updates the device's {@code pub} row. Returns
     * after commit.
     *
     * @throws StoreQueryException when the database fails (nothing of the confirmation is stored)
     */
    public ConfoResult apply(ConfoPost post) {
        Objects.requireNonNull(post, "post");
        SQLException last = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try (Connection connection = dataSource.getConnection()) {
                Optional<ConfoResult> result = applyInTransaction(connection, post);
                if (result.isPresent()) {
                    return result.get();
                }
            } catch (SQLException e) {
                if (!isWorthRetrying(e)) {
                    throw new StoreQueryException("could not save the confirmation of hash " + post.hash(), e);
                }
                last = e;
            }
        }
        if (last != null) {
            throw new StoreQueryException("could not save the confirmation of hash " + post.hash() + " after "
                    + MAX_ATTEMPTS + " attempts", last);
        }
        throw new StoreQueryException("could not save the confirmation of hash " + post.hash() + " after "
                + MAX_ATTEMPTS + " attempts", new SQLException("a new device id kept colliding"));
    }

    /**
     * {@link #apply} for the confo transport: the outcome as it is logged, and a database failure as
     * core's {@link StorageUnavailableException}.
     */
    @Override
    public Outcome confirm(ConfoPost post) {
        ConfoResult result;
        try {
            result = apply(post);
        } catch (StoreException e) {
            throw new StorageUnavailableException(e.getMessage(), e);
        }
        return new Outcome(result.decision().isProblem(), result.description());
    }

    /** The committed result, or empty when a new device's id collided and the transaction was rolled back. */
    private static Optional<ConfoResult> applyInTransaction(Connection connection, ConfoPost post) throws SQLException {
        connection.setAutoCommit(false);
        try {
            lockConfirmations(connection);
            Long subId = registeredUser(connection, post.email());
            ConfoDecision.KnownDevice device = deviceByHash(connection, post.hash());
            ConfoDecision decision = ConfoDecision.decide(post.email(), subId, device);
            if (subId == null) {
                recordUnregisteredEmail(connection, post.email());
            }
            Long pubId = changePub(connection, decision, post, subId, device);
            if (pubId == null) {
                connection.rollback();
                return Optional.empty();
            }
            save(connection, decision, post, pubId, subId);
            connection.commit();
            return Optional.of(new ConfoResult(decision, pubId, subId));
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    private static void lockConfirmations(Connection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            lock.setLong(1, CONFO_LOCK_KEY);
            lock.execute();
        }
    }

    /** The user with this e-mail, kept from being deleted until commit; null when there is none. */
    private static Long registeredUser(Connection connection, String email) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id FROM sub WHERE lower(email) = lower(?) FOR KEY SHARE")) {
            select.setString(1, email);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getLong(1) : null;
            }
        }
    }

    private static ConfoDecision.KnownDevice deviceByHash(Connection connection, long hash) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT pub_id, creator, creator_email FROM pub WHERE hash = ? FOR UPDATE")) {
            select.setLong(1, hash);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return null;
                }
                return new ConfoDecision.KnownDevice(row.getLong(1), DeviceAdmin.nullableLong(row, "creator"),
                        row.getString(3));
            }
        }
    }

    private static void recordUnregisteredEmail(Connection connection, String email) throws SQLException {
        // The unique index is on lower(email); DO NOTHING keeps the first spelling and its first_seen_at.
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO csub (email) VALUES (?) ON CONFLICT DO NOTHING")) {
            insert.setString(1, email);
            insert.executeUpdate();
        }
    }

    /** Creates or updates the device as decided; returns its id, or null when a new id collided. */
    private static Long changePub(Connection connection, ConfoDecision decision, ConfoPost post, Long subId,
            ConfoDecision.KnownDevice device) throws SQLException {
        return switch (decision.pubChange()) {
            case NONE -> device.pubId();
            case KEEP_CREATOR -> update(connection, "UPDATE pub SET name = ?, ssid = ? WHERE pub_id = ?",
                    device.pubId(), post.deviceName(), post.ssid());
            case SET_CREATOR -> update(connection, "UPDATE pub SET name = ?, ssid = ?, creator = ? WHERE pub_id = ?",
                    device.pubId(), post.deviceName(), post.ssid(), subId);
            case CLEAR_CREATOR -> update(connection, "UPDATE pub SET creator = NULL WHERE pub_id = ?", device.pubId());
            case CREATE_WITH_CREATOR -> create(connection, post, subId);
            case CREATE_WITHOUT_CREATOR -> create(connection, post, null);
        };
    }

    private static long update(Connection connection, String sql, long pubId, Object... values) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                update.setObject(i + 1, values[i]);
            }
            update.setLong(values.length + 1, pubId);
            update.executeUpdate();
        }
        return pubId;
    }

    /**
     * A new device with the next id after the highest in use (ids stay small, like the ones operators
     * give with {@code device add}); null when that id or the hash was taken concurrently.
     */
    private static Long create(Connection connection, ConfoPost post, Long creator) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO pub (pub_id, hash, name, ssid, creator)
                SELECT coalesce(max(pub_id), 0) + 1, ?, ?, ?, ? FROM pub
                ON CONFLICT DO NOTHING RETURNING pub_id""")) {
            insert.setLong(1, post.hash());
            insert.setString(2, post.deviceName());
            insert.setString(3, post.ssid());
            insert.setObject(4, creator, Types.BIGINT);
            try (ResultSet row = insert.executeQuery()) {
                return row.next() ? row.getLong(1) : null;
            }
        }
    }

    private static void save(Connection connection, ConfoDecision decision, ConfoPost post, long pubId, Long subId)
            throws SQLException {
        String sql = decision.table() == ConfoDecision.Table.CONFO
                ? "INSERT INTO confo (pub_id, sub_id, device_name, ssid, hash, email, device_time) VALUES (?, ?, ?, ?, ?, ?, ?)"
                : "INSERT INTO cconfo (pub_id, sub_id, device_name, ssid, hash, email, device_time, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            insert.setLong(1, pubId);
            insert.setObject(2, subId, Types.BIGINT);
            insert.setString(3, post.deviceName());
            insert.setString(4, post.ssid());
            insert.setLong(5, post.hash());
            insert.setString(6, post.email());
            insert.setObject(7, post.deviceTime() == null ? null : post.deviceTime().atOffset(ZoneOffset.UTC),
                    Types.TIMESTAMP_WITH_TIMEZONE);
            if (decision.table() == ConfoDecision.Table.CCONFO) {
                insert.setString(8, decision.conflictReason());
            }
            insert.executeUpdate();
        }
    }

    private static boolean isWorthRetrying(SQLException e) {
        return SERIALIZATION_FAILURE.equals(e.getSQLState()) || DEADLOCK_DETECTED.equals(e.getSQLState());
    }

    /**
     * The phone app's question: the hash of the newest confirmation (in {@code confo}; a conflicting one in
     * {@code cconfo} confirms nothing) of a device with exactly this name and SSID, received within
     * {@code maxAge} by the database's clock.
     *
     * @throws StoreQueryException when the database fails
     */
    public Optional<Long> newestHash(String deviceName, String ssid, Duration maxAge) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("""
                        SELECT hash FROM confo
                        WHERE device_name = ? AND ssid = ? AND received_at > now() - make_interval(secs => ?)
                        ORDER BY received_at DESC, id DESC LIMIT 1""")) {
            select.setString(1, deviceName);
            select.setString(2, ssid);
            select.setDouble(3, maxAge.toMillis() / 1000.0);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(row.getLong(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreQueryException("could not look up the confirmation of device '" + deviceName + "'", e);
        }
    }
}
