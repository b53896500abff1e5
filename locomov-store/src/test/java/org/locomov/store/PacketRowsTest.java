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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.locomov.core.Reading;
import org.locomov.core.Transport;
import org.locomov.store.testing.TestDatabase;

/**
 * The compact packet row (migration V8) as PacketRows writes it, with the baseline's {@code INSERT ... unnest} and
 * the batch writer's binary {@code COPY} alike, and the view {@code reading} gives it back.
 */
class PacketRowsTest {

    enum Statement {
        INSERT, COPY;

        void write(Connection connection, List<Reading> readings) throws SQLException {
            if (this == INSERT) {
                PacketRows.insert(connection, readings);
            } else {
                PacketRows.copy(connection, readings);
            }
        }
    }

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

    @ParameterizedTest
    @EnumSource(Statement.class)
    void valuesThatFitARealAreStoredAsRealsAndReadBackUnchanged(Statement statement) throws SQLException {
        insert(statement, new Reading(1, AT, AT, true, 229.5, 50.3, 13.4538, 77.6283, null, Transport.MOV));

        assertThat(count(database, "SELECT count(*) FROM packet WHERE voltage IS NOT NULL AND frequency IS NOT NULL "
                + "AND lat IS NOT NULL AND lng IS NOT NULL AND voltage_exact IS NULL AND frequency_exact IS NULL "
                + "AND lat_exact IS NULL AND lng_exact IS NULL")).isEqualTo(1);
        assertThat(readBack()).containsExactly(229.5, 50.3, 13.4538, 77.6283);
    }

    @ParameterizedTest
    @EnumSource(Statement.class)
    void valuesARealWouldChangeAreKeptExactly(Statement statement) throws SQLException {
        insert(statement, new Reading(1, AT, AT, null, 229.1234567, 1e300, 52.520008, -122.4194155, null, Transport.MOV));

        assertThat(count(database, "SELECT count(*) FROM packet WHERE voltage IS NULL AND frequency IS NULL "
                + "AND lat IS NULL AND lng IS NULL")).isEqualTo(1);
        assertThat(readBack()).containsExactly(229.1234567, 1e300, 52.520008, -122.4194155);
    }

    @ParameterizedTest
    @EnumSource(Statement.class)
    void absentValuesStayAbsent(Statement statement) throws SQLException {
        insert(statement, new Reading(1, null, AT, null, null, null, null, null, "{\"rssi\": -70}", Transport.API));

        assertThat(readBack()).containsExactly(null, null, null, null);
        assertThat(count(database, "SELECT count(*) FROM reading WHERE protected IS NULL AND extra->>'rssi' = '-70' "
                + "AND created_at = '2026-05-01T12:00:00.654321Z'")).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Statement.class)
    void transportIsStoredAsItsCodeAndShownByName(Statement statement) throws SQLException {
        for (Transport transport : Transport.values()) {
            insert(statement, new Reading(1, AT, AT, null, 1.0, null, null, null, null, transport));
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

    @Test
    void theRealRuleWithoutTextAgreesWithTheRuleByBigDecimal() {
        java.util.Random random = new java.util.Random(11);
        List<Double> values = new java.util.ArrayList<>(List.of(999999.0, 1e6, 9.99999e5, 0.000123456, 1.23456e-20,
                1.23456e21, 1.234567e21, 9.99999e37, 1e-37, 229.5, 50.3, 13.4538, 77.6283, 52.520008, 0.1, 0.7, 1e22,
                123456e22, 1.5e-23, 4.2e-30));
        for (int i = 0; i < 200_000; i++) {
            int digits = 1 + random.nextInt(8);
            long mantissa = (long) (random.nextDouble() * Math.pow(10, digits));
            values.add(mantissa * Math.pow(10, random.nextInt(70) - 40));
            values.add(Double.longBitsToDouble(random.nextLong()));
        }
        for (double value : values) {
            boolean byBigDecimal = value == 0 || Math.abs(value) >= 1e-37 && Math.abs(value) <= 1e38
                    && java.math.BigDecimal.valueOf(value).stripTrailingZeros().precision() <= 6;
            assertThat(RealColumn.fits(value)).as("%s", value).isEqualTo(byBigDecimal);
        }
    }

    @Test
    void copyRefusesWhatTheInsertRefusesWithTheSameState() {
        Reading unknownDevice = new Reading(99, AT, AT, null, 1.0, null, null, null, null, Transport.MOV);
        Reading farFuture = new Reading(1, Instant.parse("+300000-01-01T00:00:00Z"), AT, null, 1.0, null, null, null, null,
                Transport.MOV);
        Reading badExtra = new Reading(1, AT, AT, null, 1.0, null, null, null, "{\"note\": \"\\u0000\"}", Transport.MOV);
        for (Reading refused : List.of(unknownDevice, farFuture, badExtra)) {
            assertThat(sqlState(Statement.COPY, refused)).as("%s", refused).isEqualTo(sqlState(Statement.INSERT, refused))
                    .isNotNull();
        }
        assertThat(count(database, "SELECT count(*) FROM packet")).isZero();
    }

    @Test
    void copyStoresABatchInOrderOfItsReadings() throws SQLException {
        List<Reading> batch = new java.util.ArrayList<>();
        for (int i = 0; i < 500; i++) {
            batch.add(new Reading(1, AT.plusSeconds(i), AT, i % 2 == 0, (double) i, null, null, null, null, Transport.MQTT));
        }
        try (Connection connection = database.dataSource().getConnection()) {
            PacketRows.copy(connection, batch);
        }
        assertThat(count(database, "SELECT count(*) FROM reading WHERE voltage = extract(epoch FROM created_at - ?::timestamptz) "
                + "AND protected = (voltage::int % 2 = 0) AND transport = 'mqtt'", AT.toString())).isEqualTo(500);
    }

    private static String sqlState(Statement statement, Reading reading) {
        try (Connection connection = database.dataSource().getConnection()) {
            statement.write(connection, List.of(reading));
            return null;
        } catch (SQLException e) {
            return e.getSQLState();
        }
    }

    private static void insert(Statement statement, Reading reading) throws SQLException {
        try (Connection connection = database.dataSource().getConnection()) {
            statement.write(connection, List.of(reading));
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
