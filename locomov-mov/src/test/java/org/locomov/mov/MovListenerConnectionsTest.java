package org.locomov.mov;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.function.UnaryOperator;

import javax.net.ssl.SSLException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.locomov.core.IngestSettings;
import org.locomov.store.Database;
import org.locomov.store.testing.TestDatabase;
import org.locomov.tls.CipherProfile;
import org.locomov.tls.testing.TestCertificates;
import org.locomov.transport.ServerTls;
import org.locomov.transport.testing.NoDeviceIdentity;

/** Limits on connections: how many, how long silent, how long to handshake, and failed handshakes. */
class MovListenerConnectionsTest {

    private Database database;
    private ListenerUnderTest listener;

    @BeforeEach
    void createDatabase() {
        database = TestDatabase.fresh();
        TestDatabase.addDevice(database, 23);
    }

    @AfterEach
    void stop() {
        if (listener != null) {
            listener.close();
        }
        database.close();
    }

    private void start(MovSettings settings) {
        listener = new ListenerUnderTest(database, settings);
    }

    @Test
    void connectionOverTheLimitIsClosedAtOnceAndCounted() {
        start(ListenerUnderTest.testSettings().withMaxConnections(1));
        try (DeviceConnection first = listener.connect()) {
            assertThat(first.send("{\"id\":23}").readLine()).isEqualTo("Thank you.\n");

            try (DeviceConnection second = DeviceConnection.plain(listener.server.port())) {
                assertThat(second.isClosedByServer()).isTrue();
            }
            assertThat(listener.counter("locomov.connections.refused", "listener", "mov")).isEqualTo(1.0);
            assertThat(first.send("{\"id\":23}").readLine()).as("the first connection is unaffected")
                    .isEqualTo("Thank you.\n");
        }

        await().atMost(Duration.ofSeconds(10)).until(() ->
                listener.registry().get("locomov.connections.open").gauge().value() == 0.0);
        try (DeviceConnection third = listener.connect()) {
            assertThat(third.send("{\"id\":23}").readLine()).isEqualTo("Thank you.\n");
        }
        assertThat(listener.packets()).isEqualTo(3);
    }

    @Test
    void silentConnectionIsClosedAfterTheIdleTimeout() {
        // The idle clock starts at accept and does not see the TLS handshake (below it): long enough for a
        // handshake and a packet on a loaded machine, or the first packet would find the connection closed.
        start(ListenerUnderTest.testSettings().withIdleTimeout(Duration.ofSeconds(3)));
        try (DeviceConnection device = listener.connect()) {
            assertThat(device.send("{\"id\":23}").readLine()).isEqualTo("Thank you.\n");

            assertThat(device.isClosedByServer()).isTrue();
        }
        assertThat(listener.packets()).isEqualTo(1);
    }

    @Test
    void clientThatNeverSendsAHelloIsClosedAtTheHandshakeTimeoutAndCounted() throws IOException {
        ServerTls quickTls = ServerTls.create(TestCertificates.shared().rsaServer(), TestCertificates.shared().ecServer(),
                CipherProfile.CC32XX, Duration.ofMillis(500), "mov");
        listener = new ListenerUnderTest(database, ListenerUnderTest.testSettings(), IngestSettings.DEFAULTS,
                UnaryOperator.identity(), quickTls, new NoDeviceIdentity());

        try (DeviceConnection silent = DeviceConnection.plain(listener.server.port())) {
            assertThat(silent.isClosedByServer()).isTrue();
        }
        await().atMost(Duration.ofSeconds(10)).until(() ->
                listener.counter("locomov.tls.handshake.failures", "listener", "mov") == 1.0);
    }

    @Test
    void handshakeWithNoCommonCipherSuiteFailsAndIsCounted() {
        start(ListenerUnderTest.testSettings());

        assertThatThrownBy(() -> DeviceConnection.open(listener.server.port(), new String[] {"TLSv1.2"},
                new String[] {"TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"}))
                .hasRootCauseInstanceOf(SSLException.class);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                listener.counter("locomov.tls.handshake.failures", "listener", "mov") == 1.0);
        assertThat(listener.packets()).isZero();
    }
}
