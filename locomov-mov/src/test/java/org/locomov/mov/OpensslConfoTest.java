package org.locomov.mov;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locomov.store.Database;
import org.locomov.store.testing.TestDatabase;
import org.locomov.tls.testing.TestCertificates;

/**
 * The confirmation as the provisioned CC3220S sends it, through a third-party client: {@code openssl
 * s_client} with TLS 1.2 and {@code AES256-SHA} only, verifying the chain, fed the byte-exact post.
 */
class OpensslConfoTest {

    private Database database;
    private ConfoListenerUnderTest listener;

    @TempDir
    Path work;

    @BeforeEach
    void start() {
        assumeTrue(opensslRuns(), "openssl is not installed (Debian package openssl); skipping s_client tests");
        database = TestDatabase.fresh();
        listener = new ConfoListenerUnderTest(database);
    }

    @AfterEach
    void stop() {
        if (listener != null) {
            listener.close();
            database.close();
        }
    }

    @Test
    void devicePostOverTheDevicesCipherSuiteIsSavedAndAcknowledged() throws Exception {
        Path post = work.resolve(Samples.CONFO_POST);
        Files.write(post, Samples.bytes(Samples.CONFO_POST));
        Path out = work.resolve("s_client.out");
        Process client = new ProcessBuilder("openssl", "s_client",
                "-connect", "127.0.0.1:" + listener.server.port(),
                "-tls1_2", "-cipher", "AES256-SHA",
                "-CAfile", TestCertificates.shared().caCertificateFile().toString(),
                "-verify_return_error", "-ign_eof", "-nocommands")
                .redirectInput(post.toFile())
                .redirectOutput(out.toFile())
                .redirectErrorStream(true)
                .start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> read(out).contains("Thank you.\n") || !client.isAlive());
        } finally {
            client.destroy();
            client.waitFor(10, TimeUnit.SECONDS);
        }

        assertThat(read(out)).contains("Cipher is AES256-SHA").contains("Thank you.\n").doesNotContain("Error:");
        assertThat(listener.tables().confo())
                .containsExactly("1|null|pump-house-2|farmnet|7311424511233851041|owner@example.org|1558137600");
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
