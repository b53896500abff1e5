package org.locomov.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locomov.store.testing.TestDatabase;

class DeviceRoutesTest {

    private static ApiFixture api;
    private static String alice;
    private static String bob;

    @BeforeAll
    static void start() {
        api = ApiFixture.start();
        alice = api.userWithToken("alice@example.com", false);
        bob = api.userWithToken("bob@example.com", false);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void createdDeviceBelongsToItsCreatorAndCanBeRenamed() {
        HttpResponse<String> created = api.post("/api/v1/devices", alice, "{\"id\": 100, \"name\": \"pump house\"}");

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).hasValue("/api/v1/devices/100");
        assertThat(api.json(created).path("creator").path("email").asText()).isEqualTo("alice@example.com");

        HttpResponse<String> renamed = api.patch("/api/v1/devices/100", alice, "{\"name\": \"well\"}");

        assertThat(renamed.statusCode()).isEqualTo(200);
        assertThat(api.json(api.get("/api/v1/devices/100", alice)).path("name").asText()).isEqualTo("well");
        assertThat(TestDatabase.count(api.database, "SELECT count(*) FROM pub WHERE pub_id = 100 AND name = 'well' AND creator = ?",
                api.userId("alice@example.com"))).isEqualTo(1);
    }

    @Test
    void creatingAnExistingIdIsAConflict() {
        api.post("/api/v1/devices", alice, "{\"id\": 101}");

        HttpResponse<String> again = api.post("/api/v1/devices", bob, "{\"id\": 101, \"name\": \"taken\"}");

        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(TestDatabase.count(api.database, "SELECT count(*) FROM pub WHERE pub_id = 101 AND creator = ?",
                api.userId("alice@example.com"))).isEqualTo(1);
    }

    @Test
    void createWithoutIdOrWithBadJsonIsABadRequest() {
        assertThat(api.post("/api/v1/devices", alice, "{\"name\": \"no id\"}").statusCode()).isEqualTo(400);
        assertThat(api.post("/api/v1/devices", alice, "{\"id\": \"seven\"}").statusCode()).isEqualTo(400);
        HttpResponse<String> malformed = api.post("/api/v1/devices", alice, "{\"id\": ");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(api.json(malformed).path("error").asText()).isEqualTo("bad_request");
    }

    @Test
    void bodyLargerThanTheLimitIsRefusedAndNothingIsCreated() {
        String name = "x".repeat(ApiSettings.DEFAULT_MAX_REQUEST_BYTES + 1);

        HttpResponse<String> response = api.post("/api/v1/devices", alice, "{\"id\": 105, \"name\": \"" + name + "\"}");

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(TestDatabase.count(api.database, "SELECT count(*) FROM pub WHERE pub_id = 105")).isZero();
    }

    @Test
    void deleteWithoutConfirmationIsRefusedAndNothingIsDeleted() {
        api.post("/api/v1/devices", alice, "{\"id\": 102}");
        api.addReading(102, Instant.parse("2026-01-01T00:00:00Z"), 230.0, 50.0);

        HttpResponse<String> missing = api.delete("/api/v1/devices/102", alice);
        HttpResponse<String> wrong = api.delete("/api/v1/devices/102?confirm=103", alice);

        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(api.json(missing).path("message").asText()).contains("confirm=102");
        assertThat(TestDatabase.count(api.database, "SELECT count(*) FROM pub WHERE pub_id = 102")).isEqualTo(1);
        assertThat(TestDatabase.count(api.database, "SELECT count(*) FROM reading WHERE pub_id = 102")).isEqualTo(1);
    }

    @Test
    void deleteWithConfirmationRemovesTheDeviceAndItsReadings() {
        api.post("/api/v1/devices", alice, "{\"id\": 104}");
        api.addReading(104, Instant.parse("2026-01-01T00:00:00Z"), 230.0, 50.0);
        api.addReading(104, Instant.parse("2026-01-01T00:01:00Z"), 231.0, 50.1);

        HttpResponse<String> deleted = api.delete("/api/v1/devices/104?confirm=104", alice);

        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(TestDatabase.count(api.database, "SELECT count(*) FROM pub WHERE pub_id = 104")).isZero();
        assertThat(TestDatabase.count(api.database, "SELECT count(*) FROM reading WHERE pub_id = 104")).isZero();
        assertThat(api.get("/api/v1/devices/104", alice).statusCode()).isEqualTo(404);
    }

