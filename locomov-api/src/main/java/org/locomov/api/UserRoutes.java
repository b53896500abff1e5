package org.locomov.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.Map;
import org.locomov.store.TokenRepository;
import org.locomov.store.UserRepository;
import org.locomov.store.UserRepository.User;

/** {@code /api/v1/users}: who am I, and (admins only) list and add users. */
final class UserRoutes implements RouteGroup {

    private final Authenticator auth;
    private final UserRepository users;
    private final TokenRepository tokens;
    private final ObjectMapper mapper;

    UserRoutes(Authenticator auth, UserRepository users, TokenRepository tokens, ObjectMapper mapper) {
        this.auth = auth;
        this.users = users;
        this.tokens = tokens;
        this.mapper = mapper;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/api/v1/users/me", auth.require(this::me));
        routes.get("/api/v1/users", auth.require(this::list));
        routes.post("/api/v1/users", auth.require(this::add));
    }

    private void me(Context ctx, Caller caller) {
        ctx.json(Map.of("id", caller.subId(), "email", caller.email(), "admin", caller.admin(), "tokenId", caller.tokenId()));
    }

    private void list(Context ctx, Caller caller) {
        requireAdmin(caller);
        ctx.json(Map.of("users", users.list()));
    }

    /** Adds a user and gives back its first token, shown this once. */
    private void add(Context ctx, Caller caller) {
        requireAdmin(caller);
        JsonBody body = JsonBody.of(ctx, mapper);
        String email = body.optionalString("email", UserRepository.MAX_EMAIL_LENGTH);
        UserRepository.emailProblem(email).ifPresent(problem -> {
            throw ApiProblem.badRequest(problem);
        });
        User user = users.add(email, body.optionalBoolean("admin", false))
                .orElseThrow(() -> ApiProblem.conflict("a user with e-mail " + email + " already exists"));
        TokenRepository.NewToken token = tokens.createFor(user.id(), "created by " + caller.email());
        ctx.status(HttpStatus.CREATED).header("Location", "/api/v1/users/" + user.id())
                .json(Map.of("user", user, "token", Map.of("id", token.id(), "secret", token.secret())));
    }

    static void requireAdmin(Caller caller) {
        if (!caller.admin()) {
            throw ApiProblem.forbidden("only an admin may do this");
        }
    }
}
