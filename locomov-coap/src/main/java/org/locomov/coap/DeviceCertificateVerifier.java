package org.locomov.coap;

import java.net.InetSocketAddress;
import java.security.cert.CertPath;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import javax.security.auth.x500.X500Principal;
import org.eclipse.californium.scandium.dtls.AlertMessage;
import org.eclipse.californium.scandium.dtls.AlertMessage.AlertDescription;
import org.eclipse.californium.scandium.dtls.AlertMessage.AlertLevel;
import org.eclipse.californium.scandium.dtls.CertificateMessage;
import org.eclipse.californium.scandium.dtls.CertificateType;
import org.eclipse.californium.scandium.dtls.CertificateVerificationResult;
import org.eclipse.californium.scandium.dtls.ConnectionId;
import org.eclipse.californium.scandium.dtls.HandshakeException;
import org.eclipse.californium.scandium.dtls.HandshakeResultHandler;
import org.eclipse.californium.scandium.dtls.x509.NewAdvancedCertificateVerifier;
import org.eclipse.californium.scandium.util.ServerNames;
import org.locomov.core.identity.DeviceIdentity;
import org.locomov.core.identity.Identity;

/**
 * Scandium's client-certificate check, answered by the device plane: the chain a device sends goes to
 * {@link DeviceIdentity#byCertificate}, which validates it against the device CA and the operator CAs in force
 * (PKIX), refuses revoked certificates and devices, and names the device (CN = device id), which rides along as
 * the result's custom argument. The CAs named in the CertificateRequest are the identity's current anchors, read
 * per handshake, so a newly registered operator CA holds without a restart.
 *
 * <p>Thread-safe: the result handler is set once before the connector starts.
 */
final class DeviceCertificateVerifier implements NewAdvancedCertificateVerifier {

    private final DeviceIdentity identity;
    private volatile HandshakeResultHandler resultHandler;

    DeviceCertificateVerifier(DeviceIdentity identity) {
        this.identity = Objects.requireNonNull(identity, "identity");
    }

    @Override
    public List<CertificateType> getSupportedCertificateTypes() {
        return List.of(CertificateType.X_509);
    }

    @Override
    public CertificateVerificationResult verifyCertificate(ConnectionId cid, ServerNames serverName,
            InetSocketAddress remotePeer, boolean clientUsage, boolean verifySubject, boolean truncateCertificatePath,
            CertificateMessage message) {
        CertPath path = message.getCertificateChain();
        if (path == null || path.getCertificates().isEmpty()) {
            return refused(cid, "no client certificate");
        }
        @SuppressWarnings("unchecked")
        List<X509Certificate> chain = (List<X509Certificate>) path.getCertificates();
        identity.byCertificate(chain).whenComplete((found, failure) -> {
            if (found instanceof Identity.Identified identified) {
                resultHandler.apply(new CertificateVerificationResult(cid, path, identified.deviceId()));
            } else {
                String reason = failure != null ? "the certificate could not be checked: " + failure.getMessage()
                        : ((Identity.Refused) found).refusal().reason();
                resultHandler.apply(refused(cid, reason));
            }
        });
        return null;
    }

    /** The handshake fails with {@code reason}, which {@link HandshakeLog} logs. */
    private static CertificateVerificationResult refused(ConnectionId cid, String reason) {
        return new CertificateVerificationResult(cid,
                new HandshakeException(reason, new AlertMessage(AlertLevel.FATAL, AlertDescription.BAD_CERTIFICATE)),
                null);
    }

    @Override
    public List<X500Principal> getAcceptedIssuers() {
        return identity.trustAnchors().stream().map(X509Certificate::getSubjectX500Principal).toList();
    }

    @Override
    public void setResultHandler(HandshakeResultHandler resultHandler) {
        this.resultHandler = resultHandler;
    }
}
