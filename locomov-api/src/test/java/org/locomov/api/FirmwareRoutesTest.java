package org.locomov.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.locomov.store.testing.TestDatabase.count;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.File;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locomov.core.listener.Listener;
import org.locomov.transport.testing.TestTransport;
import org.locomov.transport.testing.TestTransportClient;

/**
 * Firmware upload, update jobs and the image download with {@code Range}, driven with the real curl as an
 * operator and a device would; the device is on the test transport.
 */
class FirmwareRoutesTest {

    private static final int LIMIT = 64 * 1024;
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static ApiFixture api;
    private static Listener transport;
    private static String alice;
    private static String bob;

    @TempDir
    Path files;

    @BeforeAll
    static void start() {
        api = ApiFixture.start(ApiFixture.TEST_SETTINGS.withFirmwareMaxBytes(LIMIT), new SimpleMeterRegistry(),
                new HealthSources(() -> Map.of("api", true), () -> 100));
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

    /** curl's output: the body (to a file when {@code out} is given), then the status code on the last line. */
    private record Curl(int status, String body) {
    }

    private Curl curl(Path out, String... args) throws IOException, InterruptedException {
        assumeTrue(onPath("curl"), "curl is not installed (Debian package curl); skipping the firmware curl tests");
        List<String> command = new ArrayList<>(List.of("curl", "--silent", "--show-error", "--cacert",
                ApiFixture.caFile().toString(), "--write-out", "\n%{http_code}"));
        if (out != null) {
            command.addAll(List.of("--output", out.toString()));
        }
        command.addAll(Arrays.asList(args));
        Process curl = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(curl.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(curl.exitValue()).as(output).isZero();
        int newline = output.lastIndexOf('\n');
        return new Curl(Integer.parseInt(output.substring(newline + 1).strip()), output.substring(0, newline));
    }

    private String url(String path) {
        return "https://127.0.0.1:" + api.server.port() + path;
    }

    private Path image(String name, int size) throws IOException {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return Files.write(files.resolve(name), bytes);
    }

    private Curl upload(Path image, String name, String version, String token) throws Exception {
        return curl(null, "--data-binary", "@" + image, "-H", "Content-Type: application/octet-stream",
                "-H", "Authorization: Bearer " + token, url("/api/v1/firmware?name=" + name + "&version=" + version));
    }

    @Test
    void uploadedImageReachesTheDeviceAsAJobAndIsFetchedByRangeWithItsDeviceToken() throws Exception {
        api.addDevice(201, "alice@example.com");
        Path image = image("meter-2.1.bin", 10_000);
        byte[] bytes = Files.readAllBytes(image);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));

        Curl uploaded = upload(image, "meter", "2.1", alice);
        assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(201);
        JsonNode firmware = api.json.readTree(uploaded.body());
        assertThat(firmware.path("sha256").asText()).isEqualTo(sha256);
        assertThat(firmware.path("size").asLong()).isEqualTo(10_000);
        long firmwareId = firmware.path("id").asLong();
        assertThat(api.json(api.get("/api/v1/firmware", alice)).path("firmware").findValuesAsText("sha256")).contains(sha256);
        assertThat(api.json(api.get("/api/v1/firmware", bob)).path("firmware")).isEmpty();

        try (SseLines stream = SseLines.open(api, "/api/v1/events?device=201", alice)) {
            HttpResponse<String> made = api.post("/api/v1/devices/201/firmware", alice, "{\"firmware\": " + firmwareId + "}");
            assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
            long jobId = api.json(made).path("id").asLong();
            assertThat(api.json(made).path("status").asText()).isEqualTo("queued");

            try (TestTransportClient device = TestTransportClient.connect(transport.port())) {
                assertThat(device.hello(201)).isEqualTo("ok 201");
                assertThat(device.next("firmware", WAIT)).isEqualTo("firmware " + jobId + " " + firmwareId + " 10000 " + sha256
                        + " /api/v1/firmware/" + firmwareId + "/image");
                assertThat(job(201, jobId).path("status").asText()).isEqualTo("running");

                String deviceToken = api.deviceToken(201);
                Path part = files.resolve("part");
                Curl range = curl(part, "-r", "100-1099", "-H", "Authorization: Bearer " + deviceToken,
                        url("/api/v1/firmware/" + firmwareId + "/image"));
                assertThat(range.status()).isEqualTo(206);
                assertThat(Files.readAllBytes(part)).isEqualTo(Arrays.copyOfRange(bytes, 100, 1100));

                Path whole = files.resolve("whole");
                Curl all = curl(whole, "-H", "Authorization: Bearer " + deviceToken, url("/api/v1/firmware/" + firmwareId + "/image"));
                assertThat(all.status()).isEqualTo(200);
                assertThat(Files.readAllBytes(whole)).isEqualTo(bytes);

                Curl beyond = curl(null, "-r", "10000-", "-H", "Authorization: Bearer " + deviceToken,
                        url("/api/v1/firmware/" + firmwareId + "/image"));
                assertThat(beyond.status()).isEqualTo(416);

                device.send("progress " + jobId + " done 10000");
                assertThat(device.next("reported", WAIT)).isEqualTo("reported");
            }
            JsonNode done = stream.next("firmware-job", data -> data.path("id").asLong() == jobId
                    && data.path("status").asText().equals("done"), WAIT);
            assertThat(done.path("bytes").asLong()).isEqualTo(10_000);
            assertThat(job(201, jobId).path("status").asText()).isEqualTo("done");
        }
    }

