package org.locomov.store;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.locomov.core.Reading;

/**
 * The two statements that store readings in {@code packet}: a whole list as a single
 * {@code INSERT ... SELECT FROM unnest(arrays)} ({@link #insert}), which the benchmark's PostgreSQL baseline
 * measures, and as one binary {@code COPY} ({@link #copy}), which the batch writer uses (through
 * {@code PacketInsert}, which adds refusal handling and {@code last_seen_at}) because it costs both sides
 * less per row (docs/decisions/1501-binary-copy-for-batches.md).
 *
 * <p>Stateless; safe from any thread, on a connection that thread owns.
 */
public final class PacketRows {

    // Device time is passed as epoch seconds plus microseconds: to_timestamp() refuses values outside
    // PostgreSQL's range with SQLState 22008, where a text timestamp would fail with a vaguer syntax error.
    // Each measured value goes to its REAL column or, when a REAL would change it, its *_exact column
    // (RealColumn, migration V8); the transport is its code.
    private static final String INSERT = """
            INSERT INTO packet (pub_id, created_at, voltage, frequency, lat, lng, transport, protected, extra,
                                voltage_exact, frequency_exact, lat_exact, lng_exact)
            SELECT r.pub_id, to_timestamp(r.epoch_second) + r.micros * interval '1 microsecond',
                   r.voltage, r.frequency, r.lat, r.lng, r.transport, r.protected, r.extra::jsonb,
                   r.voltage_exact, r.frequency_exact, r.lat_exact, r.lng_exact
            FROM unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::real[], ?::real[], ?::real[], ?::real[],
                        ?::smallint[], ?::boolean[], ?::text[],
                        ?::float8[], ?::float8[], ?::float8[], ?::float8[])
                 AS r(pub_id, epoch_second, micros, voltage, frequency, lat, lng, transport, protected, extra,
                      voltage_exact, frequency_exact, lat_exact, lng_exact)
            """;

    private PacketRows() {
    }

    /**
     * Copies {@code readings} with one binary {@code COPY} on {@code connection}, in whatever transaction it is in.
     *
     * @throws SQLException when PostgreSQL refuses the copy; a refused row fails the whole list
     */
    public static void copy(Connection connection, List<Reading> readings) throws SQLException {
        PacketCopy.copy(connection, readings);
    }

    /**
     * Inserts {@code readings} as one statement on {@code connection}, in whatever transaction it is in;
     * the caller commits (or runs in auto-commit).
     *
     * @throws SQLException when PostgreSQL refuses the statement; a refused row fails the whole list
     */
    public static void insert(Connection connection, List<Reading> readings) throws SQLException {
        int n = readings.size();
        Long[] deviceIds = new Long[n];
        Long[] epochSeconds = new Long[n];
        Long[] micros = new Long[n];
        Float[] voltages = new Float[n];
        Float[] frequencies = new Float[n];
        Float[] lats = new Float[n];
        Float[] lngs = new Float[n];
        Short[] transports = new Short[n];
        Boolean[] protectedFlags = new Boolean[n];
        String[] extras = new String[n];
        Double[] exactVoltages = new Double[n];
        Double[] exactFrequencies = new Double[n];
        Double[] exactLats = new Double[n];
        Double[] exactLngs = new Double[n];
        for (int i = 0; i < n; i++) {
            Reading reading = readings.get(i);
            Instant createdAt = reading.createdAt();
            deviceIds[i] = reading.deviceId();
            epochSeconds[i] = createdAt.getEpochSecond();
            micros[i] = (long) createdAt.getNano() / 1_000;
            voltages[i] = RealColumn.real(reading.voltage());
            frequencies[i] = RealColumn.real(reading.frequency());
            lats[i] = RealColumn.real(reading.lat());
            lngs[i] = RealColumn.real(reading.lng());
            transports[i] = reading.transport().code();
            protectedFlags[i] = reading.protectedStatus();
            extras[i] = reading.extraJson();
            exactVoltages[i] = RealColumn.exact(reading.voltage());
            exactFrequencies[i] = RealColumn.exact(reading.frequency());
            exactLats[i] = RealColumn.exact(reading.lat());
            exactLngs[i] = RealColumn.exact(reading.lng());
        }
        try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
            List<Array> arrays = List.of(
                    connection.createArrayOf("int8", deviceIds),
                    connection.createArrayOf("int8", epochSeconds),
                    connection.createArrayOf("int8", micros),
                    connection.createArrayOf("float4", voltages),
                    connection.createArrayOf("float4", frequencies),
                    connection.createArrayOf("float4", lats),
                    connection.createArrayOf("float4", lngs),
                    connection.createArrayOf("int2", transports),
                    connection.createArrayOf("bool", protectedFlags),
                    connection.createArrayOf("text", extras),
                    connection.createArrayOf("float8", exactVoltages),
                    connection.createArrayOf("float8", exactFrequencies),
                    connection.createArrayOf("float8", exactLats),
                    connection.createArrayOf("float8", exactLngs));
            for (int i = 0; i < arrays.size(); i++) {
                statement.setArray(i + 1, arrays.get(i));
            }
            statement.executeUpdate();
        }
    }
}
