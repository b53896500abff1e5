package org.locomov.tls;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The CA that signs devices' client certificates: an RSA CA created on first need and reused afterwards. It is separate
 * from the development CA that signs server certificates, so that trusting one for client certificates never
 * means trusting server certificates as device identities, and so it survives switching the server to PEM
 * files or ACME (docs/decisions/0800-device-ca-and-client-certificates.md).
 *
 * <p>Where it is kept: {@code serve} and {@code device credentials} keep one CA per database, shared by every
 * node (locomov-credentials' {@code SharedDeviceCa}, decision 1540), made with {@link #create} or imported
 * from the files of an older data directory ({@link #existing}). {@link #open} keeps it as two files,
 * {@code <tls-dir>/device-ca.pem} and {@code device-ca.key} (mode 0600), which is what it was before and what
 * tests and tools without a database use.
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

    private final String origin;
    private final X509Certificate certificate;
    private final PrivateKey key;

    private DeviceCa(String origin, X509Certificate certificate, PrivateKey key) {
        this.origin = origin;
        this.certificate = certificate;
        this.key = key;
    }

    /** A new device CA, held in memory only (its caller keeps it, e.g. sealed in the database). */
    public static DeviceCa create(Instant now, String origin) {
        KeyPair keys = CertificateIssuer.newKeyPair(KeyType.RSA);
        X509Certificate certificate = CertificateIssuer.selfSignedCa(keys, "locomov device CA "
                + DevelopmentCa.localHostName(), now, CA_VALIDITY);
        return new DeviceCa(origin, certificate, keys.getPrivate());
    }

    /**
     * A device CA kept elsewhere (the database): {@code key} must belong to {@code certificate}.
     *
     * @param origin where it is kept, for messages
     * @throws CertificateFileException when the key does not belong to the certificate
     */
    public static DeviceCa of(X509Certificate certificate, PrivateKey key, String origin) throws CertificateFileException {
        String mismatch = PemFiles.keyMismatch(key, certificate);
        if (mismatch != null) {
            throw new CertificateFileException("the device CA key in " + origin + " does not belong to its certificate: "
                    + mismatch);
        }
        return new DeviceCa(origin, certificate, key);
    }

    /**
     * The device CA in the files of {@code tlsDir} when both exist, without creating anything; empty when neither
     * exists.
     *
     * @throws CertificateFileException when one file is missing, or they do not belong together
     */
    public static Optional<DeviceCa> existing(Path tlsDir) throws IOException {
        Path certificateFile = tlsDir.resolve(CERTIFICATE_FILE);
        Path keyFile = tlsDir.resolve(KEY_FILE);
        if (!Files.exists(certificateFile) && !Files.exists(keyFile)) {
            return Optional.empty();
        }
        return Optional.of(open(tlsDir, Instant.now())); // both exist, or open explains which one is missing
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
        return new DeviceCa(certificateFile.toString(), ca.certificate(), ca.key());
    }

    /** The client certificate of device {@code deviceId} (its CN) for {@code clientKey}, valid from {@code now}. */
    public X509Certificate issueClientCertificate(long deviceId, PublicKey clientKey, Instant now) {
        if (deviceId < 0) {
            throw new IllegalArgumentException("device ids are not negative, was " + deviceId);
        }
        return CertificateIssuer.clientCertificate(certificate, key, clientKey, Long.toString(deviceId), now,
                CLIENT_VALIDITY);
    }

    /** Where this CA is kept: its certificate file, or the database. */
    public String origin() {
        return origin;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** The private key, for whoever keeps this CA (sealed before it is stored). */
    public PrivateKey key() {
        return key;
    }

    /** Whether {@code other} is the same CA: the same certificate (and so the same key). */
    public boolean sameAs(DeviceCa other) {
        return certificate.equals(other.certificate);
    }

    @Override
    public String toString() {
        return "DeviceCa[" + PemFiles.subject(certificate) + " in " + origin + "]";
    }
}
