package org.locomov.mov;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;

/**
 * The fields of one JSON object as they are read with Jackson's streaming parser, for a decoder that
 * says which fields it wants ({@link #read}) and what it makes of them ({@link #toResult}). Typed
 * readers turn a value of the wrong type into a refusal; a JSON {@code null} counts as absent; the first
 * problem found wins, and a later syntax error wins over it.
 *
 * <p>One instance per decoded object, used by one thread.
 *
 * @param <T> what the object decodes to
 */
abstract class JsonFields<T> {

    /** Duplicate field names are a syntax error, not "the last one wins". */
    static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private Refusal problem;

    /**
     * Reads {@code json}, one complete JSON value that must be an object.
     *
     * @param what the object's name in refusals: "a {@code what} must be a JSON object"
     */
    final DecodeResult<T> decode(byte[] json, String what) {
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
        } catch (JsonProcessingException e) {
            return DecodeResult.refused(RefusalKind.MALFORMED, "malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            // Parsing an array in memory does no I/O; this is a parse error under another name.
            return DecodeResult.refused(RefusalKind.MALFORMED, "malformed JSON: " + e.getMessage());
        }
    }

    /** Reads field {@code name}, whose value is the parser's current token; skips it if unwanted. */
    abstract void read(String name, JsonParser parser) throws IOException;

    /** The object once every field is read; {@link #problem()} is the first problem found, if any. */
    abstract DecodeResult<T> toResult() throws IOException;

    /** The first problem found so far; nullable. */
    final Refusal problem() {
        return problem;
    }

    final void noteProblem(RefusalKind kind, String reason) {
        if (problem == null) {
            problem = Refusal.of(kind, reason);
        }
    }

    final String text(String name, JsonParser parser) throws IOException {
        return switch (parser.currentToken()) {
            case VALUE_NULL -> null;
            case VALUE_STRING -> parser.getText();
            default -> wrongType(name, "a string", parser);
        };
    }

    /** A 64-bit integer; {@code expected} describes it in the refusal ("must be {@code expected}"). */
    final Long integer(String name, JsonParser parser, String expected) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            return parser.getLongValue();
        }
        return wrongType(name, expected, parser);
    }

    /** A finite number, integer or not. */
    final Double number(String name, JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
            double value = parser.getDoubleValue();
            if (Double.isFinite(value)) {
                return value;
            }
            noteProblem(RefusalKind.OUT_OF_RANGE, "field '" + name + "' is out of range");
            return null;
        }
        return wrongType(name, "a number", parser);
    }

    final Boolean bool(String name, JsonParser parser) throws IOException {
        return switch (parser.currentToken()) {
            case VALUE_NULL -> null;
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            default -> wrongType(name, "true or false", parser);
        };
    }

    private <V> V wrongType(String name, String expected, JsonParser parser) throws IOException {
        noteProblem(RefusalKind.WRONG_TYPE, "field '" + name + "' must be " + expected);
        // Read past an object or array given where a scalar belongs, so parsing can go on and a
        // later syntax error still wins over the type error.
        parser.skipChildren();
        return null;
    }
}
