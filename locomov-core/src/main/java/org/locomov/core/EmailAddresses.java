package org.locomov.core;

import java.util.Optional;

/**
 * The one rule for what counts as a user's e-mail address, shared by the API, the command line, the
 * confo listener's decoder and the user store.
 */
public final class EmailAddresses {

    /** Longest e-mail address accepted (RFC 5321 path limit). */
    public static final int MAX_LENGTH = 254;

    private EmailAddresses() {
    }

    /**
     * Why {@code email} cannot be a user's address, or empty when it can. Deliberately loose: one
     * {@code @} with something on each side, no spaces, bounded length.
     *
     * @param email nullable (then it is a problem)
     */
    public static Optional<String> problem(String email) {
        if (email == null || email.isBlank()) {
            return Optional.of("an e-mail address is required");
        }
        if (email.length() > MAX_LENGTH) {
            return Optional.of("e-mail address longer than " + MAX_LENGTH + " characters");
        }
        int at = email.indexOf('@');
        if (at < 1 || at != email.lastIndexOf('@') || at == email.length() - 1 || email.chars().anyMatch(Character::isWhitespace)) {
            return Optional.of("'" + email + "' is not an e-mail address");
        }
        return Optional.empty();
    }
}
