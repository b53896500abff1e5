package org.locomov.transport;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import org.locomov.core.DecodeResult;
import org.locomov.core.Refusal;
import org.locomov.core.RefusalKind;

/**
 * The fields of one JSON object as they are read with Jackson's streaming parser, for a decoder that
 * says which fields it wants ({@link #read}) and what it makes of them ({@link #toResult}). Typed
 * readers turn a value of the wrong type into a refusal; a JSON {@code null} counts as absent; the first
 * problem found wins, and a later syntax error wins over it. The same code reads CBOR when given
 * Jackson's CBOR factory, since its parser speaks the same API.
 *
 * <p>One instance per decoded object, used by one thread.
 *
 * @param <T> what the object decodes to
 */
public abstract class JsonFields<T> {

    /** Duplicate field names are a syntax error, not "the last one wins". */
    public static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private Refusal problem;

    /**
     * Reads {@code json}, one complete JSON value that must be an object.
     *
     * @param what the object's name in refusals: "a {@code what} must be a JSON object"
     */
    public final DecodeResult<T> decode(byte[] json, String what) {
        try (JsonParser parser = JSON.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return DecodeResult.refused(RefusalKind.MALFORMED, "malformed JSON: a " + what + " must be a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                read(name, parser);
            }
            if (parser.nextToken() != null) {
                return DecodeResult.refused(RefusalKind.MALFORMED, "malformed JSON: content after the " + what);
            }
            return toResult();
        } catch (IOException e) {
            return DecodeResult.refused(RefusalKind.MALFORMED, malformed(e));
        }
    }

    /** A syntax error as the refusal's reason. */
    public static String malformed(IOException e) {
        // Parsing an array in memory does no I/O; any IOException is a parse error under another name.
        return "malformed " + (e instanceof JsonProcessingException parse ? "JSON: " + parse.getOriginalMessage()
                : "JSON: " + e.getMessage());
    }

    /** Reads field {@code name}, whose value is the parser's current token; skips it if unwanted. */
    protected abstract void read(String name, JsonParser parser) throws IOException;

    /** The object once every field is read; {@link #problem()} is the first problem found, if any. */
    protected abstract DecodeResult<T> toResult() throws IOException;

    /** The first problem found so far; nullable. */
    protected final Refusal problem() {
        return problem;
    }

    protected final void noteProblem(RefusalKind kind, String reason) {
        if (problem == null) {
            problem = Refusal.of(kind, reason);
        }
    }

    protected final String text(String name, JsonParser parser) throws IOException {
        return switch (parser.currentToken()) {
            case VALUE_NULL -> null;
            case VALUE_STRING -> parser.getText();
            default -> wrongType(name, "a string", parser);
        };
    }

    /** A 64-bit integer; {@code expected} describes it in the refusal ("must be {@code expected}"). */
    protected final Long integer(String name, JsonParser parser, String expected) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            return parser.getLongValue();
        }
        return wrongType(name, expected, parser);
    }

    /** Records that field {@code name} is not {@code expected} and reads past its value. */
    protected final <V> V wrongType(String name, String expected, JsonParser parser) throws IOException {
        noteProblem(RefusalKind.WRONG_TYPE, "field '" + name + "' must be " + expected);
        // Read past an object or array given where a scalar belongs, so parsing can go on and a
        // later syntax error still wins over the type error.
        parser.skipChildren();
        return null;
    }
}
