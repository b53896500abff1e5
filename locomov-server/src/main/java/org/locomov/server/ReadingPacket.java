package org.locomov.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * One mov packet as {@code send} posts it, with the field names of the device protocol
 * ({@code id, timestamp, status, voltage, freq, lat, lng}); optional fields are left out when absent.
 */
record ReadingPacket(long id, Long timestamp, boolean status, double voltage, double frequency, Double lat, Double lng) {

    private static final JsonFactory JSON = new JsonFactory();

    /** Compact JSON on one line, without the trailing newline. */
    String toCompactJson() {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(text)) {
            json.writeStartObject();
            json.writeNumberField("id", id);
            if (timestamp != null) {
                json.writeNumberField("timestamp", timestamp);
            }
            json.writeBooleanField("status", status);
            json.writeNumberField("voltage", voltage);
            json.writeNumberField("freq", frequency);
            if (lat != null) {
                json.writeNumberField("lat", lat);
            }
            if (lng != null) {
                json.writeNumberField("lng", lng);
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to a string cannot fail", e);
        }
        return text.toString();
    }
}
