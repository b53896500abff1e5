package org.locomov.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locomov.core.IngestSettings;
import org.locomov.core.Reading;
import org.locomov.core.Transport;
import org.locomov.store.BatchWriter;

/** Live events are fed by a real {@link BatchWriter} with the API's commit listener registered. */
class LiveEventsTest {

    private static ApiFixture api;
    private static BatchWriter writer;
    private static String alice;
    private static String bob;
    private static String admin;

    @BeforeAll
    static void start() {
        api = ApiFixture.start();
        writer = new BatchWriter(api.database.dataSource(), IngestSettings.DEFAULTS, new SimpleMeterRegistry(), api.server.events());
        writer.start();
        alice = api.userWithToken("alice@example.com", false);
        bob = api.userWithToken("bob@example.com", false);
        admin = api.userWithToken("root@example.com", true);
        api.addDevice(5, "alice@example.com");
        api.addDevice(6, "bob@example.com");
    }

    @AfterAll
    static void stop() {
        writer.close();
        api.close();
    }

    @Test
    void readingCommittedAfterSubscribingArrivesAsAnEvent() throws Exception {
        try (EventStream events = EventStream.open(api, "/api/v1/events", alice)) {
            commit(reading(5, 231.5));

            JsonNode event = events.nextData();
            assertThat(event.path("deviceId").asLong()).isEqualTo(5);
            assertThat(event.path("voltage").asDouble()).isEqualTo(231.5);
            assertThat(event.path("transport").asText()).isEqualTo("mov");
        }
    }

    @Test
    void userReceivesOnlyReadingsOfTheirOwnDevicesAndAdminReceivesAll() throws Exception {
        try (EventStream bobs = EventStream.open(api, "/api/v1/events", bob);
             EventStream admins = EventStream.open(api, "/api/v1/events", admin)) {
            commit(reading(5, 1.0));
            commit(reading(6, 2.0));

            // Events leave in commit order, so had Bob been sent device 5's reading it would come first.
            assertThat(bobs.nextData().path("deviceId").asLong()).isEqualTo(6);
            assertThat(admins.nextData().path("deviceId").asLong()).isEqualTo(5);
            assertThat(admins.nextData().path("deviceId").asLong()).isEqualTo(6);
        }
    }

    @Test
    void streamForOneDeviceSkipsTheOthers() throws Exception {
        try (EventStream events = EventStream.open(api, "/api/v1/events?device=6", admin)) {
            commit(reading(5, 3.0));
            commit(reading(6, 4.0));

            assertThat(events.nextData().path("voltage").asDouble()).isEqualTo(4.0);
        }
    }

    @Test
    void streamForAnotherUsersDeviceIsNotFound() {
        var response = api.send(api.request("/api/v1/events?device=6", alice).header("Accept", "text/event-stream").GET().build());

        assertThat(response.statusCode()).isEqualTo(404);
    }

    @Test
    void streamWithoutEventStreamAcceptIsNotAcceptable() {
        var response = api.get("/api/v1/events", alice);

        assertThat(response.statusCode()).isEqualTo(406);
    }

    private static Reading reading(long device, double voltage) {
        Instant now = Instant.now();
        return new Reading(device, now, now, true, voltage, 50.0, null, null, null, Transport.MOV);
    }

    private static void commit(Reading reading) throws Exception {
        writer.submit(reading).get(30, TimeUnit.SECONDS);
    }

    /** An open SSE response whose lines a background thread collects. */
    static final class EventStream implements AutoCloseable {

        private final InputStream body;
        private final List<String> lines = new CopyOnWriteArrayList<>();
        private final ApiFixture api;
        private int dataSeen;

        private EventStream(ApiFixture api, InputStream body) {
            this.api = api;
            this.body = body;
            Thread.ofVirtual().name("sse-test-reader").start(this::collect);
        }

        /** Subscribes and waits for the server's first comment, after which the subscription is in place. */
        static EventStream open(ApiFixture api, String path, String token) throws Exception {
            HttpResponse<InputStream> response = api.http.send(api.request(path, token).header("Accept", "text/event-stream").GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
            EventStream stream = new EventStream(api, response.body());
            await().atMost(Duration.ofSeconds(30)).until(() -> stream.lines.stream().anyMatch(line -> line.startsWith(":")));
            return stream;
        }

        JsonNode nextData() throws IOException {
            int wanted = ++dataSeen;
            await().atMost(Duration.ofSeconds(30)).until(() -> dataLines().size() >= wanted);
            return api.json.readTree(dataLines().get(wanted - 1).substring("data:".length()).strip());
        }

        private List<String> dataLines() {
            return lines.stream().filter(line -> line.startsWith("data:")).toList();
        }

        private void collect() {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // Closed by the test.
            }
        }

        @Override
        public void close() throws IOException {
            body.close();
        }
    }
}
