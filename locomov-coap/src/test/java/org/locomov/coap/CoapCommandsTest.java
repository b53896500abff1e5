package org.locomov.coap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.californium.core.CoapObserveRelation;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locomov.core.command.Command;
import org.locomov.core.command.CommandStatus;
import org.locomov.core.firmware.FirmwareJobStatus;
import org.locomov.core.firmware.FirmwareOffer;
import org.locomov.core.session.DeviceSession;
import org.locomov.store.Database;
import org.locomov.store.testing.TestDatabase;
import org.locomov.tls.DeviceCredentials;
import org.locomov.tls.KeyType;

/**
 * Commands by Observe: a device observing {@code /commands} holds a session that takes commands; a command the
 * device plane delivers reaches it as a notification, and its POSTed answer reaches {@code Commands}. (The API
 * route that makes commands is on branch plane-services; here the test delivers through the session, as the
 * plane's dispatcher does.)
 */
class CoapCommandsTest {

    @TempDir
    Path work;

    private Database database;
    private CoapUnderTest coap;
    private DeviceCredentials device;

    @BeforeEach
    void start() {
        database = TestDatabase.fresh();
        coap = new CoapUnderTest(database, work);
        device = coap.device(7, KeyType.EC);
    }

    @AfterEach
    void stop() {
        coap.close();
        database.close();
    }

    @Test
    void observerReceivesADeliveredCommandAndItsAnswerReachesCommands() {
        List<String> notifications = new CopyOnWriteArrayList<>();
        try (DtlsClient client = DtlsClient.psk(new InetSocketAddress("127.0.0.1", coap.listener.port()), device)) {
            CoapObserveRelation relation = client.observe("/commands", response -> notifications.add(response.getResponseText()));
            assertThat(notifications).containsExactly("[]");
            await().atMost(Duration.ofSeconds(10)).until(() -> !coap.sessions.sessionsOf(7).isEmpty());
            DeviceSession session = coap.sessions.sessionsOf(7).getFirst();
            assertThat(session.takesCommands()).isTrue();
            assertThat(session.listener()).isEqualTo("coap");

            Command reboot = new Command(41, 7, "reboot", "{\"delay\":5}", CommandStatus.SENT, null, Instant.now(),
                    Instant.now().plusSeconds(60), null);
            coap.commands.sent(7, 41);
            session.deliver(reboot).join();
            await().atMost(Duration.ofSeconds(10)).until(() -> notifications.size() >= 2);
            assertThat(notifications.get(1)).startsWith("[{\"id\":41,\"name\":\"reboot\",\"payload\":{\"delay\":5}");

            CoapResponse answer = client.post("/commands/41", "{\"rebooted\":true}");
            assertThat(answer.getCode()).isEqualTo(ResponseCode.CREATED);
            assertThat(coap.commands.answers).containsExactly(
                    new RecordedCommands.Answer(7, 41, true, "{\"rebooted\":true}"));
            await().atMost(Duration.ofSeconds(10)).until(() -> notifications.getLast().equals("[]"));

            assertThat(client.post("/commands/41", "{}").getCode()).isEqualTo(ResponseCode.FORBIDDEN);

            relation.proactiveCancel();
            await().atMost(Duration.ofSeconds(10)).until(() -> coap.sessions.sessionsOf(7).isEmpty());
        }
    }

    @Test
    void firmwareOfferIsAnnouncedFetchedBlockWiseAndReported() {
        byte[] image = new byte[5_000];
        new java.util.Random(1).nextBytes(image);
        coap.firmware.images.put(3L, image);
        List<String> notifications = new CopyOnWriteArrayList<>();
        try (DtlsClient client = DtlsClient.psk(new InetSocketAddress("127.0.0.1", coap.listener.port()), device)) {
            client.observe("/commands", response -> notifications.add(response.getResponseText()));
            await().atMost(Duration.ofSeconds(10)).until(() -> !coap.sessions.sessionsOf(7).isEmpty());
            DeviceSession session = coap.sessions.sessionsOf(7).getFirst();
            assertThat(session.takesFirmware()).isTrue();
            assertThat(client.get("/firmware/3").getCode()).as("not offered yet").isEqualTo(ResponseCode.FORBIDDEN);

            session.offer(new FirmwareOffer(12, 7, 3, "pump", "1.2.0", image.length, "ab", "/api/v1/firmware/3/image")).join();
            await().atMost(Duration.ofSeconds(10)).until(() -> notifications.getLast().contains("\"firmwareJob\":12"));
            assertThat(notifications.getLast()).contains("\"path\":\"/firmware/3\"").contains("\"size\":5000");

            CoapResponse fetched = client.get("/firmware/3");
            assertThat(fetched.getCode()).isEqualTo(ResponseCode.CONTENT);
            assertThat(fetched.getPayload()).isEqualTo(image);

            assertThat(client.post("/firmware/12/status", "{\"status\":\"done\",\"bytes\":5000}").getCode())
                    .isEqualTo(ResponseCode.CREATED);
            assertThat(coap.firmware.reports).containsExactly(
                    new RecordedFirmware.Report(7, 12, FirmwareJobStatus.DONE, 5000, null));
            await().atMost(Duration.ofSeconds(10)).until(() -> notifications.getLast().equals("[]"));
            assertThat(client.post("/firmware/12/status", "{\"bytes\":1}").getCode()).isEqualTo(ResponseCode.BAD_REQUEST);
        }
    }
}
