package org.locomov.api;

import io.javalin.http.HttpStatus;

/**
 * A request the API answers with an error: the status, a short machine-readable code and a message for
 * the person reading it. Handlers throw it; {@link ErrorReplies} turns it into the JSON body
 * {@code {"error": code, "message": message}} in one place.
 */
public final class ApiProblem extends RuntimeException {

    private final HttpStatus status;
    private final String code;

    public ApiProblem(HttpStatus status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public static ApiProblem badRequest(String message) {
        return new ApiProblem(HttpStatus.BAD_REQUEST, "bad_request", message);
    }

    /** Also what a user gets for another user's device: its existence is not theirs to know. */
    public static ApiProblem notFound(String message) {
        return new ApiProblem(HttpStatus.NOT_FOUND, "not_found", message);
    }

    public static ApiProblem conflict(String message) {
        return new ApiProblem(HttpStatus.CONFLICT, "conflict", message);
    }

    public static ApiProblem forbidden(String message) {
        return new ApiProblem(HttpStatus.FORBIDDEN, "forbidden", message);
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }
}
