package org.locomov.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locomov.particle.testing.CoreDevice;
import org.locomov.particle.testing.SimulatedCore;
import org.locomov.store.testing.TestDatabase;

/**
 * The Particle Cloud API over HTTPS against a real Particle session: the simulated Spark Core on a real
 * Particle listener, on the same real device plane and PostgreSQL as the API.
 */
class ParticleCloudApiTest {

    private static final String CORE = ParticleCloudFixture.CORE_ID;
    private static ParticleCloudFixture fixture;
    private static ApiFixture api;
    private static SimulatedCore core;

    @BeforeAll
    static void start() throws Exception {
        fixture = new ParticleCloudFixture();
        api = fixture.api;
        core = fixture.connectCore();
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    private static HttpResponse<String> form(String method, String path, String token, String body) {
        return api.send(api.request(path, token).header("Content-Type", "application/x-www-form-urlencoded")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void thePasswordGrantGivesATokenForBothApisAndLogoutRevokesIt() {
        HttpResponse<String> login = form("POST", "/oauth/token", null, "grant_type=password&client_id=CLI2"
                + "&client_secret=client_secret_here&username=" + enc(ParticleCloudFixture.OWNER)
                + "&password=" + enc(ParticleCloudFixture.PASSWORD));
        assertThat(login.statusCode()).isEqualTo(200);
        String token = api.json(login).get("access_token").asText();
        assertThat(token).startsWith("lm_");

        assertThat(api.json(api.get("/v1/user", token)).get("username").asText()).isEqualTo(ParticleCloudFixture.OWNER);
        assertThat(api.get("/api/v1/users/me", token).statusCode()).isEqualTo(200);
        assertThat(api.get("/v1/devices?access_token=" + token, null).statusCode()).isEqualTo(200);

        assertThat(api.delete("/v1/access_tokens/current", token).statusCode()).isEqualTo(200);
        HttpResponse<String> after = api.get("/v1/user", token);
        assertThat(after.statusCode()).isEqualTo(401);
        assertThat(api.json(after).get("error").asText()).isEqualTo("invalid_token");
    }

    @Test
    void aWrongPasswordIsRefusedAndMakesNoToken() {
        long tokens = TestDatabase.count(api.database, "SELECT count(*) FROM token");
        HttpResponse<String> login = api.post("/oauth/token", null, "{\"grant_type\":\"password\",\"username\":\""
                + ParticleCloudFixture.OWNER + "\",\"password\":\"not the password\"}");

        assertThat(login.statusCode()).isEqualTo(400);
        assertThat(api.json(login).get("error").asText()).isEqualTo("invalid_grant");
        assertThat(TestDatabase.count(api.database, "SELECT count(*) FROM token")).isEqualTo(tokens);
    }

    @Test
    void theCoreIsListedOnlineWithWhatItDescribed() {
        JsonNode list = api.json(api.get("/v1/devices", fixture.token));
        assertThat(list).hasSize(1);
        assertThat(list.get(0).get("id").asText()).isEqualTo(CORE);
        assertThat(list.get(0).get("connected").asBoolean()).isTrue();

        JsonNode device = api.json(api.get("/v1/devices/core-sim", fixture.token));
        assertThat(device.get("id").asText()).isEqualTo(CORE);
        assertThat(device.get("functions").toString()).isEqualTo("[\"led\",\"add\"]");
        assertThat(device.get("variables").get("temp").asText()).isEqualTo("int32");
        assertThat(device.get("variables").get("volts").asText()).isEqualTo("double");
    }

    @Test
    void anotherUsersDeviceIsAnsweredAsUnknown() {
        String bob = api.userWithToken("bob-" + System.nanoTime() + "@example.com", false);

        HttpResponse<String> get = api.get("/v1/devices/" + CORE, bob);
        assertThat(get.statusCode()).isEqualTo(404);
        assertThat(api.json(get).get("ok").asBoolean()).isFalse();
        assertThat(form("POST", "/v1/devices/" + CORE + "/led", bob, "args=on").statusCode()).isEqualTo(404);
        assertThat(api.json(api.get("/v1/devices", bob))).isEmpty();
        HttpResponse<String> claim = form("POST", "/v1/devices", bob, "id=" + CORE);
        assertThat(claim.statusCode()).isEqualTo(403);
        assertThat(TestDatabase.count(api.database, "SELECT count(*) FROM pub WHERE pub_id = ? AND creator = ?",
                fixture.deviceId, api.userId(ParticleCloudFixture.OWNER))).isEqualTo(1);
    }

    @Test
    void aFunctionCallReachesTheCoreAndItsReturnValueComesBack() {
        HttpResponse<String> call = api.post("/v1/devices/" + CORE + "/add", fixture.token, "{\"args\":\"2,3\"}");

        assertThat(call.statusCode()).as(call.body()).isEqualTo(200);
        assertThat(api.json(call).get("return_value").asInt()).isEqualTo(5);
        assertThat(core.calls()).contains("add(2,3)");
        assertThat(TestDatabase.count(api.database,
                "SELECT count(*) FROM command WHERE pub_id = ? AND name = 'add' AND status = 'answered' AND response = '5'",
                fixture.deviceId)).isEqualTo(1);
    }

    @Test
    void aVariableIsReadFromTheCore() {
        HttpResponse<String> temp = api.get("/v1/devices/" + CORE + "/temp", fixture.token);
        assertThat(temp.statusCode()).as(temp.body()).isEqualTo(200);
        assertThat(api.json(temp).get("result").asInt()).isEqualTo(21);
        assertThat(api.json(api.get("/v1/devices/" + CORE + "/label", fixture.token)).get("result").asText()).isEqualTo("core-sim");
    }

    @Test
    void aFunctionOrVariableTheCoreDidNotDescribeIsNotFoundAndNotSent() {
        long commands = TestDatabase.count(api.database, "SELECT count(*) FROM command");
        assertThat(form("POST", "/v1/devices/" + CORE + "/reboot", fixture.token, "args=now").statusCode()).isEqualTo(404);
        assertThat(api.get("/v1/devices/" + CORE + "/humidity", fixture.token).statusCode()).isEqualTo(404);
        assertThat(TestDatabase.count(api.database, "SELECT count(*) FROM command")).isEqualTo(commands);
    }

    @Test
    void eventsOfTheCoreAndOfTheUserReachTheStreamInParticlesFraming() throws Exception {
        try (SseLines stream = SseLines.open(api, "/v1/devices/events", fixture.token);
             SseLines door = SseLines.open(api, "/v1/devices/" + CORE + "/events/door", fixture.token)) {
            core.publish("door", "open");
            JsonNode fromCore = stream.next("door", data -> data.get("data").asText().equals("open"), Duration.ofSeconds(30));
            assertThat(fromCore.get("coreid").asText()).isEqualTo(CORE);
            assertThat(fromCore.get("ttl").asInt()).isEqualTo(60);
            assertThat(fromCore.has("published_at")).isTrue();
            assertThat(door.next("door", data -> true, Duration.ofSeconds(30)).get("coreid").asText()).isEqualTo(CORE);

            HttpResponse<String> publish = form("POST", "/v1/devices/events", fixture.token, "name=alarm&data=on&private=true");
            assertThat(publish.statusCode()).isEqualTo(200);
            JsonNode fromUser = stream.next("alarm", data -> data.get("data").asText().equals("on"), Duration.ofSeconds(30));
            assertThat(fromUser.get("coreid").asText()).isEqualTo("api");
        }
        assertThat(TestDatabase.count(api.database, "SELECT count(*) FROM event WHERE pub_id = ? AND name = 'door'",
                fixture.deviceId)).isGreaterThanOrEqualTo(1);
    }

    @Test
    void flashingSendsTheImageToTheCoreChunkByChunk() throws Exception {
        byte[] image = new byte[3_000];
        new Random(7).nextBytes(image);
        String boundary = "locomov-test-boundary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"app.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(image);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));

        HttpResponse<String> flash = api.send(api.request("/v1/devices/" + CORE, fixture.token)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build());

        assertThat(flash.statusCode()).as(flash.body()).isEqualTo(200);
        assertThat(api.json(flash).get("status").asText()).isEqualTo("Update started");
        await().atMost(Duration.ofSeconds(60)).until(() -> core.inspect(CoreDevice::updateDone));
        assertThat(core.inspect(CoreDevice::image)).isEqualTo(image);
        assertThat(TestDatabase.count(api.database, "SELECT count(*) FROM firmware_job WHERE pub_id = ? AND status = 'done'",
                fixture.deviceId)).isEqualTo(1);
    }

    @Test
    void aSourceFileIsNotFlashed() {
        String boundary = "b";
        String body = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"app.ino\"\r\n\r\nvoid setup() {}\r\n--b--\r\n";
        HttpResponse<String> flash = api.send(api.request("/v1/devices/" + CORE, fixture.token)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build());

        assertThat(flash.statusCode()).isEqualTo(400);
        assertThat(TestDatabase.count(api.database, "SELECT count(*) FROM firmware WHERE name = 'app.ino'")).isZero();
    }

    @Test
    void aRenameAnswersWithTheNewName() {
        HttpResponse<String> rename = form("PUT", "/v1/devices/" + CORE, fixture.token, "name=core-sim");
        assertThat(rename.statusCode()).isEqualTo(200);
        assertThat(api.json(rename).get("name").asText()).isEqualTo("core-sim");
    }

    @Test
    void aSignalReachesTheCoreAsTheProtocolsSignal() {
        HttpResponse<String> on = form("PUT", "/v1/devices/" + CORE, fixture.token, "signal=1");
        assertThat(on.statusCode()).as(on.body()).isEqualTo(200);
        assertThat(api.json(on).get("signaling").asBoolean()).isTrue();
        assertThat(core.inspect(CoreDevice::signalling)).isTrue();

        HttpResponse<String> off = form("PUT", "/v1/devices/" + CORE, fixture.token, "signal=0");
        assertThat(off.statusCode()).as(off.body()).isEqualTo(200);
        assertThat(core.inspect(CoreDevice::signalling)).isFalse();
        assertThat(TestDatabase.count(api.database, "SELECT count(*) FROM command WHERE pub_id = ?"
                + " AND name IN ('signal/on', 'signal/off') AND status = 'answered' AND response = 'true'",
                fixture.deviceId)).isEqualTo(2);
    }

    @Test
    void anEventTheUserPublishesReachesTheCoreSubscribedToItsPrefix() throws Exception {
        core.subscribe("garden");
        // The subscription is registered when its message is read; publish until the Core has one.
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            assertThat(form("POST", "/v1/devices/events", fixture.token, "name=garden/water&data=now").statusCode())
                    .isEqualTo(200);
            return core.inspect(CoreDevice::serverEvents).stream().anyMatch(e -> e.startsWith("E/garden/"));
        });
        assertThat(core.inspect(CoreDevice::serverEvents)).contains("E/garden/water=now");

        assertThat(form("POST", "/v1/devices/events", fixture.token, "name=kitchen&data=x").statusCode()).isEqualTo(200);
        core.requestTime(); // answered after the unmatched event would have been sent
        await().atMost(Duration.ofSeconds(30)).until(() -> core.inspect(CoreDevice::serverTime) > 0);
        assertThat(core.inspect(CoreDevice::serverEvents)).noneMatch(e -> e.contains("kitchen"));
    }
}
