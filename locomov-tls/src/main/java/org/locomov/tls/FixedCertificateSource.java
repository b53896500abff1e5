package org.locomov.tls;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Certificates that do not change while the process runs: the development CA's ({@link DevelopmentCa}
 * re-issues them, when due, at the next start). Nothing to watch, so listeners are never called.
 */
public final class FixedCertificateSource implements CertificateSource {

    private final CertificatePair certificates;
    private final Path trustedCaFileOrNull;
    private final String description;

    /**
     * @param trustedCaFileOrNull the CA file devices trust (the development CA's {@code ca.pem}), or null
     * @param description         one line for the banner, e.g. "development CA, RSA and ECDSA certificates for ..."
     */
    public FixedCertificateSource(CertificatePair certificates, Path trustedCaFileOrNull, String description) {
        this.certificates = Objects.requireNonNull(certificates, "certificates");
        this.trustedCaFileOrNull = trustedCaFileOrNull;
        this.description = Objects.requireNonNull(description, "description");
    }

    @Override
    public CertificatePair current() {
        return certificates;
    }

    @Override
    public void addListener(String name, CertificateListener listener) {
        // Nothing ever changes while running.
    }

    @Override
    public void start() {
    }

    @Override
    public Optional<Path> trustedCaFile() {
        return Optional.ofNullable(trustedCaFileOrNull);
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
    }
}
