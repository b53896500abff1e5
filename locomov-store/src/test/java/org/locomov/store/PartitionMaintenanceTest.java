package org.locomov.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.locomov.store.testing.TestDatabase.count;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.locomov.store.testing.TestDatabase;

class PartitionMaintenanceTest {

    private Database database;

    @BeforeEach
    void open() {
        database = TestDatabase.fresh();
        TestDatabase.addDevice(database, 1);
    }

    @AfterEach
    void close() {
        database.close();
    }

    private PartitionMaintenance at(String instant, Duration retention) {
        return new PartitionMaintenance(database.dataSource(), retention, Clock.fixed(Instant.parse(instant), ZoneOffset.UTC));
    }

    private void insertSavedAt(String savedAt) {
        TestDatabase.execute(database, "INSERT INTO reading (pub_id, created_at, saved_at, transport) "
                + "VALUES (1, now(), ?::timestamptz, 'mov')", savedAt);
    }

    @Test
    void createsLastThisAndTheNextTwoMonthsOnceOnly() {
        PartitionMaintenance maintenance = at("2031-06-10T12:00:00Z", Duration.ZERO);

        assertThat(maintenance.runOnce().created())
                .containsExactly("packet_y2031m05", "packet_y2031m06", "packet_y2031m07", "packet_y2031m08",
                        "event_y2031m05", "event_y2031m06", "event_y2031m07", "event_y2031m08");
        assertThat(maintenance.runOnce().created()).isEmpty();

        insertSavedAt("2031-06-30T23:59:59.999999Z");
        insertSavedAt("2031-07-01T00:00:00Z");
        assertThat(count(database, "SELECT count(*) FROM packet_y2031m06")).isEqualTo(1);
        assertThat(count(database, "SELECT count(*) FROM packet_y2031m07")).isEqualTo(1);
        assertThat(count(database, "SELECT count(*) FROM packet_default")).isZero();
    }

    @Test
    void readingsThatLandedInTheDefaultPartitionMoveIntoTheirNewMonth() {
        insertSavedAt("2032-01-15T08:00:00Z");
        insertSavedAt("2035-01-15T08:00:00Z");
        assertThat(count(database, "SELECT count(*) FROM packet_default")).isEqualTo(2);

        assertThat(at("2032-01-10T00:00:00Z", Duration.ZERO).runOnce().created()).contains("packet_y2032m01");

        assertThat(count(database, "SELECT count(*) FROM packet_y2032m01")).isEqualTo(1);
        assertThat(count(database, "SELECT count(*) FROM packet_default")).isEqualTo(1);
        assertThat(count(database, "SELECT count(*) FROM reading")).isEqualTo(2);
    }

    @Test
    void dropsOnlyWholeMonthsOlderThanTheRetentionAndNeverTheDefault() {
        at("2031-02-10T00:00:00Z", Duration.ZERO).runOnce(); // 2031-01 .. 2031-04
        at("2031-06-10T00:00:00Z", Duration.ZERO).runOnce(); // 2031-05 .. 2031-08
        insertSavedAt("2031-04-30T12:00:00Z");
        insertSavedAt("2031-05-20T12:00:00Z");
        insertSavedAt("1999-01-01T00:00:00Z"); // in the default partition

        PartitionMaintenance.Result result = at("2031-06-10T00:00:00Z", Duration.ofDays(30)).runOnce();

        // Kept from 2031-05-11: May is only partly older than that, so it stays whole.
        assertThat(result.dropped()).contains("packet_y2031m01", "packet_y2031m02", "packet_y2031m03", "packet_y2031m04")
                .doesNotContain("packet_y2031m05", "packet_default");
        assertThat(count(database, "SELECT count(*) FROM pg_tables WHERE tablename = 'packet_y2031m04'")).isZero();
        assertThat(count(database, "SELECT count(*) FROM reading WHERE saved_at >= '2031-05-01'")).isEqualTo(1);
        assertThat(count(database, "SELECT count(*) FROM packet_default")).isEqualTo(1);
    }

    @Test
    void partitionNamesRoundTrip() {
        assertThat(PartitionMaintenance.partitionName(java.time.YearMonth.of(2026, 3))).isEqualTo("packet_y2026m03");
        assertThat(PartitionMaintenance.monthOf("packet_y2026m03")).contains(java.time.YearMonth.of(2026, 3));
        assertThat(PartitionMaintenance.monthOf("packet_default")).isEmpty();
    }
}
