package org.locomov.particle.crypto;

/** A device's handshake message that cannot be accepted; the message says why, for the log line. */
public final class HandshakeException extends Exception {

    public HandshakeException(String message) {
        super(message);
    }
}
