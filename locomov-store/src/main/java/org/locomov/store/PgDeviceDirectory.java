package org.locomov.store;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import javax.sql.DataSource;
import org.locomov.core.DeviceDirectory;
import org.locomov.core.DeviceStatus;
import org.locomov.core.StorageUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link DeviceDirectory} backed by {@code pub}. Known devices are cached, so the common case
 * answers with one shared, completed future on the caller's thread. A miss is looked up on a
 * virtual thread; concurrent misses for the same id share one lookup. With auto-registration, an
 * unknown id is inserted and becomes known. Only KNOWN answers are cached, each for {@link #KNOWN_TTL}:
 * a device registered by another process (the CLI) is seen at its next lookup, one revoked by another
 * process ({@code locomov device revoke}) within that time, and revocation in this process calls
 * {@link #forget} (docs/decisions/0803-revocation-checked-per-connection.md).
 *
 * <p>Thread-safety: {@link #check} is called from transports' event loops, lookups run on virtual
 * threads; the cache and the in-flight map are concurrent maps and the only shared state.
 */
public final class PgDeviceDirectory implements DeviceDirectory, AutoCloseable {

    /** Beyond this many cached devices, further known devices are looked up each time instead. */
    public static final int MAX_CACHED_DEVICES = 1_000_000;
    /** How long a KNOWN answer is reused: the longest a revocation by another process goes unseen here. */
    public static final Duration KNOWN_TTL = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(PgDeviceDirectory.class);
    private static final CompletableFuture<DeviceStatus> KNOWN = CompletableFuture.completedFuture(DeviceStatus.KNOWN);

    private final DataSource dataSource;
    private final boolean autoRegister;
    /** Known device ids, each with the {@link System#nanoTime()} until which the answer holds. */
    private final Map<Long, Long> knownDevices = new ConcurrentHashMap<>();
    private final long knownTtlNanos;
    private final Map<Long, CompletableFuture<DeviceStatus>> lookupsInFlight = new ConcurrentHashMap<>();
    private final ExecutorService lookups =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("device-lookup-", 0).factory());
    private final Counter autoRegistered;
    private final Counter lookupFailures;

    /** @param autoRegister {@code --auto-register}: unknown ids are registered instead of refused */
    public PgDeviceDirectory(DataSource dataSource, boolean autoRegister, MeterRegistry registry) {
        this(dataSource, autoRegister, registry, KNOWN_TTL);
    }

    /** As above, reusing KNOWN answers for {@code knownTtl} (tests shorten it). */
    PgDeviceDirectory(DataSource dataSource, boolean autoRegister, MeterRegistry registry, Duration knownTtl) {
        this.knownTtlNanos = knownTtl.toNanos();
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.autoRegister = autoRegister;
        this.autoRegistered = Counter.builder("locomov.devices.auto.registered")
                .description("Devices registered on their first reading (--auto-register)")
                .register(registry);
        this.lookupFailures = Counter.builder("locomov.devices.lookup.failed")
                .description("Device lookups that failed because the database was unavailable")
                .register(registry);
        Gauge.builder("locomov.devices.cached", knownDevices, Map::size)
                .description("Known devices answered from memory")
                .register(registry);
    }

    @Override
    public CompletableFuture<DeviceStatus> check(long deviceId) {
        Long knownUntil = knownDevices.get(deviceId);
        if (knownUntil != null && knownUntil - System.nanoTime() > 0) {
            return KNOWN;
        }
        CompletableFuture<DeviceStatus> lookup = new CompletableFuture<>();
        CompletableFuture<DeviceStatus> already = lookupsInFlight.putIfAbsent(deviceId, lookup);
        if (already != null) {
            return already;
        }
        try {
            lookups.execute(() -> answer(deviceId, lookup));
        } catch (RejectedExecutionException e) {
            lookupsInFlight.remove(deviceId, lookup);
            lookup.completeExceptionally(new StorageUnavailableException("device directory closed", null));
        }
        return lookup;
    }

    private void answer(long deviceId, CompletableFuture<DeviceStatus> lookup) {
        try {
            DeviceStatus status = lookUp(deviceId);
            lookupsInFlight.remove(deviceId, lookup);
            lookup.complete(status);
        } catch (RuntimeException e) {
            lookupsInFlight.remove(deviceId, lookup);
            lookup.completeExceptionally(e);
        }
    }

    /**
     * Drops a cached answer, so that the next check reads {@code pub} again: after a revoke or delete here, and
     * on every node when the device plane hears of one on another (decision 1104).
     */
    public void forget(long deviceId) {
        knownDevices.remove(deviceId);
    }

    /** Drops every cached answer (the device plane lost its notifications for a while and may have missed some). */
    public void forgetAll() {
        knownDevices.clear();
    }

    private DeviceStatus lookUp(long deviceId) {
        try (Connection connection = dataSource.getConnection()) {
            Optional<DeviceStatus> status = read(connection, deviceId);
            if (status.isEmpty() && autoRegister && register(connection, deviceId)) {
                autoRegistered.increment();
                log.info("Device {} registered on its first reading (--auto-register)", deviceId);
            }
            if (status.isEmpty() && autoRegister) {
                status = read(connection, deviceId); // ours, or registered concurrently by another node
            }
            DeviceStatus answer = status.orElse(DeviceStatus.UNKNOWN);
            if (answer == DeviceStatus.KNOWN && knownDevices.size() < MAX_CACHED_DEVICES) {
                knownDevices.put(deviceId, System.nanoTime() + knownTtlNanos);
            }
            return answer;
        } catch (SQLException e) {
            lookupFailures.increment();
            throw new StorageUnavailableException("device directory unavailable", e);
        }
    }

    private static Optional<DeviceStatus> read(Connection connection, long deviceId) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT revoked_at IS NOT NULL FROM pub WHERE pub_id = ?")) {
            query.setLong(1, deviceId);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(row.getBoolean(1) ? DeviceStatus.REVOKED : DeviceStatus.KNOWN);
            }
        }
    }

    private static boolean register(Connection connection, long deviceId) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO pub (pub_id) VALUES (?) ON CONFLICT DO NOTHING")) {
            insert.setLong(1, deviceId);
            return insert.executeUpdate() == 1;
        }
    }

    /** Stops the lookup threads; lookups under way finish. */
    @Override
    public void close() {
        lookups.close();
    }
}
