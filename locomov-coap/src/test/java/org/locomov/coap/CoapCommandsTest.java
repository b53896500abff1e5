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
}
