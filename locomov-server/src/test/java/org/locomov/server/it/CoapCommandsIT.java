package org.locomov.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapHandler;
import org.eclipse.californium.core.CoapObserveRelation;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConfig.DtlsRole;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands from the API to a CoAP device and back (issue 9): a device observing {@code GET /commands} over DTLS
 * with the PSK from its credentials kit is notified of a command posted to
 * {@code POST /api/v1/devices/{id}/commands} with {@code waitSeconds}, answers with {@code POST /commands/{id}},
 * and the answer comes back in the API's reply — also when the device is on the other of two {@code serve}
 * processes on one PostgreSQL. The device is Californium's client over Scandium, as a Java device would be.
 */
class CoapCommandsIT {

    private static final long DEVICE = 14;
    private static final Pattern COMMAND_ID = Pattern.compile("\"id\":(\\d+)");
    private static final Duration WAIT = Duration.ofSeconds(90);

    static {
        CoapConfig.register();
        DtlsConfig.register();
    }

    @TempDir
    Path dataDir;
    @TempDir
    Path secondDataDir;

    @Test
    void commandPostedToTheApiReachesTheObserverAndTheAnswerComesBackInTheReply() throws Exception {
        try (LocomovProcess server = LocomovProcess.serve(dataDir)) {
            byte[] psk = devicePsk(dataDir);
            roundTrip(server, server, psk);
        }
    }

    @Test
    void commandReachesADeviceObservingTheOtherServeProcess() throws Exception {
        try (LocomovProcess first = LocomovProcess.serve(dataDir)) {
            byte[] psk = devicePsk(dataDir);
            try (LocomovProcess second = LocomovProcess.serve(secondDataDir, first.joinNodeArgs().toArray(String[]::new))) {
                roundTrip(first, second, psk);
            }
        }
    }

    /** The device observes on {@code deviceNode}'s CoAP listener; the command is posted to {@code apiNode}'s API. */
    private static void roundTrip(LocomovProcess apiNode, LocomovProcess deviceNode, byte[] psk) throws Exception {
        CoapEndpoint endpoint = pskEndpoint(Long.toString(DEVICE), psk);
        String base = "coaps://127.0.0.1:" + deviceNode.coapPort();
        CoapClient observing = client(endpoint, base + "/commands");
        try {
            List<String> notifications = new CopyOnWriteArrayList<>();
            CoapObserveRelation relation = observing.observeAndWait(new CoapHandler() {
                @Override
                public void onLoad(CoapResponse response) {
                    notifications.add(response.getResponseText());
                }

                @Override
                public void onError() {
                    // A failed notification shows as the command never arriving, asserted below.
                }
            });
            // observeAndWait returns once the relation holds the first response (or after 2 s), but hands it to
            // the handler on another thread: wait for it there before looking.
            if (!relation.isCanceled()) {
                await("the observe response in the handler").atMost(WAIT).until(() -> !notifications.isEmpty());
            }
            assertThat(relation.getCurrent()).as("no answer to the observe request").isNotNull();
            assertThat(relation.getCurrent().getCode()).isEqualTo(ResponseCode.CONTENT);
            assertThat(relation.isCanceled()).as("the server did not accept the observation").isFalse();
            assertThat(notifications).containsExactly("[]");

            CompletableFuture<HttpResponse<String>> reply =
                    apiNode.postCommand(DEVICE, "{\"name\":\"reboot\",\"payload\":{\"delay\":5},\"waitSeconds\":30}");

            await("a notification carrying the command").atMost(WAIT)
                    .until(() -> notifications.getLast().contains("\"reboot\""));
            // The payload is stored as jsonb, which spaces it its own way: compared without blanks.
            String command = notifications.getLast();
            assertThat(command.replace(" ", "")).startsWith("[{\"id\":")
                    .contains("\"name\":\"reboot\"").contains("\"payload\":{\"delay\":5}");
            Matcher id = COMMAND_ID.matcher(command);
            assertThat(id.find()).as(command).isTrue();

            CoapClient answering = client(endpoint, base + "/commands/" + id.group(1));
            CoapResponse answer = answering.post("{\"uptime\":1}", MediaTypeRegistry.APPLICATION_JSON);
            assertThat(answer).as("no CoAP response to the answer").isNotNull();
            assertThat(answer.getCode()).as(answer.getResponseText()).isEqualTo(ResponseCode.CREATED);

            HttpResponse<String> answered = reply.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(answered.statusCode()).as(answered.body()).isEqualTo(201);
            assertThat(answered.body().replace(" ", "")).contains("\"status\":\"answered\"")
                    .contains("\"response\":{\"uptime\":1}");
            // Answered, the command leaves what the device observes.
            await("the answered command leaving /commands").atMost(WAIT)
                    .until(() -> notifications.getLast().equals("[]"));

            relation.proactiveCancel();
        } finally {
            observing.shutdown();
            endpoint.destroy();
        }
    }

    private static CoapClient client(CoapEndpoint endpoint, String uri) {
        CoapClient client = new CoapClient(uri);
        client.setEndpoint(endpoint);
        client.setTimeout(WAIT.toMillis());
        return client;
    }

    /** A device's DTLS client: its PSK identity is its id, the key the bytes of psk.txt's text (decision 1401). */
    private static CoapEndpoint pskEndpoint(String identity, byte[] key) {
        Configuration config = Configuration.createStandardWithoutFile();
        config.set(DtlsConfig.DTLS_ROLE, DtlsRole.CLIENT_ONLY);
        config.set(DtlsConfig.DTLS_CONNECTION_ID_LENGTH, 0); // uses the server's Connection ID
        config.set(CoapConfig.ACK_TIMEOUT, 500, TimeUnit.MILLISECONDS);
        config.set(CoapConfig.MAX_RETRANSMIT, 8);
        DtlsConnectorConfig dtls = DtlsConnectorConfig.builder(config)
                .setAddress(new InetSocketAddress("127.0.0.1", 0))
                .setAdvancedPskStore(new AdvancedSinglePskStore(identity, key))
                .build();
        return new CoapEndpoint.Builder().setConfiguration(config).setConnector(new DTLSConnector(dtls)).build();
    }

    private static byte[] devicePsk(Path dataDir) throws Exception {
        LocomovProcess.Result added = LocomovProcess.run("device", "add", "--id", Long.toString(DEVICE),
                "--data-dir", dataDir.toString());
        assertThat(added.status()).as(added.err()).isZero();
        Path kit = dataDir.resolve("flash-" + DEVICE);
        LocomovProcess.Result issued = LocomovProcess.run("device", "credentials", "--id", Long.toString(DEVICE),
                "--out", kit.toString(), "--data-dir", dataDir.toString());
        assertThat(issued.status()).as(issued.err()).isZero();
        return Files.readString(kit.resolve("psk.txt")).strip().getBytes(StandardCharsets.US_ASCII);
    }
}
