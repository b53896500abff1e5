package org.locomov.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.Map;
import org.locomov.store.TokenRepository;
import org.locomov.store.TokenRepository.NewToken;

/**
 * {@code /api/v1/tokens}: list one's tokens, create one (an admin may create one for another user by
 * e-mail), revoke one (one's own; an admin any). Another user's token is answered as not found.
 */
final class TokenRoutes implements RouteGroup {

    private final Authenticator auth;
    private final TokenRepository tokens;
    private final ObjectMapper mapper;

    TokenRoutes(Authenticator auth, TokenRepository tokens, ObjectMapper mapper) {
        this.auth = auth;
        this.tokens = tokens;
        this.mapper = mapper;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/api/v1/tokens", auth.require(this::list));
        routes.post("/api/v1/tokens", auth.require(this::create));
        routes.delete("/api/v1/tokens/{id}", auth.require(this::revoke));
    }

    private void list(Context ctx, Caller caller) {
        ctx.json(Map.of("tokens", tokens.listOf(caller.subId())));
    }

    private void create(Context ctx, Caller caller) {
        JsonBody body = JsonBody.of(ctx, mapper);
        String label = body.optionalString("label", TokenRepository.MAX_LABEL_LENGTH);
        String email = body.optionalString("email", 254);
        NewToken token;
        if (email == null || email.equalsIgnoreCase(caller.email())) {
            token = tokens.createFor(caller.subId(), label);
        } else {
            UserRoutes.requireAdmin(caller);
            token = tokens.create(email, label).orElseThrow(() -> ApiProblem.notFound("no user with e-mail " + email));
        }
        ctx.status(HttpStatus.CREATED).json(Map.of("id", token.id(), "userId", token.subId(), "secret", token.secret()));
    }

    private void revoke(Context ctx, Caller caller) {
        long tokenId = Params.pathLong(ctx, "id");
        if (!tokens.revoke(tokenId, caller.ownerFilter())) {
            throw ApiProblem.notFound("no token " + tokenId);
        }
        ctx.status(HttpStatus.NO_CONTENT);
    }
}
