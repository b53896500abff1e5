package org.locomov.mov;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locomov.core.IngestSettings;
import org.locomov.store.Database;
import org.locomov.store.DeviceCredentialRepository;
import org.locomov.store.testing.TestDatabase;
import org.locomov.tls.CipherProfile;
import org.locomov.tls.ClientAuthMode;
import org.locomov.tls.ClientCertificates;
import org.locomov.tls.DeviceCa;
import org.locomov.tls.DeviceCredentialFiles;
import org.locomov.tls.DeviceCredentials;
import org.locomov.credentials.DeviceCredentialsIssuer;
import org.locomov.tls.KeyType;
import org.locomov.tls.MasterKey;
import org.locomov.tls.PemFiles;
import org.locomov.tls.testing.TestCertificates;
import org.locomov.transport.ServerTls;
import org.locomov.transport.testing.TestServerTls;
import org.locomov.credentials.StoreDeviceIdentity;
import org.locomov.store.OperatorCaRepository;

/**
 * Client certificates on the mov listener, with {@code openssl s_client} as the device: credentials written
 * as {@code device credentials} writes them, their DER files converted back by openssl, a real PostgreSQL.
 */
class ClientCertificateTest {

    /** The CC3220S sample names device 1. */
    private static final long SAMPLE_DEVICE = 1;
    private static final long OTHER_DEVICE = 2;

    @TempDir
    Path work;

    private Database database;
    private DeviceCredentialRepository repository;
    private DeviceCa deviceCa;
    private DeviceCa operatorCa;
    private DeviceCredentialsIssuer issuer;
    private StoreDeviceIdentity identity;
    private ListenerUnderTest listener;

    @BeforeAll
    static void requireOpenssl() {
        assumeTrue(SClient.installed(), "openssl is not installed (Debian package openssl); skipping s_client tests");
    }

    @BeforeEach
    void start() throws Exception {
        database = TestDatabase.fresh();
        TestDatabase.addDevice(database, SAMPLE_DEVICE);
        TestDatabase.addDevice(database, OTHER_DEVICE);
        repository = new DeviceCredentialRepository(database.dataSource());
        deviceCa = DeviceCa.open(work.resolve("tls"), Instant.now());
        operatorCa = DeviceCa.open(work.resolve("operator"), Instant.now());
        issuer = new DeviceCredentialsIssuer(deviceCa, MasterKey.openOrCreate(work.resolve("tls/master.key"), true),
                repository, Clock.systemUTC());
        identity = new StoreDeviceIdentity(deviceCa.certificate(), List.of(operatorCa.certificate()), repository,
                new OperatorCaRepository(database.dataSource()), () -> null);
    }

    @AfterEach
    void stop() {
        if (listener != null) {
            listener.close();
        }
        identity.close();
        database.close();
    }

    @Test
    void certificateFromTheDerFilesCompletesMutualTlsAsTheDeviceDoesAndThePacketIsStored() throws Exception {
        listen(ClientAuthMode.REQUIRE);
        Path pem = fromDer(credentialFiles(SAMPLE_DEVICE, KeyType.RSA));

        String output = send(Samples.bytes(Samples.CC3220S_1), pem, "-tls1_2", "-cipher", "AES256-SHA");

        assertThat(output).contains("Cipher is AES256-SHA").contains("Verify return code: 0 (ok)").contains("Thank you.\n");
        assertThat(listener.onlyRowOf(SAMPLE_DEVICE).createdAt()).isEqualTo(Instant.ofEpochSecond(1522368093));
    }

    @Test
    void ecCertificateOverTls13IsAcceptedToo() throws Exception {
        listen(ClientAuthMode.REQUIRE);
        Path pem = fromDer(credentialFiles(SAMPLE_DEVICE, KeyType.EC));

        String output = send(packet(SAMPLE_DEVICE), pem, "-tls1_3");

        assertThat(output).contains("TLSv1.3").contains("Thank you.\n");
        assertThat(listener.packets()).isEqualTo(1);
    }

    @Test
    void afterRevokeTheSameCertificateIsRefusedAndNothingMoreIsStored() throws Exception {
        listen(ClientAuthMode.REQUIRE);
        Path pem = fromDer(credentialFiles(SAMPLE_DEVICE, KeyType.RSA));
        assertThat(send(packet(SAMPLE_DEVICE), pem)).contains("Thank you.\n");

        repository.revoke(SAMPLE_DEVICE);
        String output = send(packet(SAMPLE_DEVICE), pem);

        assertThat(output).contains("Error: certificate of device 1 is revoked\n").doesNotContain("Thank you.");
        assertThat(listener.packets()).isEqualTo(1);
        assertThat(listener.refused("revoked_device")).isEqualTo(1);
    }

