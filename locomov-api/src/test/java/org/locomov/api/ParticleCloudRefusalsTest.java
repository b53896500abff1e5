package org.locomov.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locomov.store.UserPasswords;
import org.locomov.store.testing.TestDatabase;

/** The Particle Cloud API's refusals and device registration, without a device connected. */
class ParticleCloudRefusalsTest {

    private static ApiFixture api;
    private static String token;

    @BeforeAll
    static void start() {
        api = ApiFixture.start();
        token = api.userWithToken("cara@example.com", false);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static HttpResponse<String> form(String method, String path, String bearer, String body) {
        return api.send(api.request(path, bearer).header("Content-Type", "application/x-www-form-urlencoded")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static String pem(byte[] der) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END PUBLIC KEY-----\n";
    }

    @Test
    void aMissingOrUnknownTokenGetsParticlesInvalidToken() {
        HttpResponse<String> none = api.get("/v1/devices", null);
        HttpResponse<String> unknown = api.get("/v1/devices?access_token=lm_not-a-token", null);

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(api.json(none).get("error").asText()).isEqualTo("invalid_token");
        assertThat(unknown.statusCode()).isEqualTo(401);
    }

    @Test
    void loginAttemptsAreLimitedPerAddress() {
        new UserPasswords(api.database.dataSource()).set("cara@example.com", "cara's password".toCharArray());
        long tokens = TestDatabase.count(api.database, "SELECT count(*) FROM token");
        // Each attempt takes a moment (the password hash), so the allowance refills a little meanwhile; a refusal
        // comes well before twice the limit.
        HttpResponse<String> login = null;
        for (int attempt = 0; attempt < 2 * ParticleCloudRoutes.LOGINS_PER_MINUTE + 5; attempt++) {
            login = form("POST", "/oauth/token", null, "grant_type=password&username=cara%40example.com&password=wrong");
            if (login.statusCode() == 429) {
                break;
            }
            assertThat(login.statusCode()).isEqualTo(400);
        }
        assertThat(login.statusCode()).isEqualTo(429);
        assertThat(api.json(login).get("error").asText()).isEqualTo("slow_down");
        assertThat(login.headers().firstValue("Retry-After")).isPresent();
        assertThat(TestDatabase.count(api.database, "SELECT count(*) FROM token")).isEqualTo(tokens);
    }

    @Test
    void anotherGrantTypeIsRefused() {
        HttpResponse<String> login = api.post("/oauth/token", null, "{\"grant_type\":\"client_credentials\"}");
        assertThat(login.statusCode()).isIn(400, 429);
    }

    @Test
    void provisioningRegistersTheKeyAsTheCallersDeviceAndRefusesAnotherUser() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024);
        String key = pem(generator.generateKeyPair().getPublic().getEncoded());
        String id = "0123456789abcdef01234567";

        HttpResponse<String> sent = form("POST", "/v1/provisioning/" + id, token,
                "deviceID=" + id + "&publicKey=" + URLEncoder.encode(key, StandardCharsets.UTF_8) + "&filename=cli&order=manual_1");

        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
        assertThat(TestDatabase.count(api.database, "SELECT count(*) FROM particle_device d JOIN pub p ON p.pub_id = d.pub_id "
                + "WHERE d.particle_id = ? AND p.creator = ?", id, api.userId("cara@example.com"))).isEqualTo(1);
        assertThat(api.json(api.get("/v1/devices", token)).get(0).get("id").asText()).isEqualTo(id);

        String dan = api.userWithToken("dan@example.com", false);
        HttpResponse<String> stolen = form("POST", "/v1/provisioning/" + id, dan,
                "publicKey=" + URLEncoder.encode(key, StandardCharsets.UTF_8));
        assertThat(stolen.statusCode()).isEqualTo(403);

        assertThat(form("DELETE", "/v1/devices/" + id, token, "").statusCode()).isEqualTo(200);
        assertThat(form("POST", "/v1/devices", dan, "id=" + id).statusCode()).isEqualTo(200);
        assertThat(TestDatabase.count(api.database, "SELECT count(*) FROM particle_device d JOIN pub p ON p.pub_id = d.pub_id "
                + "WHERE d.particle_id = ? AND p.creator = ?", id, api.userId("dan@example.com"))).isEqualTo(1);
    }

    @Test
    void aBadKeyOrIdIsRefusedAndNothingIsRegistered() {
        long before = TestDatabase.count(api.database, "SELECT count(*) FROM particle_device");
        assertThat(form("POST", "/v1/provisioning/abc", token, "publicKey=x").statusCode()).isEqualTo(400);
        assertThat(form("POST", "/v1/provisioning/ffffffffffffffffffffffff", token, "publicKey=not-a-key").statusCode())
                .isEqualTo(400);
        assertThat(TestDatabase.count(api.database, "SELECT count(*) FROM particle_device")).isEqualTo(before);
    }

    @Test
    void callingAnOfflineDeviceIsRefusedAtOnceAndLeavesNoCommand() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024);
        String id = "aaaaaaaaaaaaaaaaaaaaaaaa";
        form("POST", "/v1/provisioning/" + id, token,
                "publicKey=" + URLEncoder.encode(pem(generator.generateKeyPair().getPublic().getEncoded()), StandardCharsets.UTF_8));

        HttpResponse<String> call = form("POST", "/v1/devices/" + id + "/led", token, "args=on");

        assertThat(call.statusCode()).isEqualTo(400);
        assertThat(api.json(call).get("error").asText()).isEqualTo("Device is offline");
        assertThat(TestDatabase.count(api.database, "SELECT count(*) FROM command")).isZero();
    }
}
