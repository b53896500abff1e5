package org.locomov.particle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locomov.core.IngestSettings;
import org.locomov.core.command.Command;
import org.locomov.core.command.CommandStatus;
import org.locomov.core.event.LocalUserEvents;
import org.locomov.core.event.UserEvent;
import org.locomov.core.session.DeviceDescription;
import org.locomov.core.firmware.FirmwareJobStatus;
import org.locomov.core.firmware.FirmwareOffer;
import org.locomov.core.session.DeviceSession;
import org.locomov.particle.ParticleRefusals.Reason;
import org.locomov.particle.keys.PgParticleDevices;
import org.locomov.particle.keys.ServerKeyStore;
import org.locomov.particle.testing.CoreDevice;
import org.locomov.particle.testing.RecordedSession;
import org.locomov.particle.testing.RecordingDevicePlane;
import org.locomov.particle.testing.SimulatedCore;
import org.locomov.store.BatchWriter;
import org.locomov.store.Database;
import org.locomov.store.PgDeviceDescriptions;
import org.locomov.store.testing.TestDatabase;
import org.locomov.tls.MasterKey;

/** The listener with the simulated Core on loopback, on a real PostgreSQL (device keys, server key, readings). */
class ParticleListenerTest {

    private static final RecordedSession RECORDED = RecordedSession.load();
    private static final String READING = "{\"voltage\":230.1,\"freq\":50.0}";

