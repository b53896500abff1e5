package org.locomov.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locomov.tls.ClientTls;

/**
 * The README's API walk-through against a real {@code serve}: the first start prints an admin token, the
 * real curl, trusting only the printed CA, lists the devices with it, and a live event stream receives a
 * reading sent to the mov listener.
 */
class ApiIT {

    @TempDir
    Path dataDir;

    @Test
    void firstStartPrintsAnAdminTokenThatCurlCanUseAgainstTheApi() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "curl is not installed (apt-get install curl)");
        try (LocomovProcess server = LocomovProcess.serve(dataDir)) {
            LocomovProcess.Result added = LocomovProcess.run("device", "add", "--id", "7", "--name", "pump-7",
                    "--data-dir", dataDir.toString());
            assertThat(added.status()).as(added.err()).isZero();

            Curl devices = curl(server, server.adminToken());
            assertThat(devices.output()).startsWith("200 ").contains("\"id\":7").contains("pump-7");

            assertThat(curl(server, "lm_not-a-token").output()).startsWith("401 ");
        }
    }

    @Test
    void aReadingSentToTheMovListenerReachesALiveEventStreamAfterItsCommit() throws Exception {
        try (LocomovProcess server = LocomovProcess.serve(dataDir)) {
            LocomovProcess.Result added = LocomovProcess.run("device", "add", "--id", "8", "--data-dir", dataDir.toString());
            assertThat(added.status()).as(added.err()).isZero();
            BlockingQueue<String> events = new LinkedBlockingQueue<>();
            HttpClient client = HttpClient.newBuilder().sslContext(ClientTls.jdkContext(server.caFile())).build();
            HttpRequest subscribe = HttpRequest.newBuilder(
                            URI.create("https://127.0.0.1:" + server.apiPort() + "/api/v1/events?device=8"))
                    .header("Authorization", "Bearer " + server.adminToken())
                    .header("Accept", "text/event-stream").build();
            CompletableFuture<HttpResponse<Void>> stream =
                    client.sendAsync(subscribe, HttpResponse.BodyHandlers.fromLineSubscriber(new LineCollector(events)));
            try {
                await("the event stream to open").atMost(Duration.ofSeconds(30))
                        .until(() -> stream.isDone() || !events.isEmpty());
                assertThat(stream).as(() -> "the stream must stay open, but it ended: " + stream.join().statusCode()
                        + " " + events).isNotDone();

                LocomovProcess.Result sent = LocomovProcess.run("send", "--host", "localhost",
                        "--port", Integer.toString(server.movPort()), "--ca", server.caFile().toString(),
                        "--id", "8", "--voltage", "231.5", "--freq", "49.9");
                assertThat(sent.out().strip()).as(sent.err()).isEqualTo("Thank you.");

                await("the reading as a live event").atMost(Duration.ofSeconds(30))
                        .until(() -> events.stream().anyMatch(line -> line.startsWith("data:") && line.contains("231.5")));
                assertThat(events).contains("event: reading");
            } finally {
                stream.cancel(true);
            }
        }
    }

    /** Collects the lines of a server-sent event stream as they arrive. */
    private record LineCollector(BlockingQueue<String> lines) implements Flow.Subscriber<String> {
        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            lines.add(line);
        }

        @Override
        public void onError(Throwable throwable) {
        }

        @Override
        public void onComplete() {
        }
    }

    @Test
    void theAdminTokenIsPrintedOnlyOnTheFirstStart() throws Exception {
        try (LocomovProcess first = LocomovProcess.serve(dataDir)) {
            assertThat(first.adminToken()).startsWith("lm_");
        }
        try (LocomovProcess second = LocomovProcess.serve(dataDir)) {
            assertThat(second.output()).doesNotContain("admin token");
        }
    }

    private record Curl(String output) {
    }

    /** Runs the README's curl command; its output is the status code, a space, then the body. */
    private static Curl curl(LocomovProcess server, String token) throws IOException, InterruptedException {
        Process curl = new ProcessBuilder(List.of("curl", "--silent", "--show-error", "--max-time", "20",
                "--cacert", server.caFile().toString(), "--write-out", "%{http_code} ", "--output", "-",
                "-H", "Authorization: Bearer " + token,
                "https://127.0.0.1:" + server.apiPort() + "/api/v1/devices"))
                .redirectErrorStream(true).start();
        assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        // --write-out comes after the body; put the status first for readable assertions.
        String status = output.substring(output.length() - 4).strip();
        String body = output.substring(0, output.length() - 4);
        return new Curl(status + " " + body);
    }
}
