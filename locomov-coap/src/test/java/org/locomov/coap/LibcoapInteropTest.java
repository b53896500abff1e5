package org.locomov.coap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.locomov.store.Database;
import org.locomov.store.testing.TestDatabase;
import org.locomov.tls.DeviceCa;
import org.locomov.tls.DeviceCredentialFiles;
import org.locomov.tls.DeviceCredentials;
import org.locomov.tls.KeyType;
import org.locomov.tls.testing.TestCertificates;

/**
 * libcoap's clients as devices (issue 9, "done when"): with the files {@code device credentials} writes, a PSK
 * post ({@code -u ID -k KEY}) and an X.509 post ({@code -c -j -C}) become rows; a wrong key or a certificate
 * from an unknown CA fails the handshake and stores nothing. Both TLS libraries libcoap is built with.
 */
class LibcoapInteropTest {

    @TempDir
    Path work;

    private Database database;
    private CoapUnderTest coap;

    static List<Arguments> clients() {
        return List.of(Arguments.of(Libcoap.OPENSSL), Arguments.of(Libcoap.GNUTLS));
    }

    @BeforeEach
    void start() {
        database = TestDatabase.fresh();
        coap = new CoapUnderTest(database, work);
    }

    @AfterEach
    void stop() {
        coap.close();
        database.close();
    }

    private static void requireInstalled(Libcoap client) {
        assumeTrue(client.installed(), client.binary() + " is not installed (Debian package libcoap3-bin); skipping");
    }

    /** The device's files, as {@code device credentials --out} writes them. */
    private Path files(DeviceCredentials device, String name) throws Exception {
        Path dir = work.resolve(name);
        DeviceCredentialFiles.write(dir, device, TestCertificates.shared().caCertificate());
        return dir;
    }

    @ParameterizedTest
    @MethodSource("clients")
    void pskPostWithTheTextKeyBecomesARow(Libcoap client) throws Exception {
        requireInstalled(client);
        DeviceCredentials device = coap.device(7, KeyType.EC);
        String key = java.nio.file.Files.readString(files(device, "device-7").resolve("psk.txt")).strip();

        var result = client.post(coap.uri("/readings"), "{\"voltage\":231.5}",
                List.of("-u", device.pskIdentity(), "-k", key));

        assertThat(coap.packetsOf(7)).as(result.output()).isEqualTo(1);
        assertThat(TestDatabase.count(database, "SELECT count(*) FROM reading WHERE voltage = 231.5")).isEqualTo(1);
    }

    @ParameterizedTest
    @MethodSource("clients")
    void x509PostBecomesARow(Libcoap client) throws Exception {
        requireInstalled(client);
        DeviceCredentials device = coap.device(8, KeyType.EC);
        Path dir = files(device, "device-8");

        var result = client.post(coap.uri("/gpsflowtemp"), "{\"temperature\":20.5,\"lat\":1.5,\"lng\":2.5}",
                List.of("-c", dir.resolve("client.crt").toString(), "-j", dir.resolve("client.key").toString(),
                        "-C", dir.resolve("ca.pem").toString()));

        assertThat(coap.packetsOf(8)).as(result.output()).isEqualTo(1);
    }

    @ParameterizedTest
    @MethodSource("clients")
    void wrongKeyFailsTheHandshakeAndStoresNothing(Libcoap client) throws Exception {
        requireInstalled(client);
        DeviceCredentials device = coap.device(7, KeyType.EC);

        client.post(coap.uri("/readings"), "{\"voltage\":1}",
                List.of("-u", device.pskIdentity(), "-k", "this-is-not-the-key-of-device-7-at-all-xxxx"));

        assertThat(coap.packets()).isZero();
    }

    @ParameterizedTest
    @MethodSource("clients")
    void certificateFromAnUnknownCaFailsTheHandshakeAndStoresNothing(Libcoap client) throws Exception {
        requireInstalled(client);
        coap.device(9, KeyType.EC);
        DeviceCa stranger = DeviceCa.open(work.resolve("stranger"), Instant.now());
        var keys = KeyType.EC.newKeyPair();
        DeviceCredentials forged = new DeviceCredentials(9, stranger.issueClientCertificate(9, keys.getPublic(),
                Instant.now()), keys.getPrivate(), new byte[32], "lmd_none");
        Path dir = files(forged, "forged-9");

        client.post(coap.uri("/readings"), "{\"voltage\":1}",
                List.of("-c", dir.resolve("client.crt").toString(), "-j", dir.resolve("client.key").toString(),
                        "-C", dir.resolve("ca.pem").toString()));

        assertThat(coap.packets()).isZero();
        // Scandium reports the failure after it has sent the alert the client exits on.
        await().atMost(Duration.ofSeconds(10)).until(() -> coap.handshakeFailures() >= 1);
    }
}
