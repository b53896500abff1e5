package org.locomov.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Connecting a CC3200 over MQTT" against a real {@code serve}: the CC3200 kit from
 * {@code device credentials --layout cc3200 --cc3200-slots}, {@code cert check} of its root, {@code openssl
 * s_client} with exactly those DER files offering only ECDHE-RSA-AES256-SHA (as the chip does), and a reading
 * published with {@code mosquitto_pub} and the device's token.
 */
class MqttServeIT {

    private static final long DEVICE = 12;

    @TempDir
    Path dataDir;

    @BeforeAll
    static void requireClients() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed; skipping");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/mosquitto_pub")),
                "mosquitto_pub is not installed (Debian package mosquitto-clients); skipping");
    }

    @Test
    void cc3200KitCompletesTheChipsHandshakeAndATokenLoginPublishesAReading() throws Exception {
        try (LocomovProcess server = LocomovProcess.serve(dataDir, "--confo-port", "0")) {
            assertThat(run("device", "add", "--id", Long.toString(DEVICE)).status()).isZero();
            Path kit = dataDir.resolve("flash-" + DEVICE);
            LocomovProcess.Result issued = run("device", "credentials", "--id", Long.toString(DEVICE), "--out",
                    kit.toString(), "--layout", "cc3200", "--cc3200-slots");
            assertThat(issued.status()).as(issued.err()).isZero();
            assertThat(issued.out()).contains("cert/126.der", "cert/127.der", "cert/128.der");
            Path root = kit.resolve("cert/128.der");

            // The root the device holds is exactly the one the served chain ends at.
            Path rootPem = kit.resolve("root-from-der.pem");
            command("openssl", "x509", "-inform", "DER", "-in", root.toString(), "-out", rootPem.toString());
            LocomovProcess.Result check = run("cert", "check", "--ca", rootPem.toString());
            assertThat(check.status()).as(check.out() + check.err()).isZero();
            assertThat(check.out()).contains("ACCEPTED");

            String handshake = command("openssl", "s_client", "-connect", "127.0.0.1:" + server.mqttPort(),
                    "-tls1_2", "-cipher", "ECDHE-RSA-AES256-SHA", "-verify_return_error",
                    "-cert", kit.resolve("cert/127.der").toString(), "-certform", "DER",
                    "-key", kit.resolve("cert/126.der").toString(), "-keyform", "DER",
                    "-CAfile", rootPem.toString());
            assertThat(handshake).contains("Cipher is ECDHE-RSA-AES256-SHA").contains("Verify return code: 0 (ok)");

            String token = Files.readString(kit.resolve("token.txt")).strip();
            String published = command("mosquitto_pub", "-h", "localhost", "-p", Integer.toString(server.mqttPort()),
                    "--cafile", kit.resolve("ca.pem").toString(), "-V", "mqttv311", "--tls-version", "tlsv1.2",
                    "--ciphers", "ECDHE-RSA-AES256-SHA", "-u", Long.toString(DEVICE), "-P", token,
                    "-t", "devices/" + DEVICE + "/readings", "-q", "1", "-m", "{\"voltage\":231.0,\"freq\":50.0}");
            assertThat(published).isEmpty();
            assertThat(Packets.count(server, DEVICE)).isEqualTo(1);
        }
    }

    private LocomovProcess.Result run(String... args) throws Exception {
        List<String> withDataDir = new ArrayList<>(List.of(args));
        withDataDir.addAll(List.of("--data-dir", dataDir.toString()));
        return LocomovProcess.run(withDataDir.toArray(String[]::new));
    }

    /** Runs a tool with no input; its output, once it ended with status 0. */
    static String command(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("%s: %s", List.of(command), text).isZero();
        return text;
    }
}
