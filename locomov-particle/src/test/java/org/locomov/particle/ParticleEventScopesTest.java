package org.locomov.particle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locomov.core.IngestSettings;
import org.locomov.core.event.LocalUserEvents;
import org.locomov.core.event.UserEvent;
import org.locomov.particle.keys.PgParticleDevices;
import org.locomov.particle.keys.ServerKeyStore;
import org.locomov.particle.testing.CoreDevice;
import org.locomov.particle.testing.RecordingDevicePlane;
import org.locomov.particle.testing.SimulatedCore;
import org.locomov.store.BatchWriter;
import org.locomov.store.Database;
import org.locomov.store.PgDeviceDescriptions;
import org.locomov.store.testing.TestDatabase;
import org.locomov.tls.MasterKey;

/**
 * Whose Cores receive an event (decision 1541), with simulated Cores of two owners on loopback and the owners in a
 * real PostgreSQL: Ann has a Core that publishes and one that listens, Bob one that listens. A private event reaches
 * only the owner's Cores, a public one every Core subscribed to every device's events.
 *
 * <p>"Does not reach" is checked without waiting for nothing: every Core receives its events in the order they
 * were published, so once a later event has arrived, an earlier one that was going to arrive has too.
 */
class ParticleEventScopesTest {

    private record Registered(String particleId, KeyPair keys, long deviceId) {
    }

