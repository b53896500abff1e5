package org.locomov.api;

import io.javalin.http.HttpStatus;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Particle Cloud API request answered with an error, in the body shape Particle's clients read:
 * {@code {"ok": false, "error": ..., "info": ...}} for device routes, {@code {"error": ..., "error_description":
 * ...}} for OAuth and tokens. {@link ParticleCloudRoutes} maps it in one place.
 */
final class ParticleProblem extends RuntimeException {

    private final HttpStatus status;
    private final Map<String, Object> body;

    private ParticleProblem(HttpStatus status, String logMessage, Map<String, Object> body) {
        super(logMessage, null, false, false);
        this.status = status;
        this.body = body;
    }

    /** A device-route error: {@code {"ok": false, "error": error[, "info": info]}}. */
    static ParticleProblem of(HttpStatus status, String error, String info) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ok", false);
        body.put("error", error);
        if (info != null) {
            body.put("info", info);
        }
        return new ParticleProblem(status, info == null ? error : error + ": " + info, body);
    }

    /** An OAuth error: {@code {"error": code, "error_description": description}}. */
    static ParticleProblem oauth(HttpStatus status, String code, String description) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("error_description", description);
        return new ParticleProblem(status, code + ": " + description, body);
    }

    static ParticleProblem badRequest(String info) {
        return of(HttpStatus.BAD_REQUEST, "Bad Request", info);
    }

    /** What a user gets for a device that is not theirs too: its existence is not theirs to know. */
    static ParticleProblem unknownDevice(String idOrName) {
        return of(HttpStatus.NOT_FOUND, "Permission Denied",
                "I didn't recognize that device name or ID (" + idOrName + ")");
    }

    HttpStatus status() {
        return status;
    }

    Map<String, Object> body() {
        return body;
    }
}
