package org.locomov.transport;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.locomov.core.DecodeResult;
import org.locomov.core.Reading;
import org.locomov.core.ReadingFields;
import org.locomov.core.ReadingFields.Field;
import org.locomov.core.Refusal;
import org.locomov.core.RefusalKind;
import org.locomov.core.Transport;

/**
 * Decodes readings sent as JSON (or CBOR, with Jackson's CBOR factory): one object with the mov packet's
 * fields ({@link ReadingFields}), or an array of such objects. Fields locomov does not know are kept, as a
 * JSON object, in {@link Reading#extraJson()}. Bad input is a {@link Refusal} naming what is wrong (the
 * reading's index in an array), never an exception; one bad reading refuses the whole array, since a
 * device's array is stored all or nothing.
 *
 * <p>Uses Jackson's streaming parser: no tree, no reflection. Immutable and thread-safe.
 */
public final class JsonReadingDecoder {

    private static final JsonReadingDecoder JSON = new JsonReadingDecoder(JsonFields.JSON);

    private final JsonFactory factory;

    private JsonReadingDecoder(JsonFactory factory) {
        this.factory = factory;
    }

    /** The decoder for JSON text. */
    public static JsonReadingDecoder json() {
        return JSON;
    }

    /** A decoder for another format Jackson reads with the streaming API (CBOR). */
    public static JsonReadingDecoder using(JsonFactory factory) {
        return new JsonReadingDecoder(Objects.requireNonNull(factory, "factory"));
    }

