package org.locomov.mov;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;

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
 * <p>Uses Jackson's streaming parser ({@link JsonFields}): no tree, no reflection. Stateless and thread-safe.
 */
public final class MovPacketDecoder {

    /** Timestamps PostgreSQL and ISO-8601 both hold: years 1 to 9999. */
    static final long MIN_TIMESTAMP_SECONDS = -62_135_596_800L;
    static final long MAX_TIMESTAMP_SECONDS = 253_402_300_799L;

    /** Decodes {@code json}, one complete JSON value, received at {@code receivedAt}. */
    public DecodeResult<Reading> decode(byte[] json, Instant receivedAt) {
        return new Fields(receivedAt).decode(json, "packet");
    }

    /** The fields of one packet as they are read; the first problem found wins. */
    private static final class Fields extends JsonFields<Reading> {
        final Instant receivedAt;
        Long id;
        Long timestamp;
        Boolean status;
        Double voltage;
        Double frequency;
        Double lat;
        Double lng;
        StringWriter extraText;
        JsonGenerator extra;

        Fields(Instant receivedAt) {
            this.receivedAt = receivedAt;
        }

        @Override
        void read(String name, JsonParser parser) throws IOException {
            switch (name) {
                case "id" -> id = integer(name, parser, "an integer");
                case "timestamp" -> timestamp = integer(name, parser, "an integer");
                case "status" -> status = bool(name, parser);
                case "voltage" -> voltage = number(name, parser);
                case "freq" -> frequency = number(name, parser);
                case "lat" -> lat = number(name, parser);
                case "lng" -> lng = number(name, parser);
                default -> keepUnknown(name, parser);
            }
        }

        @Override
        DecodeResult<Reading> toResult() {
            if (id == null) {
                noteProblem(RefusalKind.MISSING_FIELD, "field 'id' is required");
            }
            if (timestamp != null && (timestamp < MIN_TIMESTAMP_SECONDS || timestamp > MAX_TIMESTAMP_SECONDS)) {
                noteProblem(RefusalKind.OUT_OF_RANGE, "field 'timestamp' is out of range: " + timestamp);
            }
            Refusal problem = problem();
            if (problem != null) {
                return new DecodeResult.Refused<>(id == null ? problem : problem.forDevice(id));
            }
            Instant deviceTime = timestamp == null ? null : Instant.ofEpochSecond(timestamp);
            return DecodeResult.decoded(new Reading(id, deviceTime, receivedAt, status, voltage, frequency, lat, lng,
                    extraJson(), Transport.MOV));
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
