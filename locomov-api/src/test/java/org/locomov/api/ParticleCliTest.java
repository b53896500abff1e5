package org.locomov.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locomov.particle.testing.CoreDevice;
import org.locomov.particle.testing.SimulatedCore;
import org.locomov.store.testing.TestDatabase;

/**
 * Particle's own CLI ({@code particle-cli} {@value ParticleCli#VERSION} from npm) pointed at locomov with
 * {@code particle config} and {@code NODE_EXTRA_CA_CERTS}, managing the simulated Spark Core connected to a
 * real Particle listener: login, list, call, get, publish, subscribe, flash. Skipped (saying why) only when
 * Node.js or npm is missing or the package cannot be installed.
 */
class ParticleCliTest {

    private static final String CORE = ParticleCloudFixture.CORE_ID;
    private static ParticleCloudFixture fixture;
    private static SimulatedCore core;
    private static ParticleCli particle;

    @BeforeAll
    static void start(@TempDir Path home) throws Exception {
        particle = ParticleCli.installed(home, ApiFixture.caFile());
        fixture = new ParticleCloudFixture();
        core = fixture.connectCore();
        String apiUrl = "https://127.0.0.1:" + fixture.api.server.port();
        assertThat(particle.run("config", "locomov", "apiUrl", apiUrl).status()).isZero();
        assertThat(particle.run("config", "locomov").status()).isZero();
        ParticleCli.Result login = particle.run("login", "--username", ParticleCloudFixture.OWNER,
                "--password", ParticleCloudFixture.PASSWORD);
        assertThat(login.status()).as(login.all()).isZero();
        assertThat(login.out()).contains("Successfully completed login!");
    }

    @AfterAll
    static void stop() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void loginLeftALocomovTokenInTheCliProfile() throws Exception {
        ParticleCli.Result config = particle.run("config");
        assertThat(config.out()).contains("Using API: https://127.0.0.1:").containsPattern("Access token: lm_\\S+");
        assertThat(TestDatabase.count(fixture.api.database,
                "SELECT count(*) FROM token WHERE label LIKE 'Particle login%' AND revoked_at IS NULL")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void listShowsTheCoreOnlineWithItsFunctionsAndVariables() throws Exception {
        ParticleCli.Result list = particle.run("list");

        assertThat(list.status()).as(list.all()).isZero();
        assertThat(list.out()).contains("core-sim [" + CORE + "]").contains("is online")
                .contains("temp (int32)").contains("volts (double)").contains("label (string)").contains("on (bool)")
                .contains("int led (String args)").contains("int add (String args)");
    }

    @Test
    void callRunsTheFunctionOnTheCoreAndPrintsItsReturnValue() throws Exception {
        ParticleCli.Result call = particle.run("call", "core-sim", "add", "20,22");

        assertThat(call.status()).as(call.all()).isZero();
        assertThat(call.out().strip()).endsWith("42");
        assertThat(core.calls()).contains("add(20,22)");
    }

    @Test
    void getReadsTheVariableFromTheCore() throws Exception {
        ParticleCli.Result get = particle.run("get", CORE, "volts");

        assertThat(get.status()).as(get.all()).isZero();
        assertThat(get.out().strip()).endsWith("229.5");
    }

    @Test
    void subscribeShowsTheCoresEventsAndWhatPublishSent(@TempDir Path directory) throws Exception {
        Path output = directory.resolve("subscribe.txt");
        Process subscribe = particle.start(output, "subscribe");
        try {
            // The stream is open once an event of the Core gets through; until then the Core publishes again.
            try {
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                    core.publish("door", "open");
                    return read(output).contains("\"name\":\"door\"");
                });
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("particle subscribe printed no door event: " + read(output), e);
            }
            assertThat(Files.readString(output)).contains("\"data\":\"open\"").contains("\"coreid\":\"" + CORE + "\"");

            ParticleCli.Result publish = particle.run("publish", "alarm", "on");
            assertThat(publish.status()).as(publish.all()).isZero();
            assertThat(publish.out()).contains("Published private event: alarm");
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(output).contains("\"name\":\"alarm\""));
            assertThat(Files.readString(output)).contains("{\"data\":\"on\",\"ttl\":60,\"published_at\":\"")
                    .contains("\"coreid\":\"api\"");
        } finally {
            subscribe.destroy();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void flashSendsTheBinaryToTheCoreOverTheAir(@TempDir Path directory) throws Exception {
        byte[] image = new byte[5_000];
        new Random(42).nextBytes(image);
        Path binary = directory.resolve("tinker.bin");
        Files.write(binary, image);

        ParticleCli.Result flash = particle.run("flash", "core-sim", binary.toString());

        assertThat(flash.status()).as(flash.all()).isZero();
        assertThat(flash.out()).contains("Flash success!");
        await().atMost(Duration.ofSeconds(60)).until(() -> core.inspect(CoreDevice::updateDone)
                && java.util.Arrays.equals(core.inspect(CoreDevice::image), image));
        assertThat(TestDatabase.count(fixture.api.database,
                "SELECT count(*) FROM firmware_job j JOIN firmware f ON f.id = j.firmware_id "
                        + "WHERE j.pub_id = ? AND f.name = 'tinker.bin' AND j.status = 'done'", fixture.deviceId)).isEqualTo(1);
    }
}
