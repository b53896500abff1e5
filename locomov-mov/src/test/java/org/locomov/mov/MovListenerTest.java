package org.locomov.mov;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.locomov.store.Database;
import org.locomov.store.testing.TestDatabase;

/** The mov listener end to end: real TLS on loopback, real PostgreSQL, real batch writer. */
class MovListenerTest {

    private Database database;
    private ListenerUnderTest listener;

    @BeforeEach
    void start() {
        database = TestDatabase.fresh();
        TestDatabase.addDevice(database, 1);
        TestDatabase.addDevice(database, 23);
        listener = new ListenerUnderTest(database, ListenerUnderTest.testSettings());
    }

    @AfterEach
    void stop() {
        listener.close();
        database.close();
    }

    @Test
    void cc3220sPacketIsStoredWithTheDeviceTimestampAndAcknowledged() {
        try (DeviceConnection device = listener.connect()) {
            assertThat(device.send(Samples.bytes(Samples.CC3220S_1)).readLine()).isEqualTo("Thank you.\n");
        }

        assertThat(listener.onlyRowOf(1)).isEqualTo(new ListenerUnderTest.Row(1, Instant.ofEpochSecond(1522368093),
                229.5, 50.3, true, 13.4538, 77.6283, "mov", null));
    }

    @Test
    void secondCc3220sPacketKeepsItsFloatVoltageAndFalseStatus() {
        try (DeviceConnection device = listener.connect()) {
            assertThat(device.send(Samples.bytes(Samples.CC3220S_2)).readLine()).isEqualTo("Thank you.\n");
        }

        assertThat(listener.onlyRowOf(1)).isEqualTo(new ListenerUnderTest.Row(1, Instant.ofEpochSecond(1522369021),
                230.10000610351562, 50.3, false, 13.4538, 77.6283, "mov", null));
    }

    @Test
    void goClientPacketIsStoredAndAcknowledged() {
        try (DeviceConnection device = listener.connect()) {
            assertThat(device.send(Samples.bytes(Samples.GO_CLIENT)).readLine()).isEqualTo("Thank you.\n");
        }

        assertThat(listener.onlyRowOf(23)).isEqualTo(new ListenerUnderTest.Row(23, Instant.ofEpochSecond(1558137600),
                243.4, 50.15, true, 13.345, 75.678, "mov", null));
        assertThat(listener.counter("locomov.readings.acknowledged", "transport", "mov")).isEqualTo(1.0);
    }

    @Test
    void unknownFieldsAreStoredInTheExtraColumn() {
        try (DeviceConnection device = listener.connect()) {
            assertThat(device.send("{\"id\":23,\"voltage\":1,\"rssi\":-61}\n").readLine()).isEqualTo("Thank you.\n");
        }

        assertThat(listener.onlyRowOf(23).extra()).isEqualTo("{\"rssi\": -61}");
    }

    @Test
    void severalPacketsOnOneConnectionEachGetTheirOwnAckInOrder() {
        try (DeviceConnection device = listener.connect()) {
            device.send("{\"id\":23,\"voltage\":1}\n{\"id\":23,\"voltage\":\"two\"}\n{\"id\":23,\"voltage\":3}\n");

            assertThat(device.readLine()).isEqualTo("Thank you.\n");
            assertThat(device.readLine()).isEqualTo("Error: field 'voltage' must be a number\n");
            assertThat(device.readLine()).isEqualTo("Thank you.\n");

            device.send(Samples.bytes(Samples.CC3220S_1));
            assertThat(device.readLine()).isEqualTo("Thank you.\n");
        }
        assertThat(TestDatabase.count(database, "SELECT count(*) FROM reading WHERE pub_id = 23")).isEqualTo(2);
        assertThat(TestDatabase.count(database, "SELECT count(*) FROM reading WHERE voltage IN (1, 3)")).isEqualTo(2);
        assertThat(listener.packets()).isEqualTo(3);
    }

    @Test
    void malformedJsonIsRefusedTheConnectionClosedAndNothingStored() {
        try (DeviceConnection device = listener.connect()) {
            assertThat(device.send("{\"id\":23,,\"voltage\":1}\n").readLine()).startsWith("Error: malformed JSON");
            assertThat(device.isClosedByServer()).isTrue();
        }
        assertThat(listener.packets()).isZero();
        assertThat(listener.refused("malformed")).isEqualTo(1.0);
    }

