package org.locomov.credentials;

import org.locomov.tls.testing.OpensslClient;
import org.locomov.tls.*;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.locomov.store.Database;
import org.locomov.store.DeviceCredentialRepository;
import org.locomov.store.testing.TestDatabase;
import org.locomov.tls.DeviceCertificateTrust.Identification;
import org.locomov.tls.testing.TestCertificates;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.locomov.store.testing.TestDatabase.count;

/** {@code device credentials} below the command line: issued, recorded without secrets, written as PEM and DER. */
class DeviceCredentialsTest {

    @TempDir
    Path work;

    private Database database;
    private DeviceCa deviceCa;
    private MasterKey masterKey;
    private DeviceCredentialsIssuer issuer;

    @BeforeEach
    void open() throws Exception {
        database = TestDatabase.fresh();
        TestDatabase.addDevice(database, 42);
        deviceCa = DeviceCa.open(work.resolve("tls"), Instant.now());
        masterKey = MasterKey.openOrCreate(work.resolve("tls/master.key"), true);
        issuer = new DeviceCredentialsIssuer(deviceCa, masterKey, new DeviceCredentialRepository(database.dataSource()),
                Clock.systemUTC());
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void deviceCaIsCreatedOnceWithAnOwnerOnlyKeyAndReused() throws Exception {
        DeviceCa again = DeviceCa.open(work.resolve("tls"), Instant.now());

        assertThat(again.certificate()).isEqualTo(deviceCa.certificate());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(work.resolve("tls/device-ca.key"))))
                .isEqualTo("rw-------");
        assertThat(deviceCa.certificate().getBasicConstraints()).isZero();
    }

    @Test
    void deviceCaWithItsKeyMissingIsRefusedNotReplaced() throws Exception {
        Files.delete(work.resolve("tls/device-ca.key"));

        assertThatThrownBy(() -> DeviceCa.open(work.resolve("tls"), Instant.now()))
                .isInstanceOf(CertificateFileException.class).hasMessageContaining("device-ca.key is missing");
        assertThat(work.resolve("tls/device-ca.key")).doesNotExist();
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void clientCertificateNamesTheDeviceForClientAuthAndIsSignedByTheDeviceCa(KeyType keyType) throws Exception {
        DeviceCredentials credentials = issuer.issue(42, keyType).orElseThrow().credentials();
        X509Certificate certificate = credentials.certificate();

        certificate.verify(deviceCa.certificate().getPublicKey());
        assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=42");
        assertThat(certificate.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        assertThat(credentials.keyType()).isEqualTo(keyType);
        assertThat(PemFiles.keyMismatch(credentials.key(), certificate)).isNull();
        assertThat(DeviceCertificateTrust.of(deviceCa.certificate(), List.of()).identify(certificate))
                .isEqualTo(new Identification.Identified(new DeviceCertificateTrust.DeviceCertificate(42,
                        DeviceCertificateTrust.Origin.DEVICE_CA, certificate)));
    }

    @Test
    void databaseKeepsTheFingerprintTheSealedPskAndTheTokenHashButNoSecret() throws Exception {
        DeviceCredentials credentials = issuer.issue(42, KeyType.RSA).orElseThrow().credentials();
        DeviceCredentialRepository repository = new DeviceCredentialRepository(database.dataSource());

        assertThat(count(database, "SELECT count(*) FROM device_credential WHERE pub_id = 42 AND cert_sha256 = ?"
                + " AND cert_serial = ? AND token_sha256 = ?", Fingerprints.sha256(credentials.certificate()),
                credentials.certificate().getSerialNumber().toString(16),
                DeviceCredentialsIssuer.tokenSha256(credentials.token()))).isEqualTo(1);
        var sealed = repository.livePsk(42).orElseThrow();
        assertThat(count(database, "SELECT count(*) FROM device_credential WHERE position(? IN psk_sealed) > 0",
                (Object) credentials.psk())).isZero();
        assertThat(masterKey.open(sealed.sealed(), DeviceCredentialRepository.pskContext(42))).isEqualTo(credentials.psk());
        assertThat(repository.deviceForToken(DeviceCredentialsIssuer.tokenSha256(credentials.token()))).hasValue(42);
        assertThat(credentials.token()).startsWith("lmd_");
        assertThat(credentials.toString()).doesNotContain(credentials.token()).doesNotContain(credentials.pskHex());
    }

    @Test
    void unregisteredDeviceGetsNoCredentials() {
        assertThat(issuer.issue(43, KeyType.RSA)).isEmpty();

        assertThat(count(database, "SELECT count(*) FROM device_credential")).isZero();
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void derFilesConvertedBackByOpensslCarryTheSameCertificateAndKeyAsThePemFiles(KeyType keyType) throws Exception {
        OpensslClient.assumeInstalled();
        DeviceCredentials credentials = issuer.issue(42, keyType).orElseThrow().credentials();
        Path out = work.resolve("device-42");

        DeviceCredentialFiles.write(out, credentials, TestCertificates.shared().caCertificate());

        assertThat(openssl("x509", "-inform", "DER", "-in", out.resolve("client.crt.der")))
                .isEqualTo(openssl("x509", "-in", out.resolve("client.crt")));
        assertThat(openssl("x509", "-inform", "DER", "-in", out.resolve("ca.der")))
                .isEqualTo(openssl("x509", "-in", out.resolve("ca.pem")))
                .isEqualTo(openssl("x509", "-in", TestCertificates.shared().caCertificateFile()));
        // Compared as openssl prints the key's numbers: the forms differ in bytes (SEC1 carries the public point).
        String pemKey = openssl("pkey", "-text", "-noout", "-in", out.resolve("client.key"));
        assertThat(openssl("pkey", "-text", "-noout", "-inform", "DER", "-in", out.resolve("client.key.der"))).isEqualTo(pemKey);
        assertThat(openssl("pkey", "-text", "-noout", "-inform", "DER", "-in", out.resolve("client.key.pk8.der")))
                .isEqualTo(pemKey);
        assertThat(openssl("x509", "-noout", "-subject", "-nameopt", "RFC2253", "-in", out.resolve("client.crt")))
                .contains("subject=CN=42");
        // The traditional form: PKCS#1 for RSA, SEC1 with its curve for EC (decision 0801).
        String structure = openssl("asn1parse", "-inform", "DER", "-in", out.resolve("client.key.der"));
        assertThat(structure).contains(keyType == KeyType.RSA ? "INTEGER" : "prime256v1").doesNotContain("rsaEncryption");
    }

    @Test
    void secretsAreWrittenOwnerOnlyAndAsIssued() throws Exception {
        DeviceCredentials credentials = issuer.issue(42, KeyType.EC).orElseThrow().credentials();
        Path out = work.resolve("device-42");

        List<Path> written = DeviceCredentialFiles.write(out, credentials, TestCertificates.shared().caCertificate());

        assertThat(written).hasSize(10);
        for (String secret : List.of("client.key", "client.key.der", "client.key.pk8.der", "psk.hex", "psk.txt", "token.txt")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve(secret))))
                    .as(secret).isEqualTo("rw-------");
        }
        assertThat(Files.readString(out.resolve("psk.hex")).strip()).isEqualTo(credentials.pskHex());
        assertThat(HexFormat.of().parseHex(credentials.pskHex())).hasSize(DeviceCredentialsIssuer.PSK_TEXT_CHARS);
        String text = Files.readString(out.resolve("psk.txt")).strip();
        assertThat(text).hasSize(DeviceCredentialsIssuer.PSK_TEXT_CHARS).matches("[A-Za-z0-9_-]+");
        assertThat(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo(credentials.psk());
        assertThat(Files.readString(out.resolve("token.txt")).strip()).isEqualTo(credentials.token());
    }

    @Test
    void credentialFilesAreNeverOverwritten() throws Exception {
        Path out = Files.createDirectories(work.resolve("device-42"));
        Files.writeString(out.resolve("client.key"), "the key of another device");

        assertThat(DeviceCredentialFiles.alreadyPresent(out)).containsExactly(out.resolve("client.key"));
        DeviceCredentials credentials = issuer.issue(42, KeyType.RSA).orElseThrow().credentials();
        assertThatThrownBy(() -> DeviceCredentialFiles.write(out, credentials, TestCertificates.shared().caCertificate()))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readString(out.resolve("client.key"))).isEqualTo("the key of another device");
    }

    @Test
    void certificateWhoseCnIsNoDeviceIdIsUnusable() throws Exception {
        DeviceCertificateTrust trust = DeviceCertificateTrust.of(deviceCa.certificate(), List.of());

        assertThat(trust.identify(TestCertificates.shared().rsaServer().leaf()))
                .isInstanceOfSatisfying(Identification.Unusable.class,
                        unusable -> assertThat(unusable.reason()).contains("'localhost' is not a device id"));
    }

    private static String openssl(Object... arguments) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        for (Object argument : arguments) {
            command.add(argument.toString());
        }
        OpensslClient.Result result = OpensslClient.run(command, "");
        assertThat(result.exitCode()).as("%s: %s", command, result.output()).isZero();
        return result.output();
    }
}
