package org.locomov.tls;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the server certificates come from and who keeps them fresh: the development CA
 * ({@link FixedCertificateSource}), the operator's PEM files, watched for changes ({@link PemFileSource}), or
 * ACME ({@code org.locomov.credentials.acme.AcmeCertificateSource}). Every TLS listener is fed from one source.
 *
 * <p>Lifecycle: construct (which loads the certificates in force, so {@link #current()} answers at once),
 * {@link #addListener} for each listener, {@link #start()} to begin watching or renewing in the background,
 * {@link #close()}. Implementations are thread-safe; listeners are called on the source's own thread.
 */
public interface CertificateSource extends AutoCloseable {

    /** The certificates to serve now. */
    CertificatePair current();

    /** Tells {@code listener} about every later change of {@link #current()}. */
    void addListener(String name, CertificateListener listener);

    /** Starts watching or renewing in the background; a source with nothing to watch does nothing. */
    void start();

    /** The CA file devices should trust, when locomov knows it (the development CA's {@code ca.pem}). */
    default Optional<Path> trustedCaFile() {
        return Optional.empty();
    }

    /**
     * What answers this source's ACME TLS-ALPN-01 challenges, when it orders certificates with that challenge:
     * the listener on port 443 (the HTTPS API) must take it before it starts. Empty otherwise.
     */
    default Optional<TlsAlpnAnswers> tlsAlpnAnswers() {
        return Optional.empty();
    }

    /** One line for the banner and the log: the kind of source and what it serves. */
    String describe();

    /** Stops background work; certificates already handed out stay in service. */
    @Override
    void close();
}
