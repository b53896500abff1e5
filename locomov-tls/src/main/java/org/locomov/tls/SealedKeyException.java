package org.locomov.tls;

/** A sealed private key that this node's {@link MasterKey} cannot open: another key sealed it, or it was altered. */
public final class SealedKeyException extends Exception {

    public SealedKeyException(String message) {
        super(message);
    }
}
