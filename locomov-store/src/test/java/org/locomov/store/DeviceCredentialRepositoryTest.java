package org.locomov.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.locomov.store.testing.TestDatabase.count;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.locomov.store.DeviceCredentialRepository.CertificateRecord;
import org.locomov.store.DeviceCredentialRepository.CertificateStatus;
import org.locomov.store.DeviceCredentialRepository.IssuedSet;
import org.locomov.store.testing.TestDatabase;

class DeviceCredentialRepositoryTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Database database;
    private DeviceCredentialRepository credentials;

    @BeforeEach
    void open() {
        database = TestDatabase.fresh();
        credentials = new DeviceCredentialRepository(database.dataSource());
        TestDatabase.addDevice(database, 7);
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void issuedCertificateIsAcceptedForItsDeviceOnly() {
        IssuedSet set = issuedSet(7);

        assertThat(credentials.recordIssued(set)).isPresent();

        assertThat(credentials.issuedCertificateStatus(7, set.certificate().sha256())).isEqualTo(CertificateStatus.ACCEPTED);
        assertThat(credentials.issuedCertificateStatus(8, set.certificate().sha256())).isEqualTo(CertificateStatus.NOT_ON_RECORD);
        assertThat(credentials.issuedCertificateStatus(7, random(32))).isEqualTo(CertificateStatus.NOT_ON_RECORD);
    }

    @Test
    void credentialsForAnUnregisteredDeviceAreNotStored() {
        assertThat(credentials.recordIssued(issuedSet(99))).isEmpty();

        assertThat(count(database, "SELECT count(*) FROM device_credential")).isZero();
    }

    @Test
    void revokeRefusesCertificatePskAndTokenAndMarksTheDevice() {
        IssuedSet set = issuedSet(7);
        credentials.recordIssued(set);

        var revocation = credentials.revoke(7).orElseThrow();

        assertThat(revocation.credentialsRevoked()).isEqualTo(1);
        assertThat(credentials.issuedCertificateStatus(7, set.certificate().sha256())).isEqualTo(CertificateStatus.REVOKED);
        assertThat(credentials.livePsk(7)).isEmpty();
        assertThat(credentials.deviceForToken(set.tokenSha256())).isEmpty();
        assertThat(count(database, "SELECT count(*) FROM pub WHERE pub_id = 7 AND revoked_at IS NOT NULL")).isEqualTo(1);
        assertThat(credentials.revoke(7).orElseThrow().deviceWasRevokedAlready()).isTrue();
        assertThat(credentials.revoke(99)).isEmpty();
    }

    @Test
    void issuingAgainReplacesTheEarlierSetAndReadmitsARevokedDevice() {
        IssuedSet first = issuedSet(7);
        credentials.recordIssued(first);
        credentials.revoke(7);
        IssuedSet second = issuedSet(7);

        var recorded = credentials.recordIssued(second).orElseThrow();

        assertThat(recorded.deviceWasRevoked()).isTrue();
        assertThat(credentials.issuedCertificateStatus(7, first.certificate().sha256())).isEqualTo(CertificateStatus.REVOKED);
        assertThat(credentials.issuedCertificateStatus(7, second.certificate().sha256())).isEqualTo(CertificateStatus.ACCEPTED);
        assertThat(credentials.livePsk(7).orElseThrow().sealed()).isEqualTo(second.sealedPsk());
        assertThat(credentials.deviceForToken(second.tokenSha256())).hasValue(7);
        assertThat(credentials.deviceForToken(first.tokenSha256())).isEmpty();
    }

    @Test
    void operatorCertificateRegistersItsDeviceWhenAllowedAndIsCoveredByRevoke() {
        CertificateRecord certificate = certificate();

        assertThat(credentials.operatorCertificateStatus(50, certificate, false)).isEqualTo(CertificateStatus.UNKNOWN_DEVICE);
        assertThat(count(database, "SELECT count(*) FROM pub WHERE pub_id = 50")).isZero();

        assertThat(credentials.operatorCertificateStatus(50, certificate, true)).isEqualTo(CertificateStatus.ACCEPTED);
        assertThat(count(database, "SELECT count(*) FROM pub WHERE pub_id = 50")).isEqualTo(1);
        assertThat(credentials.operatorCertificateStatus(50, certificate, true)).isEqualTo(CertificateStatus.ACCEPTED);
        assertThat(count(database, "SELECT count(*) FROM device_credential WHERE pub_id = 50")).isEqualTo(1);

        credentials.revoke(50);

        assertThat(credentials.operatorCertificateStatus(50, certificate, true)).isEqualTo(CertificateStatus.REVOKED);
        assertThat(credentials.operatorCertificateStatus(50, certificate(), true)).isEqualTo(CertificateStatus.REVOKED);
    }

    @Test
    void noSecretIsStoredInClear() {
        IssuedSet set = issuedSet(7);
        credentials.recordIssued(set);

        assertThat(count(database, "SELECT count(*) FROM device_credential WHERE token_sha256 = ? AND psk_sealed = ?",
                set.tokenSha256(), set.sealedPsk())).isEqualTo(1);
        assertThat(count(database, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'device_credential'"
                + " AND column_name IN ('psk', 'token', 'private_key')")).isZero();
    }

    private static IssuedSet issuedSet(long pubId) {
        return new IssuedSet(pubId, certificate(), random(60), "0123456789abcdef", random(32));
    }

    private static CertificateRecord certificate() {
        return new CertificateRecord(random(32), Long.toHexString(RANDOM.nextLong()),
                Instant.now().plus(3650, ChronoUnit.DAYS), "RSA");
    }

    private static byte[] random(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
