package org.locomov.api;

import java.util.Optional;
import javax.sql.DataSource;
import org.locomov.store.TokenRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First start: when no user exists, creates the admin {@value #ADMIN_EMAIL} and a token for it
 * (docs/decisions/0602-first-admin.md). The server prints the token once; it is never shown again.
 */
public final class ApiBootstrap {

    public static final String ADMIN_EMAIL = "admin@localhost";
    private static final Logger log = LoggerFactory.getLogger(ApiBootstrap.class);

    /** The first admin and its token secret, to be printed once. */
    public record FirstAdmin(String email, long tokenId, String secret) {
        @Override
        public String toString() {
            return "FirstAdmin[" + email + ", token " + tokenId + "]";
        }
    }

    private final TokenRepository tokens;

    public ApiBootstrap(DataSource dataSource) {
        this.tokens = new TokenRepository(dataSource);
    }

    /** Creates the first admin when there is no user at all; empty on every later start. */
    public Optional<FirstAdmin> ensureAdmin() {
        return tokens.createFirstAdmin(ADMIN_EMAIL, "bootstrap").map(token -> {
            log.info("no users existed: created admin {} with token {}", ADMIN_EMAIL, token.id());
            return new FirstAdmin(ADMIN_EMAIL, token.id(), token.secret());
        });
    }
}
