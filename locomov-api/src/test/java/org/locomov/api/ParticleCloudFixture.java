package org.locomov.api;

import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.locomov.particle.ParticleServer;
import org.locomov.particle.ParticleSettings;
import org.locomov.particle.keys.PgParticleDevices;
import org.locomov.particle.keys.ServerKeyStore;
import org.locomov.particle.testing.CoreDevice;
import org.locomov.particle.testing.RecordedSession;
import org.locomov.particle.testing.SimulatedCore;
import org.locomov.store.PgDeviceDescriptions;
import org.locomov.store.UserPasswords;
import org.locomov.tls.MasterKey;

/**
 * The API ({@link ApiFixture}: real PostgreSQL, real device plane) with a real Particle listener on the same
 * plane, the recorded Spark Core's key registered (owned by {@value #OWNER}, whose password is
 * {@value #PASSWORD}), and the simulated Core (the recording's device program: functions {@code led},
 * {@code add}; variables {@code temp}, {@code volts}, {@code label}, {@code on}) connected to it.
 */
final class ParticleCloudFixture implements AutoCloseable {

    static final String OWNER = "ann@example.com";
    static final String PASSWORD = "spark core at home";
    static final RecordedSession RECORDED = RecordedSession.load();
    static final String CORE_ID = RECORDED.deviceId();

    final ApiFixture api;
    final String token;
    final long deviceId;
    final ParticleServer particle;
    private final KeyPair serverKey;
    private final PgDeviceDescriptions descriptions;
    private final ExecutorService lookups = Executors.newFixedThreadPool(2);
    private final Path masterKeyDirectory;
    private SimulatedCore core;

    ParticleCloudFixture() throws IOException {
        api = ApiFixture.start();
        token = api.userWithToken(OWNER, false);
        new UserPasswords(api.database.dataSource()).set(OWNER, PASSWORD.toCharArray());
        masterKeyDirectory = Files.createTempDirectory("particle-cloud-master-key");
        Path masterKeyFile = masterKeyDirectory.resolve("master.key");
        serverKey = new ServerKeyStore(api.database.dataSource(), () -> openMasterKey(masterKeyFile), "test").loadOrCreate();
        PgParticleDevices keys = new PgParticleDevices(api.database.dataSource(), lookups);
        try {
            deviceId = keys.register(CORE_ID, (RSAPublicKey) RECORDED.devicePublicKey(), "core-sim").deviceId();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        org.locomov.store.testing.TestDatabase.execute(api.database, "UPDATE pub SET creator = ? WHERE pub_id = ?",
                api.userId(OWNER), deviceId);
        descriptions = new PgDeviceDescriptions(api.database.dataSource(), lookups);
        particle = new ParticleServer("particle", ParticleSettings.loopback(), () -> serverKey, keys, api.plane.plane(),
                descriptions, api.userEvents, new SimpleMeterRegistry());
        particle.start();
    }

    /**
     * Connects the simulated Core and waits until the device plane has it online and its session has published
     * what it describes (asked right after Hello), as every node's API reads it.
     */
    SimulatedCore connectCore() throws IOException {
        core = SimulatedCore.connect("127.0.0.1", particle.port(),
                CoreDevice.recorded(CORE_ID, RECORDED.devicePrivateKey(), serverKey.getPublic(), false));
        await().atMost(Duration.ofSeconds(30)).until(() -> core.inspect(CoreDevice::sawServerHello)
                && api.connected.isOnline(deviceId) && descriptions.findNow(deviceId).isPresent());
        return core;
    }

    private static MasterKey openMasterKey(Path file) {
        try {
            return MasterKey.openOrCreate(file, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        if (core != null) {
            core.close();
        }
        particle.close();
        api.close();
        lookups.shutdownNow();
        try (var files = Files.walk(masterKeyDirectory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
