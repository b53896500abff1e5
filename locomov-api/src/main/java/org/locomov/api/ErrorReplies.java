package org.locomov.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import java.util.Map;
import org.locomov.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps every failure a handler can raise to a status and a JSON error body, in one place.
 * Database failures become 503 (the client may retry); their details go to the log, not to the client.
 */
final class ErrorReplies {

    private static final Logger log = LoggerFactory.getLogger(ErrorReplies.class);

    private ErrorReplies() {
    }

    static void register(RoutesConfig routes) {
        routes.exception(ApiProblem.class, (problem, ctx) -> {
            if (problem.status().getCode() >= 400 && problem.status().getCode() < 500 && problem.status() != HttpStatus.NOT_FOUND) {
                log.info("API refused {} {} from {}: {}", ctx.method(), ctx.path(), ctx.ip(), problem.getMessage());
            }
            reply(ctx, problem.status(), problem.code(), problem.getMessage());
        });
        routes.exception(HttpResponseException.class, (e, ctx) -> {
            HttpStatus status = HttpStatus.forStatus(e.getStatus());
            log.info("API refused {} {} from {}: {}", ctx.method(), ctx.path(), ctx.ip(), e.getMessage());
            reply(ctx, status, status.name().toLowerCase(java.util.Locale.ROOT), e.getMessage());
        });
        routes.exception(StoreException.class, (e, ctx) -> {
            log.warn("API {} {} from {} failed in the database: {}", ctx.method(), ctx.path(), ctx.ip(), e.getMessage());
            reply(ctx, HttpStatus.SERVICE_UNAVAILABLE, "storage_unavailable", "the database did not answer; try again later");
        });
        routes.exception(Exception.class, (e, ctx) -> {
            log.error("API {} {} from {} failed", ctx.method(), ctx.path(), ctx.ip(), e);
            reply(ctx, HttpStatus.INTERNAL_SERVER_ERROR, "internal_error", "the server failed; the log says why");
        });
    }

    static void reply(Context ctx, HttpStatus status, String code, String message) {
        ctx.status(status).json(Map.of("error", code, "message", message == null ? status.getMessage() : message));
    }
}
