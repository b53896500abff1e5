package org.locomov.credentials.acme;

import org.locomov.store.TlsMaterial;
import org.locomov.store.TlsMaterialRepository;
import org.locomov.store.TlsMaterialRepository.RenewalLock;
import org.locomov.store.TlsRenewalRecord;
import org.locomov.tls.KeyType;
import org.locomov.tls.MasterKey;
import org.locomov.tls.SealedKeyException;
import org.locomov.tls.ServerCertificate;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * The ACME account and certificates of one CA directory as every node sharing the database sees them: rows of
 * {@code tls_material} whose private keys are sealed with this node's {@link MasterKey}, the renewal state, and
 * the renewal lock. Row names carry the directory URL, so that staging and production CAs never mix.
 *
 * <p>Thread-safe: each call is its own database round trip.
 */
public final class SharedTlsMaterial {

    private final TlsMaterialRepository repository;
    private final MasterKey masterKey;
    private final String nodeName;

    /** @param nodeName names this node in the rows it writes, e.g. host name and process id */
    public SharedTlsMaterial(TlsMaterialRepository repository, MasterKey masterKey, String nodeName) {
        this.repository = repository;
        this.masterKey = masterKey;
        this.nodeName = nodeName;
    }

    /** This machine's host name and process id, for {@code updated_by}. */
    public static String thisNode() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "unknown-host";
        }
        return host + " pid " + ProcessHandle.current().pid();
    }

    public static String certificateName(URI directory, KeyType type) {
        return "acme certificate " + type + " " + directory;
    }

    static String accountName(URI directory) {
        return "acme account " + directory;
    }

    static String lockName(URI directory) {
        return "acme renewal " + directory;
    }

    /** The stored certificate of {@code type}, with its key opened; empty when none is stored. */
    public Optional<Stored> certificate(URI directory, KeyType type) throws SealedKeyException, IOException {
        String name = certificateName(directory, type);
        Optional<TlsMaterial> row = repository.find(name);
        if (row.isEmpty()) {
            return Optional.empty();
        }
        TlsMaterial material = row.get();
        if (material.chainPem() == null) {
            throw new IOException(name + " holds no certificate chain");
        }
        List<X509Certificate> chain = PemText.chain(material.chainPem());
        PrivateKey key = PemText.privateKey(open(material), type.jcaAlgorithm());
        try {
            return Optional.of(new Stored(new ServerCertificate(key, chain), material));
        } catch (IllegalArgumentException e) {
            throw new IOException(name + ": " + e.getMessage(), e);
        }
    }

    /** A certificate read back, and the row it came from (who wrote it, when). */
    public record Stored(ServerCertificate certificate, TlsMaterial row) {
    }

    void saveCertificate(URI directory, ServerCertificate certificate) {
        String name = certificateName(directory, certificate.keyType());
        repository.save(new TlsMaterial(name, PemText.chain(certificate.chain()), null,
                masterKey.seal(certificate.key().getEncoded(), name), masterKey.id(), certificate.notAfter(),
                null, nodeName));
    }

    /** The account key for {@code directory}, if one was stored. */
    Optional<KeyPair> accountKey(URI directory) throws SealedKeyException, IOException {
        Optional<TlsMaterial> row = repository.find(accountName(directory));
        if (row.isEmpty()) {
            return Optional.empty();
        }
        String pem = new String(open(row.get()), StandardCharsets.US_ASCII);
        return Optional.of(PemText.keyPair(pem));
    }

    void saveAccount(URI directory, KeyPair keys, URL location) {
        String name = accountName(directory);
        repository.save(new TlsMaterial(name, null, location.toString(),
                masterKey.seal(PemText.keyPair(keys).getBytes(StandardCharsets.US_ASCII), name), masterKey.id(), null,
                null, nodeName));
    }

    Optional<RenewalLock> tryLock(URI directory) {
        return repository.tryLock(lockName(directory));
    }

    public Optional<TlsRenewalRecord> renewal(URI directory, KeyType type) {
        return repository.renewal(certificateName(directory, type));
    }

    void saveRenewal(TlsRenewalRecord record) {
        repository.saveRenewal(record);
    }

    String nodeName() {
        return nodeName;
    }

    private byte[] open(TlsMaterial material) throws SealedKeyException {
        if (!material.masterKeyId().equals(masterKey.id())) {
            throw new SealedKeyException(material.name() + " was sealed by " + material.updatedBy() + " with master key "
                    + material.masterKeyId() + ", but this node has master key " + masterKey.id()
                    + "; every node sharing the database needs the same --tls-master-key-file");
        }
        return masterKey.open(material.sealedKey(), material.name());
    }
}