    @Test
    void wrongTypeIsRefusedNothingStoredAndTheConnectionStaysUsable() {
        try (DeviceConnection device = listener.connect()) {
            assertThat(device.send("{\"id\":23,\"status\":\"on\"}").readLine())
                    .isEqualTo("Error: field 'status' must be true or false\n");
            assertThat(listener.packets()).isZero();

            assertThat(device.send("{\"id\":23,\"status\":true}").readLine()).isEqualTo("Thank you.\n");
        }
        assertThat(listener.packets()).isEqualTo(1);
        assertThat(listener.refused("wrong_type")).isEqualTo(1.0);
    }

    @Test
    void missingIdIsRefusedNothingStoredAndTheConnectionStaysUsable() {
        try (DeviceConnection device = listener.connect()) {
            assertThat(device.send("{\"voltage\":230}\n").readLine()).isEqualTo("Error: field 'id' is required\n");
            assertThat(device.send("{\"id\":23}\n").readLine()).isEqualTo("Thank you.\n");
        }
        assertThat(listener.packets()).isEqualTo(1);
        assertThat(listener.refused("missing_field")).isEqualTo(1.0);
    }

    @Test
    void oversizePacketIsRefusedAndTheConnectionClosed() {
        String huge = "{\"id\":23,\"pad\":\"" + "x".repeat(MovSettings.DEFAULT_MAX_PACKET_BYTES) + "\"}";
        try (DeviceConnection device = listener.connect()) {
            assertThat(device.send(huge).readLine()).isEqualTo("Error: packet larger than 16384 bytes\n");
            assertThat(device.isClosedByServer()).isTrue();
        }
        assertThat(listener.packets()).isZero();
        assertThat(listener.refused("oversize")).isEqualTo(1.0);
    }

    @Test
    void plainTextToTheTlsPortGetsTlsRequiredInPlainTextAndIsClosed() {
        try (DeviceConnection client = DeviceConnection.plain(listener.server.port())) {
            assertThat(client.send(Samples.bytes(Samples.GO_CLIENT)).readLine()).isEqualTo("Error: TLS required\n");
            assertThat(client.isClosedByServer()).isTrue();
        }
        assertThat(listener.packets()).isZero();
        assertThat(listener.refused("tls_required")).isEqualTo(1.0);
    }

    @Test
    void unknownDeviceIsRefusedAndNothingStored() {
        try (DeviceConnection device = listener.connect()) {
            assertThat(device.send("{\"id\":42,\"voltage\":230}").readLine()).isEqualTo("Error: unknown device 42\n");
        }
        assertThat(listener.packets()).isZero();
        assertThat(listener.refused("unknown_device")).isEqualTo(1.0);
    }

    @Test
    void revokedDeviceIsRefusedNothingStoredAndClosed() {
        TestDatabase.execute(database, "UPDATE pub SET revoked_at = now() WHERE pub_id = ?", 23L);
        try (DeviceConnection device = listener.connect()) {
            assertThat(device.send("{\"id\":23}").readLine()).isEqualTo("Error: device 23 is revoked\n");
            assertThat(device.isClosedByServer()).isTrue();
        }
        assertThat(listener.packets()).isZero();
        assertThat(listener.refused("revoked_device")).isEqualTo(1.0);
    }

    @Test
    void readingTheDatabaseRefusesGetsItsReasonAndNothingStored() {
        // jsonb cannot hold \u0000; the decoder keeps unknown fields as they came.
        try (DeviceConnection device = listener.connect()) {
            assertThat(device.send("{\"id\":23,\"note\":\"\\u0000\"}").readLine())
                    .isEqualTo("Error: invalid extra fields\n");
            assertThat(device.send("{\"id\":23}").readLine()).isEqualTo("Thank you.\n");
        }
        assertThat(listener.packets()).isEqualTo(1);
        assertThat(listener.refused("refused_by_database")).isEqualTo(1.0);
    }

    @Test
    void readingAfterTheWriterStoppedIsRefusedAsShuttingDown() {
        listener.writer.close();
        try (DeviceConnection device = listener.connect()) {
            assertThat(device.send("{\"id\":23}").readLine()).isEqualTo("Error: server is shutting down\n");
            assertThat(device.isClosedByServer()).isTrue();
        }
        assertThat(listener.packets()).isZero();
        assertThat(listener.refused("shutting_down")).isEqualTo(1.0);
    }

    @Test
    void openConnectionsAreGauged() {
        try (DeviceConnection device = listener.connect()) {
            device.send("{\"id\":23}").readLine();
            assertThat(listener.registry().get("locomov.connections.open").tag("listener", "mov").gauge().value())
                    .isEqualTo(1.0);
        }
        await().atMost(Duration.ofSeconds(10)).until(() ->
                listener.registry().get("locomov.connections.open").tag("listener", "mov").gauge().value() == 0.0);
    }
}