    private static JsonNode job(long deviceId, long jobId) {
        HttpResponse<String> response = api.get("/api/v1/devices/" + deviceId + "/firmware/" + jobId, alice);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return api.json(response);
    }

    @Test
    void imageIsRefusedWithoutADeviceTokenAndToDevicesWithoutAJobForIt() throws Exception {
        api.addDevice(202, "alice@example.com");
        api.addDevice(203, "alice@example.com");
        long firmwareId = api.json.readTree(upload(image("pump.bin", 2_000), "pump", "1", alice).body()).path("id").asLong();
        assertThat(api.post("/api/v1/devices/202/firmware", alice, "{\"firmware\": " + firmwareId + "}").statusCode())
                .isEqualTo(201);
        String imagePath = "/api/v1/firmware/" + firmwareId + "/image";

        assertThat(curl(null, url(imagePath)).status()).isEqualTo(401);
        assertThat(curl(null, "-H", "Authorization: Bearer " + alice, url(imagePath)).status()).isEqualTo(401);
        assertThat(curl(null, "-H", "Authorization: Bearer " + api.deviceToken(203), url(imagePath)).status()).isEqualTo(404);
        assertThat(curl(null, "-H", "Authorization: Bearer " + api.deviceToken(202), url(imagePath)).status()).isEqualTo(200);
    }

    @Test
    void imageOverTheLimitIsRefusedAndNothingIsStored() throws Exception {
        Curl tooLarge = upload(image("big.bin", LIMIT + 1), "big", "1", alice);

        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.body()).contains("--firmware-max-bytes");
        assertThat(count(api.database, "SELECT count(*) FROM firmware WHERE name = 'big'")).isZero();
        assertThat(upload(image("limit.bin", LIMIT), "limit", "1", alice).status()).isEqualTo(201);
    }

    @Test
    void sameNameAndVersionTwiceIsAConflictAndJobsFollowOwnership() throws Exception {
        api.addDevice(204, "alice@example.com");
        long firmwareId = api.json.readTree(upload(image("valve.bin", 500), "valve", "3", alice).body()).path("id").asLong();

        assertThat(upload(image("valve-again.bin", 501), "valve", "3", alice).status()).isEqualTo(409);
        assertThat(api.post("/api/v1/devices/204/firmware", bob, "{\"firmware\": " + firmwareId + "}").statusCode()).isEqualTo(404);
        assertThat(api.post("/api/v1/devices/204/firmware", alice, "{\"firmware\": 999999}").statusCode()).isEqualTo(404);
        assertThat(api.get("/api/v1/devices/204/firmware", bob).statusCode()).isEqualTo(404);
        assertThat(count(api.database, "SELECT count(*) FROM firmware_job WHERE pub_id = 204")).isZero();
        HttpRequest noName = api.request("/api/v1/firmware?version=1", alice)
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[10])).build();
        assertThat(api.send(noName).statusCode()).isEqualTo(400);
    }

    @Test
    void aDeviceThatReportsFailureEndsItsJobFailedWithTheError() throws Exception {
        api.addDevice(205, "alice@example.com");
        long firmwareId = api.json.readTree(upload(image("sensor.bin", 300), "sensor", "9", alice).body()).path("id").asLong();
        try (TestTransportClient device = TestTransportClient.connect(transport.port())) {
            assertThat(device.hello(205)).isEqualTo("ok 205");
            long jobId = api.json(api.post("/api/v1/devices/205/firmware", alice, "{\"firmware\": " + firmwareId + "}"))
                    .path("id").asLong();
            assertThat(device.next("firmware", WAIT)).startsWith("firmware " + jobId + " ");
            device.send("progress " + jobId + " failed 120 flash write error");
            assertThat(device.next("reported", WAIT)).isEqualTo("reported");
            await().atMost(WAIT).until(() -> job(205, jobId).path("status").asText().equals("failed"));
            assertThat(job(205, jobId).path("error").asText()).isEqualTo("flash write error");
            assertThat(job(205, jobId).path("bytes").asLong()).isEqualTo(120);
        }
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(dir, program).canExecute()) {
                return true;
            }
        }
        return false;
    }
}
