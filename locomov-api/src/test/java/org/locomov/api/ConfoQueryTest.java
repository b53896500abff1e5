package org.locomov.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.locomov.core.ConfoPost;
import org.locomov.store.ConfoRepository;
import org.locomov.store.testing.TestDatabase;

/** The phone app's question over real HTTPS, without a token, against confirmations in a real PostgreSQL. */
class ConfoQueryTest {

    private static final int QUERIES_PER_MINUTE = 5;
    private static final long HASH = 7311424511233851041L;

    private ApiFixture api;

    @BeforeEach
    void start() {
        ApiSettings d = ApiFixture.TEST_SETTINGS;
        ApiSettings settings = new ApiSettings(d.bindAddress(), d.port(), d.maxRequestBytes(), d.maxConnections(),
                d.idleTimeout(), d.sseMaxClients(), QUERIES_PER_MINUTE, Duration.ofMinutes(15));
        api = ApiFixture.start(settings, new SimpleMeterRegistry(), new HealthSources(() -> Map.of("api", true), () -> 100));
        // The device post of ../shared/protocol/confo-device-post.json, as the confo listener saves it.
        new ConfoRepository(api.database.dataSource()).apply(
                new ConfoPost("pump-house-2", "farmnet", HASH, "owner@example.org", Instant.ofEpochSecond(1558137600)));
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void confirmedDeviceHashIsAnsweredWithoutATokenAndWithAllItsDigits() {
        HttpResponse<String> response = api.get("/api/v1/confo?deviceName=pump-house-2&ssid=farmnet", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"hash\":7311424511233851041}");
    }

    @Test
    void nameAndSsidAreMatchedExactlyAndUrlDecoded() {
        new ConfoRepository(api.database.dataSource()).apply(
                new ConfoPost("Pump 3", "farm net", 3, "owner@example.org", null));

        assertThat(api.json(api.get("/api/v1/confo?deviceName=Pump%203&ssid=farm%20net", null)).path("hash").asLong())
                .isEqualTo(3);
        assertThat(api.get("/api/v1/confo?deviceName=pump%203&ssid=farm%20net", null).statusCode()).isEqualTo(404);
    }

    @Test
    void unknownNameOrSsidIsNotFound() {
        HttpResponse<String> otherName = api.get("/api/v1/confo?deviceName=pump-house-3&ssid=farmnet", null);
        HttpResponse<String> otherSsid = api.get("/api/v1/confo?deviceName=pump-house-2&ssid=othernet", null);

        assertThat(otherName.statusCode()).isEqualTo(404);
        assertThat(api.json(otherName).path("error").asText()).isEqualTo("not_found");
        assertThat(otherSsid.statusCode()).isEqualTo(404);
    }

    @Test
    void confirmationOlderThanTheMaxAgeIsNotFound() {
        TestDatabase.execute(api.database, "UPDATE confo SET received_at = now() - interval '16 minutes'");

        assertThat(api.get("/api/v1/confo?deviceName=pump-house-2&ssid=farmnet", null).statusCode()).isEqualTo(404);
    }

    @Test
    void missingParameterIsABadRequest() {
        HttpResponse<String> response = api.get("/api/v1/confo?deviceName=pump-house-2", null);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(api.json(response).path("message").asText()).isEqualTo("ssid is required");
    }

    @Test
    void queriesBeyondTheRateLimitAreRefusedWithRetryAfter() {
        for (int i = 0; i < QUERIES_PER_MINUTE; i++) {
            String name = i % 2 == 0 ? "pump-house-2" : "guess-" + i;
            assertThat(api.get("/api/v1/confo?deviceName=" + name + "&ssid=farmnet", null).statusCode()).isIn(200, 404);
        }

        HttpResponse<String> limited = api.get("/api/v1/confo?deviceName=pump-house-2&ssid=farmnet", null);

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValueSatisfying(
                seconds -> assertThat(Long.parseLong(seconds)).isBetween(1L, 60L / QUERIES_PER_MINUTE));
        assertThat(api.json(limited).path("error").asText()).isEqualTo("too_many_requests");
    }
}
