package org.locomov.store.plane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.locomov.store.testing.TestDatabase.count;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.locomov.core.DeviceStatus;
import org.locomov.core.IngestSettings;
import org.locomov.core.Transport;
import org.locomov.core.command.Command;
import org.locomov.core.command.CommandStatus;
import org.locomov.core.command.Commands.AnswerOutcome;
import org.locomov.core.event.DeviceEvent;
import org.locomov.core.identity.DeviceIdentity;
import org.locomov.core.identity.Identity;
import org.locomov.core.identity.PskLookup;
import org.locomov.core.session.DeviceSession;
import org.locomov.core.session.DeviceSessions.SessionHandle;
import org.locomov.store.BatchWriter;
import org.locomov.store.ConfoRepository;
import org.locomov.store.Database;
import org.locomov.store.PgDeviceDirectory;
import org.locomov.store.testing.TestDatabase;

/** Two device planes on one database, as two nodes would run them (one JVM here; separate processes in the server IT). */
class PgDevicePlaneTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private Database database;
    private BatchWriter writer;
    private PgDeviceDirectory directoryA;
    private PgDevicePlane nodeA;
    private PgDevicePlane nodeB;

    @BeforeEach
    void start() {
        database = TestDatabase.fresh();
        writer = new BatchWriter(database.dataSource(), IngestSettings.DEFAULTS, new SimpleMeterRegistry());
        writer.start();
        directoryA = new PgDeviceDirectory(database.dataSource(), false, new SimpleMeterRegistry());
        nodeA = node(directoryA);
        nodeB = node(new PgDeviceDirectory(database.dataSource(), false, new SimpleMeterRegistry()));
    }

    private PgDevicePlane node(PgDeviceDirectory directory) {
        // The default node timeout: with 3 s, a plane thread starved for 2 s on a loaded machine could have the
        // other node declare it dead and drop its sessions mid-test.
        return new PgDevicePlane(new DevicePlaneSettings(Duration.ofSeconds(15), 100), database.dataSource(),
                database::dedicatedConnection, writer, directory, new NobodyIdentity(), new ConfoRepository(database.dataSource()),
                new SimpleMeterRegistry()).start();
    }

    @AfterEach
    void stop() {
        nodeA.close();
        nodeB.close();
        writer.close();
        database.close();
    }

    @Test
    void commandMadeForADeviceHeldByAnotherNodeIsDeliveredThereOnceAndItsAnswerIsSeenHere() throws Exception {
        TestDatabase.addDevice(database, 1);
        TestSession session = new TestSession(1);
        SessionHandle handle = nodeA.plane().sessions().open(session);
        await().atMost(WAIT).until(() -> nodeB.plane().sessions().isOnline(1));

        BlockingQueue<Command> seenOnB = new LinkedBlockingQueue<>();
        try (AutoCloseable watch = nodeB.plane().commands().watch(seenOnB::add)) {
            Command made = nodeB.commands().rows().create(1, "open", "{\"valve\": 2}", Duration.ofMinutes(1), null);

            Command delivered = session.delivered.poll(30, TimeUnit.SECONDS);
            assertThat(delivered).isNotNull();
            assertThat(delivered.id()).isEqualTo(made.id());
            assertThat(nodeA.plane().commands().answer(1, made.id(), true, "\"done\"").get(30, TimeUnit.SECONDS))
                    .isEqualTo(AnswerOutcome.RECORDED);
            assertThat(nodeA.plane().commands().answer(1, made.id(), true, "\"again\"").get(30, TimeUnit.SECONDS))
                    .isEqualTo(AnswerOutcome.NOT_WAITING);

            await().atMost(WAIT).until(() -> seenOnB.stream().anyMatch(command -> command.id() == made.id()
                    && command.status() == CommandStatus.ANSWERED && "\"done\"".equals(command.responseJson())));
        }
        assertThat(session.delivered).isEmpty();
        assertThat(count(database, "SELECT count(*) FROM command WHERE node = ?", nodeA.sessions().node())).isEqualTo(1);

        handle.close();
        await().atMost(WAIT).until(() -> !nodeB.plane().sessions().isOnline(1));
    }

    @Test
    void aDeviceRevokedOrDeletedElsewhereIsForgottenAndItsSessionsClosedOnEveryNode() throws Exception {
        TestDatabase.addDevice(database, 2);
        assertThat(directoryA.check(2).get(30, TimeUnit.SECONDS)).isEqualTo(DeviceStatus.KNOWN);
        TestSession session = new TestSession(2);
        nodeA.plane().sessions().open(session);

        TestDatabase.execute(database, "UPDATE pub SET revoked_at = now() WHERE pub_id = 2");

        await().atMost(WAIT).until(() -> session.closedBecause.contains("the device was revoked"));
        await().atMost(WAIT).until(() -> directoryA.check(2).get() == DeviceStatus.REVOKED);

        TestDatabase.execute(database, "DELETE FROM pub WHERE pub_id = 2");
        await().atMost(WAIT).until(() -> directoryA.check(2).get() == DeviceStatus.UNKNOWN);
    }

    @Test
    void aFullEventQueueAsksForPatienceAndStoresOnceThereIsRoom() throws Exception {
        TestDatabase.addDevice(database, 3);
        PgDeviceEvents events = new PgDeviceEvents(database.dataSource(), new EventRows(database.dataSource()), 1,
                new SimpleMeterRegistry());
        try {
            CompletableFuture<Void> first = events.publish(event(3, "a"));
            assertThat(first).isNotNull();
            assertThat(events.publish(event(3, "b"))).isNull();
            CompletableFuture<Void> room = new CompletableFuture<>();
            events.whenCapacity(() -> room.complete(null));
            assertThat(room).isNotDone();

            events.start();
            first.get(30, TimeUnit.SECONDS);
            room.get(30, TimeUnit.SECONDS);
            assertThat(count(database, "SELECT count(*) FROM event WHERE pub_id = 3")).isEqualTo(1);
        } finally {
            events.close();
        }
    }

    @Test
    void anEventOfAnUnknownDeviceFailsAloneAndTheOthersOfItsBatchAreStored() throws Exception {
        TestDatabase.addDevice(database, 4);
        CompletableFuture<Void> good = nodeA.plane().events().publish(event(4, "ok"));
        CompletableFuture<Void> bad = nodeA.plane().events().publish(event(404, "nobody"));

        good.get(30, TimeUnit.SECONDS);
        assertThat(bad).failsWithin(WAIT).withThrowableThat().withMessageContaining("unknown device 404");
        assertThat(count(database, "SELECT count(*) FROM event")).isEqualTo(1);
    }

    @Test
    void whetherAnEventIsPrivateIsStoredAndReachesTheOtherNodesSubscribers() throws Exception {
        TestDatabase.addDevice(database, 6);
        BlockingQueue<DeviceEvent> seenOnB = new LinkedBlockingQueue<>();
        try (AutoCloseable watch = nodeB.plane().events().subscribe(seenOnB::add)) {
            nodeA.plane().events().publish(new DeviceEvent(6, "door/public", "open", Instant.now(), Transport.PARTICLE, false))
                    .get(30, TimeUnit.SECONDS);
            nodeA.plane().events().publish(new DeviceEvent(6, "door/private", "shut", Instant.now(), Transport.PARTICLE, true))
                    .get(30, TimeUnit.SECONDS);
            nodeA.plane().events().publish(event(6, "mqtt")).get(30, TimeUnit.SECONDS);

            List<DeviceEvent> seen = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                seen.add(seenOnB.poll(30, TimeUnit.SECONDS));
            }
            assertThat(seen).extracting(e -> e.name() + ":" + e.isPrivate())
                    .containsExactly("door/public:false", "door/private:true", "mqtt:true");
        }
        assertThat(count(database, "SELECT count(*) FROM event WHERE pub_id = 6 AND private")).isEqualTo(2);
    }

    @Test
    void aDeadNodesSessionsAreDroppedSoItsDevicesAreOffline() {
        TestDatabase.addDevice(database, 5);
        TestDatabase.execute(database, "INSERT INTO node (node, timeout_ms, heartbeat) VALUES ('gone', 1000, now() - interval '1 minute')");
        TestDatabase.execute(database, "INSERT INTO device_session (pub_id, node, listener) VALUES (5, 'gone', 'mov')");

        await().atMost(WAIT).until(() -> count(database, "SELECT count(*) FROM node WHERE node = 'gone'") == 0);
        assertThat(count(database, "SELECT count(*) FROM device_session WHERE pub_id = 5")).isZero();
        // Either node may have removed it; nodeB's view follows the row on its next notification or heartbeat.
        await().atMost(WAIT).until(() -> !nodeB.plane().sessions().isOnline(5));
    }

    private static DeviceEvent event(long deviceId, String name) {
        return new DeviceEvent(deviceId, name, "data", Instant.now(), Transport.MQTT);
    }

    /** A session that takes commands and keeps what it was handed. */
    private static final class TestSession implements DeviceSession {

        final BlockingQueue<Command> delivered = new LinkedBlockingQueue<>();
        final List<String> closedBecause = new CopyOnWriteArrayList<>();
        private final long deviceId;

        TestSession(long deviceId) {
            this.deviceId = deviceId;
        }

        @Override
        public long deviceId() {
            return deviceId;
        }

        @Override
        public String listener() {
            return "test";
        }

        @Override
        public String peer() {
            return "127.0.0.1:1";
        }

        @Override
        public boolean takesCommands() {
            return true;
        }

        @Override
        public CompletableFuture<Void> deliver(Command command) {
            delivered.add(command);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void close(String reason) {
            closedBecause.add(reason);
        }
    }

    /** Recognises nobody: these tests identify devices by id only. */
    private static final class NobodyIdentity implements DeviceIdentity {

        private static CompletableFuture<Identity> nobody() {
            return CompletableFuture.completedFuture(new Identity.Refused(
                    org.locomov.core.Refusal.of(org.locomov.core.RefusalKind.BAD_CREDENTIALS, "nobody")));
        }

        @Override
        public CompletableFuture<Identity> byCertificate(List<X509Certificate> chain) {
            return nobody();
        }

        @Override
        public CompletableFuture<Identity> byToken(long deviceId, String token) {
            return nobody();
        }

        @Override
        public CompletableFuture<Identity> byToken(String token) {
            return nobody();
        }

        @Override
        public CompletableFuture<PskLookup> byPskIdentity(String pskIdentity) {
            return CompletableFuture.completedFuture(new PskLookup.Refused(
                    org.locomov.core.Refusal.of(org.locomov.core.RefusalKind.BAD_CREDENTIALS, "nobody")));
        }

        @Override
        public List<X509Certificate> trustAnchors() {
            return List.of();
        }

        @Override
        public void onTrustAnchorsChanged(Runnable listener) {
        }
    }
}
