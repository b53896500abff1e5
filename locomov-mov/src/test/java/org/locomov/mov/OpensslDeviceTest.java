package org.locomov.mov;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locomov.store.Database;
import org.locomov.store.testing.TestDatabase;
import org.locomov.tls.testing.TestCertificates;

/**
 * The CC3220S handshake as a third-party client makes it: {@code openssl s_client} limited to TLS 1.2
 * and {@code AES256-SHA} ({@code TLS_RSA_WITH_AES_256_CBC_SHA}, the one suite the firmware offers),
 * verifying the chain against the CA file a device holds, fed the byte-exact device samples.
 */
class OpensslDeviceTest {

    private Database database;
    private ListenerUnderTest listener;

    @TempDir
    Path work;

    @BeforeAll
    static void requireOpenssl() {
        assumeTrue(opensslRuns(), "openssl is not installed (Debian package openssl); skipping s_client tests");
    }

    @BeforeEach
    void start() {
        database = TestDatabase.fresh();
        TestDatabase.addDevice(database, 1);
        listener = new ListenerUnderTest(database, ListenerUnderTest.testSettings());
    }

    @AfterEach
    void stop() {
        listener.close();
        database.close();
    }

    @Test
    void firstCc3220sSampleOverTheDevicesCipherSuiteIsStoredAndAcknowledged() throws Exception {
        String output = sendWithOpenssl(Samples.CC3220S_1);

        assertThat(output).contains("Cipher is AES256-SHA").contains("Verify return code: 0 (ok)");
        assertThat(listener.onlyRowOf(1).createdAt()).isEqualTo(Instant.ofEpochSecond(1522368093));
    }

    @Test
    void secondCc3220sSampleOverTheDevicesCipherSuiteIsStoredAndAcknowledged() throws Exception {
        String output = sendWithOpenssl(Samples.CC3220S_2);

        assertThat(output).contains("Cipher is AES256-SHA");
        assertThat(listener.onlyRowOf(1)).isEqualTo(new ListenerUnderTest.Row(1, Instant.ofEpochSecond(1522369021),
                230.10000610351562, 50.3, false, 13.4538, 77.6283, "mov", null));
    }

    /** Runs s_client with the sample as its input; returns its output once it shows the ack. */
    private String sendWithOpenssl(String sample) throws IOException, InterruptedException {
        Path packet = work.resolve(sample);
        Files.write(packet, Samples.bytes(sample));
        Path out = work.resolve("s_client.out");
        Process client = new ProcessBuilder("openssl", "s_client",
                "-connect", "127.0.0.1:" + listener.server.port(),
                "-tls1_2", "-cipher", "AES256-SHA",
                "-CAfile", TestCertificates.shared().caCertificateFile().toString(),
                "-verify_return_error", "-ign_eof", "-nocommands")
                .redirectInput(packet.toFile())
                .redirectOutput(out.toFile())
                .redirectErrorStream(true)
                .start();
        try {
            // -ign_eof keeps the connection open after the packet is sent, as the device does until it reads.
            await().atMost(Duration.ofSeconds(30)).until(() -> read(out).contains("Thank you.\n") || !client.isAlive());
            String output = read(out);
            assertThat(output).contains("Thank you.\n").doesNotContain("Error:");
            return output;
        } finally {
            client.destroy();
            client.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.ISO_8859_1);
    }

    private static boolean opensslRuns() {
        try {
            Process version = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
            return version.waitFor(10, TimeUnit.SECONDS) && version.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
