package org.locomov.particle.keys;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.sql.DataSource;

/**
 * Particle devices in PostgreSQL (table {@code particle_device}, migration V9): looked up by the listener,
 * registered by {@code locomov particle keys}. A registration of a new Particle id creates its locomov
 * device ({@code pub}) with the next free id, under the same advisory lock as confirmations (decision 0900).
 *
 * <p>Thread-safe: every call takes its own pooled connection; lookups run on {@code executor}.
 */
public final class PgParticleDevices implements ParticleDevices, AutoCloseable {

    /** The confirmations' advisory lock (ConfoRepository): new pub ids are handed out one at a time. */
    private static final long NEW_DEVICE_LOCK_KEY = 0x636f6e666fL;

    private final DataSource dataSource;
    private final Executor executor;
    private final java.util.concurrent.ExecutorService owned;

    public PgParticleDevices(DataSource dataSource, Executor executor) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.owned = null;
    }

    private PgParticleDevices(DataSource dataSource, java.util.concurrent.ExecutorService owned) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.executor = owned;
        this.owned = owned;
    }

    /** Lookups on two threads of its own (a lookup is one indexed query), stopped by {@link #close}. */
    public static PgParticleDevices withOwnThreads(DataSource dataSource) {
        return new PgParticleDevices(dataSource, java.util.concurrent.Executors.newFixedThreadPool(2,
                Thread.ofPlatform().daemon().name("particle-keys-", 0).factory()));
    }

    @Override
    public void close() {
        if (owned != null) {
            owned.shutdown();
        }
    }

    @Override
    public CompletableFuture<Optional<ParticleDevice>> find(String particleId) {
        return CompletableFuture.supplyAsync(() -> findNow(particleId), executor);
    }

    /** The lookup, on the caller's thread. */
    public Optional<ParticleDevice> findNow(String particleId) {
        String sql = """
                SELECT d.particle_id, d.pub_id, d.public_key, p.revoked_at IS NOT NULL AS revoked
                FROM particle_device d JOIN pub p ON p.pub_id = d.pub_id WHERE d.particle_id = ?""";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, particleId);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new ParticleDevice(row.getLong("pub_id"), row.getString("particle_id"),
                        RsaKeys.fromDer(row.getBytes("public_key")), row.getBoolean("revoked")));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not look up Particle device " + particleId + ": " + e.getMessage(), e);
        }
    }

    @Override
    public CompletableFuture<Map<Long, DeviceOwner>> owners(Set<Long> deviceIds) {
        return CompletableFuture.supplyAsync(() -> ownersNow(deviceIds), executor);
    }

    /** {@link #owners}, on the caller's thread: one indexed query. */
    public Map<Long, DeviceOwner> ownersNow(Set<Long> deviceIds) {
        String sql = """
                SELECT p.pub_id, p.creator, d.particle_id
                FROM pub p LEFT JOIN particle_device d ON d.pub_id = p.pub_id WHERE p.pub_id = ANY (?)""";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(sql)) {
            select.setArray(1, connection.createArrayOf("bigint", deviceIds.toArray()));
            Map<Long, DeviceOwner> owners = new HashMap<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    long creator = row.getLong("creator");
                    owners.put(row.getLong("pub_id"), new DeviceOwner(row.wasNull() ? null : creator,
                            row.getString("particle_id")));
                }
            }
            return owners;
        } catch (SQLException e) {
            throw new IllegalStateException("could not look up the owners of devices " + deviceIds + ": " + e.getMessage(), e);
        }
    }

    /** What {@link #register} did. */
    public record Registration(long deviceId, boolean created) {
    }

    /**
     * Registers {@code key} for Particle id {@code particleId}: replaces the key of a known id, else creates a
     * locomov device named {@code name} (nullable) with the next free id.
     */
    public Registration register(String particleId, java.security.interfaces.RSAPublicKey key, String name) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                Registration registration = register(connection, particleId, RsaKeys.spki(key), name);
                connection.commit();
                return registration;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        }
    }

    private static Registration register(Connection connection, String particleId, byte[] key, String name)
            throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            lock.setLong(1, NEW_DEVICE_LOCK_KEY);
            lock.execute();
        }
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE particle_device SET public_key = ?, updated_at = now() WHERE particle_id = ? RETURNING pub_id")) {
            update.setBytes(1, key);
            update.setString(2, particleId);
            try (ResultSet row = update.executeQuery()) {
                if (row.next()) {
                    long deviceId = row.getLong(1);
                    if (name != null) {
                        try (PreparedStatement rename = connection.prepareStatement("UPDATE pub SET name = ? WHERE pub_id = ?")) {
                            rename.setString(1, name);
                            rename.setLong(2, deviceId);
                            rename.executeUpdate();
                        }
                    }
                    return new Registration(deviceId, false);
                }
            }
        }
        long deviceId;
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO pub (pub_id, name) SELECT coalesce(max(pub_id), 0) + 1, ? FROM pub RETURNING pub_id")) {
            insert.setString(1, name != null ? name : "particle-" + particleId);
            try (ResultSet row = insert.executeQuery()) {
                row.next();
                deviceId = row.getLong(1);
            }
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO particle_device (particle_id, pub_id, public_key) VALUES (?, ?, ?)")) {
            insert.setString(1, particleId);
            insert.setLong(2, deviceId);
            insert.setBytes(3, key);
            insert.executeUpdate();
        }
        return new Registration(deviceId, true);
    }
}
