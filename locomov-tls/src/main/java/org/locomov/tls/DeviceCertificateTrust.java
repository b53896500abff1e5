package org.locomov.tls;

import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The CAs whose client certificates a listener accepts, and what a verified certificate says: locomov's
 * {@link DeviceCa}, and operator CAs registered with {@code --device-ca-trust} for auto-provisioning. A
 * certificate names its device by its subject CN, the device id in decimal.
 *
 * <p>Immutable and thread-safe.
 */
public final class DeviceCertificateTrust {

    /** Who signed a device certificate. */
    public enum Origin { DEVICE_CA, OPERATOR_CA }

    /** A client certificate that names a device. */
    public record DeviceCertificate(long deviceId, Origin origin, X509Certificate certificate) {
        public byte[] sha256() {
            return Fingerprints.sha256(certificate);
        }
    }

    /** What {@link #identify} makes of a certificate: a device's, or unusable and why. */
    public sealed interface Identification {
        record Identified(DeviceCertificate certificate) implements Identification {
        }

        record Unusable(String reason) implements Identification {
        }
    }

    /** A device id as a CN: decimal digits, no sign, at most 19 of them (a positive int64). */
    private static final Pattern DEVICE_ID = Pattern.compile("[0-9]{1,19}");

    private final X509Certificate deviceCa;
    private final List<X509Certificate> operatorCas;

    private DeviceCertificateTrust(X509Certificate deviceCa, List<X509Certificate> operatorCas) {
        this.deviceCa = deviceCa;
        this.operatorCas = operatorCas;
    }

    /** Trusts {@code deviceCa} and every certificate of {@code operatorCas} (may be empty). */
    public static DeviceCertificateTrust of(X509Certificate deviceCa, List<X509Certificate> operatorCas) {
        return new DeviceCertificateTrust(Objects.requireNonNull(deviceCa, "deviceCa"), List.copyOf(operatorCas));
    }

    /** Every trusted CA: the device CA first. */
    public List<X509Certificate> anchors() {
        List<X509Certificate> anchors = new ArrayList<>();
        anchors.add(deviceCa);
        anchors.addAll(operatorCas);
        return List.copyOf(anchors);
    }

    /**
     * The device a certificate that passed the TLS handshake's chain check names, and who signed it.
     * A certificate not signed directly by the device CA came through an operator CA.
     */
    public Identification identify(X509Certificate leaf) {
        String commonName = commonName(leaf);
        if (commonName == null) {
            return new Identification.Unusable("the client certificate has no single subject CN to name a device");
        }
        if (!DEVICE_ID.matcher(commonName).matches()) {
            return new Identification.Unusable("the client certificate's CN '" + shorten(commonName)
                    + "' is not a device id");
        }
        long deviceId;
        try {
            deviceId = Long.parseLong(commonName);
        } catch (NumberFormatException e) {
            return new Identification.Unusable("the client certificate's CN " + commonName + " is out of range");
        }
        Origin origin = signedByDeviceCa(leaf) ? Origin.DEVICE_CA : Origin.OPERATOR_CA;
        return new Identification.Identified(new DeviceCertificate(deviceId, origin, leaf));
    }

    private boolean signedByDeviceCa(X509Certificate leaf) {
        if (!leaf.getIssuerX500Principal().equals(deviceCa.getSubjectX500Principal())) {
            return false;
        }
        try {
            leaf.verify(deviceCa.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String commonName(X509Certificate certificate) {
        RDN[] names = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()).getRDNs(BCStyle.CN);
        if (names.length != 1 || names[0].isMultiValued()) {
            return null;
        }
        return IETFUtils.valueToString(names[0].getFirst().getValue());
    }

    private static String shorten(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
