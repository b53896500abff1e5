package org.locomov.tls;

import org.locomov.core.StorageUnavailableException;
import org.locomov.store.DeviceCredentialRepository;
import org.locomov.store.StoreException;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * Whether a device certificate presented on a connection may be used, asked of the database once per
 * connection, off the event loop. There is deliberately no cache: a revocation made by another process
 * ({@code locomov device revoke}) is then seen by the very next connection, and one indexed lookup costs less
 * than the mutual-TLS handshake that precedes it (docs/decisions/0803-revocation-checked-per-connection.md).
 *
 * <p>Certificates of the device CA must be on record for their device; certificates of an operator CA are
 * recorded on first use, registering an unknown device (auto-provisioning) when {@code registerDevices}.
 *
 * <p>Thread-safety: {@link #check} is called from event loops; lookups run on virtual threads and touch no
 * shared state but the pool.
 */
public final class DeviceCertificateCheck implements AutoCloseable {

    /** Whether a presented device certificate may be used. */
    public enum CertificateStatus {
        /** On record for its device; neither it nor the device is revoked. */
        ACCEPTED,
        /** The certificate (revoked, or replaced by newer credentials) or its device is revoked. */
        REVOKED,
        /** Signed by the device CA, but never recorded as issued to this device. */
        NOT_ON_RECORD,
        /** An operator-CA certificate for a device that is not registered and may not be registered by it. */
        UNKNOWN_DEVICE
    }

    private final DeviceCredentialRepository repository;
    private final boolean registerDevices;
    private final ExecutorService lookups =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("certificate-check-", 0).factory());

    /** @param registerDevices register the unknown device of an operator-CA certificate on first use */
    public DeviceCertificateCheck(DeviceCredentialRepository repository, boolean registerDevices) {
        this.repository = Objects.requireNonNull(repository, "repository");
        this.registerDevices = registerDevices;
    }

    /** The certificate's status; fails with {@link StorageUnavailableException} when the database cannot answer. */
    public CompletableFuture<CertificateStatus> check(DeviceCertificateTrust.DeviceCertificate certificate) {
        try {
            return CompletableFuture.supplyAsync(() -> lookUp(certificate), lookups);
        } catch (RejectedExecutionException closed) {
            return CompletableFuture.failedFuture(new StorageUnavailableException("certificate check closed", null));
        }
    }

    private CertificateStatus lookUp(DeviceCertificateTrust.DeviceCertificate certificate) {
        try {
            DeviceCredentialRepository.CertificateStatus stored = switch (certificate.origin()) {
                case DEVICE_CA -> repository.issuedCertificateStatus(certificate.deviceId(), certificate.sha256());
                case OPERATOR_CA -> repository.operatorCertificateStatus(certificate.deviceId(),
                        DeviceCredentialsIssuer.record(certificate.certificate(),
                                KeyType.of(certificate.certificate().getPublicKey())),
                        registerDevices);
            };
            return switch (stored) {
                case ACCEPTED -> CertificateStatus.ACCEPTED;
                case REVOKED -> CertificateStatus.REVOKED;
                case NOT_ON_RECORD -> CertificateStatus.NOT_ON_RECORD;
                case UNKNOWN_DEVICE -> CertificateStatus.UNKNOWN_DEVICE;
            };
        } catch (StoreException e) {
            throw new StorageUnavailableException("client certificate check failed", e);
        }
    }

    /** Stops the lookup threads; lookups under way finish. */
    @Override
    public void close() {
        lookups.close();
    }
}
