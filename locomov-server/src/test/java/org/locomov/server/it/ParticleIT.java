package org.locomov.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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

    private LocomovProcess.Result run(String... args) throws Exception {
        String[] withDataDir = java.util.Arrays.copyOf(args, args.length + 2);
        withDataDir[args.length] = "--data-dir";
        withDataDir[args.length + 1] = dataDir.toString();
        return LocomovProcess.run(withDataDir);
    }
}
