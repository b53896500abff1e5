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

/**
 * The operator CAs registered in {@code operator_ca}: what every node trusts client certificates from,
 * besides locomov's own device CA. Every change is announced on {@value #CHANNEL} in the same transaction,
 * so other nodes reload their trust anchors as soon as it commits.
 *
 * <p>Thread-safe: each call is its own database round trip.
 */
public final class OperatorCaRepository {

    /** The notification channel a change of the registered CAs is announced on; the payload is empty. */
    public static final String CHANNEL = "locomov_operator_ca";

    /** A registered operator CA: its certificate as PEM, and whether it registers unknown devices. */
    public record OperatorCa(long id, byte[] sha256, String subject, String certificatePem, Instant notAfter,
            boolean autoProvision, Instant registeredAt) {

        public OperatorCa {
            Objects.requireNonNull(sha256, "sha256");
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(certificatePem, "certificatePem");
        }
    }

    private final DataSource dataSource;

    public OperatorCaRepository(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * Registers a CA, or updates its auto-provision flag when the same certificate is registered already.
     *
     * @return the CA as stored
     */
    public OperatorCa register(byte[] sha256, String subject, String certificatePem, Instant notAfter,
            boolean autoProvision) {
        try {
            return Transactions.run(dataSource, connection -> {
                long id;
                try (PreparedStatement upsert = connection.prepareStatement("""
                        INSERT INTO operator_ca (cert_sha256, subject, certificate_pem, not_after, auto_provision)
                        VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT (cert_sha256) DO UPDATE SET auto_provision = excluded.auto_provision
                        RETURNING id""")) {
                    upsert.setBytes(1, sha256);
                    upsert.setString(2, subject);
                    upsert.setString(3, certificatePem);
                    upsert.setTimestamp(4, Timestamp.from(notAfter));
                    upsert.setBoolean(5, autoProvision);
                    try (ResultSet row = upsert.executeQuery()) {
                        row.next();
                        id = row.getLong(1);
                    }
                }
                announce(connection);
                return find(connection, id).orElseThrow();
            });
        } catch (SQLException e) {
            throw new StoreException("could not register the operator CA " + subject, e);
        }
    }

    /** Every registered CA, oldest first. */
    public List<OperatorCa> list() {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(SELECT + " ORDER BY id")) {
            List<OperatorCa> cas = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    cas.add(read(rows));
                }
            }
            return cas;
        } catch (SQLException e) {
            throw new StoreException("could not list the operator CAs", e);
        }
    }

    /**
     * Removes the CA with {@code id}; devices it provisioned stay registered, and their recorded certificates
     * are no longer accepted since no trusted CA signs them.
     *
     * @return false when no CA has that id
     */
    public boolean remove(long id) {
        try {
            return Transactions.run(dataSource, connection -> {
                int removed;
                try (PreparedStatement delete = connection.prepareStatement("DELETE FROM operator_ca WHERE id = ?")) {
                    delete.setLong(1, id);
                    removed = delete.executeUpdate();
                }
                if (removed > 0) {
                    announce(connection);
                }
                return removed > 0;
            });
        } catch (SQLException e) {
            throw new StoreException("could not remove operator CA " + id, e);
        }
    }

    private static final String SELECT = """
            SELECT id, cert_sha256, subject, certificate_pem, not_after, auto_provision, registered_at FROM operator_ca""";

    private static Optional<OperatorCa> find(Connection connection, long id) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(SELECT + " WHERE id = ?")) {
            query.setLong(1, id);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? Optional.of(read(row)) : Optional.empty();
            }
        }
    }

    private static OperatorCa read(ResultSet row) throws SQLException {
        return new OperatorCa(row.getLong(1), row.getBytes(2), row.getString(3), row.getString(4),
                row.getTimestamp(5).toInstant(), row.getBoolean(6), row.getTimestamp(7).toInstant());
    }

    /** Sent at commit, never before: other nodes reload only what is really there. */
    private static void announce(Connection connection) throws SQLException {
        try (PreparedStatement notify = connection.prepareStatement("SELECT pg_notify(?, '')")) {
            notify.setString(1, CHANNEL);
            notify.execute();
        }
    }
}
