package org.locomov.api;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import org.locomov.store.ReadingQueries.ReadingRow;

/**
 * Writes readings as RFC 4180 CSV, one row at a time, through a fixed-size buffer. Only the
 * {@code extra} column (device JSON) and {@code transport} can hold commas or quotes; they are quoted.
 *
 * <p>Not thread-safe: used by the one request thread that streams a response.
 */
final class ReadingCsvWriter implements AutoCloseable {

    private static final int BUFFER_CHARS = 16 * 1024;

    private final Writer out;

    ReadingCsvWriter(OutputStream response) {
        this.out = new BufferedWriter(new OutputStreamWriter(response, StandardCharsets.UTF_8), BUFFER_CHARS);
    }

    void header() throws IOException {
        out.write("id,device_id,created_at,saved_at,voltage,frequency,protected,lat,lng,transport,extra\r\n");
    }

    void row(ReadingRow row) throws IOException {
        out.write(Long.toString(row.id()));
        out.write(',');
        out.write(Long.toString(row.deviceId()));
        out.write(',');
        out.write(row.createdAt().toString());
        out.write(',');
        out.write(row.savedAt().toString());
        out.write(',');
        value(row.voltage());
        out.write(',');
        value(row.frequency());
        out.write(',');
        value(row.protectedStatus());
        out.write(',');
        value(row.lat());
        out.write(',');
        value(row.lng());
        out.write(',');
        quoted(row.transport());
        out.write(',');
        quoted(row.extraJson());
        out.write("\r\n");
    }

    private void value(Object value) throws IOException {
        if (value != null) {
            out.write(value.toString());
        }
    }

    private void quoted(String text) throws IOException {
        if (text != null) {
            out.write('"');
            out.write(text.replace("\"", "\"\""));
            out.write('"');
        }
    }

    @Override
    public void close() throws IOException {
        out.flush();
    }
}
