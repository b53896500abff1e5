package org.locomov.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL: a real server (zonky's binaries) whose files live in one directory and
 * survive restarts. Either this process started it and stops it on {@link #close()}, or another
 * process on the same directory had already started it (say {@code locomov serve} while an operator
 * runs {@code locomov device add}) and this one only connects to it and leaves it running.
 *
 * <p>It listens on 127.0.0.1 only, with no Unix socket, and lets in one role, {@value EmbeddedCredentials#ROLE},
 * with the random password kept owner-only in the directory ({@link EmbeddedCredentials}, {@link HostAccess});
 * the directory itself is owner-only. A directory an older locomov made (trusting everyone as
 * {@code postgres}) is given its password at the next start, before the server listens ({@link RoleBootstrap}).
 * See docs/decisions/0102-embedded-postgresql.md.
 *
 * <p>Thread-safety: created and closed by one thread; the accessors read final fields.
 */
public final class EmbeddedServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedServer.class);
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);
    private static final int CONNECT_TIMEOUT_SECONDS = 5;
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final String DUPLICATE_DATABASE = "42P04";

    private final Path directory;
    private final int port;
    private final EmbeddedCredentials credentials;
    private final EmbeddedPostgres ownServer; // null when attached to another process's server

    private EmbeddedServer(Path directory, int port, EmbeddedCredentials credentials, EmbeddedPostgres ownServer) {
        this.directory = directory;
        this.port = port;
        this.credentials = credentials;
        this.ownServer = ownServer;
    }

    /**
     * Connects to the server already running on {@code directory} if there is one, else starts one.
     *
     * @param port the port to start on; 0 picks a free one. Ignored when attaching.
     */
    public static EmbeddedServer startOrAttach(Path directory, int port) {
        Optional<RunningPostmaster> running = RunningPostmaster.find(directory);
        if (running.isPresent()) {
            return attach(directory, running.get());
        }
        return start(directory, port);
    }

    /** Starts a server on {@code directory}, creating the cluster on first use. */
    public static EmbeddedServer start(Path directory, int port) {
        try {
            OwnerOnlyFiles.directory(directory);
            Optional<EmbeddedCredentials> kept = EmbeddedCredentials.read(directory);
            EmbeddedCredentials credentials = kept.orElseGet(EmbeddedCredentials::generate);
            EmbeddedPostgres server = EmbeddedPostgres.builder()
                    .setDataDirectory(directory)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setPGStartupWait(STARTUP_WAIT)
                    .setOverrideWorkingDirectory(RoleBootstrap.workingDirectory().toFile())
                    // After initdb (which trusts everyone) and before the server starts: password, pg_hba.conf.
                    .setDataDirectoryCustomizer(pgData -> secure(directory, credentials, kept.isEmpty()))
                    // zonky's own readiness check logs in like everyone else must.
                    .setConnectConfig("user", credentials.role())
                    .setConnectConfig("password", credentials.password())
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("unix_socket_directories", "")
                    .setServerConfig("password_encryption", "scram-sha-256")
                    // zonky turns this off for test speed; an acknowledged reading must survive a crash.
                    .setServerConfig("synchronous_commit", "on")
                    // The server's own log, bounded to one file per weekday, next to its data.
                    .setServerConfig("logging_collector", "on")
                    .setServerConfig("log_directory", "log")
                    .setServerConfig("log_filename", "postgresql-%a.log")
                    .setServerConfig("log_truncate_on_rotation", "on")
                    .setServerConfig("log_rotation_age", "1d")
                    .setServerConfig("log_rotation_size", "0")
                    .start();
            log.info("Embedded PostgreSQL started on 127.0.0.1:{}, data in {}", server.getPort(), directory);
            return new EmbeddedServer(directory, server.getPort(), credentials, server);
        } catch (StoreStartupException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new StoreStartupException("could not start the embedded PostgreSQL in " + directory
                    + (port == 0 ? "" : " on port " + port + " (--embedded-db-port; is it in use?)")
                    + ": " + e.getMessage() + "; its log is in " + directory.resolve("log"));
        }
    }

    /**
     * Before the server starts: on a directory without a password yet (new, or from an older locomov) the
     * role gets one in single-user mode and the password file is written; then, every time, pg_hba.conf.
     */
    private static void secure(Path directory, EmbeddedCredentials credentials, boolean newPassword) {
        try {
            if (newPassword) {
                RoleBootstrap.run(directory, credentials);
                credentials.write(directory);
                log.info("Embedded PostgreSQL: role {} now logs in with the password in {}", credentials.role(),
                        EmbeddedCredentials.file(directory));
            }
            HostAccess.write(directory, credentials.role());
        } catch (IOException e) {
            throw new StoreStartupException("could not secure the embedded PostgreSQL in " + directory + ": "
                    + e.getMessage());
        }
    }

    private static EmbeddedServer attach(Path directory, RunningPostmaster running) {
        EmbeddedCredentials credentials = EmbeddedCredentials.read(directory).orElseThrow(() ->
                new StoreStartupException("the PostgreSQL running on " + directory + " (pid " + running.pid()
                        + ") was started by an older locomov and has no password yet; stop it and start locomov again"));
        EmbeddedServer server = new EmbeddedServer(directory, running.port(), credentials, null);
        try (Connection probe = server.connect("postgres")) {
            log.info("Using the embedded PostgreSQL {} already running on 127.0.0.1:{} (pid {}), data in {}",
                    probe.getMetaData().getDatabaseProductVersion(), running.port(), running.pid(), directory);
            return server;
        } catch (SQLException e) {
            throw new StoreStartupException("a PostgreSQL seems to be running on " + directory + " (pid "
                    + running.pid() + ", port " + running.port() + ") but it does not answer on 127.0.0.1: "
                    + e.getMessage() + ". If no such server runs, remove "
                    + directory.resolve(RunningPostmaster.PID_FILE));
        }
    }

    public int port() {
        return port;
    }

    /** True when this process started the server (and {@link #close()} stops it). */
    public boolean owned() {
        return ownServer != null;
    }

    public Path directory() {
        return directory;
    }

    /** The role locomov (and an operator's psql) logs in as. */
    public String user() {
        return credentials.role();
    }

    /** That role's password, as kept in {@link #passwordFile()}; never log it. */
    public String password() {
        return credentials.password();
    }

    /** The owner-only password file, in libpq's format (for {@code PGPASSFILE}). */
    public Path passwordFile() {
        return EmbeddedCredentials.file(directory);
    }

    public String jdbcUrl(String database) {
        return JdbcUrls.loopback(port, database);
    }

    /** Creates {@code database} unless it exists; safe when several processes race to do it. */
    public void createDatabaseIfMissing(String database) {
        if (!DATABASE_NAME.matcher(database).matches()) {
            throw new IllegalArgumentException("not a plain database name: " + database);
        }
        try (Connection connection = connect("postgres");
                PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, database);
            try (ResultSet row = exists.executeQuery()) {
                if (row.next()) {
                    return;
                }
            }
            try (Statement create = connection.createStatement()) {
                // A database name cannot be a bind parameter; it was checked against DATABASE_NAME above.
                create.execute("CREATE DATABASE " + database);
                log.info("Created database {} in the embedded PostgreSQL", database);
            }
        } catch (SQLException e) {
            if (!DUPLICATE_DATABASE.equals(e.getSQLState())) {
                throw new StoreStartupException("could not create database " + database
                        + " in the embedded PostgreSQL on 127.0.0.1:" + port + ": " + e.getMessage());
            }
        }
    }

    /** A plain connection as locomov's role, for administration. */
    public Connection connect(String database) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", credentials.role());
        properties.setProperty("password", credentials.password());
        properties.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
        return DriverManager.getConnection(jdbcUrl(database), properties);
    }

    /** Stops the server if this process started it; leaves another process's server running. */
    @Override
    public void close() {
        if (ownServer == null) {
            return;
        }
        try {
            ownServer.close();
            log.info("Embedded PostgreSQL on 127.0.0.1:{} stopped", port);
        } catch (IOException e) {
            log.warn("Embedded PostgreSQL in {} did not stop cleanly: {}", directory, e.getMessage());
        }
    }

    /** What {@code postmaster.pid} says about a live server on a data directory. */
    record RunningPostmaster(long pid, int port) {

        static final String PID_FILE = "postmaster.pid";
        private static final int PID_LINE = 0;
        private static final int PORT_LINE = 3;

        /** The server running on {@code directory}, if its pid file names a live process. */
        static Optional<RunningPostmaster> find(Path directory) {
            Path pidFile = directory.resolve(PID_FILE);
            if (!Files.isRegularFile(pidFile)) {
                return Optional.empty();
            }
            try {
                List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
                if (lines.size() <= PORT_LINE) {
                    return Optional.empty(); // still being written by a starting server
                }
                long pid = Long.parseLong(lines.get(PID_LINE).trim());
                int port = Integer.parseInt(lines.get(PORT_LINE).trim());
                boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
                return alive ? Optional.of(new RunningPostmaster(pid, port)) : Optional.empty();
            } catch (IOException | NumberFormatException e) {
                // A stale or torn pid file: PostgreSQL itself decides when it starts on this directory.
                log.debug("Ignoring unreadable {}: {}", pidFile, e.getMessage());
                return Optional.empty();
            }
        }
    }
}
