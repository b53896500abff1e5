package org.locomov.coap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locomov.store.Database;
import org.locomov.store.testing.TestDatabase;
import org.locomov.tls.DeviceCredentials;
import org.locomov.tls.KeyType;

/** Californium's client as the device, over real DTLS on loopback, against a real PostgreSQL. */
class CoapListenerTest {

    @TempDir
    Path work;

    private Database database;
    private CoapUnderTest coap;
    private DeviceCredentials device;

    @BeforeEach
    void start() {
        database = TestDatabase.fresh();
        coap = new CoapUnderTest(database, work);
        device = coap.device(7, KeyType.EC);
    }

    @AfterEach
    void stop() {
        coap.close();
        database.close();
    }

    private InetSocketAddress server() {
        return new InetSocketAddress("127.0.0.1", coap.listener.port());
    }

    @Test
    void pskDeviceReadingIsStoredAndAnswered201() {
        try (DtlsClient client = DtlsClient.psk(server(), device)) {
            CoapResponse response = client.post("/readings", "{\"voltage\":230.5,\"freq\":50.01,\"status\":true}");

            assertThat(response.getCode()).isEqualTo(ResponseCode.CREATED);
        }
        assertThat(TestDatabase.count(database, "SELECT count(*) FROM reading WHERE pub_id = 7 AND voltage = 230.5"
                + " AND frequency = 50.01 AND protected AND transport = 'coap'")).isEqualTo(1);
    }

    @Test
    void x509DeviceReadingIsStored() {
        DeviceCredentials rsa = coap.device(8, KeyType.EC);
        try (DtlsClient client = DtlsClient.x509(server(), rsa)) {
            assertThat(client.post("/readings", "{\"voltage\":1}").getCode()).isEqualTo(ResponseCode.CREATED);
        }
        assertThat(coap.packetsOf(8)).isEqualTo(1);
    }

    @Test
    void arrayIsStoredWholeAndAnArrayWithOneBadReadingStoresNothing() {
        try (DtlsClient client = DtlsClient.psk(server(), device)) {
            assertThat(client.post("/readings", "[{\"voltage\":1},{\"voltage\":2},{\"voltage\":3}]").getCode())
                    .isEqualTo(ResponseCode.CREATED);

            CoapResponse bad = client.post("/readings", "[{\"voltage\":4},{\"voltage\":\"high\"}]");

            assertThat(bad.getCode()).isEqualTo(ResponseCode.BAD_REQUEST);
            assertThat(bad.getResponseText()).contains("reading 1");
        }
        assertThat(coap.packets()).isEqualTo(3);
        assertThat(coap.refused("wrong_type")).isEqualTo(1);
    }

    @Test
    void cborReadingIsStored() throws Exception {
        ByteArrayOutputStream cbor = new ByteArrayOutputStream();
        try (JsonGenerator generator = new CBORFactory().createGenerator(cbor)) {
            generator.writeStartObject();
            generator.writeNumberField("voltage", 229.0);
            generator.writeNumberField("timestamp", 1_700_000_000L);
            generator.writeStringField("note", "cbor");
            generator.writeEndObject();
        }
        try (DtlsClient client = DtlsClient.psk(server(), device)) {
            CoapResponse response = client.post("/readings", cbor.toByteArray(), MediaTypeRegistry.APPLICATION_CBOR);
            assertThat(response.getCode()).isEqualTo(ResponseCode.CREATED);
        }
        assertThat(TestDatabase.count(database, "SELECT count(*) FROM reading WHERE voltage = 229 AND"
                + " created_at = to_timestamp(1700000000) AND extra->>'note' = 'cbor'")).isEqualTo(1);
    }

    @Test
    void largeArraySentBlockWiseIsStored() {
        String array = IntStream.range(0, 200).mapToObj(i -> "{\"voltage\":" + i + "}")
                .collect(Collectors.joining(",", "[", "]"));
        assertThat(array.length()).isGreaterThan(2_000);
        try (DtlsClient client = DtlsClient.psk(server(), device)) {
            assertThat(client.post("/readings", array).getCode()).isEqualTo(ResponseCode.CREATED);
        }
        assertThat(coap.packets()).isEqualTo(200);
    }

