package org.locomov.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

import org.locomov.core.EmailAddresses;

/**
 * Registered users ({@code sub} rows), found by e-mail without regard to case.
 *
 * <p>Thread-safe: holds only the data source; every call borrows its own connection.
 */
public final class UserRepository {

    /** Longest e-mail address accepted (RFC 5321 path limit); {@link EmailAddresses#MAX_LENGTH}. */
    public static final int MAX_EMAIL_LENGTH = EmailAddresses.MAX_LENGTH;

    /** A registered user. */
    public record User(long id, String email, boolean admin, Instant createdAt) {
    }

    private final DataSource dataSource;

    public UserRepository(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** Why {@code email} cannot be a user's address, or empty when it can: {@link EmailAddresses#problem}. */
    public static Optional<String> emailProblem(String email) {
        return EmailAddresses.problem(email);
    }

    /**
     * Registers a user.
     *
     * @return the new user, or empty when a user with this e-mail (in any case) already exists
     * @throws IllegalArgumentException when {@code email} is not an address ({@link #emailProblem})
     */
    public Optional<User> add(String email, boolean admin) {
        emailProblem(email).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
        try (Connection connection = dataSource.getConnection()) {
            return insert(connection, email, admin);
        } catch (SQLException e) {
            throw new StoreQueryException("could not add user " + email, e);
        }
    }

    /** Inserts on the caller's connection, inside the caller's transaction. */
    static Optional<User> insert(Connection connection, String email, boolean admin) throws SQLException {
        // The unique index is on lower(email), so ON CONFLICT cannot name a column; DO NOTHING covers it.
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO sub (email, admin) VALUES (?, ?) ON CONFLICT DO NOTHING RETURNING id, email, admin, created_at")) {
            insert.setString(1, email.strip());
            insert.setBoolean(2, admin);
            try (ResultSet row = insert.executeQuery()) {
                return row.next() ? Optional.of(read(row)) : Optional.empty();
            }
        }
    }

    public Optional<User> findByEmail(String email) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT id, email, admin, created_at FROM sub WHERE lower(email) = lower(?)")) {
            select.setString(1, email.strip());
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(read(row)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreQueryException("could not look up user " + email, e);
        }
    }

    public List<User> list() {
        try (Connection connection = dataSource.getConnection();
             Statement select = connection.createStatement();
             ResultSet rows = select.executeQuery("SELECT id, email, admin, created_at FROM sub ORDER BY id")) {
            List<User> users = new ArrayList<>();
            while (rows.next()) {
                users.add(read(rows));
            }
            return users;
        } catch (SQLException e) {
            throw new StoreQueryException("could not list users", e);
        }
    }

    private static User read(ResultSet row) throws SQLException {
        return new User(row.getLong("id"), row.getString("email"), row.getBoolean("admin"),
                row.getObject("created_at", OffsetDateTime.class).toInstant());
    }
}
