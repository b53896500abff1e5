package org.locomov.mov;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonParser;

import org.locomov.core.ConfoPost;
import org.locomov.core.DecodeResult;
import org.locomov.core.DeviceNames;
import org.locomov.core.EmailAddresses;
import org.locomov.core.ReadingFields;
import org.locomov.core.RefusalKind;
import org.locomov.transport.JsonFields;

/**
 * Decodes a newly provisioned device's confirmation, {@code {"deviceName","timestamp","ssid","hash","email"}},
 * into a {@link ConfoPost}, or into a {@link Refusal} naming what is wrong.
 *
 * <p>Fields: {@code deviceName} (string, 1 to {@value #MAX_DEVICE_NAME_CHARS} characters), {@code ssid}
 * (string, 1 to {@value #MAX_SSID_BYTES} bytes of UTF-8, the 802.11 limit), {@code hash} (integer,
 * 64-bit), {@code email} (loosely checked as {@link EmailAddresses#problem} does, then lower-cased)
 * are required; {@code timestamp} (integer Unix seconds) is optional, as device clocks often are wrong.
 * A JSON {@code null} counts as absent; other fields are ignored. Names and SSIDs are kept as sent
 * (case and spaces included), since the phone app asks with exactly what it configured.
 *
 * <p>Uses Jackson's streaming parser ({@link JsonFields}). Stateless and thread-safe.
 */
public final class ConfoPostDecoder {

    public static final int MAX_DEVICE_NAME_CHARS = DeviceNames.MAX_LENGTH;
    public static final int MAX_SSID_BYTES = 32;

    /** Decodes {@code json}, one complete JSON value. */
    public DecodeResult<ConfoPost> decode(byte[] json) {
        return new Fields().decode(json, "confirmation");
    }

    /** The fields of one confirmation as they are read; the first problem found wins. */
    private static final class Fields extends JsonFields<ConfoPost> {
        String deviceName;
        String ssid;
        Long hash;
        String email;
        Long timestamp;

        @Override
        protected void read(String name, JsonParser parser) throws IOException {
            switch (name) {
                case "deviceName" -> deviceName = text(name, parser);
                case "ssid" -> ssid = text(name, parser);
                case "hash" -> hash = integer(name, parser, "a 64-bit integer");
                case "email" -> email = text(name, parser);
                case "timestamp" -> timestamp = integer(name, parser, "a 64-bit integer");
                default -> parser.skipChildren();
            }
        }

        @Override
        protected DecodeResult<ConfoPost> toResult() {
            require("deviceName", deviceName);
            require("ssid", ssid);
            require("hash", hash);
            require("email", email);
            if (problem() == null) {
                checkValues();
            }
            if (problem() != null) {
                return new DecodeResult.Refused<>(problem());
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
            } else if (timestamp != null && (timestamp < ReadingFields.MIN_TIMESTAMP_SECONDS
                    || timestamp > ReadingFields.MAX_TIMESTAMP_SECONDS)) {
                noteProblem(RefusalKind.OUT_OF_RANGE, "field 'timestamp' is out of range: " + timestamp);
            } else {
                Optional<String> emailProblem = EmailAddresses.problem(email.strip());
                emailProblem.ifPresent(reason -> noteProblem(RefusalKind.OUT_OF_RANGE, "field 'email': " + reason));
            }
        }

        private void require(String name, Object value) {
            if (value == null) {
                noteProblem(RefusalKind.MISSING_FIELD, "field '" + name + "' is required");
            }
        }
    }
}
