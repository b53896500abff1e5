package org.locomov.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.exceptions.MqttSessionExpiredException;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locomov.core.firmware.FirmwareJobStatus;
import org.locomov.core.firmware.FirmwareOffer;
import org.locomov.core.session.DeviceSession;
import org.locomov.store.Database;
import org.locomov.store.testing.StoppableDatabase;
import org.locomov.store.testing.TestDatabase;
import org.locomov.tls.KeyType;

/**
 * The MQTT listener's broker behaviour with HiveMQ's MQTT client as the device, on a real PostgreSQL: PUBACK
 * only after commit (none while PostgreSQL is down), arrays all or nothing, reason codes, the packet limit,
 * keep-alive expiry and the will, takeover, events, firmware offers and reports.
 */
class HiveMqClientTest {

    private static final long DEVICE = 51;
    private static final String READINGS = "devices/" + DEVICE + "/readings";
    private static final String READING = "{\"voltage\":230.5,\"freq\":50.0,\"status\":true}";

    @TempDir
    Path work;

    private Database database;
    private StoppableDatabase ownServer;
    private MqttListenerUnderTest listener;
    private String token;
    private final List<Runnable> cleanups = new ArrayList<>();

    private void start(MqttSettings settings) {
        if (database == null) {
            database = TestDatabase.fresh();
        }
        listener = new MqttListenerUnderTest(database, work, settings);
        token = MqttListenerUnderTest.token(listener.device(DEVICE, KeyType.RSA));
    }

    @AfterEach
    void stop() {
        cleanups.forEach(Runnable::run);
        if (listener != null) {
            listener.close();
        }
        if (ownServer != null) {
            ownServer.close();
        } else if (database != null) {
            database.close();
        }
    }

    private Mqtt5AsyncClient mqtt5(CompletableFuture<MqttClientDisconnectedContext> disconnected) throws Exception {
        Mqtt5AsyncClient client = HiveClients.mqtt5(listener.port(), DEVICE, token, disconnected);
        cleanups.add(() -> client.disconnect());
        return client;
    }

    private Mqtt3AsyncClient mqtt311(CompletableFuture<MqttClientDisconnectedContext> disconnected) throws Exception {
        Mqtt3AsyncClient client = HiveClients.mqtt311(listener.port(), DEVICE, token, disconnected);
        cleanups.add(() -> client.disconnect());
        return client;
    }

    private static CompletableFuture<Mqtt5PublishResult> publish(Mqtt5AsyncClient client, String topic, String payload) {
        return client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                .payload(payload.getBytes(StandardCharsets.UTF_8)).send();
    }

