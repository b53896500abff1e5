package org.locomov.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.locomov.core.command.Command;
import org.locomov.core.command.CommandStatus;
import org.locomov.core.session.DeviceSession;
import org.locomov.mqtt.Mosquitto.Login;
import org.locomov.mqtt.Mosquitto.Result;
import org.locomov.store.Database;
import org.locomov.store.testing.TestDatabase;
import org.locomov.tls.DeviceCa;
import org.locomov.tls.KeyType;
import org.locomov.tls.PemFiles;

/**
 * Debian's mosquitto clients as devices against the MQTT listener on a real PostgreSQL: certificate and token
 * logins, MQTT 3.1.1 and 5, TLS 1.2 with the CC3200's {@code ECDHE-RSA-AES256-SHA} and TLS 1.3; refusals; a
 * command delivered to {@code mosquitto_sub} and answered by {@code mosquitto_pub}.
 */
class MosquittoInteropTest {

    private static final long DEVICE = 41;
    private static final long OTHER = 42;
    private static final String READING = "{\"voltage\":230.5,\"freq\":50.0,\"status\":true}";
    private static final List<String> TLS12_CC3200 = List.of("--tls-version", "tlsv1.2", "--ciphers", "ECDHE-RSA-AES256-SHA");
    private static final List<String> TLS13 = List.of("--tls-version", "tlsv1.3");

    @TempDir
    Path work;

    private Database database;
    private MqttListenerUnderTest listener;
    private Path credentials;

    @BeforeAll
    static void requireMosquitto() {
        Mosquitto.assumeInstalled();
    }

    @BeforeEach
    void start() {
        database = TestDatabase.fresh();
        listener = new MqttListenerUnderTest(database, work);
        credentials = listener.device(DEVICE, KeyType.RSA);
        listener.device(OTHER, KeyType.RSA);
    }

    @AfterEach
    void stop() {
        listener.close();
        database.close();
    }

    @ParameterizedTest(name = "{0} login, {1}, {2}")
    @CsvSource({
            "certificate, mqttv311, tls12",
            "certificate, mqttv5, tls13",
            "token, mqttv311, tls13",
            "token, mqttv5, tls12",
            "certificate, mqttv5, tls12",
            "token, mqttv311, tls12"})
    void eachPublishBecomesARow(String login, String version, String tls) throws Exception {
        Result result = Mosquitto.publish(connection(version, login(login), tls), "devices/" + DEVICE + "/readings",
                READING, 1);

        assertThat(result.status()).as(result.output()).isZero();
        assertThat(listener.packets(DEVICE)).isEqualTo(1);
        assertThat(TestDatabase.count(database,
                "SELECT count(*) FROM reading WHERE pub_id = ? AND transport = 'mqtt' AND voltage = 230.5", DEVICE))
                .isEqualTo(1);
    }

    @Test
    void qos0PublishIsStoredToo() throws Exception {
        Result result = Mosquitto.publish(connection("mqttv311", login("token"), "tls13"),
                "devices/" + DEVICE + "/readings", READING, 0);

        assertThat(result.status()).as(result.output()).isZero();
        await().atMost(Duration.ofSeconds(20)).until(() -> listener.packets(DEVICE) == 1);
    }

    @ParameterizedTest
    @CsvSource({"mqttv311", "mqttv5"})
    void wrongTokenIsRefusedAtConnect(String version) throws Exception {
        Result result = Mosquitto.publish(connection(version, Login.token(DEVICE, "lmd_wrong"), "tls12"),
                "devices/" + DEVICE + "/readings", READING, 1);

        assertThat(result.status()).isNotZero();
        assertThat(result.output()).containsIgnoringCase("bad user name or password");
        assertThat(listener.packets()).isZero();
        assertThat(listener.connectionsRefused("bad_credentials")).isEqualTo(1);
    }

