package org.locomov.tls;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The development CA's certificates ({@link DevelopmentCa}): fixed while the process runs (re-issued, when
 * due, at the next start), so there is nothing to watch.
 */
public final class DevelopmentCaSource implements CertificateSource {

    private final DevelopmentCa ca;
    private final String names;

    /** @param names the names the certificates carry, for {@link #describe()} */
    public DevelopmentCaSource(DevelopmentCa ca, String names) {
        this.ca = ca;
        this.names = names;
    }

    @Override
    public CertificatePair current() {
        return new CertificatePair(ca.rsaServer(), ca.ecServer());
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
        return Optional.of(ca.caCertificateFile().toAbsolutePath());
    }

    @Override
    public String describe() {
        return "development CA, RSA and ECDSA certificates for " + names;
    }

    @Override
    public void close() {
    }
}
