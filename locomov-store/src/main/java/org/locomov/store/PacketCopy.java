package org.locomov.store;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.locomov.core.Reading;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Stores readings in {@code packet} with one binary {@code COPY ... FROM STDIN}: the batch writer's statement
 * (docs/decisions/1501-binary-copy-for-batches.md). Each value goes over the wire in PostgreSQL's own binary
 * form, so neither side formats or parses text, and no boxed arrays are built per batch. The columns and
 * their meaning are those of {@link PacketRows#insert} (REAL or {@code *_exact}, transport code); PostgreSQL
 * refuses the same things with the same SQLStates (an unknown device 23503, a timestamp out of range 22008,
 * invalid extra JSON class 22), and a refused row fails the whole copy, as it fails the whole insert.
 *
 * <p>Stateless; safe from any thread, on a connection that thread owns.
 */
final class PacketCopy {

    private static final String COPY = """
            COPY packet (pub_id, created_at, voltage, frequency, lat, lng, transport, protected, extra,
                         voltage_exact, frequency_exact, lat_exact, lng_exact)
            FROM STDIN (FORMAT binary)""";
    private static final short COLUMNS = 13;
    /** The binary format's signature, flags (none) and header extension length (none). */
    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0};
    /** PostgreSQL's epoch for timestamps, 2000-01-01T00:00:00Z, in Unix seconds. */
    private static final long POSTGRES_EPOCH_SECOND = 946_684_800L;
    /** jsonb's binary form is a version byte, then the text. */
    private static final byte JSONB_VERSION = 1;
    /** Beyond PostgreSQL's timestamp range but not its "infinity" (Long.MAX_VALUE): refused as out of range. */
    private static final long OUT_OF_RANGE_MICROS = Long.MAX_VALUE - 1;

    private PacketCopy() {
    }

    /**
     * Copies {@code readings} into {@code packet} on {@code connection}, in whatever transaction it is in.
     *
     * @throws SQLException when PostgreSQL refuses the copy; a refused row fails the whole list
     */
    static void copy(Connection connection, List<Reading> readings) throws SQLException {
        Rows rows = encodeRows(readings);
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY);
        try {
            copy.writeToCopy(rows.buffer, 0, rows.size);
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    /** The rows in COPY's binary format, header and trailer included. */
    static byte[] encode(List<Reading> readings) {
        return encodeRows(readings).toByteArray();
    }

    private static Rows encodeRows(List<Reading> readings) {
        Rows rows = new Rows(HEADER.length + 2 + readings.size() * 120);
        rows.bytes(HEADER);
        for (Reading reading : readings) {
            rows.int16(COLUMNS);
            rows.int64Field(reading.deviceId());
            rows.int64Field(postgresMicros(reading.createdAt()));
            boolean voltageFits = RealColumn.fits(reading.voltage());
            boolean frequencyFits = RealColumn.fits(reading.frequency());
            boolean latFits = RealColumn.fits(reading.lat());
            boolean lngFits = RealColumn.fits(reading.lng());
            rows.float4Field(voltageFits ? reading.voltage() : null);
            rows.float4Field(frequencyFits ? reading.frequency() : null);
            rows.float4Field(latFits ? reading.lat() : null);
            rows.float4Field(lngFits ? reading.lng() : null);
            rows.int32(2);
            rows.int16(reading.transport().code());
            if (reading.protectedStatus() == null) {
                rows.nullField();
            } else {
                rows.int32(1);
                rows.int8(reading.protectedStatus() ? 1 : 0);
            }
            if (reading.extraJson() == null) {
                rows.nullField();
            } else {
                byte[] text = reading.extraJson().getBytes(StandardCharsets.UTF_8);
                rows.int32(text.length + 1);
                rows.int8(JSONB_VERSION);
                rows.bytes(text);
            }
            rows.float8Field(voltageFits ? null : reading.voltage());
            rows.float8Field(frequencyFits ? null : reading.frequency());
            rows.float8Field(latFits ? null : reading.lat());
            rows.float8Field(lngFits ? null : reading.lng());
        }
        rows.int16((short) -1);
        return rows;
    }

    /** Microseconds since PostgreSQL's epoch; out of its range (PostgreSQL refuses it, 22008) when a long cannot say. */
    private static long postgresMicros(Instant instant) {
        try {
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond() - POSTGRES_EPOCH_SECOND, 1_000_000L),
                    instant.getNano() / 1_000);
        } catch (ArithmeticException overflow) {
            return instant.getEpochSecond() < 0 ? -OUT_OF_RANGE_MICROS : OUT_OF_RANGE_MICROS;
        }
    }

    /** A growing big-endian byte array; the fields write their length first, -1 for NULL. */
    private static final class Rows {
        private byte[] buffer;
        private int size;

        Rows(int initialCapacity) {
            buffer = new byte[initialCapacity];
        }

        void nullField() {
            int32(-1);
        }

        void int64Field(long value) {
            int32(8);
            int64(value);
        }

        void float4Field(Double value) {
            if (value == null) {
                nullField();
            } else {
                int32(4);
                int32(Float.floatToIntBits(value.floatValue()));
            }
        }

        void float8Field(Double value) {
            if (value == null) {
                nullField();
            } else {
                int64Field(Double.doubleToLongBits(value));
            }
        }

        void int8(int value) {
            ensure(1);
            buffer[size++] = (byte) value;
        }

        void int16(short value) {
            ensure(2);
            buffer[size++] = (byte) (value >>> 8);
            buffer[size++] = (byte) value;
        }

        void int32(int value) {
            ensure(4);
            buffer[size++] = (byte) (value >>> 24);
            buffer[size++] = (byte) (value >>> 16);
            buffer[size++] = (byte) (value >>> 8);
            buffer[size++] = (byte) value;
        }

        void int64(long value) {
            int32((int) (value >>> 32));
            int32((int) value);
        }

        void bytes(byte[] bytes) {
            ensure(bytes.length);
            System.arraycopy(bytes, 0, buffer, size, bytes.length);
            size += bytes.length;
        }

        byte[] toByteArray() {
            return size == buffer.length ? buffer : Arrays.copyOf(buffer, size);
        }

        private void ensure(int more) {
            if (size + more > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
            }
        }
    }
}