    private static Database database;
    private static BatchWriter writer;
    private static ExecutorService lookups;
    private static Path masterKeyDirectory;
    private static KeyPair serverKey;
    private static ParticleServer server;
    private static final RecordingDevicePlane plane = new RecordingDevicePlane();
    private static final LocalUserEvents userEvents = new LocalUserEvents();
    private static long ann;
    private static long bob;
    private static Registered annsPublisher;
    private static Registered annsListener;
    private static Registered bobsListener;
    private final List<SimulatedCore> cores = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        database = TestDatabase.fresh();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        writer = new BatchWriter(database.dataSource(), IngestSettings.DEFAULTS, registry);
        writer.start();
        masterKeyDirectory = Files.createTempDirectory("particle-scopes-master-key");
        Path masterKeyFile = masterKeyDirectory.resolve("master.key");
        serverKey = new ServerKeyStore(database.dataSource(), () -> open(masterKeyFile), "test").loadOrCreate();
        lookups = Executors.newFixedThreadPool(2);
        PgParticleDevices devices = new PgParticleDevices(database.dataSource(), lookups);
        ann = user("ann@example.com");
        bob = user("bob@example.com");
        annsPublisher = register(devices, "0a0000000000000000000001", ann);
        annsListener = register(devices, "0a0000000000000000000002", ann);
        bobsListener = register(devices, "0b0000000000000000000001", bob);
        server = new ParticleServer("particle", ParticleSettings.loopback(), () -> serverKey, devices, plane.plane(writer),
                new PgDeviceDescriptions(database.dataSource(), lookups), userEvents, registry);
        server.start();
    }

    private static long user(String email) {
        TestDatabase.execute(database, "INSERT INTO sub (email) VALUES (?)", email);
        return TestDatabase.count(database, "SELECT id FROM sub WHERE email = ?", email);
    }

    private static Registered register(PgParticleDevices devices, String particleId, long owner) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024); // a Core's key
        KeyPair keys = generator.generateKeyPair();
        long deviceId = devices.register(particleId, (RSAPublicKey) keys.getPublic(), null).deviceId();
        TestDatabase.execute(database, "UPDATE pub SET creator = ? WHERE pub_id = ?", owner, deviceId);
        return new Registered(particleId, keys, deviceId);
    }

    private static MasterKey open(Path file) {
        try {
            return MasterKey.openOrCreate(file, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
        writer.close();
        lookups.shutdownNow();
        database.close();
        try (var files = Files.walk(masterKeyDirectory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @AfterEach
    void disconnect() throws Exception {
        for (SimulatedCore core : cores) {
            core.close();
        }
        await().until(() -> plane.sessions.sessionsOf(annsPublisher.deviceId()).isEmpty()
                && plane.sessions.sessionsOf(annsListener.deviceId()).isEmpty()
                && plane.sessions.sessionsOf(bobsListener.deviceId()).isEmpty());
    }

    private SimulatedCore connect(Registered device) throws IOException {
        SimulatedCore core = SimulatedCore.connect("127.0.0.1", server.port(), new CoreDevice(device.particleId(),
                device.keys().getPrivate(), serverKey.getPublic(), null, Map.of(), Map.of(), false));
        cores.add(core);
        await().until(() -> core.inspect(CoreDevice::sawServerHello) && plane.sessions.isOnline(device.deviceId()));
        return core;
    }

    /**
     * A Core subscribed to {@code prefix}: returns once the server has read the subscription, which is when it
     * answers the time request the Core sent after it (the server reads a Core's messages in order).
     */
    private SimulatedCore subscribed(Registered device, String prefix, boolean myDevicesOnly) throws IOException {
        SimulatedCore core = connect(device);
        core.subscribe(prefix, myDevicesOnly);
        core.requestTime();
        await().until(() -> core.inspect(CoreDevice::serverTime) > 0);
        return core;
    }

    private static List<String> events(SimulatedCore core) {
        return core.inspect(CoreDevice::serverEvents);
    }

    @Test
    void aPrivateEventOfAnnsCoreReachesAnnsOtherCoreButNotBobsAndAPublicOneReachesBoth() throws Exception {
        SimulatedCore annsCore = subscribed(annsListener, "door", false);
        SimulatedCore bobsCore = subscribed(bobsListener, "door", false);
        SimulatedCore publisher = connect(annsPublisher);

        publisher.publish("door/back", "shut", false);
        publisher.publish("door/front", "open", true);

        await().until(() -> events(bobsCore).contains("e/door/front=open"));
        assertThat(events(bobsCore)).containsExactly("e/door/front=open");
        await().until(() -> events(annsCore).size() == 2);
        assertThat(events(annsCore)).containsExactly("E/door/back=shut", "e/door/front=open");
        assertThat(events(publisher)).as("a Core does not hear itself").isEmpty();
        assertThat(plane.events).filteredOn(event -> event.name().startsWith("door/"))
                .extracting(event -> event.name() + ":" + event.isPrivate())
                .containsExactly("door/back:true", "door/front:false");
    }

    @Test
    void aMyDevicesSubscriptionGetsOnlyItsOwnersEventsEvenPublicOnes() throws Exception {
        SimulatedCore annsCore = subscribed(annsListener, "lamp", true);
        SimulatedCore bobsCore = subscribed(bobsListener, "lamp", true);
        SimulatedCore publisher = connect(annsPublisher);

        publisher.publish("lamp/hall", "on", true);
        userEvents.publish(new UserEvent(bob, "lamp/porch", "off", Instant.now(), false));

        await().until(() -> events(bobsCore).contains("e/lamp/porch=off"));
        assertThat(events(bobsCore)).containsExactly("e/lamp/porch=off");
        await().until(() -> events(annsCore).contains("e/lamp/hall=on"));
        publisher.publish("lamp/end", "-", true); // after Bob's event: once it is in, Bob's would have been too
        await().until(() -> events(annsCore).contains("e/lamp/end=-"));
        assertThat(events(annsCore)).containsExactly("e/lamp/hall=on", "e/lamp/end=-");
    }

    @Test
    void aUsersPrivateEventReachesOnlyTheirCoresAndAPublicOneEveryCore() throws Exception {
        SimulatedCore annsCore = subscribed(annsListener, "bell", false);
        SimulatedCore bobsCore = subscribed(bobsListener, "bell", false);

        userEvents.publish(new UserEvent(ann, "bell/private", "ring", Instant.now(), true));
        userEvents.publish(new UserEvent(ann, "bell/public", "ring", Instant.now(), false));

        await().until(() -> events(bobsCore).contains("e/bell/public=ring"));
        assertThat(events(bobsCore)).containsExactly("e/bell/public=ring");
        await().until(() -> events(annsCore).size() == 2);
        assertThat(events(annsCore)).containsExactly("E/bell/private=ring", "e/bell/public=ring");
    }

    @Test
    void aClaimHoldsAtOnce() throws Exception {
        SimulatedCore bobsCore = subscribed(bobsListener, "gate", false);
        SimulatedCore publisher = connect(annsPublisher);
        try {
            TestDatabase.execute(database, "UPDATE pub SET creator = ? WHERE pub_id = ?", bob, annsPublisher.deviceId());
            publisher.publish("gate", "closed", false);
            publisher.publish("gate/end", "-", true);

            await().until(() -> events(bobsCore).contains("e/gate/end=-"));
            assertThat(events(bobsCore)).containsExactly("E/gate=closed", "e/gate/end=-");
        } finally {
            TestDatabase.execute(database, "UPDATE pub SET creator = ? WHERE pub_id = ?", ann, annsPublisher.deviceId());
        }
    }
}
