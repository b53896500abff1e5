package org.locomov.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * API tokens: 256-bit random secrets, shown once when created and stored only as their SHA-256
 * (docs/decisions/0601-api-token-hashing.md). Revoked tokens stay in the table so that their use can be
 * told apart from a made-up one in the log.
 *
 * <p>Thread-safe: the {@link SecureRandom} is thread-safe, everything else is per call.
 */
public final class TokenRepository {

    /** Every secret starts with this, so a leaked one is recognisable in logs and by secret scanners. */
    public static final String SECRET_PREFIX = "lm_";
    private static final int SECRET_BYTES = 32;
    /** Longer presented secrets are refused before hashing. */
    private static final int MAX_SECRET_LENGTH = 128;
    /** Longest label kept with a token. */
    public static final int MAX_LABEL_LENGTH = 200;

    /** A token just created; {@code secret} exists only in this object and is never stored. */
    public record NewToken(long id, long subId, String secret) {
        @Override
        public String toString() {
            return "NewToken[id=" + id + ", subId=" + subId + "]";
        }
    }

    /** The user a valid token belongs to. */
    public record TokenOwner(long tokenId, long subId, String email, boolean admin) {
    }

    /** A stored token, without its secret. */
    public record TokenInfo(long id, long subId, String label, Instant createdAt, Instant lastUsedAt, Instant revokedAt) {
    }

    /** The answer to a presented secret: a valid token's owner, or a refusal with the reason for the log. */
    public sealed interface TokenCheck {
        record Valid(TokenOwner owner) implements TokenCheck {
        }

        record Refused(String reason) implements TokenCheck {
        }
    }

    private final DataSource dataSource;
    private final SecureRandom random = new SecureRandom();

    public TokenRepository(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * Creates a token for the user with this e-mail.
     *
     * @return the token with its secret (show it once), or empty when no user has this e-mail
     */
    public Optional<NewToken> create(String email, String label) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT id FROM sub WHERE lower(email) = lower(?)")) {
            select.setString(1, email.strip());
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(insert(connection, row.getLong(1), label));
            }
        } catch (SQLException e) {
            throw new StoreQueryException("could not create a token for " + email, e);
        }
    }

    /** Creates a token for a user known to exist (the caller of the API). */
    public NewToken createFor(long subId, String label) {
        try (Connection connection = dataSource.getConnection()) {
            return insert(connection, subId, label);
        } catch (SQLException e) {
            throw new StoreQueryException("could not create a token for user " + subId, e);
        }
    }

    /**
     * Creates the first user, an admin with {@code email}, and a token for it, in one transaction, but
     * only when no user exists at all; a table lock makes two servers starting together create one.
     *
     * @return the admin's token, or empty when users already existed
     */
    public Optional<NewToken> createFirstAdmin(String email, String label) {
        try {
            return Transactions.run(dataSource, connection -> createFirstAdminIn(connection, email, label));
        } catch (SQLException e) {
            throw new StoreQueryException("could not create the first admin", e);
        }
    }

    private Optional<NewToken> createFirstAdminIn(Connection connection, String email, String label) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            // Blocks a concurrent first start between our check and our insert; readers are not blocked.
            statement.execute("LOCK TABLE sub IN SHARE ROW EXCLUSIVE MODE");
            try (ResultSet any = statement.executeQuery("SELECT EXISTS (SELECT 1 FROM sub)")) {
                any.next();
                if (any.getBoolean(1)) {
                    return Optional.empty();
                }
            }
        }
        UserRepository.User admin = UserRepository.insert(connection, email, true).orElseThrow();
        return Optional.of(insert(connection, admin.id(), label));
    }

    /**
     * Checks a presented secret. A valid token's {@code last_used_at} is brought up to date, at most
     * once a minute, so that busy clients do not write a row per request.
     */
    public TokenCheck check(String presentedSecret) {
        if (presentedSecret == null || presentedSecret.isEmpty()) {
            return new TokenCheck.Refused("no token");
        }
        if (presentedSecret.length() > MAX_SECRET_LENGTH || !presentedSecret.startsWith(SECRET_PREFIX)) {
            return new TokenCheck.Refused("malformed token");
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("""
                     SELECT t.id, t.sub_id, s.email, s.admin, t.revoked_at IS NOT NULL AS revoked,
                            t.last_used_at IS NULL OR t.last_used_at < now() - interval '1 minute' AS stale
                     FROM token t JOIN sub s ON s.id = t.sub_id
                     WHERE t.secret_sha256 = ?""")) {
            select.setBytes(1, sha256(presentedSecret));
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return new TokenCheck.Refused("unknown token");
                }
                long tokenId = row.getLong("id");
                if (row.getBoolean("revoked")) {
                    return new TokenCheck.Refused("revoked token " + tokenId);
                }
                if (row.getBoolean("stale")) {
                    touch(connection, tokenId);
                }
                return new TokenCheck.Valid(new TokenOwner(tokenId, row.getLong("sub_id"), row.getString("email"), row.getBoolean("admin")));
            }
        } catch (SQLException e) {
            throw new StoreQueryException("could not check a token", e);
        }
    }

    /** Tokens of one user, newest first, without secrets. */
    public List<TokenInfo> listOf(long subId) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("""
                     SELECT id, sub_id, label, created_at, last_used_at, revoked_at
                     FROM token WHERE sub_id = ? ORDER BY id DESC""")) {
            select.setLong(1, subId);
            try (ResultSet rows = select.executeQuery()) {
                List<TokenInfo> tokens = new ArrayList<>();
                while (rows.next()) {
                    tokens.add(new TokenInfo(rows.getLong("id"), rows.getLong("sub_id"), rows.getString("label"),
                            instant(rows, "created_at"), instant(rows, "last_used_at"), instant(rows, "revoked_at")));
                }
                return tokens;
            }
        } catch (SQLException e) {
            throw new StoreQueryException("could not list the tokens of user " + subId, e);
        }
    }

    /**
     * Revokes a token. Revoking one that is already revoked changes nothing and still counts as found.
     *
     * @param ownerSubId only a token of this user may be revoked; {@code null} for any token (admins)
     * @return false when no such token exists (or it belongs to another user)
     */
    public boolean revoke(long tokenId, Long ownerSubId) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement("""
                     UPDATE token SET revoked_at = coalesce(revoked_at, now())
                     WHERE id = ? AND (?::bigint IS NULL OR sub_id = ?)""")) {
            update.setLong(1, tokenId);
            update.setObject(2, ownerSubId, Types.BIGINT);
            update.setObject(3, ownerSubId, Types.BIGINT);
            return update.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreQueryException("could not revoke token " + tokenId, e);
        }
    }

    private NewToken insert(Connection connection, long subId, String label) throws SQLException {
        String secret = newSecret();
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO token (sub_id, secret_sha256, label) VALUES (?, ?, ?) RETURNING id")) {
            insert.setLong(1, subId);
            insert.setBytes(2, sha256(secret));
            insert.setString(3, label == null ? null : truncate(label.strip(), MAX_LABEL_LENGTH));
            try (ResultSet row = insert.executeQuery()) {
                row.next();
                return new NewToken(row.getLong(1), subId, secret);
            }
        }
    }

    private static void touch(Connection connection, long tokenId) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE token SET last_used_at = now() WHERE id = ?")) {
            update.setLong(1, tokenId);
            update.executeUpdate();
        }
    }

    private String newSecret() {
        byte[] bytes = new byte[SECRET_BYTES];
        random.nextBytes(bytes);
        return SECRET_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static String truncate(String text, int maxLength) {
        return text.length() <= maxLength ? text : text.substring(0, maxLength);
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
