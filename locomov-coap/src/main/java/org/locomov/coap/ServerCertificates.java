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
 * (Scandium's certificate suites are ECDHE-ECDSA; docs/decisions/1403). A renewal announced by the source
 * replaces it for the next handshake; sessions already established keep theirs, as on the TLS listeners.
 *
 * <p>Thread-safe: the certificate in force is one atomic reference, written by the source's thread and read by
 * handshakes.
 */
final class ServerCertificates implements CertificateProvider {

    private final AtomicReference<ServerCertificate> current = new AtomicReference<>();

    /** Follows {@code source} from now on; fails when its pair has no EC certificate. */
    ServerCertificates(String listener, CertificateSource source) {
        Objects.requireNonNull(source, "source");
        current.set(ecOf(source.current()));
        source.addListener(listener, pair -> current.set(ecOf(pair)));
    }

    private static ServerCertificate ecOf(CertificatePair pair) {
        if (pair.ecOrNull() == null) {
            throw new IllegalStateException("the CoAP listener needs an EC server certificate (DTLS certificate suites "
                    + "are ECDHE-ECDSA) and the certificate source has only RSA: " + pair.describe());
        }
        return pair.ecOrNull();
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
