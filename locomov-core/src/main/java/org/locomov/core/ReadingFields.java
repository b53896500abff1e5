package org.locomov.core;

import java.time.Instant;

/**
 * The reading fields of the mov packet (DESIGN.md §2) and their checks, independent of how they were
 * encoded: every decoder that turns what a device sent into a {@link Reading} (JSON on mov, MQTT and
 * CoAP, CBOR on CoAP, Particle events) reads its format's values into one of these and asks for the
 * result. Fields: {@code id} (integer, the device's {@code pub_id}), {@code timestamp} (integer Unix
 * seconds, optional), {@code status} (boolean, stored as {@code protected}), {@code voltage}, {@code freq},
 * {@code lat}, {@code lng} (finite numbers); the fields a decoder does not know are kept as a JSON object
 * ({@link #extraJson}). The first problem noted wins.
 *
 * <p>One instance per decoded reading, used by one thread.
 */
public final class ReadingFields {

    /** Timestamps PostgreSQL and ISO-8601 both hold: years 1 to 9999. */
    public static final long MIN_TIMESTAMP_SECONDS = -62_135_596_800L;
    public static final long MAX_TIMESTAMP_SECONDS = 253_402_300_799L;

    /** What a field's value must be. */
    public enum ValueType { INTEGER, BOOLEAN, NUMBER }

    /** The known fields, by the name devices send. */
    public enum Field {
        ID("id", ValueType.INTEGER),
        TIMESTAMP("timestamp", ValueType.INTEGER),
        STATUS("status", ValueType.BOOLEAN),
        VOLTAGE("voltage", ValueType.NUMBER),
        FREQUENCY("freq", ValueType.NUMBER),
        LAT("lat", ValueType.NUMBER),
        LNG("lng", ValueType.NUMBER);

        private final String wireName;
        private final ValueType type;

        Field(String wireName, ValueType type) {
            this.wireName = wireName;
            this.type = type;
        }

        public String wireName() {
            return wireName;
        }

        public ValueType type() {
            return type;
        }

        /** The field a device names {@code name}; {@code null} for a field locomov keeps as extra. */
        public static Field named(String name) {
            return switch (name) {
                case "id" -> ID;
                case "timestamp" -> TIMESTAMP;
                case "status" -> STATUS;
                case "voltage" -> VOLTAGE;
                case "freq" -> FREQUENCY;
                case "lat" -> LAT;
                case "lng" -> LNG;
                default -> null;
            };
        }
    }

    private Long id;
    private Long timestamp;
    private Boolean status;
    private Double voltage;
    private Double frequency;
    private Double lat;
    private Double lng;
    private String extraJson;
    private Refusal problem;

    /** Sets an {@link ValueType#INTEGER} field. */
    public void setInteger(Field field, long value) {
        switch (field) {
            case ID -> id = value;
            case TIMESTAMP -> timestamp = value;
            default -> wrongType(field);
        }
    }

    /** Sets a {@link ValueType#NUMBER} field; a value that is not finite is a problem. */
    public void setNumber(Field field, double value) {
        if (field.type() == ValueType.INTEGER) {
            wrongType(field);
            return;
        }
        if (!Double.isFinite(value)) {
            noteProblem(RefusalKind.OUT_OF_RANGE, "field '" + field.wireName() + "' is out of range");
            return;
        }
        switch (field) {
            case VOLTAGE -> voltage = value;
            case FREQUENCY -> frequency = value;
            case LAT -> lat = value;
            case LNG -> lng = value;
            default -> wrongType(field);
        }
    }

    /** Sets a {@link ValueType#BOOLEAN} field. */
    public void setBoolean(Field field, boolean value) {
        if (field == Field.STATUS) {
            status = value;
        } else {
            wrongType(field);
        }
    }

    /** The device sent {@code field} with a value of another type. */
    public void wrongType(Field field) {
        noteProblem(RefusalKind.WRONG_TYPE, "field '" + field.wireName() + "' must be " + switch (field.type()) {
            case INTEGER -> "an integer";
            case BOOLEAN -> "true or false";
            case NUMBER -> "a number";
        });
    }

    /** The fields locomov does not know, as one JSON object's text; nullable when there are none. */
    public void setExtraJson(String json) {
        this.extraJson = json;
    }

    /** Notes a problem found by the decoder (syntax, size); the first problem noted wins. */
    public void noteProblem(RefusalKind kind, String reason) {
        if (problem == null) {
            problem = Refusal.of(kind, reason);
        }
    }

    /** The first problem noted so far; nullable. */
    public Refusal problem() {
        return problem;
    }

    /**
     * The reading, for a transport that learns the device only from the reading ({@code id} required).
     */
    public DecodeResult<Reading> toReading(Instant receivedAt, Transport transport) {
        if (id == null) {
            noteProblem(RefusalKind.MISSING_FIELD, "field 'id' is required");
        }
        return result(id, receivedAt, transport);
    }

    /**
     * The reading, for a transport whose connection already names the device ({@code id} optional, and
     * when present it must be {@code deviceId}).
     */
    public DecodeResult<Reading> toReading(long deviceId, Instant receivedAt, Transport transport) {
        if (id != null && id != deviceId) {
            noteProblem(RefusalKind.NOT_AUTHORISED, "field 'id' is " + id + ", but this connection is device "
                    + deviceId);
        }
        return result(deviceId, receivedAt, transport);
    }

    private DecodeResult<Reading> result(Long deviceId, Instant receivedAt, Transport transport) {
        if (timestamp != null && (timestamp < MIN_TIMESTAMP_SECONDS || timestamp > MAX_TIMESTAMP_SECONDS)) {
            noteProblem(RefusalKind.OUT_OF_RANGE, "field 'timestamp' is out of range: " + timestamp);
        }
        if (problem != null) {
            return new DecodeResult.Refused<>(deviceId == null ? problem : problem.forDevice(deviceId));
        }
        Instant deviceTime = timestamp == null ? null : Instant.ofEpochSecond(timestamp);
        return DecodeResult.decoded(new Reading(deviceId, deviceTime, receivedAt, status, voltage, frequency, lat, lng,
                extraJson, transport));
    }
}
