package org.locomov.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locomov.core.RefusalKind;
import org.locomov.core.identity.Identity;
import org.locomov.core.identity.PskLookup;
import org.locomov.store.Database;
import org.locomov.store.DeviceCredentialRepository;
import org.locomov.store.OperatorCaRepository;
import org.locomov.store.testing.TestDatabase;
import org.locomov.tls.DeviceCa;
import org.locomov.tls.DeviceCredentials;
import org.locomov.tls.Fingerprints;
import org.locomov.tls.KeyType;
import org.locomov.tls.MasterKey;
import org.locomov.tls.PemFiles;

/** Device identity over a real PostgreSQL: what each credential proves, and every refusal with its reason. */
class StoreDeviceIdentityTest {

    @TempDir
    Path work;

    private Database database;
    private DeviceCredentialRepository credentials;
    private OperatorCaRepository operatorCas;
    private DeviceCa deviceCa;
    private MasterKey masterKey;
    private DeviceCredentialsIssuer issuer;
    private StoreDeviceIdentity identity;

    @BeforeEach
    void open() throws Exception {
        database = TestDatabase.fresh();
        TestDatabase.addDevice(database, 42);
        credentials = new DeviceCredentialRepository(database.dataSource());
        operatorCas = new OperatorCaRepository(database.dataSource());
        deviceCa = DeviceCa.open(work.resolve("tls"), Instant.now());
        masterKey = MasterKey.openOrCreate(work.resolve("tls/master.key"), true);
        issuer = new DeviceCredentialsIssuer(deviceCa, masterKey, credentials, Clock.systemUTC());
        identity = new StoreDeviceIdentity(deviceCa.certificate(), List.of(), credentials, operatorCas, () -> masterKey);
        identity.reloadOperatorCas();
    }

    @AfterEach
    void close() {
        identity.close();
        database.close();
    }

    @Test
    void issuedCertificateNamesItsDeviceUntilTheDeviceIsRevoked() {
        DeviceCredentials issued = issuer.issue(42, KeyType.EC).orElseThrow().credentials();

        assertThat(identity.byCertificate(List.of(issued.certificate())).join())
                .isEqualTo(new Identity.Identified(42, Identity.Credential.CERTIFICATE));

        credentials.revoke(42);
        assertThat(refusal(identity.byCertificate(List.of(issued.certificate())).join()))
                .satisfies(refused -> {
                    assertThat(refused.refusal().kind()).isEqualTo(RefusalKind.REVOKED_DEVICE);
                    assertThat(refused.refusal().reason()).isEqualTo("certificate of device 42 is revoked");
                });
    }

    @Test
    void certificateFromAnUntrustedCaIsRefusedWithoutAskingTheDatabase() throws Exception {
        DeviceCa stranger = DeviceCa.open(work.resolve("stranger"), Instant.now());

        Identity.Refused refused = refusal(identity.byCertificate(List.of(clientCertificate(stranger, 42))).join());

        assertThat(refused.refusal().kind()).isEqualTo(RefusalKind.CERTIFICATE_REFUSED);
        assertThat(refused.refusal().reason()).startsWith("the client certificate does not lead to a trusted CA");
    }

    @Test
    void registeredOperatorCaIsTrustedAfterReloadAndProvisionsUnknownDevicesOnlyWhenAllowed() throws Exception {
        DeviceCa operator = DeviceCa.open(work.resolve("operator"), Instant.now());
        AtomicInteger changes = new AtomicInteger();
        identity.onTrustAnchorsChanged(changes::incrementAndGet);
        register(operator, false);

        identity.reloadOperatorCas();

        assertThat(changes).hasValue(1);
        assertThat(identity.trustAnchors()).containsExactly(deviceCa.certificate(), operator.certificate());
        assertThat(refusal(identity.byCertificate(List.of(clientCertificate(operator, 77))).join()).refusal())
                .satisfies(refusal -> {
                    assertThat(refusal.kind()).isEqualTo(RefusalKind.UNKNOWN_DEVICE);
                    assertThat(refusal.reason()).isEqualTo("unknown device 77");
                });
        assertThat(TestDatabase.count(database, "SELECT count(*) FROM pub WHERE pub_id = 77")).isZero();

        register(operator, true);
        identity.reloadOperatorCas();

        assertThat(identity.byCertificate(List.of(clientCertificate(operator, 77))).join())
                .isEqualTo(new Identity.Identified(77, Identity.Credential.CERTIFICATE));
        assertThat(TestDatabase.count(database, "SELECT count(*) FROM pub WHERE pub_id = 77")).isEqualTo(1);
    }

