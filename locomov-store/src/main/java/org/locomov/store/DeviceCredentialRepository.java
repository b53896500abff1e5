package org.locomov.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import javax.sql.DataSource;

/**
 * Device credentials ({@code device_credential}): the client certificate, PSK and access token that
 * {@code locomov device credentials} issues, client certificates of an operator CA recorded on first use,
 * and their revocation. Only fingerprints, hashes and sealed values reach the database; the secrets
 * themselves exist only in the caller's memory and the files it writes.
 *
 * <p>A device has at most one live set issued by locomov: recording a new set revokes the earlier one and
 * lifts a revocation of the device itself ({@code pub.revoked_at}), so a recovered device can be re-flashed.
 * {@link #revoke} revokes every credential of the device and the device.
 *
 * <p>Thread-safe: stateless apart from the pool; each call is its own transaction.
 */
public final class DeviceCredentialRepository {

    /** What the database keeps of a client certificate: never the certificate's key. */
    public record CertificateRecord(byte[] sha256, String serialHex, Instant notAfter, String keyType) {
        public CertificateRecord {
            Objects.requireNonNull(sha256, "sha256");
            if (sha256.length != 32) {
                throw new IllegalArgumentException("a SHA-256 fingerprint has 32 bytes, not " + sha256.length);
            }
            Objects.requireNonNull(serialHex, "serialHex");
            Objects.requireNonNull(notAfter, "notAfter");
            Objects.requireNonNull(keyType, "keyType");
        }
    }

    /**
     * A newly issued set as stored: the certificate's fingerprint, the PSK sealed under the master key
     * {@code masterKeyId}, the token's SHA-256.
     */
    public record IssuedSet(long pubId, CertificateRecord certificate, byte[] sealedPsk, String masterKeyId,
            byte[] tokenSha256) {
        public IssuedSet {
            Objects.requireNonNull(certificate, "certificate");
            Objects.requireNonNull(sealedPsk, "sealedPsk");
            Objects.requireNonNull(masterKeyId, "masterKeyId");
            Objects.requireNonNull(tokenSha256, "tokenSha256");
        }
    }

    /** What recording a set did: the earlier live sets it revoked, and whether the device had been revoked. */
    public record Recorded(long credentialId, int replacedSets, boolean deviceWasRevoked) {
    }

    /** What {@link #revoke} did: credentials newly revoked, and whether the device had been revoked already. */
    public record Revocation(int credentialsRevoked, boolean deviceWasRevokedAlready) {
    }

    /** A sealed PSK and the master key that sealed it; open it with the context {@link #pskContext(long)}. */
    public record SealedPsk(byte[] sealed, String masterKeyId) {
    }

    /** Whether a presented client certificate may be used. */
    public enum CertificateStatus {
        /** On record for this device, neither it nor the device revoked. */
        ACCEPTED,
        /** The certificate or its device is revoked. */
        REVOKED,
        /** Signed by the device CA but not recorded as issued to this device (replaced by a newer set, or forged ids). */
        NOT_ON_RECORD,
        /** The device is not registered and may not be registered by its certificate. */
        UNKNOWN_DEVICE
    }

    /** Why credentials are marked revoked, kept with them. */
    static final String REVOKED_BY_COMMAND = "revoked by 'device revoke'";
    static final String REPLACED = "replaced by newly issued credentials";

    private final DataSource dataSource;

