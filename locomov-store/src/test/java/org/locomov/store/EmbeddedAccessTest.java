package org.locomov.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.locomov.store.testing.TestDatabase.count;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who may reach the embedded PostgreSQL: locomov's role with its password, and nobody else (issue 12). */
class EmbeddedAccessTest {

    @TempDir
    Path dataDir;

    private static Connection connect(Database database, String user, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        if (password != null) {
            properties.setProperty("password", password);
        }
        return DriverManager.getConnection(database.jdbcUrl(), properties);
    }

    @Test
    void aConnectionWithoutThePasswordIsRefusedWhateverTheRole() {
        try (Database database = Database.open(StoreSettings.embedded(dataDir), new SimpleMeterRegistry())) {
            assertThat(database.user()).isEqualTo("locomov");
            assertThatThrownBy(() -> connect(database, "postgres", null).close())
                    .isInstanceOf(SQLException.class).hasMessageContaining("postgres");
            assertThatThrownBy(() -> connect(database, "locomov", null).close())
                    .isInstanceOf(SQLException.class).hasMessageContaining("password");
            assertThatThrownBy(() -> connect(database, "locomov", "guessed").close())
                    .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
            assertThatThrownBy(() -> connect(database, "postgres", database.password()).close())
                    .isInstanceOf(SQLException.class).hasMessageContaining("no pg_hba.conf entry");
        }
    }

    @Test
    void theDataDirectoryAndThePasswordFileAreTheOwnersOnly() throws IOException {
        try (Database database = Database.open(StoreSettings.embedded(dataDir), new SimpleMeterRegistry())) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir))).isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("postgres"))))
                    .isEqualTo("rwx------");
            Path passwordFile = database.passwordFile().orElseThrow();
            assertThat(passwordFile).isEqualTo(dataDir.resolve("postgres/locomov.pgpass"));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile))).isEqualTo("rw-------");
            assertThat(Files.readString(passwordFile)).isEqualTo("127.0.0.1:*:*:locomov:" + database.password() + "\n");
        }
    }

    @Test
    void psqlGetsInWithThePasswordFileAndNotWithout() throws Exception {
        assumeThat(Files.isExecutable(Path.of("/usr/bin/psql"))).as("psql (postgresql-client) is not installed").isTrue();
        try (Database database = Database.open(StoreSettings.embedded(dataDir), new SimpleMeterRegistry())) {
            new DeviceRepository(database.dataSource()).add(42, "meter");
            String port = database.jdbcUrl().replaceAll(".*:(\\d+)/.*", "$1");

            Psql withoutPassword = psql(null, "-h", "127.0.0.1", "-p", port, "-U", "postgres", "-d", "locomov", "-w",
                    "-c", "SELECT pub_id FROM pub");
            Psql withPasswordFile = psql(database.passwordFile().orElseThrow(), "-h", "127.0.0.1", "-p", port,
                    "-U", "locomov", "-d", "locomov", "-w", "-At", "-c", "SELECT pub_id FROM pub");

            assertThat(withoutPassword.status()).isNotZero();
            assertThat(withoutPassword.output()).contains("no pg_hba.conf entry");
            assertThat(withoutPassword.output().lines()).doesNotContain("42"); // no row (a port may contain 42)
            assertThat(withPasswordFile.status()).as(withPasswordFile.output()).isZero();
            assertThat(withPasswordFile.output().strip()).isEqualTo("42");
        }
    }

    private record Psql(int status, String output) {
    }

    private static Psql psql(Path passwordFile, String... args) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(new java.util.ArrayList<>(List.of("psql")));
        builder.command().addAll(List.of(args));
        builder.environment().remove("PGPASSWORD");
        builder.environment().put("PGPASSFILE", passwordFile == null ? "/nonexistent" : passwordFile.toString());
        Process process = builder.redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Psql(process.exitValue(), output);
    }

    @Test
    void aDataDirectoryFromTheVersionThatTrustedEveryoneIsClosedAtStartAndKeepsItsData() throws Exception {
        // What locomov made before issue 12: zonky's initdb (trust, superuser postgres), world-readable directories.
        Path pgData = dataDir.resolve("postgres");
        try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(pgData).setCleanDataDirectory(false)
                .setServerConfig("listen_addresses", "127.0.0.1").setServerConfig("unix_socket_directories", "")
                .start()) {
            try (Connection admin = old.getPostgresDatabase().getConnection();
                    Statement create = admin.createStatement()) {
                create.execute("CREATE DATABASE locomov");
            }
            StoreSettings asBefore = StoreSettings.external(old.getJdbcUrl("postgres", "locomov"), "postgres", null,
                    dataDir.resolve("elsewhere"));
            try (Database before = Database.open(asBefore, new SimpleMeterRegistry())) {
                new DeviceRepository(before.dataSource()).add(7, "from the old version");
            }
        }
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(pgData.resolve("locomov.pgpass")).doesNotExist();

        try (Database upgraded = Database.open(StoreSettings.embedded(dataDir), new SimpleMeterRegistry())) {
            assertThat(count(upgraded, "SELECT count(*) FROM pub WHERE name = 'from the old version'")).isEqualTo(1);
            new DeviceRepository(upgraded.dataSource()).add(8, "after the upgrade");
            assertThatThrownBy(() -> connect(upgraded, "postgres", null).close()).isInstanceOf(SQLException.class);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir))).isEqualTo("rwx------");
            assertThat(pgData.resolve("locomov.pgpass")).exists();
        }
        // And the next start uses the password it kept.
        try (Database again = Database.open(StoreSettings.embedded(dataDir), new SimpleMeterRegistry())) {
            assertThat(count(again, "SELECT count(*) FROM pub")).isEqualTo(2);
        }
    }
}
