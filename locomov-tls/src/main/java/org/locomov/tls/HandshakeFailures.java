package org.locomov.tls;

import io.netty.handler.ssl.SslHandshakeTimeoutException;

/**
 * Why a TLS handshake failed, as a short reason for the log line that reports it: never empty, never
 * "null" (a failed handshake's exception often carries no message of its own).
 */
public final class HandshakeFailures {

    private HandshakeFailures() {
    }

    /** The reason {@code cause} (and the exceptions it wraps) gives, or what it is when it gives none. */
    public static String reason(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SslHandshakeTimeoutException) {
                return "timed out";
            }
        }
        for (Throwable t = cause; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && !message.isBlank()) {
                return message.strip();
            }
        }
        return cause == null ? "the connection closed" : cause.getClass().getSimpleName();
    }
}
