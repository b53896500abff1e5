package org.locomov.particle.testing;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.locomov.core.IngestSettings;
import org.locomov.particle.ParticleServer;
import org.locomov.particle.ParticleSettings;
import org.locomov.particle.keys.PgParticleDevices;
import org.locomov.particle.keys.ServerKeyStore;
import org.locomov.store.BatchWriter;
import org.locomov.store.Database;
import org.locomov.store.testing.TestDatabase;
import org.locomov.tls.MasterKey;

/**
 * Rough figures for the issue (not a test, not a JMH benchmark): full handshakes per second and reading-event
 * publishes per second (committed rows) with {@code N} simulated Cores against one listener on loopback, on
 * embedded PostgreSQL. Client and server share the machine. Run: {@code java -cp … ParticleBench [devices] [seconds]}.
 */
public final class ParticleBench {

    private ParticleBench() {
    }

    public static void main(String[] args) throws Exception {
        int devices = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        RecordedSession recorded = RecordedSession.load();
        try (Database database = TestDatabase.fresh()) {
            BatchWriter writer = new BatchWriter(database.dataSource(), IngestSettings.DEFAULTS, new SimpleMeterRegistry());
            writer.start();
            Path keyFile = Files.createTempDirectory("bench-key").resolve("master.key");
            KeyPair serverKey = new ServerKeyStore(database.dataSource(), () -> {
                try {
                    return MasterKey.openOrCreate(keyFile, true);
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            }, "bench").loadOrCreate();
            PgParticleDevices keys = PgParticleDevices.withOwnThreads(database.dataSource());
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < devices; i++) {
                String id = String.format("%024x", 0xbe00 + i);
                keys.register(id, (RSAPublicKey) recorded.devicePublicKey(), "bench-" + i);
                ids.add(id);
            }
            RecordingDevicePlane plane = new RecordingDevicePlane();
            try (ParticleServer server = new ParticleServer("particle", ParticleSettings.loopback(), () -> serverKey, keys,
                    plane.plane(writer),
                    new org.locomov.store.PgDeviceDescriptions(database.dataSource(), Runnable::run),
                    new org.locomov.core.event.LocalUserEvents(), new SimpleMeterRegistry())) {
                server.start();
                ExecutorService threads = Executors.newFixedThreadPool(devices);

                // 1. Full handshakes: connect, handshake, Hello, close; again.
                AtomicLong handshakes = new AtomicLong();
                AtomicBoolean running = new AtomicBoolean(true);
                List<Future<?>> work = new ArrayList<>();
                for (String id : ids) {
                    work.add(threads.submit(() -> {
                        while (running.get()) {
                            try (SimulatedCore core = SimulatedCore.connect("127.0.0.1", server.port(),
                                    CoreDevice.recorded(id, recorded.devicePrivateKey(), serverKey.getPublic(), false))) {
                                handshakes.incrementAndGet();
                            }
                        }
                        return null;
                    }));
                }
                long start = System.nanoTime();
                Thread.sleep(seconds * 1000L);
                running.set(false);
                double elapsed = (System.nanoTime() - start) / 1e9;
                for (Future<?> done : work) {
                    done.get();
                }
                System.out.printf("handshakes: %d devices, %.1f s, %d full handshakes, %.0f handshakes/s%n", devices,
                        elapsed, handshakes.get(), handshakes.get() / elapsed);

                // 2. Reading events: every device connected, publishing as fast as it can; committed rows counted.
                List<SimulatedCore> cores = new ArrayList<>();
                for (String id : ids) {
                    cores.add(SimulatedCore.connect("127.0.0.1", server.port(),
                            CoreDevice.recorded(id, recorded.devicePrivateKey(), serverKey.getPublic(), false)));
                }
                long rowsBefore = TestDatabase.count(database, "SELECT count(*) FROM packet");
                AtomicBoolean publishing = new AtomicBoolean(true);
                AtomicLong sent = new AtomicLong();
                work.clear();
                for (SimulatedCore core : cores) {
                    work.add(threads.submit(() -> {
                        while (publishing.get()) {
                            core.publish("reading", "{\"voltage\":230.1,\"freq\":50.0}");
                            if (sent.incrementAndGet() % 64 == 0) {
                                core.requestTime(); // keeps the loop honest about the socket
                            }
                        }
                        return null;
                    }));
                }
                start = System.nanoTime();
                Thread.sleep(seconds * 1000L);
                publishing.set(false);
                for (Future<?> done : work) {
                    done.get();
                }
                long target = rowsBefore + sent.get();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                long rows;
                while ((rows = TestDatabase.count(database, "SELECT count(*) FROM packet")) < target && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                elapsed = (System.nanoTime() - start) / 1e9;
                System.out.printf("publishes: %d devices, %d reading events sent, %d rows committed in %.1f s: %.0f publishes/s "
                        + "(events also recorded: %d)%n", devices, sent.get(), rows - rowsBefore, elapsed,
                        (rows - rowsBefore) / elapsed, plane.events.size());
                for (SimulatedCore core : cores) {
                    core.close();
                }
                threads.shutdownNow();
            }
            writer.close();
            keys.close();
        }
        System.exit(0);
    }
}