    @Test
    void noCertificateUnderRequireFailsTheHandshakeAndNothingIsStored() throws Exception {
        listen(ClientAuthMode.REQUIRE);

        String output = send(packet(SAMPLE_DEVICE), null, "-tls1_2");

        assertThat(output).doesNotContain("Thank you.").containsIgnoringCase("alert");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> listener.counter("locomov.tls.handshake.failures", "listener", "mov") == 1);
        assertThat(listener.packets()).isZero();
    }

    @Test
    void certificateFromAnotherCaFailsTheHandshakeAndNothingIsStored() throws Exception {
        listen(ClientAuthMode.REQUIRE);
        DeviceCa stranger = DeviceCa.open(work.resolve("stranger"), Instant.now());
        Path pem = certificateSignedBy(stranger, SAMPLE_DEVICE);

        String output = send(packet(SAMPLE_DEVICE), pem, "-tls1_2");

        assertThat(output).doesNotContain("Thank you.").containsIgnoringCase("alert");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> listener.counter("locomov.tls.handshake.failures", "listener", "mov") == 1);
        assertThat(listener.packets()).isZero();
    }

    @Test
    void packetForAnotherDeviceIsRefusedNamingTheCertificatesDevice() throws Exception {
        listen(ClientAuthMode.REQUIRE);
        Path pem = fromDer(credentialFiles(SAMPLE_DEVICE, KeyType.RSA));

        String output = send(packet(OTHER_DEVICE), pem);

        assertThat(output).contains("Error: certificate is for device 1\n");
        assertThat(listener.packets()).isZero();
        assertThat(listener.refused("certificate_mismatch")).isEqualTo(1);
    }

    @Test
    void replacedCredentialsAreRefusedAndTheNewOnesAccepted() throws Exception {
        listen(ClientAuthMode.REQUIRE);
        Path old = fromDer(credentialFiles(SAMPLE_DEVICE, KeyType.RSA));
        Path current = fromDer(credentialFiles(SAMPLE_DEVICE, KeyType.RSA));

        assertThat(send(packet(SAMPLE_DEVICE), old)).contains("Error: certificate of device 1 is revoked\n");
        assertThat(send(packet(SAMPLE_DEVICE), current)).contains("Thank you.\n");
        assertThat(listener.packets()).isEqualTo(1);
    }

    @Test
    void withOptionalADeviceWithoutCertificateIsServedAsBefore() throws Exception {
        listen(ClientAuthMode.OPTIONAL);

        String output = send(Samples.bytes(Samples.CC3220S_2), null, "-tls1_2", "-cipher", "AES256-SHA");

        assertThat(output).contains("Thank you.\n");
        assertThat(listener.packets()).isEqualTo(1);
    }

    @Test
    void operatorCaCertificateRegistersItsDeviceOnFirstConnection() throws Exception {
        listen(ClientAuthMode.OPTIONAL);
        Path pem = certificateSignedBy(operatorCa, 77);

        String output = send(packet(77), pem);

        assertThat(output).contains("Thank you.\n");
        assertThat(TestDatabase.count(database, "SELECT count(*) FROM pub WHERE pub_id = 77")).isEqualTo(1);
        assertThat(TestDatabase.count(database,
                "SELECT count(*) FROM device_credential WHERE pub_id = 77 AND origin = 'operator-ca'")).isEqualTo(1);
        assertThat(listener.onlyRowOf(77).voltage()).isEqualTo(230.5);
    }

    private void listen(ClientAuthMode mode) throws IOException {
        ServerTls tls = ServerTls.create(TestCertificates.shared().rsaServer(), TestCertificates.shared().ecServer(),
                CipherProfile.CC32XX, TestServerTls.HANDSHAKE_TIMEOUT, "mov",
                new ClientCertificates(mode, identity.trustAnchors()));
        listener = new ListenerUnderTest(database, ListenerUnderTest.testSettings(), IngestSettings.DEFAULTS,
                UnaryOperator.identity(), tls, identity);
    }

    /** The files {@code device credentials} writes for {@code deviceId}, in a new directory. */
    private Path credentialFiles(long deviceId, KeyType keyType) throws IOException {
        DeviceCredentials credentials = issuer.issue(deviceId, keyType).orElseThrow().credentials();
        Path dir = Files.createTempDirectory(work, "device-" + deviceId);
        DeviceCredentialFiles.write(dir, credentials, TestCertificates.shared().caCertificate());
        return dir;
    }

    /** The DER certificate and key converted back to PEM by openssl, as an operator would check them. */
    private static Path fromDer(Path dir) throws Exception {
        openssl("x509", "-inform", "DER", "-in", dir.resolve("client.crt.der").toString(),
                "-out", dir.resolve("back.crt").toString());
        openssl("pkey", "-inform", "DER", "-in", dir.resolve("client.key.der").toString(),
                "-out", dir.resolve("back.key").toString());
        return dir;
    }

    /** A client certificate for {@code deviceId} signed by {@code ca}, as back.crt and back.key in a new directory. */
    private Path certificateSignedBy(DeviceCa ca, long deviceId) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair keys = generator.generateKeyPair();
        Path dir = Files.createTempDirectory(work, "signed-" + deviceId);
        PemFiles.writeCertificates(dir.resolve("back.crt"),
                List.of(ca.issueClientCertificate(deviceId, keys.getPublic(), Instant.now())));
        PemFiles.writePrivateKey(dir.resolve("back.key"), keys.getPrivate());
        return dir;
    }

    private static byte[] packet(long deviceId) {
        return ("{\"id\":" + deviceId + ",\"voltage\":230.5,\"freq\":50.0,\"status\":true}\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Runs s_client verifying the server against the CA a device holds, presenting back.crt/back.key of
     * {@code credentials} when not null, with {@code packet} as input; returns its output once it shows a reply
     * or has ended.
     */
    private String send(byte[] packet, Path credentials, String... options) throws Exception {
        List<String> arguments = new ArrayList<>();
        if (credentials != null) {
            arguments.addAll(List.of("-cert", credentials.resolve("back.crt").toString(),
                    "-key", credentials.resolve("back.key").toString()));
        }
        arguments.addAll(List.of(options));
        return SClient.send(work, listener.server.port(), packet,
                text -> text.contains("Thank you.\n") || text.contains("Error:") && text.endsWith("\n"), arguments);
    }

    private static void openssl(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("%s: %s", command, output).isZero();
    }
}
