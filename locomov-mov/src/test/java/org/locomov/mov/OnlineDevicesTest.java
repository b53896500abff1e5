package org.locomov.mov;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.locomov.core.IngestSettings;
import org.locomov.store.BatchWriter;
import org.locomov.store.Database;
import org.locomov.store.PgDeviceDirectory;
import org.locomov.store.testing.TestDatabase;
import org.locomov.tls.CipherProfile;
import org.locomov.core.session.LocalDeviceSessions;
import org.locomov.transport.testing.NoDeviceIdentity;
import org.locomov.transport.testing.TestServerTls;

/** The mov listener reports a device online from its first accepted reading until its connection closes. */
class OnlineDevicesTest {

    private static final String THANK_YOU = "Thank you.\n";

    private final LocalDeviceSessions connected = new LocalDeviceSessions();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private Database database;
    private BatchWriter writer;
    private PgDeviceDirectory devices;
    private MovServer server;

    @BeforeEach
    void start() {
        database = TestDatabase.fresh();
        TestDatabase.addDevice(database, 23);
        TestDatabase.addDevice(database, 24);
        writer = new BatchWriter(database.dataSource(), IngestSettings.DEFAULTS, registry);
        writer.start();
        devices = new PgDeviceDirectory(database.dataSource(), false, registry);
        server = new MovServer("mov", MovSettings.defaults().withPort(0), TestServerTls.create(CipherProfile.CC32XX),
                new ReadingProcessor(devices, writer, connected), new NoDeviceIdentity(), registry);
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
        writer.close();
        devices.close();
        database.close();
    }

    @Test
    void deviceIsOnlineOnceItsReadingIsAcknowledgedAndOfflineWhenItsConnectionCloses() {
        DeviceConnection device = DeviceConnection.open(server.port());
        assertThat(connected.isOnline(23)).isFalse();

        assertThat(device.send("{\"id\":23,\"voltage\":230}\n").readLine()).isEqualTo(THANK_YOU);
        assertThat(connected.isOnline(23)).isTrue();
        assertThat(connected.isOnline(24)).isFalse();

        device.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> !connected.isOnline(23));
    }

    @Test
    void deviceStaysOnlineWhileAnotherOfItsConnectionsIsOpen() {
        try (DeviceConnection first = DeviceConnection.open(server.port())) {
            DeviceConnection second = DeviceConnection.open(server.port());
            assertThat(first.send("{\"id\":23,\"voltage\":1}\n{\"id\":23,\"voltage\":2}\n").readLine()).isEqualTo(THANK_YOU);
            assertThat(first.readLine()).isEqualTo(THANK_YOU);
            assertThat(second.send("{\"id\":23,\"voltage\":3}\n").readLine()).isEqualTo(THANK_YOU);

            second.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> openConnections() == 1);

            assertThat(connected.isOnline(23)).isTrue();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> !connected.isOnline(23) && !connected.isOnline(24));
    }

    private double openConnections() {
        return registry.get("locomov.connections.open").tag("listener", "mov").gauge().value();
    }

    @Test
    void refusedReadingDoesNotMakeItsDeviceOnline() {
        try (DeviceConnection device = DeviceConnection.open(server.port())) {
            assertThat(device.send("{\"id\":99,\"voltage\":1}\n").readLine()).startsWith("Error: unknown device 99");
            assertThat(device.send("{\"id\":23,\"voltage\":\"high\"}\n").readLine()).startsWith("Error:");

            assertThat(connected.isOnline(99)).isFalse();
            assertThat(connected.isOnline(23)).isFalse();
        }
    }
}