    @Test
    void certificateFromAnotherCaIsRefusedAndNothingStored() throws Exception {
        DeviceCa stranger = DeviceCa.open(work.resolve("stranger"), Instant.now());
        var keys = KeyType.RSA.newKeyPair();
        Path dir = work.resolve("stranger-device");
        java.nio.file.Files.createDirectories(dir);
        PemFiles.writeCertificates(dir.resolve("client.crt"),
                List.of(stranger.issueClientCertificate(DEVICE, keys.getPublic(), Instant.now())));
        PemFiles.writePrivateKey(dir.resolve("client.key"), keys.getPrivate());

        Result result = Mosquitto.publish(connection("mqttv311", Login.certificate(dir), "tls12"),
                "devices/" + DEVICE + "/readings", READING, 1);

        assertThat(result.status()).isNotZero();
        assertThat(listener.packets()).isZero();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> listener.counter("locomov.tls.handshake.failures", "listener", "mqtt") >= 1);
    }

    @Test
    void mqtt5PublishToAnotherDevicesTopicGetsNotAuthorisedAndStoresNothing() throws Exception {
        Result result = Mosquitto.publish(connection("mqttv5", login("token"), "tls12"),
                "devices/" + OTHER + "/readings", READING, 1);

        assertThat(result.output()).containsIgnoringCase("not authori");
        assertThat(listener.packets()).isZero();
        assertThat(listener.refused("not_authorised")).isEqualTo(1);
    }

    @Test
    void mqtt311PublishToAnotherDevicesTopicClosesTheConnectionAndStoresNothing() throws Exception {
        Result result = Mosquitto.publish(connection("mqttv311", login("certificate"), "tls12"),
                "devices/" + OTHER + "/readings", READING, 1);

        assertThat(result.status()).as(result.output()).isNotZero();
        assertThat(listener.packets()).isZero();
        assertThat(listener.refused("not_authorised")).isEqualTo(1);
    }

    @Test
    void commandReachesMosquittoSubAndTheAnswerFromMosquittoPubComesBack() throws Exception {
        Process sub = Mosquitto.subscribe(connection("mqttv5", login("token"), "tls12"),
                "devices/" + DEVICE + "/commands", 1, 1);
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> listener.sessions.sessionsOf(DEVICE).stream()
                    .anyMatch(DeviceSession::takesCommands));
            listener.recorded.waiting.add(7L);
            DeviceSession session = listener.sessions.sessionsOf(DEVICE).getFirst();

            session.deliver(new Command(7, DEVICE, "reboot", "{\"delay\":5}", CommandStatus.SENT, null, Instant.now(),
                    Instant.now().plusSeconds(60), null)).get(10, TimeUnit.SECONDS);

            // -C 1: mosquitto_sub prints the one message and ends.
            assertThat(sub.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String output = new String(sub.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(output.strip()).isEqualTo("{\"id\":7,\"name\":\"reboot\",\"payload\":{\"delay\":5}}");
        } finally {
            sub.destroy();
        }

        Result answer = Mosquitto.publish(connection("mqttv311", login("certificate"), "tls12"),
                "devices/" + DEVICE + "/commands/response", "{\"id\":7,\"status\":\"ok\",\"payload\":{\"uptime\":0}}", 1);

        assertThat(answer.status()).as(answer.output()).isZero();
        assertThat(listener.recorded.answers).containsExactly(
                new RecordingPlaneParts.Answer(DEVICE, 7, true, "{\"uptime\":0}"));
    }

    @Test
    void subscriptionToAnythingElseIsRefused() throws Exception {
        Process sub = Mosquitto.subscribe(connection("mqttv311", login("token"), "tls12"),
                "devices/" + OTHER + "/commands", 1, 1);
        try {
            // A refused subscription ends mosquitto_sub, saying so.
            assertThat(sub.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(new String(sub.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                    .contains("All subscription requests were denied");
        } finally {
            sub.destroy();
        }
        assertThat(listener.refused("not_authorised")).isEqualTo(1);
    }

    private Login login(String kind) {
        return "certificate".equals(kind) ? Login.certificate(credentials)
                : Login.token(DEVICE, MqttListenerUnderTest.token(credentials));
    }

    private List<String> connection(String version, Login login, String tls) throws Exception {
        return Mosquitto.connection(listener.port(), version, login, "tls12".equals(tls) ? TLS12_CC3200 : TLS13);
    }
}
