package org.locomov.credentials.acme;

import java.time.Instant;
import java.util.Optional;

/**
 * An order that did not produce a certificate, with what the caller can act on: the reason for the log and
 * {@code cert status}, and when the CA asked to be tried again ({@code Retry-After}), if it did.
 */
public final class AcmeOrderException extends Exception {

    private final transient Instant retryAfter;

    AcmeOrderException(String message, Instant retryAfterOrNull, Throwable cause) {
        super(message, cause);
        this.retryAfter = retryAfterOrNull;
    }

    AcmeOrderException(String message) {
        this(message, null, null);
    }

    /** When the CA asked to be tried again; empty when it did not say. */
    public Optional<Instant> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
