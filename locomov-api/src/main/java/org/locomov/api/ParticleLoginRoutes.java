package org.locomov.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Header;
import io.javalin.http.HttpStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import org.locomov.store.TokenRepository;
import org.locomov.store.TokenRepository.NewToken;
import org.locomov.store.UserPasswords;
import org.locomov.store.UserRepository.User;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logging in the Particle way: {@code POST /oauth/token} with the password grant gives a locomov API token
 * (the same kind {@code token create} makes, decision 0601) for an e-mail and the password set with
 * {@code locomov user passwd}; {@code GET /v1/user} says whose a token is; {@code DELETE
 * /v1/access_tokens/current} revokes the token it is sent with ({@code particle logout}). Attempts are
 * limited per client address, since passwords can be guessed (decision 1020).
 */
final class ParticleLoginRoutes implements RouteGroup {

    private static final Logger log = LoggerFactory.getLogger(ParticleLoginRoutes.class);
    private static final int MAX_FIELD_LENGTH = 1_024;

    private final ParticleAuth auth;
    private final UserPasswords passwords;
    private final TokenRepository tokens;
    private final AddressRateLimiter attempts;
    private final ObjectMapper mapper;

    ParticleLoginRoutes(ParticleAuth auth, UserPasswords passwords, TokenRepository tokens, AddressRateLimiter attempts,
                        ObjectMapper mapper) {
        this.auth = auth;
        this.passwords = passwords;
        this.tokens = tokens;
        this.attempts = attempts;
        this.mapper = mapper;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.post("/oauth/token", this::token);
        routes.get("/v1/user", auth.require(this::user));
        routes.delete("/v1/access_tokens/current", auth.require(this::logout));
    }

    /**
     * The password grant. The OAuth client (particle-cli sends {@code CLI2}, particle-api-js {@code particle})
     * is not checked: it identifies a program, not a person, and its "secret" is public in every copy.
     */
    private void token(Context ctx) {
        if (attempts.take(ctx.ip()) instanceof AddressRateLimiter.Limited limited) {
            ctx.header(Header.RETRY_AFTER, Long.toString(Math.max(1, limited.retryAfter().toSeconds())));
            throw ParticleProblem.oauth(HttpStatus.TOO_MANY_REQUESTS, "slow_down",
                    "too many login attempts from this address; try again later");
        }
        ParticleParams params = ParticleParams.of(ctx, mapper);
        String grant = params.text("grant_type", MAX_FIELD_LENGTH);
        if (!"password".equals(grant)) {
            throw ParticleProblem.oauth(HttpStatus.BAD_REQUEST, "unsupported_grant_type",
                    "only grant_type=password is supported");
        }
        String username = params.text("username", MAX_FIELD_LENGTH);
        String password = params.text("password", MAX_FIELD_LENGTH);
        if (username == null || password == null || username.isBlank() || password.isEmpty()) {
            throw ParticleProblem.oauth(HttpStatus.BAD_REQUEST, "invalid_request", "username and password are required");
        }
        User user = passwords.check(username, password.toCharArray()).orElseThrow(() -> {
            log.info("Particle API refused a login as {} from {}: unknown user, no password set or wrong password",
                    username, ctx.ip());
            return ParticleProblem.oauth(HttpStatus.BAD_REQUEST, "invalid_grant", "User credentials are invalid");
        });
        String client = params.text("client_id", MAX_FIELD_LENGTH);
        NewToken token = tokens.createFor(user.id(), "Particle login" + (client == null ? "" : " (" + client + ")"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token_type", "bearer");
        body.put("access_token", token.secret());
        // Particle's "never expires"; a locomov token lasts until it is revoked.
        body.put("expires_in", 0);
        body.put("refresh_token", null);
        ctx.header(Header.CACHE_CONTROL, "no-store").json(body);
    }

    private void user(Context ctx, Caller caller) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("username", caller.email());
        body.put("subscription_ids", java.util.List.of());
        body.put("account_info", Map.of());
        body.put("mfa", Map.of("enabled", false));
        body.put("scim_provisioned", false);
        body.put("admin", caller.admin());
        ctx.json(body);
    }

    private void logout(Context ctx, Caller caller) {
        tokens.revoke(caller.tokenId(), caller.subId());
        ctx.json(Map.of("ok", true));
    }
}