    @Test
    void bodyOverTheLimitGets413WithSize1AndNothingIsStored() {
        String array = IntStream.range(0, 5_000).mapToObj(i -> "{\"voltage\":" + i + "}")
                .collect(Collectors.joining(",", "[", "]"));
        assertThat(array.length()).isGreaterThan(CoapSettings.DEFAULT_MAX_REQUEST_BYTES);
        try (DtlsClient client = DtlsClient.psk(server(), device)) {
            CoapResponse response = client.post("/readings", array);

            assertThat(response.getCode()).isEqualTo(ResponseCode.REQUEST_ENTITY_TOO_LARGE);
            assertThat(response.getOptions().getSize1()).isEqualTo(CoapSettings.DEFAULT_MAX_REQUEST_BYTES);
        }
        assertThat(coap.packets()).isZero();
        assertThat(coap.refused("oversize")).isEqualTo(1);
    }

    @Test
    void gpsflowtempShapeIsStoredWithTheTemperatureInTheExtraFields() {
        try (DtlsClient client = DtlsClient.psk(server(), device)) {
            CoapResponse response = client.post("/gpsflowtemp",
                    "{\"temperature\": 21.5, \"lat\": 52.52, \"lng\": 13.405, \"timestamp\": 1700000000}");
            assertThat(response.getCode()).isEqualTo(ResponseCode.CREATED);
        }
        assertThat(TestDatabase.count(database, "SELECT count(*) FROM reading WHERE pub_id = 7 AND lat = 52.52"
                + " AND lng = 13.405 AND created_at = to_timestamp(1700000000)"
                + " AND (extra->>'temperature')::float8 = 21.5")).isEqualTo(1);
    }

    @Test
    void wrongContentFormatGets415AndNothingIsStored() {
        try (DtlsClient client = DtlsClient.psk(server(), device)) {
            CoapResponse response = client.post("/readings", "voltage=1".getBytes(StandardCharsets.US_ASCII),
                    MediaTypeRegistry.APPLICATION_XML);
            assertThat(response.getCode()).isEqualTo(ResponseCode.UNSUPPORTED_CONTENT_FORMAT);
        }
        assertThat(coap.packets()).isZero();
    }

    @Test
    void malformedJsonGets400AndAnotherDevicesIdGets403() {
        try (DtlsClient client = DtlsClient.psk(server(), device)) {
            assertThat(client.post("/readings", "{\"voltage\":").getCode()).isEqualTo(ResponseCode.BAD_REQUEST);
            assertThat(client.post("/readings", "{\"id\":8,\"voltage\":1}").getCode()).isEqualTo(ResponseCode.FORBIDDEN);
        }
        assertThat(coap.packets()).isZero();
        assertThat(coap.refused("malformed")).isEqualTo(1);
        assertThat(coap.refused("not_authorised")).isEqualTo(1);
    }

    @Test
    void eventIsPublishedUnderItsName() {
        try (DtlsClient client = DtlsClient.psk(server(), device)) {
            CoapResponse response = client.post("/events/door-open", "{\"door\":2}");
            assertThat(response.getCode()).isEqualTo(ResponseCode.CREATED);
        }
        assertThat(coap.events.committed).singleElement().satisfies(event -> {
            assertThat(event.deviceId()).isEqualTo(7);
            assertThat(event.name()).isEqualTo("door-open");
            assertThat(event.data()).isEqualTo("{\"door\":2}");
        });
        assertThat(coap.packets()).isZero();
    }

    @Test
    void wrongPskFailsTheHandshakeAndStoresNothing() {
        byte[] wrong = "not-the-key-of-device-7-not-the-key-of-dev".getBytes(StandardCharsets.US_ASCII);
        try (DtlsClient client = DtlsClient.psk(server(), device.pskIdentity(), wrong)) {
            assertThat(client.post("/readings", "{\"voltage\":1}")).isNull();
        }
        assertThat(coap.packets()).isZero();
        // Scandium reports the failure after it has sent the alert the client exits on.
        await().atMost(Duration.ofSeconds(10)).until(() -> coap.handshakeFailures() >= 1);
    }

