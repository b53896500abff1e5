package org.locomov.store;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.locomov.core.Reading;

/**
 * The one statement that stores readings in {@code packet}: a whole list as a single
 * {@code INSERT ... SELECT FROM unnest(arrays)}. The batch writer uses it (through {@code PacketInsert},
 * which adds refusal handling and {@code last_seen_at}), and the benchmark's PostgreSQL baseline uses it
 * so that the two measure the same statement.
 *
 * <p>Stateless; safe from any thread, on a connection that thread owns.
 */
public final class PacketRows {

    // Device time is passed as epoch seconds plus microseconds: to_timestamp() refuses values outside
    // PostgreSQL's range with SQLState 22008, where a text timestamp would fail with a vaguer syntax error.
    private static final String INSERT = """
            INSERT INTO packet (pub_id, created_at, voltage, frequency, protected, lat, lng, extra, transport)
            SELECT r.pub_id, to_timestamp(r.epoch_second) + r.micros * interval '1 microsecond',
                   r.voltage, r.frequency, r.protected, r.lat, r.lng, r.extra::jsonb, r.transport
            FROM unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::float8[], ?::float8[], ?::boolean[],
                        ?::float8[], ?::float8[], ?::text[], ?::text[])
                 AS r(pub_id, epoch_second, micros, voltage, frequency, protected, lat, lng, extra, transport)
            """;

    private PacketRows() {
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
        Double[] voltages = new Double[n];
        Double[] frequencies = new Double[n];
        Boolean[] protectedFlags = new Boolean[n];
        Double[] lats = new Double[n];
        Double[] lngs = new Double[n];
        String[] extras = new String[n];
        String[] transports = new String[n];
        for (int i = 0; i < n; i++) {
            Reading reading = readings.get(i);
            Instant createdAt = reading.createdAt();
            deviceIds[i] = reading.deviceId();
            epochSeconds[i] = createdAt.getEpochSecond();
            micros[i] = (long) createdAt.getNano() / 1_000;
            voltages[i] = reading.voltage();
            frequencies[i] = reading.frequency();
            protectedFlags[i] = reading.protectedStatus();
            lats[i] = reading.lat();
            lngs[i] = reading.lng();
            extras[i] = reading.extraJson();
            transports[i] = reading.transport().tag();
        }
        try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
            List<Array> arrays = List.of(
                    connection.createArrayOf("int8", deviceIds),
                    connection.createArrayOf("int8", epochSeconds),
                    connection.createArrayOf("int8", micros),
                    connection.createArrayOf("float8", voltages),
                    connection.createArrayOf("float8", frequencies),
                    connection.createArrayOf("bool", protectedFlags),
                    connection.createArrayOf("float8", lats),
                    connection.createArrayOf("float8", lngs),
                    connection.createArrayOf("text", extras),
                    connection.createArrayOf("text", transports));
            for (int i = 0; i < arrays.size(); i++) {
                statement.setArray(i + 1, arrays.get(i));
            }
            statement.executeUpdate();
        }
    }
}
