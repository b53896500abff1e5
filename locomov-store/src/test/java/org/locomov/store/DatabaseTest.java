package org.locomov.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.locomov.store.testing.TestDatabase.count;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locomov.core.IngestSettings;

/** Database.open against the embedded server (its own, or another process's) and an external URL. */
class DatabaseTest {

    @TempDir
    Path dataDir;

    @Test
    void readingsSurviveARestartOfTheEmbeddedServer() {
        try (Database first = Database.open(StoreSettings.embedded(dataDir), new SimpleMeterRegistry())) {
            assertThat(first.embedded()).isTrue();
            new DeviceRepository(first.dataSource()).add(7, "pump");
            try (BatchWriter writer = new BatchWriter(first.dataSource(), IngestSettings.DEFAULTS, new SimpleMeterRegistry())) {
                writer.start();
                assertThat(writer.submit(Readings.of(7))).succeedsWithin(Duration.ofSeconds(30));
            }
        }
        assertThat(dataDir.resolve("postgres/postmaster.pid")).doesNotExist();

        try (Database again = Database.open(StoreSettings.embedded(dataDir), new SimpleMeterRegistry())) {
            assertThat(count(again, "SELECT count(*) FROM reading WHERE pub_id = 7")).isEqualTo(1);
            assertThat(new DeviceRepository(again.dataSource()).find(7)).hasValueSatisfying(
                    device -> assertThat(device.name()).isEqualTo("pump"));
        }
    }

    @Test
    void aSecondOpenOnTheSameDataDirectoryJoinsTheRunningServerAndLeavesItRunning() {
        try (Database server = Database.open(StoreSettings.embedded(dataDir), new SimpleMeterRegistry())) {
            try (Database cli = Database.open(StoreSettings.embedded(dataDir), new SimpleMeterRegistry())) {
                assertThat(cli.embedded()).isTrue();
                assertThat(cli.jdbcUrl()).isEqualTo(server.jdbcUrl());
                new DeviceRepository(cli.dataSource()).add(1, null);
            }
            assertThat(count(server, "SELECT count(*) FROM pub WHERE pub_id = 1")).isEqualTo(1);
        }
        assertThat(dataDir.resolve("postgres/postmaster.pid")).doesNotExist();
    }

    @Test
    void aStalePidFileDoesNotStopTheEmbeddedServerFromStarting() throws IOException, InterruptedException {
        try (Database first = Database.open(StoreSettings.embedded(dataDir), new SimpleMeterRegistry())) {
            assertThat(first.embedded()).isTrue();
        }
        // As if the machine had crashed: a pid file naming a process that no longer runs.
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.writeString(dataDir.resolve("postgres/postmaster.pid"),
                gone.pid() + "\n" + dataDir.resolve("postgres") + "\n0\n1\n\n127.0.0.1\n0 0\nready\n");

        try (Database again = Database.open(StoreSettings.embedded(dataDir), new SimpleMeterRegistry())) {
            assertThat(count(again, "SELECT 1")).isEqualTo(1);
        }
    }

    @Test
    void anUnreachableExternalDatabaseFailsWithOneLineNamingTheUrl() {
        String url = "jdbc:postgresql://127.0.0.1:1/locomov?password=secret";
        assertThatThrownBy(() -> Database.open(StoreSettings.external(url, "locomov", null, dataDir), new SimpleMeterRegistry()))
                .isInstanceOf(StoreStartupException.class)
                .hasMessageStartingWith("cannot connect to PostgreSQL at jdbc:postgresql://127.0.0.1:1/locomov?password=***")
                .hasMessageNotContaining("secret")
                .satisfies(e -> assertThat(e.getStackTrace()).isEmpty());
    }
}
