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
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS material that several locomov nodes on one database share: ACME accounts and server certificates, the
 * device CA and the Particle server key ({@code tls_material}), what the last renewal did ({@code tls_renewal}), and the lock that lets exactly
 * one node order or renew at a time (a PostgreSQL session advisory lock).
 *
 * <p>Private keys arrive sealed; this class stores bytes and never interprets them.
 *
 * <p>Thread-safe: every method works on its own pooled connection; a {@link RenewalLock} keeps one
 * connection for itself until it is closed.
 */
public final class TlsMaterialRepository {

    private static final Logger log = LoggerFactory.getLogger(TlsMaterialRepository.class);

    private final DataSource dataSource;

    public TlsMaterialRepository(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** The row called {@code name}, if any. */
    public Optional<TlsMaterial> find(String name) {
        List<TlsMaterial> found = query("SELECT * FROM tls_material WHERE name = ?", name);
        return found.stream().findFirst();
    }

    /** Every row whose name starts with {@code prefix}, by name. */
    public List<TlsMaterial> findByPrefix(String prefix) {
        String pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        return query("SELECT * FROM tls_material WHERE name LIKE ? ORDER BY name", pattern);
    }

    /** Inserts or replaces the row {@code material.name()}; {@code updated_at} becomes the database's now. */
    public void save(TlsMaterial material) {
        try (Connection connection = dataSource.getConnection()) {
            save(connection, material);
        } catch (SQLException e) {
            throw new StoreQueryException("could not save TLS material " + material.name(), e);
        }
    }

    private static void save(Connection connection, TlsMaterial material) throws SQLException {
        String sql = """
                INSERT INTO tls_material (name, chain_pem, account_url, sealed_key, master_key_id, not_after, updated_by)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (name) DO UPDATE SET chain_pem = excluded.chain_pem, account_url = excluded.account_url,
                    sealed_key = excluded.sealed_key, master_key_id = excluded.master_key_id,
                    not_after = excluded.not_after, updated_at = now(), updated_by = excluded.updated_by""";
        try (PreparedStatement upsert = connection.prepareStatement(sql)) {
            upsert.setString(1, material.name());
            upsert.setString(2, material.chainPem());
            upsert.setString(3, material.accountUrl());
            upsert.setBytes(4, material.sealedKey());
            upsert.setString(5, material.masterKeyId());
            upsert.setTimestamp(6, timestamp(material.notAfter()));
            upsert.setString(7, material.updatedBy());
            upsert.executeUpdate();
        }
    }

    /**
     * The row {@code name}, made first with {@code create} when there is none. Nodes starting together agree on
     * one row: the check and the insert run in one transaction holding a transaction advisory lock on the name,
     * so {@code create} (which may be slow, e.g. making a key) runs on one node only and the others wait for it
     * and read its row.
     *
     * @param create makes the row to store; called at most once, only when the row is missing
     */
    public FoundOrCreated findOrCreate(String name, Supplier<TlsMaterial> create) {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")) {
                    lock.setString(1, name);
                    lock.execute();
                }
                Optional<TlsMaterial> found = find(connection, name);
                if (found.isPresent()) {
                    connection.commit();
                    return new FoundOrCreated(found.get(), false);
                }
                TlsMaterial made = create.get();
                if (!made.name().equals(name)) {
                    throw new IllegalArgumentException("asked for " + name + ", made " + made.name());
                }
                save(connection, made);
                TlsMaterial stored = find(connection, name).orElseThrow();
                connection.commit();
                return new FoundOrCreated(stored, true);
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new StoreQueryException("could not read or create TLS material " + name, e);
        }
    }

    /** A row, and whether {@link #findOrCreate} just made it. */
    public record FoundOrCreated(TlsMaterial material, boolean created) {
    }

    /** What the last renewal of {@code name} did, if one was ever tried. */
    public Optional<TlsRenewalRecord> renewal(String name) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT * FROM tls_renewal WHERE name = ?")) {
            select.setString(1, name);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new TlsRenewalRecord(row.getString("name"), instant(row, "last_attempt_at"),
                        instant(row, "last_success_at"), row.getInt("failures_in_row"), row.getString("last_error"),
                        instant(row, "next_attempt_at"), row.getString("updated_by")));
            }
        } catch (SQLException e) {
            throw new StoreQueryException("could not read the renewal state of " + name, e);
        }
    }

    /** Inserts or replaces the renewal state of {@code record.name()}. */
    public void saveRenewal(TlsRenewalRecord record) {
        String sql = """
                INSERT INTO tls_renewal (name, last_attempt_at, last_success_at, failures_in_row, last_error,
                                         next_attempt_at, updated_by)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (name) DO UPDATE SET last_attempt_at = excluded.last_attempt_at,
                    last_success_at = excluded.last_success_at, failures_in_row = excluded.failures_in_row,
                    last_error = excluded.last_error, next_attempt_at = excluded.next_attempt_at,
                    updated_by = excluded.updated_by""";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement upsert = connection.prepareStatement(sql)) {
            upsert.setString(1, record.name());
            upsert.setTimestamp(2, timestamp(record.lastAttemptAt()));
            upsert.setTimestamp(3, timestamp(record.lastSuccessAt()));
            upsert.setInt(4, record.failuresInRow());
            upsert.setString(5, truncated(record.lastError()));
            upsert.setTimestamp(6, timestamp(record.nextAttemptAt()));
            upsert.setString(7, record.updatedBy());
            upsert.executeUpdate();
        } catch (SQLException e) {
            throw new StoreQueryException("could not save the renewal state of " + record.name(), e);
        }
    }

    /**
     * Takes the lock called {@code lockName} if no other session holds it, without waiting. The lock is a
     * PostgreSQL session advisory lock: it is held by one pooled connection until {@link RenewalLock#close()},
     * and PostgreSQL releases it by itself when the node holding it dies.
     *
     * @return the held lock, or empty when another node holds it
     */
    public Optional<RenewalLock> tryLock(String lockName) {
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_lock(hashtextextended(?, 0))")) {
                lock.setString(1, lockName);
                try (ResultSet row = lock.executeQuery()) {
                    row.next();
                    if (row.getBoolean(1)) {
                        RenewalLock held = new RenewalLock(connection, lockName);
                        connection = null;
                        return Optional.of(held);
                    }
                    return Optional.empty();
                }
            }
        } catch (SQLException e) {
            throw new StoreQueryException("could not try the lock " + lockName, e);
        } finally {
            closeQuietly(connection);
        }
    }

    /**
     * A held advisory lock and the connection that holds it. Closing unlocks and returns the connection.
     *
     * <p>Not thread-safe: the thread that took the lock closes it.
     */
    public static final class RenewalLock implements AutoCloseable {
        private final Connection connection;
        private final String lockName;

        private RenewalLock(Connection connection, String lockName) {
            this.connection = connection;
            this.lockName = lockName;
        }

        @Override
        public void close() {
            try (PreparedStatement unlock = connection.prepareStatement("SELECT pg_advisory_unlock(hashtextextended(?, 0))")) {
                unlock.setString(1, lockName);
                unlock.execute();
            } catch (SQLException e) {
                // The connection is gone, and with its session the lock.
                log.debug("could not unlock {} ({}); its session is closing", lockName, e.getMessage());
            } finally {
                closeQuietly(connection);
            }
        }
    }

    private List<TlsMaterial> query(String sql, String parameter) {
        try (Connection connection = dataSource.getConnection()) {
            return query(connection, sql, parameter);
        } catch (SQLException e) {
            throw new StoreQueryException("could not read TLS material (" + parameter + ")", e);
        }
    }

    private static Optional<TlsMaterial> find(Connection connection, String name) throws SQLException {
        return query(connection, "SELECT * FROM tls_material WHERE name = ?", name).stream().findFirst();
    }

    private static List<TlsMaterial> query(Connection connection, String sql, String parameter) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, parameter);
            try (ResultSet row = select.executeQuery()) {
                List<TlsMaterial> found = new ArrayList<>();
                while (row.next()) {
                    found.add(new TlsMaterial(row.getString("name"), row.getString("chain_pem"),
                            row.getString("account_url"), row.getBytes("sealed_key"), row.getString("master_key_id"),
                            instant(row, "not_after"), instant(row, "updated_at"), row.getString("updated_by")));
                }
                return found;
            }
        }
    }

    private static String truncated(String text) {
        return text == null || text.length() <= 2000 ? text : text.substring(0, 1997) + "...";
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        Timestamp value = row.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                log.debug("closing a connection failed: {}", e.getMessage());
            }
        }
    }
}
