package org.locomov.credentials.acme;

import org.locomov.tls.SealedKeyException;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.exception.AcmeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.security.KeyPair;
import java.util.Optional;

/**
 * The ACME account of this installation: its key is made once (EC P-256), stored sealed in the shared table
 * and used by whichever node orders. Logging in always goes through {@code newAccount} with that key, which
 * the CA answers with the existing account (RFC 8555 §7.3.1) or, if the CA forgot it, a new one.
 *
 * <p>Used by the ordering thread, under the renewal lock.
 */
final class AcmeAccounts {

    private static final Logger log = LoggerFactory.getLogger(AcmeAccounts.class);

    private final AcmeSettings settings;
    private final SharedTlsMaterial shared;

    AcmeAccounts(AcmeSettings settings, SharedTlsMaterial shared) {
        this.settings = settings;
        this.shared = shared;
    }

    Login login(Session session) throws AcmeException, SealedKeyException, IOException {
        Optional<KeyPair> stored = shared.accountKey(settings.directory());
        KeyPair keys = stored.orElseGet(KeyPairs::p256);
        AccountBuilder builder = new AccountBuilder().agreeToTermsOfService().useKeyPair(keys);
        if (settings.email() != null) {
            builder.addEmail(settings.email());
        }
        Login login = builder.createLogin(session);
        if (stored.isEmpty()) {
            shared.saveAccount(settings.directory(), keys, login.getAccountLocation());
            log.info("ACME: created account {} at {}{}", login.getAccountLocation(), settings.directory(),
                    settings.email() == null ? "" : " for " + settings.email());
        }
        return login;
    }
}
