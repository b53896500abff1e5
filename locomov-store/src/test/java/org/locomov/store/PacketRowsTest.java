package org.locomov.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.locomov.store.testing.TestDatabase.count;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.locomov.core.Reading;
import org.locomov.core.Transport;
import org.locomov.store.testing.TestDatabase;

/** The compact packet row (migration V8) as PacketRows writes it and the view {@code reading} gives it back. */
class PacketRowsTest {

    private static final Instant AT = Instant.parse("2026-05-01T12:00:00.654321Z");
    private static Database database;

    @BeforeAll
    static void open() {
        database = TestDatabase.fresh();
        TestDatabase.addDevice(database, 1);
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @BeforeEach
    void empty() {
        TestDatabase.execute(database, "DELETE FROM packet");
    }

    @Test
    void valuesThatFitARealAreStoredAsRealsAndReadBackUnchanged() throws SQLException {
        insert(new Reading(1, AT, AT, true, 229.5, 50.3, 13.4538, 77.6283, null, Transport.MOV));

        assertThat(count(database, "SELECT count(*) FROM packet WHERE voltage IS NOT NULL AND frequency IS NOT NULL "
                + "AND lat IS NOT NULL AND lng IS NOT NULL AND voltage_exact IS NULL AND frequency_exact IS NULL "
                + "AND lat_exact IS NULL AND lng_exact IS NULL")).isEqualTo(1);
        assertThat(readBack()).containsExactly(229.5, 50.3, 13.4538, 77.6283);
    }

    @Test
    void valuesARealWouldChangeAreKeptExactly() throws SQLException {
        insert(new Reading(1, AT, AT, null, 229.1234567, 1e300, 52.520008, -122.4194155, null, Transport.MOV));

        assertThat(count(database, "SELECT count(*) FROM packet WHERE voltage IS NULL AND frequency IS NULL "
                + "AND lat IS NULL AND lng IS NULL")).isEqualTo(1);
        assertThat(readBack()).containsExactly(229.1234567, 1e300, 52.520008, -122.4194155);
    }

    @Test
    void absentValuesStayAbsent() throws SQLException {
        insert(new Reading(1, null, AT, null, null, null, null, null, "{\"rssi\": -70}", Transport.API));

        assertThat(readBack()).containsExactly(null, null, null, null);
        assertThat(count(database, "SELECT count(*) FROM reading WHERE protected IS NULL AND extra->>'rssi' = '-70' "
                + "AND created_at = '2026-05-01T12:00:00.654321Z'")).isEqualTo(1);
    }

    @Test
    void transportIsStoredAsItsCodeAndShownByName() throws SQLException {
        for (Transport transport : Transport.values()) {
            insert(new Reading(1, AT, AT, null, 1.0, null, null, null, null, transport));
        }

        for (Transport transport : Transport.values()) {
            assertThat(count(database, "SELECT count(*) FROM packet p JOIN reading r USING (id) "
                    + "WHERE p.transport = ? AND r.transport = ?", transport.code(), transport.tag()))
                    .as(transport.tag()).isEqualTo(1);
        }
    }

    @Test
    void theRealRuleIsTheSameInJavaAndInSql() {
        for (double value : new double[] {0, -0.0, 229.5, 50.3, 13.4538, 123456, 1234567, 0.1, 1e-37, 1e-38, 1e38, 3e38,
                52.520008, 1e300, -77.6283, Double.MIN_VALUE}) {
            assertThat(count(database, "SELECT CASE WHEN fits_real(?) THEN 1 ELSE 0 END", value) == 1)
                    .as("%s", value).isEqualTo(RealColumn.fits(value));
        }
    }

    private static void insert(Reading reading) throws SQLException {
        try (Connection connection = database.dataSource().getConnection()) {
            PacketRows.insert(connection, List.of(reading));
        }
    }

    private static List<Double> readBack() throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT voltage, frequency, lat, lng FROM reading");
                ResultSet row = select.executeQuery()) {
            assertThat(row.next()).isTrue();
            return java.util.Arrays.asList((Double) row.getObject(1), (Double) row.getObject(2),
                    (Double) row.getObject(3), (Double) row.getObject(4));
        }
    }
}
