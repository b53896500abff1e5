package org.locomov.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locomov.particle.keys.RsaKeys;
import org.locomov.particle.testing.CoreDevice;
import org.locomov.particle.testing.RecordedSession;
import org.locomov.particle.testing.SimulatedCore;
import org.locomov.tls.ClientTls;

/**
 * The Particle listener of a real {@code serve}: the server key written by {@code particle server-key}, the
 * device key registered by {@code particle keys}, and the simulated Core connecting with them and
 * publishing a reading event that becomes a row.
 */
class ParticleIT {

    private static final RecordedSession RECORDED = RecordedSession.load();

    @TempDir
    Path dataDir;

    @Test
    void aSimulatedCoreWithTheWrittenServerKeyConnectsAndItsReadingEventIsStored() throws Exception {
        try (LocomovProcess server = LocomovProcess.serve(dataDir, "--confo-port", "0")) {
            Path der = dataDir.resolve("server-key.der");
            LocomovProcess.Result written = run("particle", "server-key", "--out", der.toString());
            assertThat(written.status()).as(written.err()).isZero();
            assertThat(der).hasSize(294);
            Path block = dataDir.resolve("server-key-host.der");
            assertThat(run("particle", "server-key", "--out", block.toString(), "--host", "192.168.1.5", "--port", "5683")
                    .status()).isZero();
            byte[] bytes = Files.readAllBytes(block);
            assertThat(bytes).hasSize(512);
            assertThat(java.util.Arrays.copyOfRange(bytes, 384, 390)).containsExactly(0, 4, 192, 168, 1, 5);
            assertThat(java.util.Arrays.copyOfRange(bytes, 450, 452)).containsExactly(0x16, 0x33);

            Path devicePem = Files.writeString(dataDir.resolve("device.pub.pem"), RECORDED.devicePublicKeyPem());
            LocomovProcess.Result registered = run("particle", "keys", "--id", RECORDED.deviceId().toUpperCase(),
                    "--public-key", devicePem.toString(), "--name", "core-sim");
            assertThat(registered.status()).as(registered.err()).isZero();
            assertThat(registered.out()).contains("created for Particle id " + RECORDED.deviceId());
            long deviceId = Long.parseLong(registered.out().replaceAll("(?s).*device (\\d+) created.*", "$1"));

            PublicKey serverKey = RsaKeys.fromDer(Files.readAllBytes(der));
            try (SimulatedCore core = SimulatedCore.connect("127.0.0.1", server.particlePort(),
                    CoreDevice.recorded(RECORDED.deviceId(), RECORDED.devicePrivateKey(), serverKey, false))) {
                await().atMost(Duration.ofSeconds(30)).until(() -> core.inspect(CoreDevice::sawServerHello));
                core.publish("reading", "{\"voltage\":231.5,\"freq\":49.9}");
                await().atMost(Duration.ofSeconds(30)).until(() -> Packets.find(server, deviceId, 231.5).isPresent());
                assertThat(Packets.find(server, deviceId, 231.5).orElseThrow().frequency()).isEqualTo(49.9);
            }
        }
    }

