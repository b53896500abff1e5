package org.locomov.server;

/** locomov could not start; the message says why in terms an operator can act on. */
public final class LocomovStartException extends RuntimeException {

    public LocomovStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
