package org.locomov.api;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.Header;
import io.javalin.http.HttpStatus;
import java.util.Objects;
import org.locomov.store.TokenRepository;
import org.locomov.store.TokenRepository.TokenCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the {@code Authorization: Bearer <token>} of a request before its handler runs. A missing,
 * unknown or revoked token gets 401 with a JSON error and the {@code WWW-Authenticate} header; the log
 * line carries the peer and the precise reason, the client only learns that the token was not accepted.
 *
 * <p>Thread-safe: stateless apart from the repository.
 */
final class Authenticator {

    private static final Logger log = LoggerFactory.getLogger(Authenticator.class);
    private static final String BEARER = "Bearer ";

    private final TokenRepository tokens;

    Authenticator(TokenRepository tokens) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
    }

    /** {@code handler}, run only after the request's token was accepted. */
    Handler require(AuthenticatedHandler handler) {
        return ctx -> {
            Caller caller = authenticate(ctx);
            if (caller != null) {
                handler.handle(ctx, caller);
            }
        };
    }

    /** The caller, or null after answering 401. */
    private Caller authenticate(Context ctx) {
        String header = ctx.header(Header.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            refuse(ctx, header == null ? "no Authorization header" : "Authorization is not a Bearer token",
                    "send Authorization: Bearer <token>");
            return null;
        }
        TokenCheck check = tokens.check(header.substring(BEARER.length()).strip());
        return switch (check) {
            case TokenCheck.Valid valid -> Caller.of(valid.owner());
            case TokenCheck.Refused refused -> {
                refuse(ctx, refused.reason(), "the token is not valid (unknown or revoked)");
                yield null;
            }
        };
    }

    private static void refuse(Context ctx, String logReason, String clientMessage) {
        log.info("API refused {} {} from {}: {}", ctx.method(), ctx.path(), ctx.ip(), logReason);
        ctx.header(Header.WWW_AUTHENTICATE, "Bearer realm=\"locomov\"");
        ErrorReplies.reply(ctx, HttpStatus.UNAUTHORIZED, "unauthorized", clientMessage);
    }
}
