package org.locomov.mov;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;

import org.locomov.store.ConfoPost;
import org.locomov.store.DeviceAdmin;
import org.locomov.store.UserRepository;

/**
 * Decodes a newly provisioned device's confirmation, {@code {"deviceName","timestamp","ssid","hash","email"}},
 * into a {@link ConfoPost}, or into a {@link Refusal} naming what is wrong.
 *
 * <p>Fields: {@code deviceName} (string, 1 to {@value #MAX_DEVICE_NAME_CHARS} characters), {@code ssid}
 * (string, 1 to {@value #MAX_SSID_BYTES} bytes of UTF-8, the 802.11 limit), {@code hash} (integer,
 * 64-bit), {@code email} (loosely checked as {@link UserRepository#emailProblem} does, then lower-cased)
 * are required; {@code timestamp} (integer Unix seconds) is optional, as device clocks often are wrong.
 * A JSON {@code null} counts as absent; other fields are ignored. Names and SSIDs are kept as sent
 * (case and spaces included), since the phone app asks with exactly what it configured.
 *
 * <p>Uses Jackson's streaming parser. Stateless and thread-safe.
 */
public final class ConfoPostDecoder {

    public static final int MAX_DEVICE_NAME_CHARS = DeviceAdmin.MAX_NAME_LENGTH;
    public static final int MAX_SSID_BYTES = 32;

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** Decodes {@code json}, one complete JSON value. */
    public DecodeResult<ConfoPost> decode(byte[] json) {
        try (JsonParser parser = JSON.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return DecodeResult.refused(RefusalKind.MALFORMED, "malformed JSON: a confirmation must be a JSON object");
            }
            Fields fields = new Fields();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                fields.read(name, parser);
            }
            if (parser.nextToken() != null) {
                return DecodeResult.refused(RefusalKind.MALFORMED, "malformed JSON: content after the confirmation");
            }
            return fields.toResult();
        } catch (JsonProcessingException e) {
            return DecodeResult.refused(RefusalKind.MALFORMED, "malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            // Parsing an array in memory does no I/O; this is a parse error under another name.
            return DecodeResult.refused(RefusalKind.MALFORMED, "malformed JSON: " + e.getMessage());
        }
    }

    /** The fields of one confirmation as they are read; the first problem found wins. */
    private static final class Fields {
        String deviceName;
        String ssid;
        Long hash;
        String email;
        Long timestamp;
        Refusal problem;

        void read(String name, JsonParser parser) throws IOException {
            switch (name) {
                case "deviceName" -> deviceName = text(name, parser);
                case "ssid" -> ssid = text(name, parser);
                case "hash" -> hash = integer(name, parser);
                case "email" -> email = text(name, parser);
                case "timestamp" -> timestamp = integer(name, parser);
                default -> parser.skipChildren();
            }
        }

        DecodeResult<ConfoPost> toResult() {
            require("deviceName", deviceName);
            require("ssid", ssid);
            require("hash", hash);
            require("email", email);
            if (problem == null) {
                checkValues();
            }
            if (problem != null) {
                return new DecodeResult.Refused<>(problem);
            }
            Instant deviceTime = timestamp == null ? null : Instant.ofEpochSecond(timestamp);
            return DecodeResult.decoded(new ConfoPost(deviceName, ssid, hash, email.strip().toLowerCase(Locale.ROOT),
                    deviceTime));
        }

        private void checkValues() {
            if (deviceName.isBlank() || deviceName.length() > MAX_DEVICE_NAME_CHARS) {
                noteProblem(RefusalKind.OUT_OF_RANGE,
                        "field 'deviceName' must be 1 to " + MAX_DEVICE_NAME_CHARS + " characters");
            } else if (ssid.isEmpty() || ssid.getBytes(StandardCharsets.UTF_8).length > MAX_SSID_BYTES) {
                noteProblem(RefusalKind.OUT_OF_RANGE, "field 'ssid' must be 1 to " + MAX_SSID_BYTES + " bytes");
            } else if (timestamp != null && (timestamp < MovPacketDecoder.MIN_TIMESTAMP_SECONDS
                    || timestamp > MovPacketDecoder.MAX_TIMESTAMP_SECONDS)) {
                noteProblem(RefusalKind.OUT_OF_RANGE, "field 'timestamp' is out of range: " + timestamp);
            } else {
                Optional<String> emailProblem = UserRepository.emailProblem(email.strip());
                emailProblem.ifPresent(reason -> noteProblem(RefusalKind.OUT_OF_RANGE, "field 'email': " + reason));
            }
        }

        private void require(String name, Object value) {
            if (value == null) {
                noteProblem(RefusalKind.MISSING_FIELD, "field '" + name + "' is required");
            }
        }

        private String text(String name, JsonParser parser) throws IOException {
            return switch (parser.currentToken()) {
                case VALUE_NULL -> null;
                case VALUE_STRING -> parser.getText();
                default -> wrongType(name, "a string", parser);
            };
        }

        private Long integer(String name, JsonParser parser) throws IOException {
            JsonToken token = parser.currentToken();
            if (token == JsonToken.VALUE_NULL) {
                return null;
            }
            if (token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                return parser.getLongValue();
            }
            return wrongType(name, "a 64-bit integer", parser);
        }

        private <T> T wrongType(String name, String expected, JsonParser parser) throws IOException {
            noteProblem(RefusalKind.WRONG_TYPE, "field '" + name + "' must be " + expected);
            // Read past an object or array given where a scalar belongs, so a later syntax error still wins.
            parser.skipChildren();
            return null;
        }

        private void noteProblem(RefusalKind kind, String reason) {
            if (problem == null) {
                problem = Refusal.of(kind, reason);
            }
        }
    }
}