    @Test
    void unownedDeviceIsClaimedByItsHash() {
        TestDatabase.execute(api.database, "INSERT INTO pub (pub_id, hash, name) VALUES (110, 987654321012, 'confirmed')");

        HttpResponse<String> claimed = api.post("/api/v1/devices/claim", bob, "{\"hash\": 987654321012}");

        assertThat(claimed.statusCode()).isEqualTo(200);
        assertThat(api.json(claimed).path("id").asLong()).isEqualTo(110);
        assertThat(TestDatabase.count(api.database, "SELECT count(*) FROM pub WHERE pub_id = 110 AND creator = ?",
                api.userId("bob@example.com"))).isEqualTo(1);
        assertThat(api.post("/api/v1/devices/claim", bob, "{\"hash\": \"987654321012\"}").statusCode()).isEqualTo(200);
    }

    @Test
    void ownedDeviceCannotBeClaimedAndUnknownHashIsNotFound() {
        TestDatabase.execute(api.database, "INSERT INTO pub (pub_id, hash, creator) VALUES (111, 5555, ?)", api.userId("alice@example.com"));

        assertThat(api.post("/api/v1/devices/claim", bob, "{\"hash\": 5555}").statusCode()).isEqualTo(409);
        assertThat(api.post("/api/v1/devices/claim", bob, "{\"hash\": 6666}").statusCode()).isEqualTo(404);
        assertThat(TestDatabase.count(api.database, "SELECT count(*) FROM pub WHERE pub_id = 111 AND creator = ?",
                api.userId("alice@example.com"))).isEqualTo(1);
    }

    @Test
    void deviceShowsOnlineStateLastReadingAndClockSkew() {
        api.post("/api/v1/devices", alice, "{\"id\": 120}");
        Instant deviceTime = Instant.now().plus(90, ChronoUnit.SECONDS).truncatedTo(ChronoUnit.SECONDS);
        // The device's clock runs 90 s ahead of the server's: saved_at is the commit time, now().
        api.addReading(120, deviceTime, 229.5, 49.9);
        var session = api.connected.open(new org.locomov.core.session.DeviceSession() {
            @Override
            public long deviceId() {
                return 120;
            }

            @Override
            public String listener() {
                return "test";
            }

            @Override
            public String peer() {
                return "127.0.0.1:1";
            }

            @Override
            public void close(String reason) {
            }
        });
        try {
            JsonNode device = api.json(api.get("/api/v1/devices/120", alice));

            assertThat(device.path("online").asBoolean()).isTrue();
            assertThat(device.path("lastReading").path("voltage").asDouble()).isEqualTo(229.5);
            assertThat(device.path("lastReading").path("createdAt").asText()).isEqualTo(deviceTime.toString());
            assertThat(device.path("clockSkewSeconds").asDouble()).isBetween(60.0, 91.0);
        } finally {
            session.close();
        }
        assertThat(api.json(api.get("/api/v1/devices/120", alice)).path("online").asBoolean()).isFalse();
    }

    @Test
    void aClockYearsOffIsShownAsAPlainNumberOfSeconds() {
        api.post("/api/v1/devices", alice, "{\"id\": 122}");
        api.addReading(122, Instant.parse("2018-03-30T00:01:33Z"), 229.5, 50.3);

        String body = api.get("/api/v1/devices/122", alice).body();

        assertThat(body).containsPattern("\"clockSkewSeconds\":-2\\d{8}\\.\\d{3}[,}]");
    }

    @Test
    void deviceWithoutReadingsHasNoLastReading() {
        api.post("/api/v1/devices", alice, "{\"id\": 121}");

        JsonNode device = api.json(api.get("/api/v1/devices/121", alice));

        assertThat(device.path("lastReading").isNull()).isTrue();
        assertThat(device.path("clockSkewSeconds").isNull()).isTrue();
    }
}