    public DeviceCredentialRepository(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** The associated data a device's PSK is sealed with, so a sealed PSK copied to another device does not open. */
    public static String pskContext(long pubId) {
        return "device-psk:" + pubId;
    }

    /**
     * Records a newly issued set for a registered device, revoking its earlier issued sets and lifting a
     * revocation of the device, in one transaction.
     *
     * @return empty when the device is not registered (nothing is stored)
     */
    public Optional<Recorded> recordIssued(IssuedSet set) {
        return inTransaction("could not record credentials for device " + set.pubId(), connection -> {
            Optional<Boolean> deviceRevoked = lockDevice(connection, set.pubId());
            if (deviceRevoked.isEmpty()) {
                return Optional.empty();
            }
            int replaced;
            try (PreparedStatement revoke = connection.prepareStatement("""
                    UPDATE device_credential SET revoked_at = now(), revoke_reason = ?
                    WHERE pub_id = ? AND origin = 'device-ca' AND revoked_at IS NULL""")) {
                revoke.setString(1, REPLACED);
                revoke.setLong(2, set.pubId());
                replaced = revoke.executeUpdate();
            }
            if (deviceRevoked.get()) {
                try (PreparedStatement readmit = connection.prepareStatement(
                        "UPDATE pub SET revoked_at = NULL WHERE pub_id = ?")) {
                    readmit.setLong(1, set.pubId());
                    readmit.executeUpdate();
                }
            }
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO device_credential (pub_id, origin, cert_sha256, cert_serial, cert_not_after, key_type,
                                                   psk_sealed, master_key_id, token_sha256)
                    VALUES (?, 'device-ca', ?, ?, ?, ?, ?, ?, ?) RETURNING id""")) {
                CertificateRecord certificate = set.certificate();
                insert.setLong(1, set.pubId());
                insert.setBytes(2, certificate.sha256());
                insert.setString(3, certificate.serialHex());
                insert.setTimestamp(4, Timestamp.from(certificate.notAfter()));
                insert.setString(5, certificate.keyType());
                insert.setBytes(6, set.sealedPsk());
                insert.setString(7, set.masterKeyId());
                insert.setBytes(8, set.tokenSha256());
                try (ResultSet row = insert.executeQuery()) {
                    row.next();
                    return Optional.of(new Recorded(row.getLong(1), replaced, deviceRevoked.get()));
                }
            }
        });
    }

    /**
     * Revokes every credential of the device and the device itself ({@code pub.revoked_at}), so every
     * transport refuses it from its next connection on. Revoking twice changes nothing more.
     *
     * @return empty when the device is not registered
     */
    public Optional<Revocation> revoke(long pubId) {
        return inTransaction("could not revoke device " + pubId, connection -> {
            Optional<Boolean> deviceRevoked = lockDevice(connection, pubId);
            if (deviceRevoked.isEmpty()) {
                return Optional.empty();
            }
            int revoked;
            try (PreparedStatement credentials = connection.prepareStatement("""
                    UPDATE device_credential SET revoked_at = now(), revoke_reason = ?
                    WHERE pub_id = ? AND revoked_at IS NULL""")) {
                credentials.setString(1, REVOKED_BY_COMMAND);
                credentials.setLong(2, pubId);
                revoked = credentials.executeUpdate();
            }
            try (PreparedStatement device = connection.prepareStatement(
                    "UPDATE pub SET revoked_at = now() WHERE pub_id = ? AND revoked_at IS NULL")) {
                device.setLong(1, pubId);
                device.executeUpdate();
            }
            return Optional.of(new Revocation(revoked, deviceRevoked.get()));
        });
    }

    /** The status of a certificate signed by locomov's device CA that names device {@code pubId}. */
    public CertificateStatus issuedCertificateStatus(long pubId, byte[] sha256) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("""
                        SELECT c.pub_id, c.revoked_at IS NOT NULL OR p.revoked_at IS NOT NULL
                        FROM device_credential c JOIN pub p ON p.pub_id = c.pub_id
                        WHERE c.cert_sha256 = ? AND c.origin = 'device-ca'""")) {
            query.setBytes(1, sha256);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next() || row.getLong(1) != pubId) {
                    return CertificateStatus.NOT_ON_RECORD;
                }
                return row.getBoolean(2) ? CertificateStatus.REVOKED : CertificateStatus.ACCEPTED;
            }
        } catch (SQLException e) {
            throw new StoreException("could not check a client certificate of device " + pubId, e);
        }
    }

    /**
     * The status of a certificate signed by an operator CA that names device {@code pubId}, recording it on
     * first use (so that {@link #revoke} covers it). An unregistered device is registered when
     * {@code registerUnknownDevice}, else refused.
     */
    public CertificateStatus operatorCertificateStatus(long pubId, CertificateRecord certificate,
            boolean registerUnknownDevice) {
        return inTransaction("could not check a client certificate of device " + pubId, connection -> {
            Optional<Boolean> deviceRevoked = readDevice(connection, pubId);
            if (deviceRevoked.isEmpty()) {
                if (!registerUnknownDevice) {
                    return CertificateStatus.UNKNOWN_DEVICE;
                }
                try (PreparedStatement register = connection.prepareStatement(
                        "INSERT INTO pub (pub_id) VALUES (?) ON CONFLICT DO NOTHING")) {
                    register.setLong(1, pubId);
                    register.executeUpdate();
                }
                deviceRevoked = readDevice(connection, pubId);
            }
            if (deviceRevoked.orElse(true)) {
                return CertificateStatus.REVOKED;
            }
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO device_credential (pub_id, origin, cert_sha256, cert_serial, cert_not_after, key_type)
                    VALUES (?, 'operator-ca', ?, ?, ?, ?) ON CONFLICT (cert_sha256) DO NOTHING""")) {
                insert.setLong(1, pubId);
                insert.setBytes(2, certificate.sha256());
                insert.setString(3, certificate.serialHex());
                insert.setTimestamp(4, Timestamp.from(certificate.notAfter()));
                insert.setString(5, certificate.keyType());
                insert.executeUpdate();
            }
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT pub_id, revoked_at IS NOT NULL FROM device_credential WHERE cert_sha256 = ?")) {
                query.setBytes(1, certificate.sha256());
                try (ResultSet row = query.executeQuery()) {
                    if (!row.next() || row.getLong(1) != pubId) {
                        return CertificateStatus.NOT_ON_RECORD;
                    }
                    return row.getBoolean(2) ? CertificateStatus.REVOKED : CertificateStatus.ACCEPTED;
                }
            }
        });
    }

    /** The live PSK of a device that is not revoked, sealed; empty when it has none (for DTLS-PSK). */
    public Optional<SealedPsk> livePsk(long pubId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("""
                        SELECT c.psk_sealed, c.master_key_id
                        FROM device_credential c JOIN pub p ON p.pub_id = c.pub_id
                        WHERE c.pub_id = ? AND c.psk_sealed IS NOT NULL AND c.revoked_at IS NULL AND p.revoked_at IS NULL""")) {
            query.setLong(1, pubId);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? Optional.of(new SealedPsk(row.getBytes(1), row.getString(2))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("could not read the PSK of device " + pubId, e);
        }
    }

    /** The device a live access token belongs to, by the token's SHA-256; empty when unknown or revoked. */
    public OptionalLong deviceForToken(byte[] tokenSha256) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("""
                        SELECT c.pub_id
                        FROM device_credential c JOIN pub p ON p.pub_id = c.pub_id
                        WHERE c.token_sha256 = ? AND c.revoked_at IS NULL AND p.revoked_at IS NULL""")) {
            query.setBytes(1, tokenSha256);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? OptionalLong.of(row.getLong(1)) : OptionalLong.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("could not check a device token", e);
        }
    }

    /** Whether the device is revoked, locking its row until the transaction ends; empty when not registered. */
    private static Optional<Boolean> lockDevice(Connection connection, long pubId) throws SQLException {
        return device(connection, pubId, "SELECT revoked_at IS NOT NULL FROM pub WHERE pub_id = ? FOR UPDATE");
    }

    private static Optional<Boolean> readDevice(Connection connection, long pubId) throws SQLException {
        return device(connection, pubId, "SELECT revoked_at IS NOT NULL FROM pub WHERE pub_id = ?");
    }

    private static Optional<Boolean> device(Connection connection, long pubId, String sql) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            query.setLong(1, pubId);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? Optional.of(row.getBoolean(1)) : Optional.empty();
            }
        }
    }

    private <T> T inTransaction(String what, Transactions.Work<T> work) {
        try {
            return Transactions.run(dataSource, work);
        } catch (SQLException e) {
            throw new StoreException(what, e);
        }
    }
}
