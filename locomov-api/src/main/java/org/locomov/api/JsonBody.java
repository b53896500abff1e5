package org.locomov.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;

/**
 * A request's JSON object, read field by field so that each bad field gets a 400 naming it. The body's
 * size is already bounded by the server's request limit.
 */
final class JsonBody {

    private final JsonNode root;

    private JsonBody(JsonNode root) {
        this.root = root;
    }

    static JsonBody of(Context ctx, ObjectMapper mapper) {
        String text = ctx.body();
        if (text.isBlank()) {
            return new JsonBody(mapper.createObjectNode());
        }
        try {
            JsonNode root = mapper.readTree(text);
            if (root == null || !root.isObject()) {
                throw ApiProblem.badRequest("the body must be a JSON object");
            }
            return new JsonBody(root);
        } catch (JsonProcessingException e) {
            throw ApiProblem.badRequest("the body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** A whole number field, also accepted as a string of digits (64-bit ids do not fit a JavaScript number). */
    Long optionalLong(String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.canConvertToExactIntegral() && node.canConvertToLong()) {
            return node.asLong();
        }
        if (node.isTextual()) {
            try {
                return Long.parseLong(node.asText());
            } catch (NumberFormatException e) {
                // Answered below.
            }
        }
        throw ApiProblem.badRequest(field + " must be a 64-bit integer");
    }

    long requiredLong(String field) {
        Long value = optionalLong(field);
        if (value == null) {
            throw ApiProblem.badRequest(field + " is required");
        }
        return value;
    }

    /** A string field, stripped, at most {@code maxLength} characters; null when absent. */
    String optionalString(String field, int maxLength) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw ApiProblem.badRequest(field + " must be a string");
        }
        String value = node.asText().strip();
        if (value.length() > maxLength) {
            throw ApiProblem.badRequest(field + " must be at most " + maxLength + " characters");
        }
        return value;
    }

    boolean optionalBoolean(String field, boolean fallback) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isBoolean()) {
            throw ApiProblem.badRequest(field + " must be true or false");
        }
        return node.asBoolean();
    }

    /** Any JSON value of the field, as JSON text; null when absent or JSON null. */
    String optionalJson(String field) {
        JsonNode node = root.get(field);
        return node == null || node.isNull() ? null : node.toString();
    }

    /** An integer field within {@code [min, max]}, or {@code fallback} when absent. */
    int optionalInt(String field, int fallback, int min, int max) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (node.canConvertToExactIntegral() && node.canConvertToLong() && node.asLong() >= min && node.asLong() <= max) {
            return (int) node.asLong();
        }
        throw ApiProblem.badRequest(field + " must be an integer from " + min + " to " + max);
    }
}