    private static Database database;
    private static BatchWriter writer;
    private static ExecutorService lookups;
    private static RecordingDevicePlane plane;
    private static ParticleServer server;
    private static PgDeviceDescriptions descriptions;
    private static final LocalUserEvents userEvents = new LocalUserEvents();
    private static KeyPair serverKey;
    private static long deviceId;
    /** The user who owns the recorded Core and the other device whose events it subscribes to. */
    private static long owner;
    private static Path masterKeyDirectory;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        database = TestDatabase.fresh();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        writer = new BatchWriter(database.dataSource(), IngestSettings.DEFAULTS, registry);
        writer.start();
        masterKeyDirectory = Files.createTempDirectory("particle-master-key");
        Path masterKeyFile = masterKeyDirectory.resolve("master.key");
        serverKey = new ServerKeyStore(database.dataSource(), () -> open(masterKeyFile), "test").loadOrCreate();
        lookups = Executors.newFixedThreadPool(2);
        PgParticleDevices devices = new PgParticleDevices(database.dataSource(), lookups);
        deviceId = devices.register(RECORDED.deviceId(),
                (java.security.interfaces.RSAPublicKey) RECORDED.devicePublicKey(), "core-sim").deviceId();
        TestDatabase.execute(database, "INSERT INTO sub (email) VALUES ('core-owner@example.com')");
        owner = TestDatabase.count(database, "SELECT id FROM sub WHERE email = 'core-owner@example.com'");
        TestDatabase.execute(database, "UPDATE pub SET creator = ? WHERE pub_id = ?", owner, deviceId);
        TestDatabase.execute(database, "INSERT INTO pub (pub_id, creator) VALUES (?, ?)", deviceId + 1000, owner);
        plane = new RecordingDevicePlane();
        descriptions = new PgDeviceDescriptions(database.dataSource(), lookups);
        server = new ParticleServer("particle", ParticleSettings.loopback(), () -> serverKey, devices,
                plane.plane(writer), descriptions, userEvents, registry);
        server.start();
    }

    private static MasterKey open(Path file) {
        try {
            return MasterKey.openOrCreate(file, true);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stop() {
        server.close();
        writer.close();
        lookups.shutdownNow();
        database.close();
    }

    @AfterEach
    void closeCores() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
        await().until(() -> !plane.sessions.isOnline(deviceId));
    }

    private SimulatedCore core(boolean newlyUpgraded) throws IOException {
        SimulatedCore core = SimulatedCore.connect("127.0.0.1", server.port(), CoreDevice.recorded(RECORDED.deviceId(),
                RECORDED.devicePrivateKey(), serverKey.getPublic(), newlyUpgraded));
        toClose.add(core);
        await().until(() -> core.inspect(CoreDevice::sawServerHello) && plane.sessions.isOnline(deviceId));
        return core;
    }

    private ParticleSession session() {
        List<DeviceSession> sessions = plane.sessions.sessionsOf(deviceId);
        assertThat(sessions).hasSize(1);
        return (ParticleSession) sessions.get(0);
    }

    private long packets() {
        return TestDatabase.count(database, "SELECT count(*) FROM reading WHERE pub_id = ?", deviceId);
    }

    @Test
    void theSimulatedCoreCompletesTheHandshakeAndGetsTheTime() throws Exception {
        SimulatedCore core = core(false);
        core.requestTime();
        await().until(() -> core.inspect(CoreDevice::serverTime) > 0);
        assertThat(core.inspect(CoreDevice::serverTime)).isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(5L));
        core.ping();
        assertThat(session().particleId()).isEqualTo(RECORDED.deviceId());
        assertThat(server.sessions().find(deviceId)).isPresent();
    }

    @Test
    void eventsAreStoredAndAReadingEventBecomesARow() throws Exception {
        SimulatedCore core = core(false);
        int eventsBefore = plane.events.size();
        long rowsBefore = packets();
        core.publish("door", "open");
        core.publish("reading", READING);
        await().until(() -> plane.events.size() == eventsBefore + 2 && packets() == rowsBefore + 1);
        assertThat(plane.events.subList(eventsBefore, eventsBefore + 2))
                .extracting(e -> e.name() + "=" + e.data() + "@" + e.deviceId())
                .containsExactly("door=open@" + deviceId, "reading=" + READING + "@" + deviceId);
        assertThat(TestDatabase.count(database,
                "SELECT count(*) FROM reading WHERE pub_id = ? AND voltage = 230.1 AND frequency = 50.0 AND transport = 'particle'",
                deviceId)).isEqualTo(1 + rowsBefore);
    }

    @Test
    void functionsAndVariablesAnswerThroughTheDevicePlane() throws Exception {
        SimulatedCore core = core(false);
        ParticleSession session = session();
        assertThat(session.takesCommands()).isTrue();
        session.deliver(command(101, "led", "\"on\"")).get();
        session.deliver(command(102, "add", "\"2,3\"")).get();
        session.deliver(command(103, "variable/volts", null)).get();
        session.deliver(command(104, "variable/label", null)).get();
        session.deliver(command(105, "nosuch", "\"x\"")).get();
        await().until(() -> plane.answers.stream().filter(a -> a.commandId() >= 101 && a.commandId() <= 105).count() == 5);
        assertThat(plane.answers).filteredOn(a -> a.commandId() >= 101 && a.commandId() <= 105)
                .extracting(a -> a.commandId() + ":" + a.ok() + ":" + a.payloadJson())
                .containsExactlyInAnyOrder("101:true:2", "102:true:5", "103:true:229.5", "104:true:\"core-sim\"",
                        "105:false:\"the device has no function nosuch\"");
        assertThat(core.calls()).containsExactly("led(on)", "add(2,3)");
        assertThat(session.readVariable("temp").get()).isEqualTo("21");
        assertThat(session.readVariable("on").get()).isEqualTo("true");
        assertThat(session.describe().get().functions()).containsExactly("led", "add");
        session.signal(true).get();
        assertThat(core.inspect(CoreDevice::signalling)).isTrue();
    }

    @Test
    void whatTheCoreDescribesIsPublishedWithParticlesTypeNames() throws Exception {
        TestDatabase.execute(database, "DELETE FROM device_description WHERE pub_id = ?", deviceId);
        core(false);
        await().until(() -> descriptions.findNow(deviceId).isPresent());
        DeviceDescription published = descriptions.findNow(deviceId).orElseThrow();
        assertThat(published.functions()).containsExactly("led", "add");
        assertThat(published.variables()).containsOnly(java.util.Map.entry("temp", DeviceDescription.INT32),
                java.util.Map.entry("volts", DeviceDescription.DOUBLE), java.util.Map.entry("label", DeviceDescription.STRING),
                java.util.Map.entry("on", DeviceDescription.BOOLEAN));
    }

    @Test
    void signalCommandsStartAndStopTheCoresSignal() throws Exception {
        SimulatedCore core = core(false);
        ParticleSession session = session();
        session.deliver(command(201, "signal/on", null)).get();
        await().until(() -> plane.answers.stream().anyMatch(a -> a.commandId() == 201));
        assertThat(core.inspect(CoreDevice::signalling)).isTrue();
        session.deliver(command(202, "signal/off", null)).get();
        session.deliver(command(203, "signal/blink", null)).get();
        await().until(() -> plane.answers.stream().filter(a -> a.commandId() >= 201 && a.commandId() <= 203).count() == 3);
        assertThat(core.inspect(CoreDevice::signalling)).isFalse();
        assertThat(plane.answers).filteredOn(a -> a.commandId() >= 201 && a.commandId() <= 203)
                .extracting(a -> a.commandId() + ":" + a.ok() + ":" + a.payloadJson())
                .containsExactlyInAnyOrder("201:true:true", "202:true:true",
                        "203:false:\"a Particle device does not know signal/blink\"");
    }

    @Test
    void aSubscribedCoreReceivesItsOwnersEvents() throws Exception {
        SimulatedCore core = core(false);
        core.subscribe("lights");
        // The subscription is registered when its message is read; publish until it has arrived.
        await().until(() -> {
            userEvents.publish(new UserEvent(owner, "lights/porch", "off", Instant.now(), false));
            return !core.inspect(CoreDevice::serverEvents).isEmpty();
        });
        assertThat(core.inspect(CoreDevice::serverEvents).get(0)).isEqualTo("e/lights/porch=off");
        userEvents.publish(new UserEvent(owner, "lights/hall", "on", Instant.now(), true));
        userEvents.publish(new UserEvent(owner, "heating", "on", Instant.now(), false));
        core.requestTime();
        await().until(() -> core.inspect(CoreDevice::serverTime) > 0
                && core.inspect(CoreDevice::serverEvents).contains("E/lights/hall=on"));
        assertThat(core.inspect(CoreDevice::serverEvents)).allMatch(e -> e.contains("lights/"));
    }

    private Command command(long id, String name, String payload) {
        Instant now = Instant.now();
        return new Command(id, deviceId, name, payload, CommandStatus.SENT, null, now, now.plusSeconds(60), null);
    }

    @Test
    void firmwareGoesChunkByChunkWithCrcsAndTheCoreComesBackUpgraded() throws Exception {
        SimulatedCore core = core(false);
        byte[] image = new byte[1000];
        new SecureRandom().nextBytes(image);
        plane.images.put(7L, image);
        core.inspect(device -> {
            device.corruptNextChunk();
            return null;
        });
        ParticleSession session = session();
        assertThat(session.takesFirmware()).isTrue();
        session.offer(new FirmwareOffer(31, deviceId, 7, "blink", "2", image.length, "00", "/api/v1/firmware/7/image")).get();
        await().until(() -> plane.reports.stream().anyMatch(r -> r.jobId() == 31 && r.status().isFinal()));
        assertThat(plane.reports).filteredOn(r -> r.jobId() == 31).last()
                .satisfies(r -> {
                    assertThat(r.status()).isEqualTo(FirmwareJobStatus.DONE);
                    assertThat(r.bytes()).isEqualTo(image.length);
                });
        assertThat(core.inspect(CoreDevice::updateDone)).isTrue();
        assertThat(core.inspect(CoreDevice::image)).isEqualTo(image);
        assertThat(core.inspect(CoreDevice::chunksGood)).isEqualTo(4);
        assertThat(core.inspect(CoreDevice::chunksBad)).as("the chunk answered with a bad CRC was sent again").isEqualTo(1);

        core.close(); // the Core reboots into the new firmware
        await().until(() -> !plane.sessions.isOnline(deviceId));
        SimulatedCore upgraded = core(true);
        assertThat(upgraded.closedByServer()).isFalse();
    }

    @Test
    void aReconnectTakesOverTheEarlierSession() throws Exception {
        SimulatedCore first = core(false);
        SimulatedCore second = SimulatedCore.connect("127.0.0.1", server.port(), CoreDevice.recorded(RECORDED.deviceId(),
                RECORDED.devicePrivateKey(), serverKey.getPublic(), false));
        toClose.add(second);
        await().until(first::closedByServer);
        await().until(() -> second.inspect(CoreDevice::sawServerHello));
        await().until(() -> plane.sessions.sessionsOf(deviceId).size() == 1);
        assertThat(server.sessions().size()).isEqualTo(1);
    }

    @Test
    void aSubscribedCoreReceivesItsOwnersOtherDevicesEvents() throws Exception {
        SimulatedCore core = core(false);
        core.subscribe("weather");
        await().until(() -> plane.sessions.isOnline(deviceId));
        // The subscription is registered when its message is read; publish until it has arrived.
        await().until(() -> {
            plane.publish(new org.locomov.core.event.DeviceEvent(deviceId + 1000, "weather/rain", "light", Instant.now(),
                    org.locomov.core.Transport.MQTT));
            return !core.inspect(CoreDevice::serverEvents).isEmpty();
        });
        // Another transport's event is private (decision 1541): it reaches its owner's Core as a private event.
        assertThat(core.inspect(CoreDevice::serverEvents).get(0)).isEqualTo("E/weather/rain=light");
        plane.publish(new org.locomov.core.event.DeviceEvent(deviceId + 1000, "other", "x", Instant.now(),
                org.locomov.core.Transport.MQTT));
        core.requestTime();
        await().until(() -> core.inspect(CoreDevice::serverTime) > 0);
        assertThat(core.inspect(CoreDevice::serverEvents)).allMatch(e -> e.startsWith("E/weather/"));
    }

    @Test
    void aPhotonSendingItsRegisteredKeyIsAcceptedAndAnotherKeyIsRefused() throws Exception {
        CoreDevice photon = new CoreDevice(RECORDED.deviceId(), RECORDED.devicePrivateKey(), serverKey.getPublic(),
                RECORDED.devicePublicKey().getEncoded(), java.util.Map.of(), java.util.Map.of(), false);
        SimulatedCore accepted = SimulatedCore.connect("127.0.0.1", server.port(), photon);
        toClose.add(accepted);
        await().until(() -> accepted.inspect(CoreDevice::sawServerHello));
        accepted.close();
        await().until(() -> !plane.sessions.isOnline(deviceId));

        double before = server.refusals().count(Reason.DEVICE_KEY_MISMATCH);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024);
        KeyPair other = generator.generateKeyPair();
        CoreDevice impostor = new CoreDevice(RECORDED.deviceId(), other.getPrivate(), serverKey.getPublic(),
                other.getPublic().getEncoded(), java.util.Map.of(), java.util.Map.of(), false);
        assertThatThrownBy(() -> SimulatedCore.connect("127.0.0.1", server.port(), impostor)).isInstanceOf(IOException.class);
        await().until(() -> server.refusals().count(Reason.DEVICE_KEY_MISMATCH) == before + 1);
    }

    // ---- refusals: each closes the connection, is logged and counted, and stores nothing ----

    @Test
    void anUnknownDeviceIsRefused() throws Exception {
        double before = server.refusals().count(Reason.UNKNOWN_DEVICE);
        int eventsBefore = plane.events.size();
        CoreDevice stranger = CoreDevice.recorded("0123456789abcdef01234567", RECORDED.devicePrivateKey(),
                serverKey.getPublic(), false);
        assertThatThrownBy(() -> SimulatedCore.connect("127.0.0.1", server.port(), stranger)).isInstanceOf(IOException.class);
        await().until(() -> server.refusals().count(Reason.UNKNOWN_DEVICE) == before + 1);
        assertThat(plane.events).hasSize(eventsBefore);
    }

    @Test
    void aHandshakeWithTheWrongNonceIsRefused() throws Exception {
        double before = server.refusals().count(Reason.WRONG_NONCE);
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            byte[] nonce = socket.getInputStream().readNBytes(40);
            nonce[0] ^= 1;
            CoreDevice device = CoreDevice.recorded(RECORDED.deviceId(), RECORDED.devicePrivateKey(), serverKey.getPublic(), false);
            socket.getOutputStream().write(device.answerNonce(nonce));
            assertThat(socket.getInputStream().read()).as("closed without a reply").isEqualTo(-1);
        }
        await().until(() -> server.refusals().count(Reason.WRONG_NONCE) == before + 1);
    }

    @Test
    void aTruncatedHandshakeIsRefused() throws Exception {
        double before = server.refusals().count(Reason.TRUNCATED_HANDSHAKE);
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.getInputStream().readNBytes(40);
            socket.getOutputStream().write(new byte[100]);
        }
        await().until(() -> server.refusals().count(Reason.TRUNCATED_HANDSHAKE) == before + 1);
    }

    @Test
    void aGarbageHandshakeIsRefused() throws Exception {
        double before = server.refusals().count(Reason.GARBAGE_HANDSHAKE);
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.getInputStream().readNBytes(40);
            byte[] garbage = new byte[256];
            new SecureRandom().nextBytes(garbage);
            socket.getOutputStream().write(garbage);
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
        await().until(() -> server.refusals().count(Reason.GARBAGE_HANDSHAKE) == before + 1);
    }

    @Test
    void garbageAfterTheHandshakeIsRefused() throws Exception {
        SimulatedCore core = core(false);
        double before = server.refusals().count(Reason.UNDECRYPTABLE_MESSAGE);
        int eventsBefore = plane.events.size();
        // Random bytes would pass the padding check about one time in 256 (then refused as malformed, or even
        // taken): a real message with the last byte of its next-to-last block flipped decrypts to a padding byte
        // over 0x80, which never verifies.
        byte[] frame = core.inspect(device -> device.publish("garbage", "x".repeat(40), true));
        frame[frame.length - 16 - 1] ^= (byte) 0x80;
        core.writeRaw(frame);
        await().until(core::closedByServer);
        assertThat(server.refusals().count(Reason.UNDECRYPTABLE_MESSAGE)).isEqualTo(before + 1);
        assertThat(plane.events).hasSize(eventsBefore);
    }

    @Test
    void anOversizeMessageIsRefused() throws Exception {
        SimulatedCore core = core(false);
        double before = server.refusals().count(Reason.OVERSIZE_MESSAGE);
        core.writeRaw(new byte[] {(byte) 0xFF, (byte) 0xF0});
        await().until(core::closedByServer);
        assertThat(server.refusals().count(Reason.OVERSIZE_MESSAGE)).isEqualTo(before + 1);
    }

    @Test
    void handshakesOverTheLimitAreRefused() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        RecordingDevicePlane otherPlane = new RecordingDevicePlane();
        try (ParticleServer limited = new ParticleServer("particle-limited", ParticleSettings.loopback().withMaxHandshakes(1),
                generator::generateKeyPair, id -> java.util.concurrent.CompletableFuture.completedFuture(java.util.Optional.empty()),
                otherPlane.plane(writer), descriptions, userEvents, new SimpleMeterRegistry())) {
            limited.start();
            try (Socket first = new Socket("127.0.0.1", limited.port())) {
                // Its nonce means it holds the one handshake permit.
                assertThat(first.getInputStream().readNBytes(40)).hasSize(40);
                try (Socket second = new Socket("127.0.0.1", limited.port())) {
                    InputStream refused = second.getInputStream();
                    assertThat(refused.read()).as("closed before any nonce").isEqualTo(-1);
                }
            }
            await().until(() -> limited.refusals().count(Reason.TOO_MANY_HANDSHAKES) == 1);
        }
    }

    @Test
    void theServerKeyIsKeptAndReadBackSealed() throws Exception {
        KeyPair again = new ServerKeyStore(database.dataSource(), () -> open(masterKeyDirectory.resolve("master.key")),
                "other-node").loadOrCreate();
        assertThat(again.getPublic().getEncoded()).isEqualTo(serverKey.getPublic().getEncoded());
        assertThat(((java.security.interfaces.RSAPublicKey) serverKey.getPublic()).getModulus().bitLength()).isEqualTo(2048);
        assertThat(((java.security.interfaces.RSAPublicKey) serverKey.getPublic()).getPublicExponent().intValue()).isEqualTo(65537);
        assertThat(again.getPublic().getEncoded()).hasSize(294);
        assertThat(TestDatabase.count(database, "SELECT count(*) FROM tls_material WHERE name = ? AND sealed_key IS NOT NULL",
                ServerKeyStore.NAME)).isEqualTo(1);
    }
}
