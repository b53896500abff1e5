package org.locomov.server;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.locomov.store.Database;
import org.locomov.store.TlsMaterialRepository;
import org.locomov.tls.CertificatePair;
import org.locomov.tls.CertificateSource;
import org.locomov.tls.FixedCertificateSource;
import org.locomov.tls.MasterKey;
import org.locomov.tls.PemFilePair;
import org.locomov.tls.PemFileSource;
import org.locomov.credentials.acme.AcmeCertificateSource;
import org.locomov.credentials.acme.ChallengeResponder;
import org.locomov.credentials.acme.ChallengeType;
import org.locomov.credentials.acme.Http01Responder;
import org.locomov.credentials.acme.SharedTlsMaterial;
import org.locomov.credentials.acme.TlsAlpnChallenges;

/**
 * Opens the {@link CertificateSource} that {@code serve}'s listeners are fed from, as {@link TlsSource} says:
 * the development CA's fixed certificates, the operator's watched PEM files, or ACME (with its HTTP-01
 * responder, or the TLS-ALPN-01 challenges the HTTPS API must be built with).
 *
 * @param source       feeds every listener; start it once they are registered
 * @param tlsAlpnOrNull the challenges to build the API's TLS with, when ACME uses tls-alpn-01
 * @param resources    closed, in reverse, after the source: the HTTP-01 responder
 */
record CertificateSources(CertificateSource source, TlsAlpnChallenges tlsAlpnOrNull, List<AutoCloseable> resources)
        implements AutoCloseable {

    static CertificateSources open(TlsSource tls, Database database, MeterRegistry registry) {
        try {
            return switch (tls) {
                case TlsSource.DevelopmentCa development -> new CertificateSources(fixed(development), null, List.of());
                case TlsSource.PemFiles pem -> new CertificateSources(new PemFileSource(
                        new PemFilePair(pem.certificateChain(), pem.privateKey()), null,
                        PemFileSource.DEFAULT_POLL_INTERVAL, Clock.systemUTC()), null, List.of());
                case TlsSource.Acme acme -> acme(acme, database, registry);
            };
        } catch (IOException e) {
            throw new LocomovStartException("cannot load the server certificates: " + e.getMessage(), e);
        }
    }

    private static FixedCertificateSource fixed(TlsSource.DevelopmentCa development) {
        ServerCertificates certificates = ServerCertificates.load(development);
        return new FixedCertificateSource(new CertificatePair(certificates.rsa(), certificates.ec()),
                certificates.trustedCaFile(), certificates.description());
    }

    private static CertificateSources acme(TlsSource.Acme acme, Database database, MeterRegistry registry)
            throws IOException {
        CertificatePair fallback = fixed(acme.fallback()).current();
        SharedTlsMaterial shared = new SharedTlsMaterial(new TlsMaterialRepository(database.dataSource()),
                MasterKey.openOrCreate(acme.masterKeyFile(), acme.createMasterKey()), SharedTlsMaterial.thisNode());
        List<AutoCloseable> resources = new ArrayList<>();
        ChallengeResponder responder;
        TlsAlpnChallenges tlsAlpn = null;
        if (acme.settings().challenge() == ChallengeType.HTTP_01) {
            Http01Responder http = Http01Responder.start(acme.settings().bindAddress(), acme.settings().httpPort());
            resources.add(http);
            responder = http;
        } else {
            tlsAlpn = new TlsAlpnChallenges();
            responder = tlsAlpn;
        }
        try {
            AcmeCertificateSource source = new AcmeCertificateSource(acme.settings(), shared, responder, fallback,
                    registry, Clock.systemUTC());
            return new CertificateSources(source, tlsAlpn, List.copyOf(resources));
        } catch (IOException | RuntimeException e) {
            closeQuietly(resources);
            throw e;
        }
    }

    @Override
    public void close() {
        source.close();
        closeQuietly(resources);
    }

    private static void closeQuietly(List<AutoCloseable> resources) {
        for (AutoCloseable resource : resources.reversed()) {
            try {
                resource.close();
            } catch (Exception e) {
                // Stopping anyway; the responder's port is freed with the process.
            }
        }
    }
}