    /**
     * One reading object whose {@code id} names its device (the mov protocol).
     *
     * @param what the value's name in refusals ("a packet must be a JSON object")
     */
    public DecodeResult<Reading> decodeObject(byte[] bytes, String what, Instant receivedAt, Transport transport) {
        try (JsonParser parser = factory.createParser(bytes)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return DecodeResult.refused(RefusalKind.MALFORMED, "malformed JSON: a " + what + " must be a JSON object");
            }
            ReadingObject object = new ReadingObject();
            object.readFields(parser);
            if (parser.nextToken() != null) {
                return DecodeResult.refused(RefusalKind.MALFORMED, "malformed JSON: content after the " + what);
            }
            return object.fields().toReading(receivedAt, transport);
        } catch (IOException e) {
            return DecodeResult.refused(RefusalKind.MALFORMED, JsonFields.malformed(e));
        }
    }

    /**
     * A reading object, or an array of at most {@code maxReadings} of them, from a connection that already
     * knows its device: {@code id} may be left out, and when given it must be {@code deviceId}.
     */
    public DecodeResult<List<Reading>> decodeReadings(byte[] bytes, long deviceId, int maxReadings, Instant receivedAt,
            Transport transport) {
        try (JsonParser parser = factory.createParser(bytes)) {
            JsonToken first = parser.nextToken();
            List<Reading> readings = new ArrayList<>();
            Refusal refusal;
            if (first == JsonToken.START_OBJECT) {
                refusal = readOne(parser, deviceId, receivedAt, transport, readings, null);
            } else if (first == JsonToken.START_ARRAY) {
                refusal = readArray(parser, deviceId, maxReadings, receivedAt, transport, readings);
            } else {
                return refused(deviceId, RefusalKind.MALFORMED, "malformed JSON: readings must be an object or an array of objects");
            }
            if (refusal != null) {
                return new DecodeResult.Refused<>(refusal);
            }
            if (parser.nextToken() != null) {
                return refused(deviceId, RefusalKind.MALFORMED, "malformed JSON: content after the readings");
            }
            return DecodeResult.decoded(List.copyOf(readings));
        } catch (IOException e) {
            return refused(deviceId, RefusalKind.MALFORMED, JsonFields.malformed(e));
        }
    }

    private static Refusal readArray(JsonParser parser, long deviceId, int maxReadings, Instant receivedAt,
            Transport transport, List<Reading> readings) throws IOException {
        Refusal firstProblem = null;
        int index = 0;
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken(), index++) {
            if (token != JsonToken.START_OBJECT) {
                return Refusal.of(RefusalKind.MALFORMED, "malformed JSON: reading " + index + " is not an object")
                        .forDevice(deviceId);
            }
            if (index >= maxReadings) {
                return Refusal.of(RefusalKind.OVERSIZE, "more than " + maxReadings + " readings in one message")
                        .forDevice(deviceId);
            }
            Refusal problem = readOne(parser, deviceId, receivedAt, transport, readings, index);
            if (firstProblem == null) {
                firstProblem = problem;
            }
        }
        if (index == 0) {
            return Refusal.of(RefusalKind.MISSING_FIELD, "an empty array holds no reading").forDevice(deviceId);
        }
        return firstProblem;
    }

    /** Reads one object into {@code readings}; its refusal (with its index in an array), or null. */
    private static Refusal readOne(JsonParser parser, long deviceId, Instant receivedAt, Transport transport,
            List<Reading> readings, Integer index) throws IOException {
        ReadingObject object = new ReadingObject();
        object.readFields(parser);
        return switch (object.fields().toReading(deviceId, receivedAt, transport)) {
            case DecodeResult.Decoded<Reading>(Reading reading) -> {
                readings.add(reading);
                yield null;
            }
            case DecodeResult.Refused<Reading>(Refusal refusal) -> index == null ? refusal
                    : new Refusal(refusal.kind(), "reading " + index + ": " + refusal.reason(), refusal.deviceId());
        };
    }

    private static <T> DecodeResult<T> refused(long deviceId, RefusalKind kind, String reason) {
        return new DecodeResult.Refused<>(Refusal.of(kind, reason).forDevice(deviceId));
    }

    /** The fields of one reading object as they are read: known ones typed, the rest kept as JSON. */
    private static final class ReadingObject {
        private final ReadingFields fields = new ReadingFields();
        private StringWriter extraText;
        private JsonGenerator extra;

        /** Reads the object whose {@code START_OBJECT} is the parser's current token, to its end. */
        void readFields(JsonParser parser) throws IOException {
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                read(name, parser);
            }
        }

        private void read(String name, JsonParser parser) throws IOException {
            Field field = Field.named(name);
            if (field == null) {
                keepUnknown(name, parser);
                return;
            }
            JsonToken token = parser.currentToken();
            if (token == JsonToken.VALUE_NULL) {
                return;
            }
            switch (field.type()) {
                case INTEGER -> {
                    if (token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                        fields.setInteger(field, parser.getLongValue());
                    } else {
                        wrongType(field, parser);
                    }
                }
                case NUMBER -> {
                    if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
                        fields.setNumber(field, parser.getDoubleValue());
                    } else {
                        wrongType(field, parser);
                    }
                }
                case BOOLEAN -> {
                    if (token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE) {
                        fields.setBoolean(field, token == JsonToken.VALUE_TRUE);
                    } else {
                        wrongType(field, parser);
                    }
                }
            }
        }

        private void wrongType(Field field, JsonParser parser) throws IOException {
            fields.wrongType(field);
            parser.skipChildren();
        }

        private void keepUnknown(String name, JsonParser parser) throws IOException {
            if (extra == null) {
                extraText = new StringWriter();
                extra = JsonFields.JSON.createGenerator(extraText);
                extra.writeStartObject();
            }
            extra.writeFieldName(name);
            extra.copyCurrentStructure(parser);
        }

        ReadingFields fields() {
            fields.setExtraJson(extraJson());
            return fields;
        }

        private String extraJson() {
            if (extra == null) {
                return null;
            }
            try {
                extra.writeEndObject();
                extra.close();
            } catch (IOException e) {
                throw new UncheckedIOException("writing to a StringWriter cannot fail", e);
            }
            return extraText.toString();
        }
    }
}
