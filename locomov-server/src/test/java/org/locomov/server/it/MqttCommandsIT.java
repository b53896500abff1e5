package org.locomov.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands from the API to an MQTT device and back (issue 8): {@code POST /api/v1/devices/{id}/commands} with
 * {@code waitSeconds} reaches {@code mosquitto_sub} on the device's commands topic, and the answer the device
 * publishes with {@code mosquitto_pub} comes back in the API's reply — also when the device is connected to the
 * other of two {@code serve} processes on one PostgreSQL.
 *
 * <p>Needs the device plane's database-backed commands and the API's command routes (branch plane-services).
 */
class MqttCommandsIT {

    private static final long DEVICE = 13;
    private static final Pattern COMMAND_ID = Pattern.compile("\"id\":(\\d+)");

    @TempDir
    Path dataDir;
    @TempDir
    Path secondDataDir;

    @BeforeAll
    static void requireMosquitto() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/mosquitto_sub")),
                "mosquitto_sub is not installed (Debian package mosquitto-clients); skipping");
    }

    @Test
    void commandPostedToTheApiReachesMosquittoSubAndTheAnswerComesBackInTheReply() throws Exception {
        try (LocomovProcess server = LocomovProcess.serve(dataDir, "--confo-port", "0")) {
            String token = deviceToken(dataDir);
            roundTrip(server, server, token);
        }
    }

    @Test
    void commandReachesADeviceConnectedToTheOtherServeProcess() throws Exception {
        try (LocomovProcess first = LocomovProcess.serve(dataDir, "--confo-port", "0")) {
            String token = deviceToken(dataDir);
            try (LocomovProcess second = LocomovProcess.serve(secondDataDir, first.joinNodeArgs().toArray(String[]::new))) {
                roundTrip(first, second, token);
            }
        }
    }

    /** The device on {@code deviceNode}'s MQTT listener; the command posted to {@code apiNode}'s API. */
    private static void roundTrip(LocomovProcess apiNode, LocomovProcess deviceNode, String token) throws Exception {
        Process sub = new ProcessBuilder(mosquitto("mosquitto_sub", deviceNode, token,
                "-t", "devices/" + DEVICE + "/commands", "-q", "1", "-C", "1")).redirectErrorStream(true).start();
        try {
            CompletableFuture<HttpResponse<String>> reply =
                    apiNode.postCommand(DEVICE, "{\"name\":\"reboot\",\"payload\":{\"delay\":5},\"waitSeconds\":30}");

            assertThat(sub.waitFor(90, TimeUnit.SECONDS)).as("mosquitto_sub received no command").isTrue();
            // The payload is stored as jsonb, which spaces it its own way: compared without blanks.
            String command = new String(sub.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(command.replace(" ", "")).contains("\"name\":\"reboot\"").contains("\"payload\":{\"delay\":5}");
            Matcher id = COMMAND_ID.matcher(command);
            assertThat(id.find()).as(command).isTrue();

            Process pub = new ProcessBuilder(mosquitto("mosquitto_pub", deviceNode, token,
                    "-t", "devices/" + DEVICE + "/commands/response", "-q", "1",
                    "-m", "{\"id\":" + id.group(1) + ",\"status\":\"ok\",\"payload\":{\"uptime\":1}}"))
                    .redirectErrorStream(true).start();
            assertThat(pub.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(pub.exitValue()).isZero();

            HttpResponse<String> answered = reply.get(90, TimeUnit.SECONDS);
            assertThat(answered.statusCode()).as(answered.body()).isEqualTo(201);
            assertThat(answered.body().replace(" ", "")).contains("\"status\":\"answered\"")
                    .contains("\"response\":{\"uptime\":1}");
        } finally {
            sub.destroy();
        }
    }

    private static List<String> mosquitto(String tool, LocomovProcess node, String token, String... more) {
        List<String> command = new ArrayList<>(List.of(tool, "-h", "localhost", "-p", Integer.toString(node.mqttPort()),
                "--cafile", node.caFile().toString(), "-V", "mqttv5", "-u", Long.toString(DEVICE), "-P", token));
        command.addAll(List.of(more));
        return command;
    }

    private static String deviceToken(Path dataDir) throws Exception {
        LocomovProcess.Result added = LocomovProcess.run("device", "add", "--id", Long.toString(DEVICE),
                "--data-dir", dataDir.toString());
        assertThat(added.status()).as(added.err()).isZero();
        Path kit = dataDir.resolve("flash-" + DEVICE);
        LocomovProcess.Result issued = LocomovProcess.run("device", "credentials", "--id", Long.toString(DEVICE),
                "--out", kit.toString(), "--data-dir", dataDir.toString());
        assertThat(issued.status()).as(issued.err()).isZero();
        return Files.readString(kit.resolve("token.txt")).strip();
    }
}
