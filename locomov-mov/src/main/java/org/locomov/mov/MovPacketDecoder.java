package org.locomov.mov;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;

import org.locomov.core.Reading;
import org.locomov.core.Transport;

/**
 * Decodes one mov packet (a JSON object) into a {@link Reading}, or into a {@link Refusal} naming
 * what is wrong: malformed JSON, a field of the wrong type, a missing {@code id}, a timestamp no
 * database can hold. Fields: {@code id} (integer, required), {@code timestamp} (integer Unix seconds),
 * {@code status} (boolean), {@code voltage}, {@code freq}, {@code lat}, {@code lng} (numbers); a JSON
 * {@code null} counts as absent. Fields it does not know are kept, as a JSON object, in
 * {@link Reading#extraJson()}.
 *
 * <p>Uses Jackson's streaming parser: no tree, no reflection. Stateless and thread-safe.
 */
public final class MovPacketDecoder {

    /** Timestamps PostgreSQL and ISO-8601 both hold: years 1 to 9999. */
    static final long MIN_TIMESTAMP_SECONDS = -62_135_596_800L;
    static final long MAX_TIMESTAMP_SECONDS = 253_402_300_799L;

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** Decodes {@code json}, one complete JSON value, received at {@code receivedAt}. */
    public DecodeResult<Reading> decode(byte[] json, Instant receivedAt) {
        try (JsonParser parser = JSON.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return DecodeResult.refused(RefusalKind.MALFORMED, "malformed JSON: a packet must be a JSON object");
            }
            Fields fields = new Fields();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                fields.read(name, parser);
            }
            if (parser.nextToken() != null) {
                return DecodeResult.refused(RefusalKind.MALFORMED, "malformed JSON: content after the packet");
            }
            return fields.toResult(receivedAt);
        } catch (JsonProcessingException e) {
            return DecodeResult.refused(RefusalKind.MALFORMED, "malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            // Parsing an array in memory does no I/O; this is a parse error under another name.
            return DecodeResult.refused(RefusalKind.MALFORMED, "malformed JSON: " + e.getMessage());
        }
    }

    /** The fields of one packet as they are read; the first problem found wins. */
    private static final class Fields {
        Long id;
        Long timestamp;
        Boolean status;
        Double voltage;
        Double frequency;
        Double lat;
        Double lng;
        StringWriter extraText;
        JsonGenerator extra;
        Refusal problem;

        void read(String name, JsonParser parser) throws IOException {
            switch (name) {
                case "id" -> id = integer(name, parser);
                case "timestamp" -> timestamp = integer(name, parser);
                case "status" -> status = bool(name, parser);
                case "voltage" -> voltage = number(name, parser);
                case "freq" -> frequency = number(name, parser);
                case "lat" -> lat = number(name, parser);
                case "lng" -> lng = number(name, parser);
                default -> keepUnknown(name, parser);
            }
        }

        DecodeResult<Reading> toResult(Instant receivedAt) throws IOException {
            if (problem == null && id == null) {
                problem = Refusal.of(RefusalKind.MISSING_FIELD, "field 'id' is required");
            }
            if (problem == null && timestamp != null
                    && (timestamp < MIN_TIMESTAMP_SECONDS || timestamp > MAX_TIMESTAMP_SECONDS)) {
                problem = Refusal.of(RefusalKind.OUT_OF_RANGE, "field 'timestamp' is out of range: " + timestamp);
            }
            if (problem != null) {
                return new DecodeResult.Refused<>(id == null ? problem : problem.forDevice(id));
            }
            Instant deviceTime = timestamp == null ? null : Instant.ofEpochSecond(timestamp);
            return DecodeResult.decoded(new Reading(id, deviceTime, receivedAt, status, voltage, frequency, lat, lng,
                    extraJson(), Transport.MOV));
        }

        private Long integer(String name, JsonParser parser) throws IOException {
            JsonToken token = parser.currentToken();
            if (token == JsonToken.VALUE_NULL) {
                return null;
            }
            if (token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                return parser.getLongValue();
            }
            return wrongType(name, "an integer", parser);
        }

        private Double number(String name, JsonParser parser) throws IOException {
            JsonToken token = parser.currentToken();
            if (token == JsonToken.VALUE_NULL) {
                return null;
            }
            if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
                double value = parser.getDoubleValue();
                if (Double.isFinite(value)) {
                    return value;
                }
                noteProblem(Refusal.of(RefusalKind.OUT_OF_RANGE, "field '" + name + "' is out of range"));
                return null;
            }
            return wrongType(name, "a number", parser);
        }

        private Boolean bool(String name, JsonParser parser) throws IOException {
            return switch (parser.currentToken()) {
                case VALUE_NULL -> null;
                case VALUE_TRUE -> Boolean.TRUE;
                case VALUE_FALSE -> Boolean.FALSE;
                default -> wrongType(name, "true or false", parser);
            };
        }

        private <T> T wrongType(String name, String expected, JsonParser parser) throws IOException {
            noteProblem(Refusal.of(RefusalKind.WRONG_TYPE, "field '" + name + "' must be " + expected));
            // Read past an object or array given where a scalar belongs, so parsing can go on and a
            // later syntax error still wins over the type error.
            parser.skipChildren();
            return null;
        }

        private void noteProblem(Refusal refusal) {
            if (problem == null) {
                problem = refusal;
            }
        }

        private void keepUnknown(String name, JsonParser parser) throws IOException {
            if (extra == null) {
                extraText = new StringWriter();
                extra = JSON.createGenerator(extraText);
                extra.writeStartObject();
            }
            extra.writeFieldName(name);
            extra.copyCurrentStructure(parser);
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
