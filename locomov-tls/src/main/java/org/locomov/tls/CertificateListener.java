package org.locomov.tls;

/**
 * Something that serves certificates and takes new ones while running: a Netty listener's TLS, the
 * HTTPS API. Called by a {@link CertificateSource} on its own thread; a listener that throws keeps serving
 * what it had, and the source logs why.
 */
@FunctionalInterface
public interface CertificateListener {

    /** Serve {@code certificates} to new handshakes from now on; open connections keep theirs. */
    void certificatesChanged(CertificatePair certificates) throws Exception;
}
