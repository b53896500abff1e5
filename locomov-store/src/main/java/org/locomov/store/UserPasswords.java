package org.locomov.store;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.locomov.store.UserRepository.User;

/**
 * Users' passwords, for clients that log in with one (the Particle API's OAuth password grant): set with
 * {@code locomov user passwd}, kept only as a PBKDF2 hash ({@link PasswordHashes}), checked in time that does
 * not tell an unknown user from a wrong password.
 *
 * <p>Thread-safe: holds only the data source and a {@link SecureRandom}; every call borrows its own connection.
 */
public final class UserPasswords {

    /** Why a password could not be set. */
    public sealed interface SetResult {
        record Set(User user) implements SetResult {
        }

        record UnknownUser() implements SetResult {
        }

        record Refused(String reason) implements SetResult {
        }
    }

    private final DataSource dataSource;
    private final SecureRandom random = new SecureRandom();

    public UserPasswords(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** Sets (or replaces) the password of the user with {@code email}. Wipes {@code password} either way. */
    public SetResult set(String email, char[] password) {
        try {
            String problem = PasswordHashes.problem(password);
            if (problem != null) {
                return new SetResult.Refused(problem);
            }
            String hash = PasswordHashes.hash(password, random);
            try (Connection connection = dataSource.getConnection();
                 PreparedStatement update = connection.prepareStatement("""
                         UPDATE sub SET password_hash = ?, password_set_at = now() WHERE lower(email) = lower(?)
                         RETURNING id, email, admin, created_at""")) {
                update.setString(1, hash);
                update.setString(2, email.strip());
                try (ResultSet row = update.executeQuery()) {
                    return row.next() ? new SetResult.Set(read(row)) : new SetResult.UnknownUser();
                }
            } catch (SQLException e) {
                throw new StoreQueryException("could not set the password of " + email, e);
            }
        } finally {
            PasswordHashes.wipe(password);
        }
    }

    /**
     * The user with {@code email} when {@code password} is theirs; empty for an unknown user, a user without a
     * password, or a wrong password, all in about the same time. Wipes {@code password}.
     */
    public Optional<User> check(String email, char[] password) {
        try {
            if (email == null || password.length == 0 || password.length > PasswordHashes.MAX_PASSWORD_LENGTH) {
                return Optional.empty();
            }
            User user = null;
            String stored = null;
            try (Connection connection = dataSource.getConnection();
                 PreparedStatement select = connection.prepareStatement(
                         "SELECT id, email, admin, created_at, password_hash FROM sub WHERE lower(email) = lower(?)")) {
                select.setString(1, email.strip());
                try (ResultSet row = select.executeQuery()) {
                    if (row.next()) {
                        user = read(row);
                        stored = row.getString("password_hash");
                    }
                }
            } catch (SQLException e) {
                throw new StoreQueryException("could not check the password of " + email, e);
            }
            boolean matches = PasswordHashes.matches(password, stored);
            return matches && user != null ? Optional.of(user) : Optional.empty();
        } finally {
            PasswordHashes.wipe(password);
        }
    }

    private static User read(ResultSet row) throws SQLException {
        return new User(row.getLong("id"), row.getString("email"), row.getBoolean("admin"),
                row.getObject("created_at", OffsetDateTime.class).toInstant());
    }
}
