package org.locomov.store.testing;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.locomov.store.Database;
import org.locomov.store.EmbeddedServer;
import org.locomov.store.StoreSettings;

/**
 * Real PostgreSQL databases for tests, shipped in this module's test-jar.
 *
 * <p>{@link #fresh()} gives each caller its own migrated, empty database on one embedded server
 * shared by the whole JVM (started lazily in a temporary directory; zonky stops it at JVM exit), so
 * test classes are isolated from each other and cheap to set up. {@link #ownServer()} gives a test
 * that stops and restarts the server a private one.
 *
 * <p>Thread-safety: {@link #fresh()} may be called from parallel tests; the shared server is started
 * once under the class lock.
 */
public final class TestDatabase {

    private static final AtomicInteger DATABASE_NUMBER = new AtomicInteger();
    private static final int TEST_POOL_SIZE = 4;
    private static EmbeddedServer sharedServer; // guarded by TestDatabase.class
    private static Path sharedDirectory; // guarded by TestDatabase.class

    private TestDatabase() {
    }

    /** A new, migrated, empty database on the JVM's shared embedded server. Close it when done. */
    public static Database fresh() {
        EmbeddedServer server = sharedServer();
        String name = "test_" + ProcessHandle.current().pid() + "_" + DATABASE_NUMBER.incrementAndGet();
        server.createDatabaseIfMissing(name);
        StoreSettings settings = StoreSettings.external(server.jdbcUrl(name), server.user(), server.password(), sharedDirectory)
                .withPoolSize(TEST_POOL_SIZE);
        return Database.open(settings, new SimpleMeterRegistry());
    }

    /**
     * A new database on the shared server, not migrated: for tests of a migration, which bring it to an
     * older version with Flyway and then open it with {@link #open(String)}.
     *
     * @return its JDBC URL (log in as {@link #sharedUser()} with {@link #sharedPassword()})
     */
    public static String emptyDatabaseUrl() {
        EmbeddedServer server = sharedServer();
        String name = "test_" + ProcessHandle.current().pid() + "_" + DATABASE_NUMBER.incrementAndGet();
        server.createDatabaseIfMissing(name);
        return server.jdbcUrl(name);
    }

    /** Opens (and so migrates to the newest version) a database made by {@link #emptyDatabaseUrl()}. */
    public static Database open(String jdbcUrl) {
        EmbeddedServer server = sharedServer();
        StoreSettings settings = StoreSettings.external(jdbcUrl, server.user(), server.password(), sharedDirectory)
                .withPoolSize(TEST_POOL_SIZE);
        return Database.open(settings, new SimpleMeterRegistry());
    }

    /** The role the shared server lets in. */
    public static String sharedUser() {
        return sharedServer().user();
    }

    /** That role's password. */
    public static String sharedPassword() {
        return sharedServer().password();
    }

    /** A private embedded server (in a new temporary directory) for a test that stops and starts it. */
    public static StoppableDatabase ownServer() {
        try {
            return new StoppableDatabase(Files.createTempDirectory("locomov-pg-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The single number {@code sql} returns, e.g. {@code count(db, "SELECT count(*) FROM reading WHERE pub_id = ?", 7)}. */
    public static long count(Database database, String sql, Object... args) {
        try (Connection connection = database.dataSource().getConnection();
                PreparedStatement query = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                query.setObject(i + 1, args[i]);
            }
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalStateException("no row from " + sql);
                }
                return row.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** Registers device {@code id} in {@code pub}. */
    public static void addDevice(Database database, long id) {
        execute(database, "INSERT INTO pub (pub_id) VALUES (?)", id);
    }

    /** Runs one statement with bind parameters, for test set-up. */
    public static void execute(Database database, String sql, Object... args) {
        try (Connection connection = database.dataSource().getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                statement.setObject(i + 1, args[i]);
            }
            statement.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private static synchronized EmbeddedServer sharedServer() {
        if (sharedServer == null) {
            try {
                sharedDirectory = Files.createTempDirectory("locomov-pg-shared-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            sharedServer = EmbeddedServer.start(sharedDirectory.resolve("postgres"), 0);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                sharedServer.close();
                deleteQuietly(sharedDirectory);
            }, "test-postgres-cleanup"));
        }
        return sharedServer;
    }

    static void deleteQuietly(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // A temporary directory left behind is harmless.
        }
    }
}