    @Test
    void removedOperatorCaIsNoLongerTrusted() throws Exception {
        DeviceCa operator = DeviceCa.open(work.resolve("operator"), Instant.now());
        long id = register(operator, true);
        identity.reloadOperatorCas();
        assertThat(identity.byCertificate(List.of(clientCertificate(operator, 78))).join())
                .isInstanceOf(Identity.Identified.class);

        operatorCas.remove(id);
        identity.reloadOperatorCas();

        assertThat(identity.trustAnchors()).containsExactly(deviceCa.certificate());
        assertThat(refusal(identity.byCertificate(List.of(clientCertificate(operator, 78))).join()).refusal().kind())
                .isEqualTo(RefusalKind.CERTIFICATE_REFUSED);
    }

    @Test
    void deviceCaCertificateThatWasNeverIssuedIsRefusedAsNotOnRecord() {
        X509Certificate forged = clientCertificate(deviceCa, 42);   // signed, but not recorded by 'device credentials'

        Identity.Refused refused = refusal(identity.byCertificate(List.of(forged)).join());

        assertThat(refused.refusal().kind()).isEqualTo(RefusalKind.CERTIFICATE_REFUSED);
        assertThat(refused.refusal().reason()).isEqualTo("certificate is not on record for device 42");
    }

    @Test
    void tokenNamesItsDeviceAndNoOther() {
        DeviceCredentials issued = issuer.issue(42, KeyType.EC).orElseThrow().credentials();
        TestDatabase.addDevice(database, 43);

        assertThat(identity.byToken(42, issued.token()).join())
                .isEqualTo(new Identity.Identified(42, Identity.Credential.TOKEN));
        assertThat(identity.byToken(issued.token()).join())
                .isEqualTo(new Identity.Identified(42, Identity.Credential.TOKEN));
        Identity.Refused other = refusal(identity.byToken(43, issued.token()).join());
        assertThat(other.refusal().kind()).isEqualTo(RefusalKind.BAD_CREDENTIALS);
        assertThat(other.refusal().reason()).isEqualTo("not a live token of device 43");
        assertThat(refusal(identity.byToken("lmd_guess").join()).refusal().kind()).isEqualTo(RefusalKind.BAD_CREDENTIALS);
    }

    @Test
    void pskIdentityIsTheDeviceIdAndGivesItsKeyWhileLive() {
        DeviceCredentials issued = issuer.issue(42, KeyType.EC).orElseThrow().credentials();

        PskLookup found = identity.byPskIdentity("42").join();
        assertThat(found).isInstanceOf(PskLookup.Found.class);
        assertThat(((PskLookup.Found) found).deviceId()).isEqualTo(42);
        assertThat(((PskLookup.Found) found).key()).isEqualTo(issued.psk());

        credentials.revoke(42);
        assertThat(identity.byPskIdentity("42").join()).isInstanceOf(PskLookup.Refused.class);
        PskLookup.Refused notAnId = (PskLookup.Refused) identity.byPskIdentity("meter-7").join();
        assertThat(notAnId.refusal().reason()).isEqualTo("PSK identity 'meter-7' is not a device id");
        PskLookup.Refused unknown = (PskLookup.Refused) identity.byPskIdentity("9999").join();
        assertThat(unknown.refusal().reason()).isEqualTo("device 9999 has no live PSK");
    }

    private long register(DeviceCa ca, boolean autoProvision) {
        X509Certificate certificate = ca.certificate();
        return operatorCas.register(Fingerprints.sha256(certificate), PemFiles.subject(certificate),
                PemFiles.certificatesPem(List.of(certificate)), certificate.getNotAfter().toInstant(), autoProvision).id();
    }

    private static X509Certificate clientCertificate(DeviceCa ca, long deviceId) {
        return ca.issueClientCertificate(deviceId, KeyType.EC.newKeyPair().getPublic(), Instant.now());
    }

    private static Identity.Refused refusal(Identity identity) {
        assertThat(identity).isInstanceOf(Identity.Refused.class);
        return (Identity.Refused) identity;
    }
}