    @Test
    void functionsVariablesEventsAndFirmwareGoThroughTheDevicePlaneAndTheApi() throws Exception {
        try (LocomovProcess server = LocomovProcess.serve(dataDir, "--confo-port", "0")) {
            Path der = dataDir.resolve("server-key.der");
            assertThat(run("particle", "server-key", "--out", der.toString()).status()).isZero();
            Path devicePem = Files.writeString(dataDir.resolve("device.pub.pem"), RECORDED.devicePublicKeyPem());
            LocomovProcess.Result registered = run("particle", "keys", "--id", RECORDED.deviceId(),
                    "--public-key", devicePem.toString());
            assertThat(registered.status()).as(registered.err()).isZero();
            long deviceId = Long.parseLong(registered.out().replaceAll("(?s).*device (\\d+) created.*", "$1"));
            PublicKey serverKey = RsaKeys.fromDer(Files.readAllBytes(der));
            HttpClient client = HttpClient.newBuilder().sslContext(ClientTls.jdkContext(server.caFile())).build();
            String api = "https://127.0.0.1:" + server.apiPort() + "/api/v1";

            try (SimulatedCore core = SimulatedCore.connect("127.0.0.1", server.particlePort(),
                    CoreDevice.recorded(RECORDED.deviceId(), RECORDED.devicePrivateKey(), serverKey, false))) {
                await().atMost(Duration.ofSeconds(30)).until(() -> core.inspect(CoreDevice::sawServerHello));

                String led = send(client, server, HttpRequest.newBuilder(URI.create(api + "/devices/" + deviceId + "/commands"))
                        .POST(BodyPublishers.ofString("{\"name\":\"led\",\"payload\":\"on\",\"waitSeconds\":30}")), 201);
                assertThat(led).contains("\"status\":\"answered\"").contains("\"response\":2");
                String volts = send(client, server, HttpRequest.newBuilder(URI.create(api + "/devices/" + deviceId + "/commands"))
                        .POST(BodyPublishers.ofString("{\"name\":\"variable/volts\",\"waitSeconds\":30}")), 201);
                assertThat(volts).contains("\"status\":\"answered\"").contains("\"response\":229.5");
                assertThat(core.calls()).containsExactly("led(on)");

                core.publish("door", "open");
                await().atMost(Duration.ofSeconds(30)).until(() -> count(server,
                        "SELECT count(*) FROM event WHERE pub_id = " + deviceId + " AND name = 'door' AND data = 'open'"
                                + " AND transport = 'particle'") == 1);

                byte[] image = new byte[700];
                new java.util.Random(7).nextBytes(image);
                String firmware = send(client, server, HttpRequest.newBuilder(URI.create(api + "/firmware?name=blink&version=2"))
                        .header("Content-Type", "application/octet-stream").POST(BodyPublishers.ofByteArray(image)), 201);
                long firmwareId = Long.parseLong(firmware.replaceAll("(?s)^\\{\"id\":(\\d+).*", "$1"));
                send(client, server, HttpRequest.newBuilder(URI.create(api + "/devices/" + deviceId + "/firmware"))
                        .POST(BodyPublishers.ofString("{\"firmware\":" + firmwareId + "}")), 201);
                await().atMost(Duration.ofSeconds(60)).until(() -> core.inspect(CoreDevice::updateDone));
                assertThat(core.inspect(CoreDevice::image)).isEqualTo(image);
                await().atMost(Duration.ofSeconds(30)).until(() -> count(server,
                        "SELECT count(*) FROM firmware_job WHERE pub_id = " + deviceId + " AND status = 'done' AND bytes = 700") == 1);
            }
            // The Core reboots into the new firmware and comes back.
            try (SimulatedCore upgraded = SimulatedCore.connect("127.0.0.1", server.particlePort(),
                    CoreDevice.recorded(RECORDED.deviceId(), RECORDED.devicePrivateKey(), serverKey, true))) {
                await().atMost(Duration.ofSeconds(30)).until(() -> upgraded.inspect(CoreDevice::sawServerHello));
                String variable = send(client, server, HttpRequest.newBuilder(URI.create(api + "/devices/" + deviceId + "/commands"))
                        .POST(BodyPublishers.ofString("{\"name\":\"variable/label\",\"waitSeconds\":30}")), 201);
                assertThat(variable).contains("\"response\":\"core-sim\"");
            }
        }
    }

    private static String send(HttpClient client, LocomovProcess server, HttpRequest.Builder request, int status)
            throws Exception {
        HttpResponse<String> response = client.send(request.header("Authorization", "Bearer " + server.adminToken())
                .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return response.body();
    }

    private static long count(LocomovProcess server, String sql) throws Exception {
        try (java.sql.Connection connection = server.connect();
             java.sql.ResultSet row = connection.createStatement().executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }

    private LocomovProcess.Result run(String... args) throws Exception {
        String[] withDataDir = java.util.Arrays.copyOf(args, args.length + 2);
        withDataDir[args.length] = "--data-dir";
        withDataDir[args.length + 1] = dataDir.toString();
        return LocomovProcess.run(withDataDir);
    }
}