    /** The PUBACK's reason code; HiveMQ fails the future with the PUBACK when its code is an error. */
    private static Mqtt5PubAckReasonCode pubAckCode(CompletableFuture<Mqtt5PublishResult> result) throws Exception {
        try {
            return ((Mqtt5PublishResult.Mqtt5Qos1Result) result.get(60, TimeUnit.SECONDS)).getPubAck().getReasonCode();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Mqtt5PubAckException negative) {
                return negative.getMqttMessage().getReasonCode();
            }
            throw e;
        }
    }

    @Test
    void noPubAckWhilePostgresIsDownAndThePubAckOnceItIsBack() throws Exception {
        ownServer = TestDatabase.ownServer();
        database = ownServer.database();
        start(MqttSettings.loopbackAnyPort());
        Mqtt5AsyncClient client = mqtt5(new CompletableFuture<>());

        ownServer.stopServer();
        CompletableFuture<Mqtt5PublishResult> result = publish(client, READINGS, READING);

        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> !result.isDone());
        ownServer.startServer();
        assertThat(pubAckCode(result)).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
        assertThat(listener.packets(DEVICE)).isEqualTo(1);
    }

    @Test
    void manyPublishesInFlightAreAllAcknowledgedAfterCommit() throws Exception {
        start(MqttSettings.loopbackAnyPort().withReceiveMaximum(16));
        Mqtt5AsyncClient client = mqtt5(new CompletableFuture<>());

        List<CompletableFuture<Mqtt5PublishResult>> results = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            results.add(publish(client, READINGS, "{\"voltage\":" + i + ",\"freq\":50.0}"));
        }

        for (CompletableFuture<Mqtt5PublishResult> result : results) {
            assertThat(pubAckCode(result)).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
        }
        assertThat(listener.packets(DEVICE)).isEqualTo(200);
        assertThat(listener.counter("locomov.readings.acknowledged", "listener", "mqtt")).isEqualTo(200);
    }

    @Test
    void arrayIsStoredAllOrNothing() throws Exception {
        start(MqttSettings.loopbackAnyPort());
        Mqtt5AsyncClient client = mqtt5(new CompletableFuture<>());

        CompletableFuture<Mqtt5PublishResult> bad = publish(client, READINGS,
                "[{\"voltage\":1.0},{\"voltage\":2.0},{\"voltage\":\"three\"}]");
        assertThat(pubAckCode(bad)).isEqualTo(Mqtt5PubAckReasonCode.PAYLOAD_FORMAT_INVALID);
        assertThat(listener.packets(DEVICE)).isZero();

        CompletableFuture<Mqtt5PublishResult> good = publish(client, READINGS,
                "[{\"voltage\":1.0},{\"voltage\":2.0},{\"voltage\":3.0}]");
        assertThat(pubAckCode(good)).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
        assertThat(listener.packets(DEVICE)).isEqualTo(3);
        assertThat(listener.refused("wrong_type")).isEqualTo(1);
    }

    @Test
    void tooManyReadingsInOneArrayAreOverQuota() throws Exception {
        start(MqttSettings.loopbackAnyPort());
        Mqtt5AsyncClient client = mqtt5(new CompletableFuture<>());
        StringBuilder array = new StringBuilder("[");
        for (int i = 0; i <= MqttSettings.MAX_READINGS_PER_MESSAGE; i++) {
            array.append(i == 0 ? "" : ",").append("{\"voltage\":1}");
        }

        assertThat(pubAckCode(publish(client, READINGS, array.append("]").toString())))
                .isEqualTo(Mqtt5PubAckReasonCode.QUOTA_EXCEEDED);
        assertThat(listener.packets()).isZero();
    }

    @Test
    void mqtt311RefusedPublishClosesTheConnectionWithoutPubAckAndStoresNothing() throws Exception {
        start(MqttSettings.loopbackAnyPort());
        CompletableFuture<MqttClientDisconnectedContext> disconnected = new CompletableFuture<>();
        Mqtt3AsyncClient client = mqtt311(disconnected);

        var result = client.publishWith().topic(READINGS).qos(MqttQos.AT_LEAST_ONCE)
                .payload("not json".getBytes(StandardCharsets.UTF_8)).send();

        disconnected.get(30, TimeUnit.SECONDS);
        // Never acknowledged: HiveMQ fails the publish itself once its clean session ends with the connection, on its
        // event loop just after telling of the disconnection, so the future is either still open or failed by now.
        assertThat(result).failsWithin(Duration.ofSeconds(30)).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(MqttSessionExpiredException.class);
        assertThat(listener.packets()).isZero();
        assertThat(listener.refused("malformed")).isEqualTo(1);
    }

    @Test
    void oversizePublishIsRefused() throws Exception {
        start(MqttSettings.loopbackAnyPort().withMaxPacketBytes(4096));
        String big = "{\"voltage\":1,\"note\":\"" + "x".repeat(8000) + "\"}";

        // MQTT 5: the client learnt the limit from CONNACK and does not even send it.
        Mqtt5AsyncClient client5 = mqtt5(new CompletableFuture<>());
        assertThatThrownBy(() -> publish(client5, READINGS, big).get(30, TimeUnit.SECONDS)).hasMessageContaining("size");

        // MQTT 3.1.1 has no such property: the server refuses the packet and closes the connection.
        CompletableFuture<MqttClientDisconnectedContext> disconnected = new CompletableFuture<>();
        Mqtt3AsyncClient client311 = mqtt311(disconnected);
        client311.publishWith().topic(READINGS).qos(MqttQos.AT_LEAST_ONCE).payload(big.getBytes(StandardCharsets.UTF_8)).send();
        disconnected.get(30, TimeUnit.SECONDS);
        assertThat(listener.packets()).isZero();
        assertThat(listener.refused("oversize")).isEqualTo(1);
    }

    @Test
    void qos2IsRefusedOnMqtt311ByClosing() throws Exception {
        start(MqttSettings.loopbackAnyPort());
        CompletableFuture<MqttClientDisconnectedContext> disconnected = new CompletableFuture<>();
        Mqtt3AsyncClient client = mqtt311(disconnected);

        client.publishWith().topic(READINGS).qos(MqttQos.EXACTLY_ONCE).payload(READING.getBytes(StandardCharsets.UTF_8)).send();

        disconnected.get(30, TimeUnit.SECONDS);
        assertThat(listener.packets()).isZero();
    }

    @Test
    void silentDeviceIsClosedAfterOneAndAHalfKeepAlivesAndItsWillIsStored() throws Exception {
        start(MqttSettings.loopbackAnyPort());
        try (RawMqttDevice device = RawMqttDevice.connect(listener.port())) {
            assertThat(device.login(DEVICE, token, 1, "devices/" + DEVICE + "/events/offline", "gone")).isZero();

            assertThat(device.awaitClosedByServer(30_000)).isTrue();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> !listener.events(DEVICE).isEmpty());
        assertThat(listener.events(DEVICE)).containsExactly("will=gone");
    }

    @Test
    void cleanDisconnectStoresNoWill() throws Exception {
        start(MqttSettings.loopbackAnyPort());
        Mqtt5AsyncClient client = HiveClients.mqtt5(listener.port(), DEVICE, token, new CompletableFuture<>());
        client.disconnect().get(30, TimeUnit.SECONDS);
        Mqtt5AsyncClient withWill = com.hivemq.client.mqtt.MqttClient.builder().useMqttVersion5()
                .serverHost("localhost").serverPort(listener.port())
                .sslConfig().trustManagerFactory(HiveClients.trust()).applySslConfig().buildAsync();
        withWill.connectWith().simpleAuth().username(Long.toString(DEVICE)).password(token.getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth().willPublish().topic("devices/" + DEVICE + "/events/offline").payload("gone".getBytes(StandardCharsets.UTF_8))
                .applyWillPublish().send().get(30, TimeUnit.SECONDS);

        withWill.disconnect().get(30, TimeUnit.SECONDS);

        // A will would be stored when the connection ends; an event published after it is stored after it.
        await().atMost(Duration.ofSeconds(10)).until(() -> listener.sessions.sessionsOf(DEVICE).isEmpty());
        Mqtt5AsyncClient after = mqtt5(new CompletableFuture<>());
        assertThat(pubAckCode(publish(after, "devices/" + DEVICE + "/events/marker", "m")))
                .isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
        assertThat(listener.events(DEVICE)).containsExactly("marker=m");
    }

    @Test
    void secondSessionOfADeviceTakesOverAndTheFirstIsToldSo() throws Exception {
        start(MqttSettings.loopbackAnyPort());
        CompletableFuture<MqttClientDisconnectedContext> firstGone = new CompletableFuture<>();
        mqtt5(firstGone);
        Mqtt5AsyncClient second = mqtt5(new CompletableFuture<>());

        MqttClientDisconnectedContext gone = firstGone.get(30, TimeUnit.SECONDS);
        assertThat(gone.getCause()).isInstanceOfSatisfying(Mqtt5DisconnectException.class, cause ->
                assertThat(cause.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5DisconnectReasonCode.SESSION_TAKEN_OVER));
        assertThat(pubAckCode(publish(second, READINGS, READING))).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
        await().atMost(Duration.ofSeconds(10)).until(() -> listener.sessions.sessionsOf(DEVICE).size() == 1);
        assertThat(listener.packets(DEVICE)).isEqualTo(1);
    }

    @Test
    void eventTopicIsStoredAsADeviceEvent() throws Exception {
        start(MqttSettings.loopbackAnyPort());
        Mqtt5AsyncClient client = mqtt5(new CompletableFuture<>());

        assertThat(pubAckCode(publish(client, "devices/" + DEVICE + "/events/door", "{\"open\":true}")))
                .isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);

        assertThat(listener.events(DEVICE)).containsExactly("door={\"open\":true}");
        assertThat(listener.packets()).isZero();
    }

    @Test
    void firmwareOfferIsPublishedToTheSubscriberAndItsReportsTaken() throws Exception {
        start(MqttSettings.loopbackAnyPort());
        Mqtt5AsyncClient client = mqtt5(new CompletableFuture<>());
        CompletableFuture<Mqtt5Publish> offered = new CompletableFuture<>();
        client.subscribeWith().topicFilter("devices/" + DEVICE + "/firmware").qos(MqttQos.AT_LEAST_ONCE)
                .callback(offered::complete).send().get(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> listener.sessions.sessionsOf(DEVICE).stream()
                .anyMatch(DeviceSession::takesFirmware));

        listener.sessions.sessionsOf(DEVICE).getFirst().offer(new FirmwareOffer(9, DEVICE, 3, "meter", "1.2.0", 1024,
                "ab".repeat(32), "/api/v1/firmware/3/image")).get(10, TimeUnit.SECONDS);

        assertThat(new String(offered.get(30, TimeUnit.SECONDS).getPayloadAsBytes(), StandardCharsets.UTF_8))
                .isEqualTo("{\"job\":9,\"url\":\"/api/v1/firmware/3/image\",\"sha256\":\"" + "ab".repeat(32)
                        + "\",\"size\":1024,\"version\":\"1.2.0\"}");
        assertThat(pubAckCode(publish(client, "devices/" + DEVICE + "/firmware/status",
                "{\"job\":9,\"status\":\"done\",\"bytes\":1024}"))).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
        assertThat(listener.recorded.reports).containsExactly(
                new RecordingPlaneParts.Report(DEVICE, 9, FirmwareJobStatus.DONE, 1024, null));
    }

    @Test
    void answerToACommandNobodyWaitsForIsAcknowledgedAsNoMatchingSubscribers() throws Exception {
        start(MqttSettings.loopbackAnyPort());
        Mqtt5AsyncClient client = mqtt5(new CompletableFuture<>());

        assertThat(pubAckCode(publish(client, "devices/" + DEVICE + "/commands/response", "{\"id\":99,\"status\":\"ok\"}")))
                .isEqualTo(Mqtt5PubAckReasonCode.NO_MATCHING_SUBSCRIBERS);
        assertThat(listener.recorded.answers).isEmpty();
    }
}
