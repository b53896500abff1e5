package org.locomov.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.locomov.store.DeviceAdmin.Scope;

/**
 * Particle devices (a {@code pub} row with a {@code particle_device} row, V9) as the Particle Cloud API shows
 * them to their owners: listed, found by Particle id or name, claimed and released. Ownership is the native
 * API's ({@code pub.creator}, {@link Scope}): a device outside the scope behaves as if it did not exist.
 *
 * <p>Thread-safe: holds only the data source; every call borrows its own connection.
 */
public final class ParticleCloudDevices {

    /** A Particle device: its locomov id, Particle id, name, owner and when it was last heard from. */
    public record View(long deviceId, String particleId, String name, Long creator, Instant lastHeardAt, boolean revoked) {
    }

    /** What a claim did. */
    public enum ClaimOutcome { CLAIMED, ALREADY_YOURS, OWNED_BY_ANOTHER, UNKNOWN }

    private static final String SELECT = """
            SELECT p.pub_id, d.particle_id, p.name, p.creator, p.last_seen_at, p.revoked_at IS NOT NULL AS revoked
            FROM particle_device d JOIN pub p ON p.pub_id = d.pub_id
            """;
    private static final String IN_SCOPE = "(?::bigint IS NULL OR p.creator = ?)";

    private final DataSource dataSource;

    public ParticleCloudDevices(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** The Particle devices in scope, by name then id. */
    public List<View> list(Scope scope) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(SELECT + " WHERE " + IN_SCOPE
                     + " ORDER BY p.name NULLS LAST, p.pub_id")) {
            setScope(select, 1, scope);
            try (ResultSet rows = select.executeQuery()) {
                List<View> devices = new ArrayList<>();
                while (rows.next()) {
                    devices.add(read(rows));
                }
                return devices;
            }
        } catch (SQLException e) {
            throw new StoreQueryException("could not list Particle devices", e);
        }
    }

    /**
     * The device in scope whose Particle id is {@code idOrName} (any case) or, failing that, whose name it is
     * (the lowest id when several share a name).
     */
    public Optional<View> find(String idOrName, Scope scope) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(SELECT + " WHERE (d.particle_id = ? OR p.name = ?) AND "
                     + IN_SCOPE + " ORDER BY (d.particle_id = ?) DESC, p.pub_id LIMIT 1")) {
            String lower = idOrName.toLowerCase(Locale.ROOT);
            select.setString(1, lower);
            select.setString(2, idOrName);
            setScope(select, 3, scope);
            select.setString(5, lower);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(read(row)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreQueryException("could not look up Particle device " + idOrName, e);
        }
    }

    /** The Particle device with locomov id {@code deviceId}, whoever owns it (for event streams). */
    public Optional<View> byDeviceId(long deviceId) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(SELECT + " WHERE p.pub_id = ?")) {
            select.setLong(1, deviceId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(read(row)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreQueryException("could not look up device " + deviceId, e);
        }
    }

    /** Makes {@code subId} the owner of the Particle device {@code particleId} when it has none. */
    public ClaimOutcome claim(String particleId, long subId) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement("""
                     WITH target AS (
                         SELECT p.pub_id, p.creator FROM particle_device d JOIN pub p ON p.pub_id = d.pub_id
                         WHERE d.particle_id = ? FOR UPDATE OF p),
                     claimed AS (
                         UPDATE pub SET creator = ? FROM target
                         WHERE pub.pub_id = target.pub_id AND target.creator IS NULL RETURNING pub.pub_id)
                     SELECT target.creator, EXISTS (SELECT 1 FROM claimed) AS claimed FROM target""")) {
            update.setString(1, particleId.toLowerCase(Locale.ROOT));
            update.setLong(2, subId);
            try (ResultSet row = update.executeQuery()) {
                if (!row.next()) {
                    return ClaimOutcome.UNKNOWN;
                }
                if (row.getBoolean("claimed")) {
                    return ClaimOutcome.CLAIMED;
                }
                return row.getLong("creator") == subId ? ClaimOutcome.ALREADY_YOURS : ClaimOutcome.OWNED_BY_ANOTHER;
            }
        } catch (SQLException e) {
            throw new StoreQueryException("could not claim Particle device " + particleId, e);
        }
    }

    /** Gives up ownership of {@code deviceId}; false when it is not in scope. The device and its data stay. */
    public boolean release(long deviceId, Scope scope) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement(
                     "UPDATE pub p SET creator = NULL WHERE p.pub_id = ? AND p.creator IS NOT NULL AND " + IN_SCOPE)) {
            update.setLong(1, deviceId);
            setScope(update, 2, scope);
            return update.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreQueryException("could not release device " + deviceId, e);
        }
    }

    private static void setScope(PreparedStatement statement, int firstIndex, Scope scope) throws SQLException {
        statement.setObject(firstIndex, scope.creator(), Types.BIGINT);
        statement.setObject(firstIndex + 1, scope.creator(), Types.BIGINT);
    }

    private static View read(ResultSet row) throws SQLException {
        long creator = row.getLong("creator");
        Long owner = row.wasNull() ? null : creator;
        OffsetDateTime lastSeen = row.getObject("last_seen_at", OffsetDateTime.class);
        return new View(row.getLong("pub_id"), row.getString("particle_id"), row.getString("name"), owner,
                lastSeen == null ? null : lastSeen.toInstant(), row.getBoolean("revoked"));
    }
}
