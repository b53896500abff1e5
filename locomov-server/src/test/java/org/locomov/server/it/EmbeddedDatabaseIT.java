package org.locomov.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locomov.store.Database;
import org.locomov.store.DeviceRepository;
import org.locomov.store.StoreSettings;

/**
 * The embedded PostgreSQL admits nobody without its password (issue 12), while serve and the tool commands
 * work, on a data directory the previous locomov made (trust for every local user, superuser postgres).
 */
class EmbeddedDatabaseIT {

    @TempDir
    Path dataDir;

    @Test
    void anOldDataDirectoryIsClosedAtStartAndServeAndTheToolsStillWork() throws Exception {
        makeDataDirectoryAsThePreviousVersionDid();

        try (LocomovProcess server = LocomovProcess.serve(dataDir)) {
            assertThat(server.output()).contains("(user locomov, password in "
                    + dataDir.resolve("postgres/locomov.pgpass") + ")");
            assertThatThrownBy(() -> withoutPassword(server.jdbcUrl(), "postgres")).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> withoutPassword(server.jdbcUrl(), "locomov")).isInstanceOf(SQLException.class);
            try (Connection operator = server.connect(); Statement query = operator.createStatement();
                    ResultSet kept = query.executeQuery("SELECT name FROM pub WHERE pub_id = 5")) {
                assertThat(kept.next()).isTrue();
                assertThat(kept.getString(1)).isEqualTo("kept from before");
            }

            LocomovProcess.Result device = LocomovProcess.run("device", "add", "--id", "6", "--data-dir", dataDir.toString());
            LocomovProcess.Result user = LocomovProcess.run("user", "add", "--email", "ana@example.org",
                    "--data-dir", dataDir.toString());

            assertThat(device.status()).as(device.err()).isZero();
            assertThat(user.status()).as(user.err()).isZero();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir))).isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    dataDir.resolve("postgres/locomov.pgpass")))).isEqualTo("rw-------");
            assertThat(server.stop()).isZero();
        }

        // Without serve, a tool command starts the embedded server itself, with the kept password.
        LocomovProcess.Result alone = LocomovProcess.run("device", "list", "--data-dir", dataDir.toString());
        assertThat(alone.status()).as(alone.err()).isZero();
        assertThat(alone.out()).containsPattern("(?m)^5\\s").containsPattern("(?m)^6\\s");
    }

    /** zonky's initdb (trust, superuser postgres), the schema migrated as postgres, world-readable directories. */
    private void makeDataDirectoryAsThePreviousVersionDid() throws Exception {
        try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(dataDir.resolve("postgres"))
                .setCleanDataDirectory(false).setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("unix_socket_directories", "").start()) {
            try (Connection admin = old.getPostgresDatabase().getConnection(); Statement create = admin.createStatement()) {
                create.execute("CREATE DATABASE locomov");
            }
            StoreSettings asBefore = StoreSettings.external(old.getJdbcUrl("postgres", "locomov"), "postgres", null,
                    Files.createTempDirectory("locomov-old-"));
            try (Database before = Database.open(asBefore, new SimpleMeterRegistry())) {
                new DeviceRepository(before.dataSource()).add(5, "kept from before");
            }
        }
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static void withoutPassword(String jdbcUrl, String user) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        DriverManager.getConnection(jdbcUrl, properties).close();
    }
}
