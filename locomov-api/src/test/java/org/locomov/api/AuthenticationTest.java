package org.locomov.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locomov.store.testing.TestDatabase;

class AuthenticationTest {

    private static ApiFixture api;
    private static String alice;
    private static String bob;
    private static String admin;

    @BeforeAll
    static void start() {
        api = ApiFixture.start();
        alice = api.userWithToken("alice@example.com", false);
        bob = api.userWithToken("bob@example.com", false);
        admin = api.userWithToken("root@example.com", true);
        api.addDevice(1, "alice@example.com");
        api.addDevice(2, "bob@example.com");
        api.addDevice(3, null);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void requestWithoutTokenIsRefusedWithJsonError() {
        HttpResponse<String> response = api.get("/api/v1/devices", null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(api.json(response).path("error").asText()).isEqualTo("unauthorized");
    }

    @Test
    void madeUpTokenIsRefused() {
        HttpResponse<String> response = api.get("/api/v1/devices", "lm_thisTokenWasNeverIssuedByTheServerAtAll0000");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(api.json(response).path("error").asText()).isEqualTo("unauthorized");
    }

    @Test
    void basicAuthInsteadOfBearerIsRefused() {
        HttpResponse<String> response = api.send(api.request("/api/v1/devices", null)
                .header("Authorization", "Basic YWxpY2U6c2VjcmV0").GET().build());

        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void revokedTokenIsRefusedFromThenOn() {
        String token = api.userWithToken("carol@example.com", false);
        assertThat(api.get("/api/v1/users/me", token).statusCode()).isEqualTo(200);
        long tokenId = api.json(api.get("/api/v1/users/me", token)).path("tokenId").asLong();

        assertThat(api.delete("/api/v1/tokens/" + tokenId, token).statusCode()).isEqualTo(204);

        HttpResponse<String> after = api.get("/api/v1/devices", token);
        assertThat(after.statusCode()).isEqualTo(401);
        assertThat(TestDatabase.count(api.database, "SELECT count(*) FROM token WHERE id = ? AND revoked_at IS NOT NULL", tokenId))
                .isEqualTo(1);
    }

    @Test
    void anotherUsersDeviceIsNotFoundNotForbidden() {
        HttpResponse<String> device = api.get("/api/v1/devices/2", alice);
        HttpResponse<String> readings = api.get("/api/v1/devices/2/readings", alice);
        HttpResponse<String> rename = api.patch("/api/v1/devices/2", alice, "{\"name\":\"mine now\"}");
        HttpResponse<String> delete = api.delete("/api/v1/devices/2?confirm=2", alice);

        assertThat(device.statusCode()).isEqualTo(404);
        assertThat(readings.statusCode()).isEqualTo(404);
        assertThat(rename.statusCode()).isEqualTo(404);
        assertThat(delete.statusCode()).isEqualTo(404);
        assertThat(api.json(device).path("message").asText()).isEqualTo("no device 2");
        assertThat(TestDatabase.count(api.database, "SELECT count(*) FROM pub WHERE pub_id = 2 AND name IS NULL")).isEqualTo(1);
    }

    @Test
    void userListsOnlyTheirOwnDevices() {
        JsonNode devices = api.json(api.get("/api/v1/devices", alice)).path("devices");

        assertThat(devices).extracting(node -> node.path("id").asLong()).containsExactly(1L);
        assertThat(devices.get(0).path("creator").path("email").asText()).isEqualTo("alice@example.com");
    }

    @Test
    void adminSeesEveryDevice() {
        JsonNode devices = api.json(api.get("/api/v1/devices", admin)).path("devices");

        assertThat(devices).extracting(node -> node.path("id").asLong()).containsExactly(1L, 2L, 3L);
        assertThat(api.get("/api/v1/devices/2", admin).statusCode()).isEqualTo(200);
    }

    @Test
    void userCannotRevokeAnotherUsersTokenButAdminCan() {
        long bobsTokenId = api.json(api.get("/api/v1/users/me", bob)).path("tokenId").asLong();
        String bobsSpare = api.json(api.post("/api/v1/tokens", bob, "{\"label\":\"spare\"}")).path("secret").asText();
        long spareId = api.json(api.get("/api/v1/users/me", bobsSpare)).path("tokenId").asLong();

        assertThat(api.delete("/api/v1/tokens/" + bobsTokenId, alice).statusCode()).isEqualTo(404);
        assertThat(api.get("/api/v1/users/me", bob).statusCode()).isEqualTo(200);

        assertThat(api.delete("/api/v1/tokens/" + spareId, admin).statusCode()).isEqualTo(204);
        assertThat(api.get("/api/v1/users/me", bobsSpare).statusCode()).isEqualTo(401);
        assertThat(api.get("/api/v1/users/me", bob).statusCode()).isEqualTo(200);
    }

    @Test
    void onlyAnAdminMayAddUsers() {
        assertThat(api.post("/api/v1/users", alice, "{\"email\":\"dave@example.com\"}").statusCode()).isEqualTo(403);

        HttpResponse<String> added = api.post("/api/v1/users", admin, "{\"email\":\"dave@example.com\"}");

        assertThat(added.statusCode()).isEqualTo(201);
        String davesToken = api.json(added).path("token").path("secret").asText();
        assertThat(api.json(api.get("/api/v1/users/me", davesToken)).path("email").asText()).isEqualTo("dave@example.com");
        assertThat(api.post("/api/v1/users", admin, "{\"email\":\"DAVE@example.com\"}").statusCode()).isEqualTo(409);
    }

    @Test
    void tokensAreStoredOnlyAsHashes() {
        String token = api.userWithToken("erin@example.com", false);

        assertThat(TestDatabase.count(api.database,
                "SELECT count(*) FROM token WHERE secret_sha256 = sha256(convert_to(?, 'UTF8'))", token)).isEqualTo(1);
        assertThat(TestDatabase.count(api.database,
                "SELECT count(*) FROM token WHERE position(convert_to(?, 'UTF8') IN secret_sha256) > 0", token)).isZero();
    }
}
