package org.locomov.mov;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locomov.store.Database;
import org.locomov.store.testing.TestDatabase;

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
        assumeTrue(SClient.installed(), "openssl is not installed (Debian package openssl); skipping s_client tests");
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
        String output = SClient.send(work, listener.server.port(), Samples.bytes(Samples.CONFO_POST),
                text -> text.contains("Thank you.\n"), List.of("-tls1_2", "-cipher", "AES256-SHA"));

        assertThat(output).contains("Cipher is AES256-SHA").contains("Thank you.\n").doesNotContain("Error:");
        assertThat(listener.tables().confo())
                .containsExactly("1|null|pump-house-2|farmnet|7311424511233851041|owner@example.org|1558137600");
    }
}
