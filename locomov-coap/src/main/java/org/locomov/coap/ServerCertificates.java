package org.locomov.coap;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import javax.security.auth.x500.X500Principal;
import org.eclipse.californium.scandium.dtls.CertificateIdentityResult;
import org.eclipse.californium.scandium.dtls.CertificateType;
import org.eclipse.californium.scandium.dtls.ConnectionId;
import org.eclipse.californium.scandium.dtls.HandshakeResultHandler;
import org.eclipse.californium.scandium.dtls.SignatureAndHashAlgorithm;
import org.eclipse.californium.scandium.dtls.cipher.CipherSuite.CertificateKeyAlgorithm;
import org.eclipse.californium.scandium.dtls.cipher.XECDHECryptography.SupportedGroup;
import org.eclipse.californium.scandium.dtls.x509.CertificateProvider;
import org.eclipse.californium.scandium.util.ServerNames;
import org.locomov.tls.CertificatePair;
import org.locomov.tls.CertificateSource;
import org.locomov.tls.ServerCertificate;

/**
 * The server's DTLS certificate, from the certificate sources: the EC certificate of the pair in force
 * (Scandium's certificate suites are ECDHE-ECDSA; docs/decisions/1403). With no EC certificate at all (PEM files
 * of an RSA chain only) the listener offers its PSK suites only. A renewal announced by the source
 * replaces it for the next handshake; sessions already established keep theirs, as on the TLS listeners.
 *
 * <p>Thread-safe: the certificate in force is one atomic reference, written by the source's thread and read by
 * handshakes.
 */
final class ServerCertificates implements CertificateProvider {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ServerCertificates.class);

    private final AtomicReference<ServerCertificate> current = new AtomicReference<>();

    /** Follows {@code source} from now on; its pair in force must hold an EC certificate ({@link #hasEc}). */
    ServerCertificates(String listener, CertificateSource source) {
        Objects.requireNonNull(source, "source");
        current.set(Objects.requireNonNull(source.current().ecOrNull(), "an EC server certificate"));
        source.addListener(listener, pair -> {
            if (pair.ecOrNull() != null) {
                current.set(pair.ecOrNull());
            } else {
                log.warn("{}: the renewed certificates hold no EC certificate; DTLS keeps serving {}", listener,
                        current.get().describe());
            }
        });
    }

    /** Whether {@code pair} can serve the certificate suites at all. */
    static boolean hasEc(CertificatePair pair) {
        return pair.ecOrNull() != null;
    }

    /** The certificate new handshakes get. */
    ServerCertificate current() {
        return current.get();
    }

    @Override
    public List<CertificateKeyAlgorithm> getSupportedCertificateKeyAlgorithms() {
        return List.of(CertificateKeyAlgorithm.EC);
    }

    @Override
    public List<CertificateType> getSupportedCertificateTypes() {
        return List.of(CertificateType.X_509);
    }

    @Override
    public CertificateIdentityResult requestCertificateIdentity(ConnectionId cid, boolean client,
            List<X500Principal> issuers, ServerNames serverNames, List<CertificateKeyAlgorithm> certificateKeyAlgorithms,
            List<SignatureAndHashAlgorithm> signatureAndHashAlgorithms, List<SupportedGroup> curves) {
        ServerCertificate certificate = current.get();
        return new CertificateIdentityResult(cid, certificate.key(), certificate.chain());
    }

    @Override
    public void setResultHandler(HandshakeResultHandler resultHandler) {
        // Answers at once; never asynchronous.
    }
}
