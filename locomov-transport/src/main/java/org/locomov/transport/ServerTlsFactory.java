package org.locomov.transport;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import org.locomov.core.identity.DeviceIdentity;
import org.locomov.tls.CertificateMetrics;
import org.locomov.tls.CertificatePair;
import org.locomov.tls.CertificateSource;
import org.locomov.tls.CipherProfile;
import org.locomov.tls.ClientAuthMode;
import org.locomov.tls.ClientCertificates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes each listener's {@link ServerTls} the one way: serving the certificates of the server's certificate
 * source (and registered with it, so renewals reach new handshakes without a restart), watched by the
 * certificate metrics, and, when the listener asks for client certificates, trusting the device identity's
 * CAs (and following them when an operator CA is registered or removed, on any node).
 *
 * <p>Thread-safe: called by the starting thread; the registrations call back on the source's and the
 * identity's threads.
 */
public final class ServerTlsFactory {

    private static final Logger log = LoggerFactory.getLogger(ServerTlsFactory.class);

    private final CertificateSource source;
    private final CertificateMetrics metrics;
    private final DeviceIdentity identity;

    public ServerTlsFactory(CertificateSource source, CertificateMetrics metrics, DeviceIdentity identity) {
        this.source = Objects.requireNonNull(source, "source");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.identity = Objects.requireNonNull(identity, "identity");
    }

    /**
     * TLS for {@code listener}.
     *
     * @throws IllegalStateException naming the listener when the TLS provider cannot serve the profile
     */
    public ServerTls create(String listener, CipherProfile profile, Duration handshakeTimeout, ClientAuthMode clientAuth) {
        ClientCertificates clients = clientAuth == ClientAuthMode.NONE ? ClientCertificates.none()
                : new ClientCertificates(clientAuth, identity.trustAnchors());
        try {
            CertificatePair served = source.current();
            ServerTls tls = ServerTls.create(served.rsa(), served.ecOrNull(), profile, handshakeTimeout, listener, clients);
            source.addListener(listener, tls);
            metrics.watch(listener, () -> new CertificatePair(tls.rsaCertificate(), tls.ecCertificateOrNull()));
            if (clients.asked()) {
                identity.onTrustAnchorsChanged(() -> replaceTrust(tls, listener, identity.trustAnchors()));
            }
            return tls;
        } catch (SSLException e) {
            throw new IllegalStateException(listener + " listener: cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** Watches what a listener with TLS of its own (the HTTPS API, DTLS) serves, for the certificate metrics. */
    public void watch(String listener, Supplier<CertificatePair> served) {
        metrics.watch(listener, served);
    }

    private static void replaceTrust(ServerTls tls, String listener, List<X509Certificate> anchors) {
        try {
            tls.replaceClientTrust(anchors);
        } catch (SSLException | RuntimeException e) {
            log.warn("{}: could not take the new client-certificate CAs, keeping the old ones: {}", listener,
                    e.getMessage());
        }
    }
}
