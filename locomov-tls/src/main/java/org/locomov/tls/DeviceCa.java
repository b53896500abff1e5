package org.locomov.tls;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

/**
 * The CA that signs devices' client certificates, next to the server CA: {@code <tls-dir>/device-ca.pem} and
 * {@code device-ca.key} (mode 0600), an RSA CA created on first need and reused afterwards. It is separate
 * from the development CA that signs server certificates, so that trusting one for client certificates never
 * means trusting server certificates as device identities, and so it survives switching the server to PEM
 * files or ACME (docs/decisions/0800-device-ca-and-client-certificates.md).
 *
 * <p>A missing half (certificate without key or the reverse) or a key that does not belong to the
 * certificate is refused, never silently replaced: every device certificate it signed would stop working.
 *
 * <p>Immutable and thread-safe; {@link #open} takes a file lock so processes sharing a data directory
 * create one CA.
 */
public final class DeviceCa {

    private static final Logger log = LoggerFactory.getLogger(DeviceCa.class);

    /** Lifetime of the device CA: 20 years, longer than any device certificate it signs. */
    public static final Duration CA_VALIDITY = Duration.ofDays(7300);
    /**
     * Lifetime of a device certificate: 10 years. Devices in the field often cannot be re-flashed, and a
     * compromised certificate is stopped by {@code device revoke}, not by expiry.
     */
    public static final Duration CLIENT_VALIDITY = Duration.ofDays(3650);

    public static final String CERTIFICATE_FILE = "device-ca.pem";
    public static final String KEY_FILE = "device-ca.key";
    private static final String LOCK_FILE = ".device-ca.lock";

    private final Path certificateFile;
    private final X509Certificate certificate;
    private final PrivateKey key;

    private DeviceCa(Path certificateFile, X509Certificate certificate, PrivateKey key) {
        this.certificateFile = certificateFile;
        this.certificate = certificate;
        this.key = key;
    }

    /**
     * Opens the device CA in {@code tlsDir}, creating it (and the directory) when neither file exists.
     *
     * @throws CertificateFileException when one file is missing, or they do not belong together
     */
    public static DeviceCa open(Path tlsDir, Instant now) throws IOException {
        Files.createDirectories(tlsDir);
        return CaFiles.underLock(DeviceCa.class, tlsDir.resolve(LOCK_FILE), () -> openLocked(tlsDir, now));
    }

    private static DeviceCa openLocked(Path dir, Instant now) throws IOException {
        Path certificateFile = dir.resolve(CERTIFICATE_FILE);
        CaFiles.Material ca = CaFiles.openOrCreate(certificateFile, dir.resolve(KEY_FILE),
                "locomov device CA " + DevelopmentCa.localHostName(), now, CA_VALIDITY, "device CA",
                (present, missing) -> missing + " is missing; restore it from a backup. Creating a new"
                        + " device CA would invalidate every device certificate issued so far (delete both "
                        + CERTIFICATE_FILE + " and " + KEY_FILE + " only if that is what you want)");
        if (ca.created()) {
            log.info("Created the device CA {} ({}); it signs the client certificates of 'device credentials'",
                    certificateFile, PemFiles.subject(ca.certificate()));
        }
        return new DeviceCa(certificateFile, ca.certificate(), ca.key());
    }

    /** The client certificate of device {@code deviceId} (its CN) for {@code clientKey}, valid from {@code now}. */
    public X509Certificate issueClientCertificate(long deviceId, PublicKey clientKey, Instant now) {
        if (deviceId < 0) {
            throw new IllegalArgumentException("device ids are not negative, was " + deviceId);
        }
        return CertificateIssuer.clientCertificate(certificate, key, clientKey, Long.toString(deviceId), now,
                CLIENT_VALIDITY);
    }

    /** {@code device-ca.pem}: what a listener trusts for client certificates. */
    public Path certificateFile() {
        return certificateFile;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    @Override
    public String toString() {
        return "DeviceCa[" + PemFiles.subject(certificate) + " in " + certificateFile + "]";
    }
}
