package org.locomov.credentials;

import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXCertPathValidatorResult;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.locomov.core.Refusal;
import org.locomov.core.RefusalKind;
import org.locomov.core.StorageUnavailableException;
import org.locomov.core.identity.DeviceIdentity;
import org.locomov.core.identity.Identity;
import org.locomov.core.identity.PskLookup;
import org.locomov.store.DeviceCredentialRepository;
import org.locomov.store.DeviceCredentialRepository.CertificateStatus;
import org.locomov.store.OperatorCaRepository;
import org.locomov.store.OperatorCaRepository.OperatorCa;
import org.locomov.store.StoreException;
import org.locomov.tls.CertificateFileException;
import org.locomov.tls.DeviceCertificateTrust;
import org.locomov.tls.DeviceCertificateTrust.DeviceCertificate;
import org.locomov.tls.DeviceCertificateTrust.Identification;
import org.locomov.tls.KeyType;
import org.locomov.tls.MasterKey;
import org.locomov.tls.PemFiles;
import org.locomov.tls.SealedKeyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link DeviceIdentity} of a node, over the database and locomov's CAs.
 *
 * <ul>
 *   <li>Certificates: the chain must lead, by PKIX path validation, to locomov's device CA or an operator CA
 *       (one registered in {@code operator_ca}, or given with {@code --device-ca-trust}); its CN names the
 *       device. A device-CA certificate must be on record as issued to that device; an operator-CA
 *       certificate is recorded on first use, registering an unknown device when its CA auto-provisions.
 *       No cache: each connection asks the database once, so a revocation made anywhere holds at the next
 *       connection (docs/decisions/0803).</li>
 *   <li>Tokens: looked up by SHA-256 among live credentials of devices that are not revoked.</li>
 *   <li>PSKs: the PSK identity is the device id; the key is the device's live PSK, opened with the master key.</li>
 * </ul>
 *
 * <p>Thread-safety: the answers run on virtual threads and share nothing but the pool; the trust anchors are
 * an immutable snapshot behind a volatile field, replaced by {@link #reloadOperatorCas()} (called at start and
 * when another node announces a change on {@link OperatorCaRepository#CHANNEL}).
 */
public final class StoreDeviceIdentity implements DeviceIdentity, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StoreDeviceIdentity.class);

    /** The CAs trusted now: locomov's device CA first, then operator CAs, each with whether it auto-provisions. */
    private record Anchors(X509Certificate deviceCa, List<X509Certificate> operatorCas, Set<X509Certificate> autoProvision) {

        List<X509Certificate> all() {
            List<X509Certificate> all = new ArrayList<>(1 + operatorCas.size());
            all.add(deviceCa);
            all.addAll(operatorCas);
            return List.copyOf(all);
        }
    }

    private final X509Certificate deviceCa;
    private final List<X509Certificate> operatorCaFiles;
    private final DeviceCredentialRepository credentials;
    private final OperatorCaRepository operatorCas;
    private final Supplier<MasterKey> masterKey;
    private final List<Runnable> anchorListeners = new CopyOnWriteArrayList<>();
    private final ExecutorService lookups =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("device-identity-", 0).factory());
    private volatile Anchors anchors;

    /**
     * @param deviceCa        locomov's device CA certificate
     * @param operatorCaFiles operator CAs given with {@code --device-ca-trust}: trusted on this node, always
     *                        auto-provisioning (as they did before operator CAs were registered)
     * @param masterKey       opens sealed PSKs; asked for only when a PSK is looked up
     */
    public StoreDeviceIdentity(X509Certificate deviceCa, List<X509Certificate> operatorCaFiles,
            DeviceCredentialRepository credentials, OperatorCaRepository operatorCas, Supplier<MasterKey> masterKey) {
        this.deviceCa = Objects.requireNonNull(deviceCa, "deviceCa");
        this.operatorCaFiles = List.copyOf(operatorCaFiles);
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.operatorCas = Objects.requireNonNull(operatorCas, "operatorCas");
        this.masterKey = Objects.requireNonNull(masterKey, "masterKey");
        this.anchors = new Anchors(deviceCa, this.operatorCaFiles, Set.copyOf(this.operatorCaFiles));
    }

    /**
     * Reads the registered operator CAs again and tells the listeners when they changed.
     *
     * @throws StoreException when the database cannot be read; the CAs trusted so far stay
     */
    public void reloadOperatorCas() {
        List<X509Certificate> trusted = new ArrayList<>(operatorCaFiles);
        Set<X509Certificate> autoProvision = new HashSet<>(operatorCaFiles);
        for (OperatorCa ca : operatorCas.list()) {
            try {
                X509Certificate certificate = PemFiles.parseCertificates(ca.certificatePem()).getFirst();
                if (!trusted.contains(certificate)) {
                    trusted.add(certificate);
                }
                if (ca.autoProvision()) {
                    autoProvision.add(certificate);
                }
            } catch (CertificateFileException e) {
                log.warn("operator CA {} ({}) cannot be read and is not trusted: {}", ca.id(), ca.subject(), e.getMessage());
            }
        }
        Anchors next = new Anchors(deviceCa, List.copyOf(trusted), Set.copyOf(autoProvision));
        Anchors previous = anchors;
        anchors = next;
        if (!next.equals(previous)) {
            log.info("client certificates are accepted from the device CA and {} operator CA(s): {}",
                    next.operatorCas().size(), next.operatorCas().stream().map(PemFiles::subject).toList());
            anchorListeners.forEach(Runnable::run);
        }
    }

    @Override
    public List<X509Certificate> trustAnchors() {
        return anchors.all();
    }

    @Override
    public void onTrustAnchorsChanged(Runnable listener) {
        anchorListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public CompletableFuture<Identity> byCertificate(List<X509Certificate> chain) {
        if (chain.isEmpty()) {
            return CompletableFuture.completedFuture(refused(RefusalKind.CERTIFICATE_REFUSED, "no client certificate", null));
        }
        Anchors trusted = anchors;
        X509Certificate anchor;
        try {
            anchor = validate(chain, trusted);
        } catch (GeneralSecurityException e) {
            return CompletableFuture.completedFuture(refused(RefusalKind.CERTIFICATE_REFUSED,
                    "the client certificate does not lead to a trusted CA: " + e.getMessage(), null));
        }
        return switch (DeviceCertificateTrust.of(trusted.deviceCa(), trusted.operatorCas()).identify(chain.getFirst())) {
            case Identification.Unusable(String reason) ->
                    CompletableFuture.completedFuture(refused(RefusalKind.CERTIFICATE_REFUSED, reason, null));
            case Identification.Identified(DeviceCertificate certificate) ->
                    lookUp(() -> check(certificate, trusted.autoProvision().contains(anchor)));
        };
    }

    private Identity check(DeviceCertificate certificate, boolean autoProvision) {
        long deviceId = certificate.deviceId();
        CertificateStatus status = switch (certificate.origin()) {
            case DEVICE_CA -> credentials.issuedCertificateStatus(deviceId, certificate.sha256());
            case OPERATOR_CA -> credentials.operatorCertificateStatus(deviceId,
                    DeviceCredentialsIssuer.record(certificate.certificate(), KeyType.of(certificate.certificate().getPublicKey())),
                    autoProvision);
        };
        return switch (status) {
            case ACCEPTED -> new Identity.Identified(deviceId, Identity.Credential.CERTIFICATE);
            case REVOKED -> refused(RefusalKind.REVOKED_DEVICE, "certificate of device " + deviceId + " is revoked", deviceId);
            case NOT_ON_RECORD -> refused(RefusalKind.CERTIFICATE_REFUSED,
                    "certificate is not on record for device " + deviceId, deviceId);
            case UNKNOWN_DEVICE -> refused(RefusalKind.UNKNOWN_DEVICE, "unknown device " + deviceId, deviceId);
        };
    }

    @Override
    public CompletableFuture<Identity> byToken(long deviceId, String token) {
        return lookUp(() -> {
            OptionalLong owner = credentials.deviceForToken(DeviceCredentialsIssuer.tokenSha256(token));
            return owner.isPresent() && owner.getAsLong() == deviceId
                    ? new Identity.Identified(deviceId, Identity.Credential.TOKEN)
                    : refused(RefusalKind.BAD_CREDENTIALS, "not a live token of device " + deviceId, deviceId);
        });
    }

    @Override
    public CompletableFuture<Identity> byToken(String token) {
        return lookUp(() -> {
            OptionalLong owner = credentials.deviceForToken(DeviceCredentialsIssuer.tokenSha256(token));
            return owner.isPresent()
                    ? new Identity.Identified(owner.getAsLong(), Identity.Credential.TOKEN)
                    : refused(RefusalKind.BAD_CREDENTIALS, "not a live device token", null);
        });
    }

    @Override
    public CompletableFuture<PskLookup> byPskIdentity(String pskIdentity) {
        long deviceId;
        try {
            deviceId = Long.parseLong(pskIdentity);
        } catch (NumberFormatException e) {
            return CompletableFuture.completedFuture(new PskLookup.Refused(Refusal.of(RefusalKind.BAD_CREDENTIALS,
                    "PSK identity '" + shorten(pskIdentity) + "' is not a device id")));
        }
        return lookUp(() -> credentials.livePsk(deviceId)
                .<PskLookup>map(sealed -> {
                    try {
                        return new PskLookup.Found(deviceId,
                                masterKey.get().open(sealed.sealed(), DeviceCredentialRepository.pskContext(deviceId)));
                    } catch (SealedKeyException | RuntimeException e) {
                        // A sealed PSK from another master key, or no master key on this node at all.
                        log.warn("the PSK of device {} cannot be opened: {}", deviceId, e.getMessage());
                        return new PskLookup.Refused(Refusal.of(RefusalKind.BAD_CREDENTIALS,
                                "the PSK of device " + deviceId + " cannot be opened on this node").forDevice(deviceId));
                    }
                })
                .orElseGet(() -> new PskLookup.Refused(Refusal.of(RefusalKind.BAD_CREDENTIALS,
                        "device " + deviceId + " has no live PSK").forDevice(deviceId))));
    }

    /** Stops the lookup threads; lookups under way finish. */
    @Override
    public void close() {
        lookups.close();
    }

    /** The anchor {@code chain} leads to by PKIX path validation (no revocation lists: the database says that). */
    private static X509Certificate validate(List<X509Certificate> chain, Anchors trusted) throws GeneralSecurityException {
        Set<TrustAnchor> anchorSet = new HashSet<>();
        for (X509Certificate anchor : trusted.all()) {
            anchorSet.add(new TrustAnchor(anchor, null));
        }
        // A chain sent with its root: PKIX wants the path without the anchor itself.
        List<X509Certificate> path = new ArrayList<>(chain);
        while (path.size() > 1 && trusted.all().contains(path.getLast())) {
            path.removeLast();
        }
        CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
        PKIXParameters parameters = new PKIXParameters(anchorSet);
        parameters.setRevocationEnabled(false);
        PKIXCertPathValidatorResult result =
                (PKIXCertPathValidatorResult) CertPathValidator.getInstance("PKIX").validate(certPath, parameters);
        return result.getTrustAnchor().getTrustedCert();
    }

    private <T> CompletableFuture<T> lookUp(Supplier<T> lookup) {
        try {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return lookup.get();
                } catch (StoreException e) {
                    throw new StorageUnavailableException("device identity check failed", e);
                }
            }, lookups);
        } catch (RejectedExecutionException closed) {
            return CompletableFuture.failedFuture(new StorageUnavailableException("device identity closed", null));
        }
    }

    private static Identity refused(RefusalKind kind, String reason, Long deviceId) {
        Refusal refusal = Refusal.of(kind, reason);
        return new Identity.Refused(deviceId == null ? refusal : refusal.forDevice(deviceId));
    }

    private static String shorten(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
