package org.locomov.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL locomov stores into, ready to use: the embedded server started (or joined, when
 * another locomov process on the same data directory runs it) or the external one reached, the
 * schema migrated by Flyway, a HikariCP pool open and this month's partitions in place.
 *
 * <p>Thread-safety: {@link #open} and {@link #close} are called by the owner's thread; the pool
 * handed out by {@link #dataSource()} is thread-safe.
 */
public final class Database implements AutoCloseable {

    /** The database the embedded server keeps locomov's tables in. */
    public static final String EMBEDDED_DATABASE = "locomov";

    private static final Logger log = LoggerFactory.getLogger(Database.class);
    private static final int CONNECT_TIMEOUT_SECONDS = 5;
    private static final Duration POOL_CONNECTION_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration POOL_IDLE_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration POOL_MAX_LIFETIME = Duration.ofMinutes(30);

    private final HikariDataSource pool;
    private final String jdbcUrl;
    private final String user; // nullable: the driver's default
    private final String password; // nullable
    private final EmbeddedServer embeddedServer; // null for an external PostgreSQL
    private final PartitionMaintenance partitionMaintenance;
    private final Properties connectionProperties;

    private Database(HikariDataSource pool, String jdbcUrl, String user, String password, EmbeddedServer embeddedServer,
            PartitionMaintenance partitionMaintenance) {
        this.pool = pool;
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.connectionProperties = connectionProperties(user, password);
        this.embeddedServer = embeddedServer;
        this.partitionMaintenance = partitionMaintenance;
    }

    /**
     * Opens the store described by {@code settings}.
     *
     * @throws StoreStartupException with a message fit for the operator when the database cannot be
     *         reached, started or migrated
     */
    public static Database open(StoreSettings settings, MeterRegistry registry) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(registry, "registry");
        EmbeddedServer server = null;
        String url;
        String user;
        String password;
        ownerOnlyDataDirectory(settings.dataDir());
        if (settings.usesEmbeddedServer()) {
            server = EmbeddedServer.startOrAttach(settings.embeddedDirectory(), settings.embeddedPort());
            url = server.jdbcUrl(EMBEDDED_DATABASE);
            user = server.user();
            password = server.password();
        } else {
            url = settings.jdbcUrl();
            user = settings.user();
            password = settings.password();
        }
        try {
            Properties connection = connectionProperties(user, password);
            if (server != null) {
                server.createDatabaseIfMissing(EMBEDDED_DATABASE);
            }
            checkReachable(url, connection);
            migrate(url, user, password);
            HikariDataSource pool = openPool(url, connection, settings.poolSize(), registry);
            PartitionMaintenance maintenance =
                    new PartitionMaintenance(pool, settings.retention(), Clock.systemUTC());
            Database database = new Database(pool, url, user, password, server, maintenance);
            database.runPartitionMaintenance();
            return database;
        } catch (RuntimeException e) {
            if (server != null) {
                server.close();
            }
            throw e;
        }
    }

    /** The data directory holds logs naming devices and peers, and keys: its owner only may enter it. */
    private static void ownerOnlyDataDirectory(java.nio.file.Path dataDir) {
        try {
            OwnerOnlyFiles.directory(dataDir);
        } catch (java.io.IOException e) {
            throw new StoreStartupException("cannot create the data directory " + dataDir + " (--data-dir) "
                    + "readable by its owner only: " + e);
        }
    }

    private static Properties connectionProperties(String user, String password) {
        Properties properties = new Properties();
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        properties.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
        properties.setProperty("ApplicationName", "locomov");
        properties.setProperty("tcpKeepAlive", "true");
        return properties;
    }

    /** One plain connection first, so that a wrong URL gives one clear line rather than a pool's stack trace. */
    private static void checkReachable(String url, Properties connection) {
        try (Connection probe = DriverManager.getConnection(url, connection)) {
            log.info("Using PostgreSQL {} at {}", probe.getMetaData().getDatabaseProductVersion(),
                    JdbcUrls.withoutPassword(url));
        } catch (SQLException e) {
            throw new StoreStartupException("cannot connect to PostgreSQL at " + JdbcUrls.withoutPassword(url)
                    + " (--db-url, --db-user, --db-password): " + e.getMessage());
        }
    }

    private static void migrate(String url, String user, String password) {
        try {
            var result = Flyway.configure()
                    .dataSource(url, user, password)
                    .locations("classpath:db/migration")
                    // Migration numbers are handed out to parallel work; a lower number merged after a higher
                    // one was applied must still be applied, not refused.
                    .outOfOrder(true)
                    .load()
                    .migrate();
            if (result.migrationsExecuted > 0) {
                log.info("Database schema migrated to version {} ({} migrations)",
                        result.targetSchemaVersion, result.migrationsExecuted);
            }
        } catch (FlywayException e) {
            throw new StoreStartupException("could not migrate the schema of " + JdbcUrls.withoutPassword(url)
                    + ": " + e.getMessage());
        }
    }

    private static HikariDataSource openPool(String url, Properties connection, int poolSize, MeterRegistry registry) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("locomov");
        config.setJdbcUrl(url);
        config.setDataSourceProperties(connection);
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(Math.min(2, poolSize));
        config.setConnectionTimeout(POOL_CONNECTION_TIMEOUT.toMillis());
        config.setIdleTimeout(POOL_IDLE_TIMEOUT.toMillis());
        config.setMaxLifetime(POOL_MAX_LIFETIME.toMillis());
        config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreStartupException("cannot open a connection pool to " + JdbcUrls.withoutPassword(url)
                    + ": " + e.getMessage());
        }
    }

    private void runPartitionMaintenance() {
        try {
            partitionMaintenance.runOnce();
        } catch (StoreException e) {
            // Readings still land in the default partition, so this must not stop the server.
            log.warn("Partition maintenance failed, will retry on its next run: {}", e.getMessage());
        }
    }

    /** The connection pool; thread-safe. */
    public DataSource dataSource() {
        return pool;
    }

    /**
     * A new connection of its own, outside the pool, for a caller that keeps it open for long (the LISTEN
     * connection of the device plane): a pooled connection would carry its LISTENs to the next borrower.
     */
    public Connection dedicatedConnection() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, connectionProperties);
    }

    /** The URL the pool connects to (it may carry a password; show it with care). */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** The user the pool logs in as: the embedded server's role, or {@code --db-user}; nullable. */
    public String user() {
        return user;
    }

    /** That user's password (the embedded server's, or {@code --db-password}); nullable, never log it. */
    public String password() {
        return password;
    }

    /** The embedded server's owner-only password file (libpq format, for {@code PGPASSFILE}), if embedded. */
    public java.util.Optional<java.nio.file.Path> passwordFile() {
        return java.util.Optional.ofNullable(embeddedServer).map(EmbeddedServer::passwordFile);
    }

    /** True when the data lives in the embedded server (started by this process or another). */
    public boolean embedded() {
        return embeddedServer != null;
    }

    /** Creates and drops packet partitions; {@link #open} ran it once, the server schedules it daily. */
    public PartitionMaintenance partitionMaintenance() {
        return partitionMaintenance;
    }

    /** Closes the pool, then stops the embedded server if this process started it. */
    @Override
    public void close() {
        pool.close();
        if (embeddedServer != null) {
            embeddedServer.close();
        }
    }
}
