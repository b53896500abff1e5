package org.locomov.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.locomov.store.testing.TestDatabase;

class ReadingRoutesTest {

    /** Aligned to 5 minutes since the epoch, like the buckets. */
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final int READINGS = 25;

    private static ApiFixture api;
    private static String alice;

    @BeforeAll
    static void start() {
        api = ApiFixture.start();
        alice = api.userWithToken("alice@example.com", false);
        api.addDevice(1, "alice@example.com");
        // Device 1: one reading a minute from T0, voltage 200, 201, ... and frequency 50.0, 50.1, ...
        for (int i = 0; i < READINGS; i++) {
            api.addReading(1, T0.plus(Duration.ofMinutes(i)), 200.0 + i, 50.0 + i / 10.0);
        }
        // Device 2: readings sharing timestamps, so that paging must order by id within a timestamp.
        api.addDevice(2, "alice@example.com");
        for (int i = 0; i < 7; i++) {
            api.addReading(2, T0.plus(Duration.ofMinutes(i / 3)), (double) i, null);
        }
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void pagesNewestFirstCoverEveryReadingOnceAcrossPageBoundaries() {
        List<Long> paged = pageThrough(1, "desc", 10);

        assertThat(paged).hasSize(READINGS).doesNotHaveDuplicates();
        assertThat(paged).isEqualTo(idsInOrder(1, "created_at DESC, id DESC"));
    }

    @Test
    void pagesOldestFirstCoverEveryReadingOnceAcrossPageBoundaries() {
        List<Long> paged = pageThrough(1, "asc", 10);

        assertThat(paged).hasSize(READINGS).isEqualTo(idsInOrder(1, "created_at ASC, id ASC"));
    }

    @Test
    void readingsSharingATimestampAreNeitherSkippedNorRepeatedAtAPageBoundary() {
        assertThat(pageThrough(2, "desc", 2)).isEqualTo(idsInOrder(2, "created_at DESC, id DESC"));
        assertThat(pageThrough(2, "asc", 2)).isEqualTo(idsInOrder(2, "created_at ASC, id ASC"));
    }

    @Test
    void firstPageIsTheNewestReadingsWithTheirValues() {
        JsonNode page = api.json(api.get("/api/v1/devices/1/readings?limit=2", alice));

        JsonNode newest = page.path("readings").get(0);
        assertThat(newest.path("voltage").asDouble()).isEqualTo(224.0);
        assertThat(newest.path("createdAt").asText()).isEqualTo(T0.plus(Duration.ofMinutes(24)).toString());
        assertThat(newest.path("transport").asText()).isEqualTo("mov");
        assertThat(page.path("next").isTextual()).isTrue();
    }

    @Test
    void fromAndToBoundTheRangeHalfOpen() {
        String from = URLEncoder.encode(T0.plus(Duration.ofMinutes(5)).toString(), StandardCharsets.UTF_8);
        long to = T0.plus(Duration.ofMinutes(8)).getEpochSecond();

        JsonNode page = api.json(api.get("/api/v1/devices/1/readings?order=asc&from=" + from + "&to=" + to, alice));

        assertThat(page.path("readings")).extracting(r -> r.path("voltage").asDouble()).containsExactly(205.0, 206.0, 207.0);
        assertThat(page.path("next").isNull()).isTrue();
    }

    @Test
    void averageBucketsMatchValuesComputedByHand() {
        JsonNode body = api.json(api.get("/api/v1/devices/1/readings?every=5m&agg=avg", alice));

        JsonNode buckets = body.path("buckets");
        assertThat(buckets).hasSize(5);
        // 10:00-10:05 holds voltages 200..204 and frequencies 50.0..50.4.
        assertThat(buckets.get(0).path("start").asText()).isEqualTo("2026-03-01T10:00:00Z");
        assertThat(buckets.get(0).path("count").asLong()).isEqualTo(5);
        assertThat(buckets.get(0).path("voltage").asDouble()).isEqualTo((200 + 201 + 202 + 203 + 204) / 5.0);
        assertThat(buckets.get(0).path("frequency").asDouble()).isCloseTo((50.0 + 50.1 + 50.2 + 50.3 + 50.4) / 5, within());
        // 10:20-10:25 holds voltages 220..224.
        assertThat(buckets.get(4).path("start").asText()).isEqualTo("2026-03-01T10:20:00Z");
        assertThat(buckets.get(4).path("voltage").asDouble()).isEqualTo(222.0);
    }

    @Test
    void minMaxAndCountBucketsMatchValuesComputedByHand() {
        JsonNode min = api.json(api.get("/api/v1/devices/1/readings?every=10m&agg=min", alice)).path("buckets");
        JsonNode max = api.json(api.get("/api/v1/devices/1/readings?every=10m&agg=max", alice)).path("buckets");
        JsonNode count = api.json(api.get("/api/v1/devices/1/readings?every=1h&agg=count", alice)).path("buckets");

        // 10-minute buckets: 10:00 (200..209), 10:10 (210..219), 10:20 (220..224).
        assertThat(min).extracting(b -> b.path("voltage").asDouble()).containsExactly(200.0, 210.0, 220.0);
        assertThat(max).extracting(b -> b.path("voltage").asDouble()).containsExactly(209.0, 219.0, 224.0);
        assertThat(max).extracting(b -> b.path("count").asLong()).containsExactly(10L, 10L, 5L);
        assertThat(count).hasSize(1);
        assertThat(count.get(0).path("start").asText()).isEqualTo("2026-03-01T10:00:00Z");
        assertThat(count.get(0).path("voltage").asDouble()).isEqualTo(25.0);
    }

    @Test
    void bucketsSkipNullValuesButCountTheReadings() {
        JsonNode bucket = api.json(api.get("/api/v1/devices/2/readings?every=1h&agg=avg", alice)).path("buckets").get(0);

        assertThat(bucket.path("count").asLong()).isEqualTo(7);
        assertThat(bucket.path("voltage").asDouble()).isEqualTo(3.0);
        assertThat(bucket.path("frequency").isNull()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"order=sideways", "limit=0", "limit=1001", "cursor=bm90LWEtY3Vyc29y", "every=5x", "every=5m&agg=median",
            "from=yesterday", "from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z"})
    void badParametersAreRefusedWithTheirName(String query) {
        var response = api.get("/api/v1/devices/1/readings?" + query, alice);

        assertThat(response.statusCode()).isEqualTo(400);
        String parameter = query.contains("agg") ? "agg" : query.substring(0, query.indexOf('='));
        assertThat(api.json(response).path("message").asText()).contains(parameter);
    }

    @Test
    void aCursorOfTheOtherDirectionIsRefused() {
        String descCursor = api.json(api.get("/api/v1/devices/1/readings?limit=3", alice)).path("next").asText();

        assertThat(api.get("/api/v1/devices/1/readings?order=asc&cursor=" + descCursor, alice).statusCode()).isEqualTo(400);
    }

    private static List<Long> pageThrough(long device, String order, int limit) {
        List<Long> ids = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            String query = "?order=" + order + "&limit=" + limit + (cursor == null ? "" : "&cursor=" + cursor);
            JsonNode page = api.json(api.get("/api/v1/devices/" + device + "/readings" + query, alice));
            page.path("readings").forEach(reading -> ids.add(reading.path("id").asLong()));
            cursor = page.path("next").isNull() ? null : page.path("next").asText();
            assertThat(++pages).as("pages").isLessThan(100);
        } while (cursor != null);
        return ids;
    }

    private static List<Long> idsInOrder(long device, String orderBy) {
        List<Long> ids = new ArrayList<>();
        long count = TestDatabase.count(api.database, "SELECT count(*) FROM reading WHERE pub_id = ?", device);
        for (long offset = 0; offset < count; offset++) {
            ids.add(TestDatabase.count(api.database,
                    "SELECT id FROM reading WHERE pub_id = ? ORDER BY " + orderBy + " OFFSET ? LIMIT 1", device, offset));
        }
        return ids;
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(1e-9);
    }
}