    @Test
    void unknownPskIdentityFailsTheHandshakeWithALogLineAndStoresNothing() {
        try (DtlsClient client = DtlsClient.psk(server(), "9999", device.psk())) {
            assertThat(client.post("/readings", "{\"voltage\":1}")).isNull();
        }
        assertThat(coap.packets()).isZero();
        // Scandium reports the failure after it has sent the alert the client exits on.
        await().atMost(Duration.ofSeconds(10)).until(() -> coap.handshakeFailures() >= 1);
    }

    @Test
    void retransmittedConfirmableRequestStoresOneRow() {
        try (UdpRelay nat = new UdpRelay(server());
                DtlsClient client = DtlsClient.psk(nat.address(), device)) {
            assertThat(client.post("/readings", "{\"voltage\":1}").getCode()).isEqualTo(ResponseCode.CREATED);

            nat.dropReplies(1);
            CoapResponse response = client.post("/readings", "{\"voltage\":2}");

            assertThat(response.getCode()).isEqualTo(ResponseCode.CREATED);
            assertThat(nat.repliesDropped.get()).isEqualTo(1);
        }
        assertThat(TestDatabase.count(database, "SELECT count(*) FROM reading WHERE voltage = 2")).isEqualTo(1);
        assertThat(coap.packets()).isEqualTo(2);
    }

    @Test
    void twoDevicesBehindOneNatDoNotShadowEachOthersMessageIds() {
        DeviceCredentials other = coap.device(8, KeyType.EC);
        int natPort;
        try (UdpRelay nat = new UdpRelay(server());
                DtlsClient client = DtlsClient.psk(nat.address(), device)) {
            assertThat(client.postWithMessageId("/readings", "{\"voltage\":7}", 4711).getCode())
                    .isEqualTo(ResponseCode.CREATED);
            natPort = nat.publicPort();
        }
        // The NAT gives device 7's public port to device 8, whose first request happens to carry the same message id:
        // deduplicated by address and port it would be taken for device 7's retransmission and answered from cache.
        try (UdpRelay nat = new UdpRelay(server(), natPort);
                DtlsClient client = DtlsClient.psk(nat.address(), other)) {
            assertThat(client.postWithMessageId("/readings", "{\"voltage\":8}", 4711).getCode())
                    .isEqualTo(ResponseCode.CREATED);
        }
        assertThat(coap.packetsOf(7)).isEqualTo(1);
        assertThat(coap.packetsOf(8)).isEqualTo(1);
    }

    @Test
    void deviceWhoseSourcePortChangesKeepsItsSessionByConnectionId() throws Exception {
        try (UdpRelay nat = new UdpRelay(server());
                DtlsClient client = DtlsClient.psk(nat.address(), device)) {
            assertThat(client.post("/readings", "{\"voltage\":1}").getCode()).isEqualTo(ResponseCode.CREATED);
            int handshakeRecords = nat.newHandshakeRecords.get();
            int before = nat.publicPort();

            nat.rebind();
            CoapResponse response = client.post("/readings", "{\"voltage\":2}");

            assertThat(nat.publicPort()).isNotEqualTo(before);
            assertThat(response.getCode()).isEqualTo(ResponseCode.CREATED);
            assertThat(nat.newHandshakeRecords.get()).as("handshake records after the rebinding")
                    .isEqualTo(handshakeRecords);
        }
        assertThat(coap.packetsOf(7)).isEqualTo(2);
    }

    @Test
    void withOnlyAnRsaServerCertificatePskStillWorksAndCertificatesAreNotOffered() {
        coap.close();
        coap = new CoapUnderTest(database, work.resolve("rsa-only"), CoapSettings.loopbackDefaults(),
                org.locomov.core.IngestSettings.DEFAULTS,
                new org.locomov.tls.CertificatePair(org.locomov.tls.testing.TestCertificates.shared().rsaServer(), null));
        DeviceCredentials other = coap.device(9, KeyType.EC);
        try (DtlsClient psk = DtlsClient.psk(server(), other);
                DtlsClient x509 = DtlsClient.x509(server(), other)) {
            assertThat(psk.post("/readings", "{\"voltage\":1}").getCode()).isEqualTo(ResponseCode.CREATED);
            assertThat(x509.post("/readings", "{\"voltage\":2}")).isNull();
        }
        assertThat(coap.packetsOf(9)).isEqualTo(1);
    }
}
