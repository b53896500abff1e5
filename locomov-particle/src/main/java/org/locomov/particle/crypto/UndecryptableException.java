package org.locomov.particle.crypto;

/** A message that does not decrypt with the session key. */
public final class UndecryptableException extends Exception {

    public UndecryptableException(String message) {
        super(message);
    }
}
