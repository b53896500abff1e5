package org.locomov.store.testing;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import org.locomov.store.Database;
import org.locomov.store.EmbeddedServer;
import org.locomov.store.StoreSettings;

/**
 * A database on a private embedded server that a test can stop and start again on the same data
 * directory and port, so the {@link #database()}'s pool reconnects by itself once it is back.
 *
 * <p>Thread-safety: stop and start from the test's thread; {@link #database()} may be used anywhere.
 */
public final class StoppableDatabase implements AutoCloseable {

    private static final String DATABASE_NAME = "locomov";

    private final Path directory;
    private final int port;
    private final Database database;
    private EmbeddedServer server; // null while stopped; touched by the test thread only

    StoppableDatabase(Path directory) {
        this.directory = directory;
        this.server = EmbeddedServer.start(directory.resolve("postgres"), 0);
        this.port = server.port();
        server.createDatabaseIfMissing(DATABASE_NAME);
        StoreSettings settings = StoreSettings.external(server.jdbcUrl(DATABASE_NAME), server.user(), server.password(), directory)
                .withPoolSize(4);
        this.database = Database.open(settings, new SimpleMeterRegistry());
    }

    public Database database() {
        return database;
    }

    /** Stops the server (fast shutdown: open sessions are ended). */
    public void stopServer() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** Starts the server again on the same data directory and port. */
    public void startServer() {
        if (server == null) {
            server = EmbeddedServer.start(directory.resolve("postgres"), port);
        }
    }

    @Override
    public void close() {
        database.close();
        stopServer();
        TestDatabase.deleteQuietly(directory);
    }
}
