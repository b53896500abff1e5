package org.locomov.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** An open live-event stream read as (event name, JSON data) pairs, by a reader thread. */
final class SseLines implements AutoCloseable {

    record Event(String name, JsonNode data) {
    }

    private final InputStream body;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> comments = new LinkedBlockingQueue<>();

    private SseLines(ApiFixture api, InputStream body) {
        this.body = body;
        Thread.ofVirtual().name("sse-lines").start(() -> collect(api));
    }

    /** Subscribes and returns once the server's first comment says the subscription is in place. */
    static SseLines open(ApiFixture api, String path, String token) throws Exception {
        HttpResponse<InputStream> response = api.http.send(api.request(path, token).header("Accept", "text/event-stream")
                .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        SseLines stream = new SseLines(api, response.body());
        assertThat(stream.comments.poll(30, TimeUnit.SECONDS)).as("the stream's first comment").isNotNull();
        return stream;
    }

    /** The next event named {@code name} whose data matches {@code wanted}, skipping others. */
    JsonNode next(String name, Predicate<JsonNode> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (long left = timeout.toNanos(); left > 0; left = deadline - System.nanoTime()) {
            Event event = events.poll(left, TimeUnit.NANOSECONDS);
            if (event != null && event.name().equals(name) && wanted.test(event.data())) {
                return event.data();
            }
        }
        throw new AssertionError("no '" + name + "' event as wanted within " + timeout);
    }

    private void collect(ApiFixture api) {
        String name = "message";
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.startsWith(":")) {
                    comments.add(line);
                } else if (line.startsWith("event:")) {
                    name = line.substring("event:".length()).strip();
                } else if (line.startsWith("data:")) {
                    events.add(new Event(name, api.json.readTree(line.substring("data:".length()).strip())));
                    name = "message";
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // Closed by the test.
        }
    }

    @Override
    public void close() throws IOException {
        body.close();
    }
}
