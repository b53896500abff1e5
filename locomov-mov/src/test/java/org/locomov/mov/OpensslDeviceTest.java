package org.locomov.mov;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locomov.store.Database;
import org.locomov.store.testing.TestDatabase;

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
        assumeTrue(SClient.installed(), "openssl is not installed (Debian package openssl); skipping s_client tests");
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
        String output = SClient.send(work, listener.server.port(), Samples.bytes(sample),
                text -> text.contains("Thank you.\n"), List.of("-tls1_2", "-cipher", "AES256-SHA"));
        assertThat(output).contains("Thank you.\n").doesNotContain("Error:");
        return output;
    }
}
