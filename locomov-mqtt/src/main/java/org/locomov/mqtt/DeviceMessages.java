package org.locomov.mqtt;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Locale;
import org.locomov.core.DecodeResult;
import org.locomov.core.RefusalKind;
import org.locomov.core.command.Command;
import org.locomov.core.firmware.FirmwareJobStatus;
import org.locomov.core.firmware.FirmwareOffer;
import org.locomov.transport.JsonFields;

/**
 * The JSON a device exchanges on its command and firmware topics: commands and firmware offers going out,
 * command answers and firmware reports coming in (bad input as a refusal, never an exception). Stateless.
 */
final class DeviceMessages {

    /** {@code {"id", "status": "ok|error", "payload"}} on {@code devices/{id}/commands/response}. */
    record CommandAnswer(long commandId, boolean ok, String payloadJson) {
    }

    /** {@code {"job", "status": "downloading|done|failed", "bytes"[, "error"]}} on {@code devices/{id}/firmware/status}. */
    record FirmwareReport(long jobId, FirmwareJobStatus status, long bytes, String error) {
    }

    private DeviceMessages() {
    }

    /** {@code {"id", "name", "payload"}}: a command as published on {@code devices/{id}/commands}. */
    static byte[] command(Command command) {
        return write(json -> {
            json.writeNumberField("id", command.id());
            json.writeStringField("name", command.name());
            json.writeFieldName("payload");
            if (command.payloadJson() == null) {
                json.writeNull();
            } else {
                json.writeRawValue(command.payloadJson());
            }
        });
    }

    /** {@code {"job", "url", "sha256", "size", "version"}}: a firmware offer on {@code devices/{id}/firmware}. */
    static byte[] firmwareOffer(FirmwareOffer offer) {
        return write(json -> {
            json.writeNumberField("job", offer.jobId());
            json.writeStringField("url", offer.imagePath());
            json.writeStringField("sha256", offer.sha256Hex());
            json.writeNumberField("size", offer.size());
            json.writeStringField("version", offer.version());
        });
    }

    static DecodeResult<CommandAnswer> commandAnswer(byte[] payload) {
        try (JsonParser parser = JsonFields.JSON.createParser(payload)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return DecodeResult.refused(RefusalKind.MALFORMED, "a command answer must be a JSON object");
            }
            Long id = null;
            String status = null;
            String answer = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (name) {
                    case "id" -> id = value == JsonToken.VALUE_NUMBER_INT ? parser.getLongValue() : null;
                    case "status" -> status = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                    case "payload" -> answer = value == JsonToken.VALUE_NULL ? null : copy(parser);
                    default -> parser.skipChildren();
                }
            }
            if (id == null) {
                return DecodeResult.refused(RefusalKind.MISSING_FIELD, "a command answer needs an integer \"id\"");
            }
            if (!"ok".equals(status) && !"error".equals(status)) {
                return DecodeResult.refused(RefusalKind.WRONG_TYPE, "a command answer's \"status\" must be \"ok\" or \"error\"");
            }
            return DecodeResult.decoded(new CommandAnswer(id, "ok".equals(status), answer));
        } catch (IOException e) {
            return DecodeResult.refused(RefusalKind.MALFORMED, JsonFields.malformed(e));
        }
    }

    static DecodeResult<FirmwareReport> firmwareReport(byte[] payload) {
        try (JsonParser parser = JsonFields.JSON.createParser(payload)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return DecodeResult.refused(RefusalKind.MALFORMED, "a firmware report must be a JSON object");
            }
            Long job = null;
            String status = null;
            long bytes = 0;
            String error = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (name) {
                    case "job" -> job = value == JsonToken.VALUE_NUMBER_INT ? parser.getLongValue() : null;
                    case "status" -> status = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                    case "bytes" -> bytes = value == JsonToken.VALUE_NUMBER_INT ? parser.getLongValue() : -1;
                    case "error" -> error = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                    default -> parser.skipChildren();
                }
            }
            if (job == null) {
                return DecodeResult.refused(RefusalKind.MISSING_FIELD, "a firmware report needs an integer \"job\"");
            }
            if (bytes < 0) {
                return DecodeResult.refused(RefusalKind.WRONG_TYPE, "a firmware report's \"bytes\" must be a count");
            }
            FirmwareJobStatus jobStatus = switch (status == null ? "" : status.toLowerCase(Locale.ROOT)) {
                case "downloading" -> FirmwareJobStatus.RUNNING;
                case "done" -> FirmwareJobStatus.DONE;
                case "failed" -> FirmwareJobStatus.FAILED;
                default -> null;
            };
            if (jobStatus == null) {
                return DecodeResult.refused(RefusalKind.WRONG_TYPE,
                        "a firmware report's \"status\" must be \"downloading\", \"done\" or \"failed\"");
            }
            if (jobStatus == FirmwareJobStatus.FAILED && error == null) {
                error = "the device reported failure";
            }
            return DecodeResult.decoded(new FirmwareReport(job, jobStatus, bytes, error));
        } catch (IOException e) {
            return DecodeResult.refused(RefusalKind.MALFORMED, JsonFields.malformed(e));
        }
    }

    private static String copy(JsonParser parser) throws IOException {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = JsonFields.JSON.createGenerator(text)) {
            json.copyCurrentStructure(parser);
        }
        return text.toString();
    }

    @FunctionalInterface
    private interface Fields {
        void write(JsonGenerator json) throws IOException;
    }

    private static byte[] write(Fields fields) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (JsonGenerator json = JsonFields.JSON.createGenerator(bytes)) {
            json.writeStartObject();
            fields.write(json);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }
}
