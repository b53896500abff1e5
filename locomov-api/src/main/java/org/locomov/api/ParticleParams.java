package org.locomov.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.util.Locale;

/**
 * A Particle API request's parameters, wherever the client put them: Particle's clients send the same fields
 * as a form ({@code particle-cli}'s request library), as multipart (flashing), or as JSON (particle-api-js),
 * and some in the query string. The first of JSON body, form and query that has a field wins.
 */
final class ParticleParams {

    private final Context ctx;
    private final JsonNode json;

    private ParticleParams(Context ctx, JsonNode json) {
        this.ctx = ctx;
        this.json = json;
    }

    static ParticleParams of(Context ctx, ObjectMapper mapper) {
        String type = ctx.contentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json") || ctx.body().isBlank()) {
            return new ParticleParams(ctx, null);
        }
        try {
            JsonNode root = mapper.readTree(ctx.body());
            if (root == null || !root.isObject()) {
                throw ParticleProblem.badRequest("the body must be a JSON object");
            }
            return new ParticleParams(ctx, root);
        } catch (JsonProcessingException e) {
            throw ParticleProblem.badRequest("the body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** The field as text (a JSON number or boolean as written); null when absent or JSON null. */
    String text(String field) {
        if (json != null) {
            JsonNode node = json.get(field);
            if (node != null && !node.isNull()) {
                return node.isValueNode() ? node.asText() : node.toString();
            }
        }
        String form = ctx.formParam(field);
        return form != null ? form : ctx.queryParam(field);
    }

    /** The field, at most {@code maxLength} characters; null when absent. */
    String text(String field, int maxLength) {
        String value = text(field);
        if (value != null && value.length() > maxLength) {
            throw ParticleProblem.badRequest(field + " must be at most " + maxLength + " characters");
        }
        return value;
    }

    /** Particle's booleans: true, 1, on (any case). */
    boolean flag(String field) {
        String value = text(field);
        return value != null && (value.equalsIgnoreCase("true") || value.equals("1") || value.equalsIgnoreCase("on"));
    }

    boolean has(String field) {
        return text(field) != null;
    }
}
