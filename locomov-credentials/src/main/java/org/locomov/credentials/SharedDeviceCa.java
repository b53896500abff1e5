package org.locomov.credentials;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.locomov.store.TlsMaterial;
import org.locomov.store.TlsMaterialRepository;
import org.locomov.store.TlsMaterialRepository.FoundOrCreated;
import org.locomov.tls.CertificateFileException;
import org.locomov.tls.DeviceCa;
import org.locomov.tls.Fingerprints;
import org.locomov.tls.KeyType;
import org.locomov.tls.MasterKey;
import org.locomov.tls.PemFiles;
import org.locomov.tls.SealedKeyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device CA of a database, shared by every node on it (decision 1540): the row {@value #NAME} of
 * {@code tls_material}, its certificate in clear and its PKCS#8 key sealed with the master key, like the ACME
 * material and the Particle server key. The first node that needs it makes it, under a transaction advisory
 * lock, so nodes starting together agree on one CA. A data directory that still holds a device CA of its own
 * ({@code tls/device-ca.pem} and {@code device-ca.key}, from before) gives the database that CA when the
 * database has none, so an upgrade needs no step; a file CA that differs from the database's is reported and
 * not used.
 *
 * <p>Stateless.
 */
public final class SharedDeviceCa {

    /** The row's name in {@code tls_material}; also the associated data of its sealed key. */
    public static final String NAME = "device ca";

    private static final Logger log = LoggerFactory.getLogger(SharedDeviceCa.class);
    private static final String ORIGIN = "the database (shared by every node)";

    private SharedDeviceCa() {
    }

    /**
     * The database's device CA, made first when it has none: from the files in {@code tlsDir} when they exist,
     * else a new one.
     *
     * @param node names this node in the row it writes
     * @throws CertificateFileException when the stored key was sealed with another master key, or the files of an
     *                                  import do not belong together
     */
    public static DeviceCa open(TlsMaterialRepository repository, MasterKey masterKey, Path tlsDir, String node,
            Instant now) throws IOException {
        Objects.requireNonNull(masterKey, "masterKey");
        Optional<TlsMaterial> stored = repository.find(NAME);
        if (stored.isPresent()) {
            DeviceCa shared = open(stored.get(), masterKey);
            warnIfTheFilesDiffer(tlsDir, shared, stored.get());
            return shared;
        }
        Optional<DeviceCa> fromFiles = DeviceCa.existing(tlsDir);
        FoundOrCreated row = repository.findOrCreate(NAME,
                () -> row(fromFiles.orElseGet(() -> DeviceCa.create(now, ORIGIN)), masterKey, node));
        DeviceCa shared = open(row.material(), masterKey);
        if (!row.created()) {
            warnIfTheFilesDiffer(tlsDir, shared, row.material()); // another node made it a moment ago
        } else if (fromFiles.isPresent()) {
            log.info("Imported the device CA {} ({}) into the database: every node sharing it now trusts and issues"
                    + " device certificates with it", fromFiles.get().origin(), describe(shared.certificate()));
        } else {
            log.info("Created the device CA ({}) in the database, shared by every node; it signs the client"
                    + " certificates of 'device credentials'", describe(shared.certificate()));
        }
        return shared;
    }

    private static TlsMaterial row(DeviceCa ca, MasterKey masterKey, String node) {
        return new TlsMaterial(NAME, PemFiles.certificatesPem(List.of(ca.certificate())), null,
                masterKey.seal(ca.key().getEncoded(), NAME), masterKey.id(), ca.certificate().getNotAfter().toInstant(),
                null, node);
    }

    private static DeviceCa open(TlsMaterial row, MasterKey masterKey) throws CertificateFileException {
        if (row.chainPem() == null) {
            throw new CertificateFileException("the database's device CA (" + NAME + ") has no certificate");
        }
        X509Certificate certificate = PemFiles.parseCertificates(row.chainPem()).getFirst();
        if (!row.masterKeyId().equals(masterKey.id())) {
            throw new CertificateFileException("the database's device CA was sealed by " + row.updatedBy()
                    + " with master key " + row.masterKeyId() + ", but this node has master key " + masterKey.id()
                    + "; every node sharing the database needs the same --tls-master-key-file");
        }
        try {
            byte[] pkcs8 = masterKey.open(row.sealedKey(), NAME);
            KeyType type = KeyType.of(certificate.getPublicKey());
            PrivateKey key = KeyFactory.getInstance(type.jcaAlgorithm()).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            return DeviceCa.of(certificate, key, ORIGIN);
        } catch (SealedKeyException e) {
            throw new CertificateFileException("the database's device CA key cannot be opened: " + e.getMessage()
                    + "; every node sharing the database needs the same --tls-master-key-file");
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new CertificateFileException("the database's device CA key is not a private key of its certificate: "
                    + e.getMessage());
        }
    }

    /**
     * A data directory with a device CA of its own beside a database that shares another one: the database's
     * wins (one CA for every node), and the operator is told what happens to certificates the file CA signed.
     */
    private static void warnIfTheFilesDiffer(Path tlsDir, DeviceCa shared, TlsMaterial row) {
        Optional<DeviceCa> fromFiles;
        try {
            fromFiles = DeviceCa.existing(tlsDir);
        } catch (IOException e) {
            log.warn("The device CA files in {} cannot be read ({}); this node uses the database's device CA ({})",
                    tlsDir, e.getMessage(), describe(shared.certificate()));
            return;
        }
        if (fromFiles.isPresent() && !fromFiles.get().sameAs(shared)) {
            log.warn("The device CA {} ({}) is not the device CA this database shares ({}, stored by {}); this node"
                            + " uses the database's. Device certificates the file CA signed are refused; to keep"
                            + " accepting them on every node, register it: locomov ca register --pem {}",
                    fromFiles.get().origin(), describe(fromFiles.get().certificate()), describe(shared.certificate()),
                    row.updatedBy(), fromFiles.get().origin());
        }
    }

    private static String describe(X509Certificate certificate) {
        return PemFiles.subject(certificate) + ", SHA-256 " + Fingerprints.text(Fingerprints.sha256(certificate));
    }
}
