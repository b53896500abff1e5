package org.locomov.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.locomov.store.testing.TestDatabase.count;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.Test;
import org.locomov.core.Reading;
import org.locomov.core.Transport;
import org.locomov.store.ReadingQueries.Order;
import org.locomov.store.ReadingQueries.ReadingRow;
import org.locomov.store.ReadingQueries.TimeRange;
import org.locomov.store.testing.TestDatabase;

/** Readings stored before migration V8 (compact packet) survive it unchanged: values, ids, partitions. */
class CompactPacketMigrationTest {

    @Test
    void oldRowsSurviveTheMigrationWithTheirIdsValuesAndPartitions() throws SQLException {
        String url = TestDatabase.emptyDatabaseUrl();
        migrateToJustBeforeV8(url);
        try (Connection connection = DriverManager.getConnection(url, TestDatabase.sharedUser(), TestDatabase.sharedPassword());
                Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO pub (pub_id) VALUES (1), (2)");
            statement.execute("CREATE TABLE packet_y2031m05 PARTITION OF packet "
                    + "FOR VALUES FROM ('2031-05-01 00:00+00') TO ('2031-06-01 00:00+00')");
            statement.execute("""
                    INSERT INTO packet (pub_id, created_at, saved_at, voltage, frequency, protected, lat, lng, extra, transport)
                    VALUES (1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z', 229.5, 50.3, true, 13.4538, 77.6283,
                            NULL, 'mov'),
                           (1, '2026-01-01T00:01:00Z', '2031-05-02T00:00:00Z', 229.1234567, 1e300, false, 52.520008,
                            -122.4194155, '{"rssi": -70}', 'api'),
                           (2, '2026-01-01T00:02:00Z', '2026-01-01T00:02:01Z', NULL, NULL, NULL, NULL, NULL, NULL, 'mqtt')
                    """);
        }

        try (Database database = TestDatabase.open(url)) {
            ReadingQueries queries = new ReadingQueries(database.dataSource());
            assertThat(queries.page(1, TimeRange.ALL, Order.ASC, 10, null).rows()).satisfiesExactly(
                    first -> {
                        assertThat(first.id()).isEqualTo(1);
                        assertThat(List.of(first.voltage(), first.frequency(), first.lat(), first.lng()))
                                .containsExactly(229.5, 50.3, 13.4538, 77.6283);
                        assertThat(first.protectedStatus()).isTrue();
                        assertThat(first.transport()).isEqualTo("mov");
                        assertThat(first.savedAt()).isEqualTo(Instant.parse("2026-01-01T00:00:01Z"));
                    },
                    second -> {
                        assertThat(second.id()).isEqualTo(2);
                        assertThat(List.of(second.voltage(), second.frequency(), second.lat(), second.lng()))
                                .containsExactly(229.1234567, 1e300, 52.520008, -122.4194155);
                        assertThat(second.extraJson()).isEqualTo("{\"rssi\": -70}");
                        assertThat(second.transport()).isEqualTo("api");
                    });
            ReadingRow third = queries.page(2, TimeRange.ALL, Order.ASC, 10, null).rows().getFirst();
            assertThat(third.id()).isEqualTo(3);
            assertThat(third.voltage()).isNull();
            assertThat(third.transport()).isEqualTo("mqtt");

            assertThat(count(database, "SELECT count(*) FROM packet_y2031m05")).isEqualTo(1);
            assertThat(count(database, "SELECT count(*) FROM packet_default")).isEqualTo(2);
            assertThat(count(database, "SELECT count(*) FROM pg_class WHERE relname LIKE '%compact%'")).as("temporary names").isZero();

            BatchWriterless.insert(database, new Reading(2, null, Instant.now(), null, 1.0, null, null, null, null,
                    Transport.MOV));
            assertThat(count(database, "SELECT max(id) FROM reading WHERE pub_id = 2")).as("ids go on after the old ones")
                    .isGreaterThan(3);
        }
    }

    /** Migrates to the newest version below 8, whichever migrations exist then (V5, or V7 once merged). */
    private static void migrateToJustBeforeV8(String url) {
        var configuration = Flyway.configure().dataSource(url, TestDatabase.sharedUser(), TestDatabase.sharedPassword())
                .locations("classpath:db/migration");
        MigrationVersion before = java.util.Arrays.stream(configuration.load().info().all())
                .map(MigrationInfo::getVersion)
                .filter(version -> version.compareTo(MigrationVersion.fromVersion("8")) < 0)
                .max(MigrationVersion::compareTo).orElseThrow();
        configuration.target(before).load().migrate();
    }

    /** Writes one reading with the writer's statement. */
    private static final class BatchWriterless {
        static void insert(Database database, Reading reading) throws SQLException {
            try (Connection connection = database.dataSource().getConnection()) {
                PacketRows.insert(connection, List.of(reading));
            }
        }
    }
}
