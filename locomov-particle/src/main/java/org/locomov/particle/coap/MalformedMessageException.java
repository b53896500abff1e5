package org.locomov.particle.coap;

/** Bytes that are not a well-formed CoAP message; the message says what is wrong. */
public final class MalformedMessageException extends Exception {

    public MalformedMessageException(String message) {
        super(message);
    }
}
