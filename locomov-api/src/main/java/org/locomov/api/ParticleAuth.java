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
 * The token of a Particle API request, where Particle's clients put it: {@code Authorization: Bearer}, else
 * an {@code access_token} query or form parameter. The same tokens as the native API (decision 0601); a
 * missing, unknown or revoked one gets Particle's 401 {@code invalid_token} body, which particle-cli reads as
 * "log in again". The log line has the peer and the precise reason.
 *
 * <p>Thread-safe: stateless apart from the repository.
 */
final class ParticleAuth {

    private static final Logger log = LoggerFactory.getLogger(ParticleAuth.class);
    private static final String BEARER = "Bearer ";

    private final TokenRepository tokens;

    ParticleAuth(TokenRepository tokens) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
    }

    Handler require(AuthenticatedHandler handler) {
        return ctx -> handler.handle(ctx, authenticate(ctx));
    }

    private Caller authenticate(Context ctx) {
        String token = presented(ctx);
        TokenCheck check = tokens.check(token);
        return switch (check) {
            case TokenCheck.Valid valid -> Caller.of(valid.owner());
            case TokenCheck.Refused refused -> {
                log.info("Particle API refused {} {} from {}: {}", ctx.method(), ctx.path(), ctx.ip(), refused.reason());
                ctx.header(Header.WWW_AUTHENTICATE, "Bearer realm=\"locomov\"");
                throw ParticleProblem.oauth(HttpStatus.UNAUTHORIZED, "invalid_token", "The access token provided is invalid.");
            }
        };
    }

    private static String presented(Context ctx) {
        String header = ctx.header(Header.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            String bearer = header.substring(BEARER.length()).strip();
            // particle-cli sends "Bearer undefined" before login; a token in the parameters may still follow.
            if (!bearer.isEmpty() && !bearer.equals("undefined") && !bearer.equals("null")) {
                return bearer;
            }
        }
        String query = ctx.queryParam("access_token");
        return query != null ? query : ctx.formParam("access_token");
    }
}
