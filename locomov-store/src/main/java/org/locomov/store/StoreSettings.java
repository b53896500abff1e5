package org.locomov.store;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how locomov keeps its data, checked once when built. Messages name the command-line
 * option an operator has to fix.
 *
 * @param jdbcUrl      {@code --db-url}: an external PostgreSQL ({@code jdbc:postgresql://HOST:PORT/DB});
 *                     {@code null} (the default) runs the embedded PostgreSQL
 * @param user         {@code --db-user}; nullable (the URL or the driver's default then applies).
 *                     Ignored by the embedded server, whose superuser is {@code postgres}
 * @param password     {@code --db-password}; nullable. Never shown by {@link #toString()}
 * @param dataDir      {@code --data-dir} (default {@code ./locomov-data}); the embedded server keeps
 *                     its files in {@code dataDir/postgres}
 * @param embeddedPort {@code --embedded-db-port}: the embedded server's port on 127.0.0.1; 0 (the
 *                     default) picks a free one at each start
 * @param poolSize     {@code --db-pool-size}: connections in the pool, 1 to {@value #MAX_POOL_SIZE}
 *                     (default {@value #DEFAULT_POOL_SIZE})
 * @param retention    {@code --retention-days}: readings older than this are dropped by whole monthly
 *                     partitions; {@link Duration#ZERO} (the default) keeps them forever
 */
public record StoreSettings(
        String jdbcUrl,
        String user,
        String password,
        Path dataDir,
        int embeddedPort,
        int poolSize,
        Duration retention) {

    public static final int DEFAULT_POOL_SIZE = 8;
    public static final int MAX_POOL_SIZE = 200;
    public static final Duration KEEP_FOREVER = Duration.ZERO;

    private static final String JDBC_PREFIX = "jdbc:postgresql:";

    public StoreSettings {
        Objects.requireNonNull(dataDir, "--data-dir is required");
        Objects.requireNonNull(retention, "--retention-days is required");
        if (jdbcUrl != null && !jdbcUrl.startsWith(JDBC_PREFIX)) {
            throw new IllegalArgumentException(
                    "--db-url must start with " + JDBC_PREFIX + "//, was " + JdbcUrls.withoutPassword(jdbcUrl));
        }
        if (embeddedPort < 0 || embeddedPort > 65_535) {
            throw new IllegalArgumentException("--embedded-db-port must be 0 (any free port) to 65535, was " + embeddedPort);
        }
        if (poolSize < 1 || poolSize > MAX_POOL_SIZE) {
            throw new IllegalArgumentException("--db-pool-size must be 1 to " + MAX_POOL_SIZE + ", was " + poolSize);
        }
        if (retention.isNegative() || (!retention.isZero() && retention.compareTo(Duration.ofDays(1)) < 0)) {
            throw new IllegalArgumentException(
                    "--retention-days must be 0 (keep forever) or at least 1 day, was " + retention);
        }
    }

    /** The default: the embedded PostgreSQL under {@code dataDir}, readings kept forever. */
    public static StoreSettings embedded(Path dataDir) {
        return new StoreSettings(null, null, null, dataDir, 0, DEFAULT_POOL_SIZE, KEEP_FOREVER);
    }

    /** An external PostgreSQL, readings kept forever. */
    public static StoreSettings external(String jdbcUrl, String user, String password, Path dataDir) {
        Objects.requireNonNull(jdbcUrl, "--db-url");
        return new StoreSettings(jdbcUrl, user, password, dataDir, 0, DEFAULT_POOL_SIZE, KEEP_FOREVER);
    }

    public StoreSettings withPoolSize(int newPoolSize) {
        return new StoreSettings(jdbcUrl, user, password, dataDir, embeddedPort, newPoolSize, retention);
    }

    public StoreSettings withRetention(Duration newRetention) {
        return new StoreSettings(jdbcUrl, user, password, dataDir, embeddedPort, poolSize, newRetention);
    }

    public StoreSettings withEmbeddedPort(int newPort) {
        return new StoreSettings(jdbcUrl, user, password, dataDir, newPort, poolSize, retention);
    }

    public boolean usesEmbeddedServer() {
        return jdbcUrl == null;
    }

    /** The embedded server's own directory (its PGDATA). */
    public Path embeddedDirectory() {
        return dataDir.resolve("postgres");
    }

    @Override
    public String toString() {
        return "StoreSettings[jdbcUrl=" + (jdbcUrl == null ? "(embedded)" : JdbcUrls.withoutPassword(jdbcUrl))
                + ", user=" + user + ", password=" + (password == null ? "(none)" : "***")
                + ", dataDir=" + dataDir + ", embeddedPort=" + embeddedPort + ", poolSize=" + poolSize
                + ", retention=" + retention + "]";
    }
}
