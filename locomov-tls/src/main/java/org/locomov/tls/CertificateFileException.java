package org.locomov.tls;

import java.io.IOException;

/**
 * A certificate or key file that locomov cannot use: unreadable, not PEM, encrypted, a key that does
 * not match its certificate, a chain out of order. The message names the file(s) and says what to fix;
 * start-up prints it and stops.
 */
public final class CertificateFileException extends IOException {

    public CertificateFileException(String message) {
        super(message);
    }

    public CertificateFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
