package org.locomov.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.locomov.store.testing.TestDatabase.count;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locomov.core.listener.Listener;
import org.locomov.transport.testing.TestTransport;
import org.locomov.transport.testing.TestTransportClient;

/**
 * Commands and device events through the API, with a device on the test transport (a real socket listener)
 * and the device plane over a real PostgreSQL.
 */
class DevicePlaneRoutesTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static ApiFixture api;
    private static Listener transport;
    private static String alice;
    private static String bob;

    @BeforeAll
    static void start() {
        api = ApiFixture.start();
        transport = TestTransport.listener("127.0.0.1", 0, api.plane.plane(), new SimpleMeterRegistry());
        transport.start();
        alice = api.userWithToken("alice@example.com", false);
        bob = api.userWithToken("bob@example.com", false);
    }

    @AfterAll
    static void stop() {
        transport.close();
        api.close();
    }

    private static TestTransportClient device(long id) {
        TestTransportClient client = TestTransportClient.connect(transport.port());
        assertThat(client.hello(id)).isEqualTo("ok " + id);
        return client;
    }

    private static JsonNode post(long deviceId, String body, String token, int status) {
        HttpResponse<String> response = api.post("/api/v1/devices/" + deviceId + "/commands", token, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return api.json(response);
    }

    private static JsonNode command(long deviceId, long commandId) {
        HttpResponse<String> response = api.get("/api/v1/devices/" + deviceId + "/commands/" + commandId, alice);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return api.json(response);
    }

    @Test
    void commandQueuedForAnOfflineDeviceIsDeliveredWhenItConnectsAndItsAnswerIsKept() {
        api.addDevice(101, "alice@example.com");
        JsonNode made = post(101, "{\"name\": \"reboot\", \"payload\": {\"delay\": 5}}", alice, 201);
        assertThat(made.path("status").asText()).isEqualTo("queued");
        assertThat(made.path("payload").path("delay").asInt()).isEqualTo(5);
        long id = made.path("id").asLong();

        try (TestTransportClient device = device(101)) {
            assertThat(device.next("command", WAIT)).isEqualTo("command " + id + " reboot {\"delay\": 5}");
            assertThat(command(101, id).path("status").asText()).isEqualTo("sent");

            device.send("answer " + id + " ok {\"rebooted\": true}");
            assertThat(device.next("answered", WAIT)).isEqualTo("answered RECORDED");
        }
        JsonNode answered = command(101, id);
        assertThat(answered.path("status").asText()).isEqualTo("answered");
        assertThat(answered.path("response").path("rebooted").asBoolean()).isTrue();
        assertThat(answered.path("answeredAt").isNull()).isFalse();
        assertThat(count(api.database, "SELECT count(*) FROM command WHERE id = ? AND status = 'answered'", id)).isEqualTo(1);
    }

    @Test
    void commandPastItsTtlIsExpiredAndNeverDelivered() {
        api.addDevice(102, "alice@example.com");
        long expiring = post(102, "{\"name\": \"old\", \"ttlSeconds\": 1}", alice, 201).path("id").asLong();
        await().atMost(WAIT).until(() -> command(102, expiring).path("status").asText().equals("expired"));
        long fresh = post(102, "{\"name\": \"new\"}", alice, 201).path("id").asLong();

        try (TestTransportClient device = device(102)) {
            // Commands are handed over oldest first, so the expired one would have come before this one.
            assertThat(device.next("command", WAIT)).startsWith("command " + fresh + " new");
            assertThat(device.received()).noneMatch(line -> line.startsWith("command " + expiring + " "));
        }
        assertThat(count(api.database, "SELECT count(*) FROM command WHERE id = ? AND status = 'expired' AND sent_at IS NULL",
                expiring)).isEqualTo(1);
        assertThat(device102Answer(expiring)).isEqualTo("NOT_WAITING");
    }

    private static String device102Answer(long commandId) {
        try (TestTransportClient device = device(102)) {
            device.send("answer " + commandId + " ok 1");
            return device.next("answered", WAIT).substring("answered ".length());
        }
    }

    @Test
    void waitSecondsReturnsTheDevicesAnswer() {
        api.addDevice(103, "alice@example.com");
        try (TestTransportClient device = device(103)) {
            CompletableFuture<Void> answering = CompletableFuture.runAsync(() -> {
                String line = device.next("command", WAIT);
                device.send("answer " + line.split(" ")[1] + " ok \"pong\"");
            });

            JsonNode answered = post(103, "{\"name\": \"ping\", \"waitSeconds\": 20}", alice, 201);

            answering.join();
            assertThat(answered.path("status").asText()).isEqualTo("answered");
            assertThat(answered.path("response").asText()).isEqualTo("pong");
        }
    }

    @Test
    void aFailedAnswerIsKeptAsFailedAndTextThatIsNotJsonAsAString() {
        api.addDevice(104, "alice@example.com");
        try (TestTransportClient device = device(104)) {
            long id = post(104, "{\"name\": \"valve\", \"payload\": \"open\"}", alice, 201).path("id").asLong();
            assertThat(device.next("command", WAIT)).isEqualTo("command " + id + " valve \"open\"");
            device.send("answer " + id + " fail stuck at 40%");
            assertThat(device.next("answered", WAIT)).isEqualTo("answered RECORDED");

            JsonNode failed = command(104, id);
            assertThat(failed.path("status").asText()).isEqualTo("failed");
            assertThat(failed.path("response").asText()).isEqualTo("stuck at 40%");
        }
    }

    @Test
    void anotherUsersDeviceIsNotFoundAndNothingIsStored() {
        api.addDevice(105, "alice@example.com");

        assertThat(api.post("/api/v1/devices/105/commands", bob, "{\"name\": \"reboot\"}").statusCode()).isEqualTo(404);
        assertThat(api.get("/api/v1/devices/105/commands", bob).statusCode()).isEqualTo(404);
        assertThat(api.get("/api/v1/devices/105/events", bob).statusCode()).isEqualTo(404);
        assertThat(api.post("/api/v1/devices/999999/commands", alice, "{\"name\": \"reboot\"}").statusCode()).isEqualTo(404);
        assertThat(count(api.database, "SELECT count(*) FROM command WHERE pub_id = 105")).isZero();
    }

    @Test
    void badCommandsAreRefusedWithTheFieldNamedAndNothingIsStored() {
        api.addDevice(106, "alice@example.com");

        assertThat(post(106, "{\"payload\": 1}", alice, 400).path("message").asText()).contains("name");
        assertThat(post(106, "{\"name\": \"x\", \"waitSeconds\": 31}", alice, 400).path("message").asText()).contains("waitSeconds");
        assertThat(post(106, "{\"name\": \"x\", \"ttlSeconds\": 0}", alice, 400).path("message").asText()).contains("ttlSeconds");
        assertThat(post(106, "{\"name\": \"" + "n".repeat(65) + "\"}", alice, 400).path("message").asText()).contains("name");
        assertThat(count(api.database, "SELECT count(*) FROM command WHERE pub_id = 106")).isZero();
    }

    @Test
    void commandsAreListedNewestFirst() {
        api.addDevice(107, "alice@example.com");
        long first = post(107, "{\"name\": \"a\"}", alice, 201).path("id").asLong();
        long second = post(107, "{\"name\": \"b\"}", alice, 201).path("id").asLong();

        JsonNode page = api.json(api.get("/api/v1/devices/107/commands?limit=1", alice));
        assertThat(page.path("commands").get(0).path("id").asLong()).isEqualTo(second);
        assertThat(page.path("next").asLong()).isEqualTo(second);
        JsonNode rest = api.json(api.get("/api/v1/devices/107/commands?before=" + second, alice));
        assertThat(rest.path("commands").get(0).path("id").asLong()).isEqualTo(first);
    }

    @Test
    void deviceEventIsStoredListedAndArrivesOnTheLiveStreamWithCommandChanges() throws Exception {
        api.addDevice(108, "alice@example.com");
        try (SseLines stream = SseLines.open(api, "/api/v1/events?device=108", alice);
             TestTransportClient device = device(108)) {
            device.send("event alarm {\"level\": 3}");
            assertThat(device.next("stored", WAIT)).isEqualTo("stored");

            JsonNode live = stream.next("event", data -> data.path("name").asText().equals("alarm"), WAIT);
            assertThat(live.path("deviceId").asLong()).isEqualTo(108);
            assertThat(live.path("data").asText()).isEqualTo("{\"level\": 3}");

            long id = post(108, "{\"name\": \"reset\"}", alice, 201).path("id").asLong();
            assertThat(stream.next("command", data -> data.path("id").asLong() == id
                    && data.path("status").asText().equals("queued"), WAIT).path("name").asText()).isEqualTo("reset");
            assertThat(stream.next("command", data -> data.path("id").asLong() == id
                    && data.path("status").asText().equals("sent"), WAIT)).isNotNull();
        }

        JsonNode listed = api.json(api.get("/api/v1/devices/108/events?name=alarm", alice));
        assertThat(listed.path("events")).hasSize(1);
        assertThat(listed.path("events").get(0).path("data").asText()).isEqualTo("{\"level\": 3}");
        assertThat(api.json(api.get("/api/v1/devices/108/events?name=other", alice)).path("events")).isEmpty();
        assertThat(api.json(api.get("/api/v1/devices/108/events?to=2000-01-01T00:00:00Z", alice)).path("events")).isEmpty();
        assertThat(count(api.database, "SELECT count(*) FROM event WHERE pub_id = 108 AND name = 'alarm'")).isEqualTo(1);
    }

    @Test
    void aConnectedDeviceIsOnlineAndOfflineOnceItsConnectionCloses() {
        api.addDevice(109, "alice@example.com");
        try (TestTransportClient device = device(109)) {
            assertThat(api.json(api.get("/api/v1/devices/109", alice)).path("online").asBoolean()).isTrue();
            await().atMost(WAIT).until(() -> count(api.database, "SELECT count(*) FROM device_session WHERE pub_id = 109") == 1);
        }
        await().atMost(WAIT).until(() -> !api.json(api.get("/api/v1/devices/109", alice)).path("online").asBoolean());
        await().atMost(WAIT).until(() -> count(api.database, "SELECT count(*) FROM device_session WHERE pub_id = 109") == 0);
    }
}
