package org.locomov.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code device credentials} and {@code device revoke} as separate processes beside a running {@code serve}
 * that requires client certificates on mov, with {@code openssl s_client} as the device; and two {@code serve}
 * processes on one PostgreSQL sharing one device CA (decision 1540).
 */
class DeviceCredentialsIT {

    private static final long DEVICE = 5;

    @TempDir
    Path dataDir;

    @BeforeAll
    static void requireOpenssl() throws Exception {
        boolean installed;
        try {
            installed = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException e) {
            installed = false;
        }
        assumeTrue(installed, "openssl is not installed (Debian package openssl); skipping");
    }

    @Test
    void revokeBesideARunningServerRefusesTheCertificateFromTheNextConnectionOn() throws Exception {
        try (LocomovProcess server = LocomovProcess.serve(dataDir, "--mov-client-auth", "require")) {
            assertThat(run("device", "add", "--id", Long.toString(DEVICE)).status()).isZero();
            Path out = dataDir.resolve("flash-" + DEVICE);
            LocomovProcess.Result issued = run("device", "credentials", "--id", Long.toString(DEVICE),
                    "--out", out.toString());
            assertThat(issued.status()).as(issued.err()).isZero();
            assertThat(issued.out()).contains("PSK identity: 5").contains("token: lmd_").contains("client.key.der");
            openssl("x509", "-inform", "DER", "-in", out.resolve("client.crt.der"), "-out", out.resolve("back.crt"));
            openssl("pkey", "-inform", "DER", "-in", out.resolve("client.key.der"), "-out", out.resolve("back.key"));

            assertThat(sClient(server, out.resolve("ca.pem"), out)).contains("Thank you.\n");
            assertThat(Packets.count(server, DEVICE)).isEqualTo(1);

            LocomovProcess.Result revoked = run("device", "revoke", "--id", Long.toString(DEVICE));
            assertThat(revoked.status()).as(revoked.err()).isZero();

            assertThat(sClient(server, out.resolve("ca.pem"), out)).contains("Error: certificate of device 5 is revoked\n")
                    .doesNotContain("Thank you.");
            assertThat(Packets.count(server, DEVICE)).isEqualTo(1);
        }
    }

    @Test
    void aCertificateIssuedAgainstOneNodeIsAcceptedByAnotherAndARevocationHoldsAtBoth(@TempDir Path dataDirB)
            throws Exception {
        try (LocomovProcess nodeA = LocomovProcess.serve(dataDir, "--mov-client-auth", "require")) {
            List<String> join = new java.util.ArrayList<>(nodeA.joinNodeArgs());
            join.addAll(List.of("--mov-client-auth", "require"));
            try (LocomovProcess nodeB = LocomovProcess.serve(dataDirB, join.toArray(String[]::new))) {
                assertThat(run("device", "add", "--id", Long.toString(DEVICE)).status()).isZero();
                Path out = dataDir.resolve("flash-" + DEVICE);
                LocomovProcess.Result issued = run("device", "credentials", "--id", Long.toString(DEVICE),
                        "--out", out.toString());
                assertThat(issued.status()).as(issued.err()).isZero();
                assertThat(issued.out()).contains("in the database (shared by every node)");
                openssl("x509", "-inform", "DER", "-in", out.resolve("client.crt.der"), "-out", out.resolve("back.crt"));
                openssl("pkey", "-inform", "DER", "-in", out.resolve("client.key.der"), "-out", out.resolve("back.key"));
                assertThat(dataDirB.resolve("tls/device-ca.pem")).as("node B made no CA of its own").doesNotExist();

                assertThat(sClient(nodeB, nodeB.caFile(), out)).contains("Thank you.\n");
                assertThat(sClient(nodeA, out.resolve("ca.pem"), out)).contains("Thank you.\n");
                assertThat(Packets.count(nodeA, DEVICE)).isEqualTo(2);

                LocomovProcess.Result revoked = run("device", "revoke", "--id", Long.toString(DEVICE));
                assertThat(revoked.status()).as(revoked.err()).isZero();

                assertThat(sClient(nodeB, nodeB.caFile(), out)).contains("Error: certificate of device 5 is revoked\n");
                assertThat(sClient(nodeA, out.resolve("ca.pem"), out)).contains("Error: certificate of device 5 is revoked\n");
                assertThat(Packets.count(nodeA, DEVICE)).isEqualTo(2);
            }
        }
    }

    @Test
    void credentialsForAnUnregisteredDeviceAreRefusedAndNothingIsWritten() throws Exception {
        try (LocomovProcess server = LocomovProcess.serve(dataDir)) {
            Path out = dataDir.resolve("flash-99");

            LocomovProcess.Result issued = run("device", "credentials", "--id", "99", "--out", out.toString());

            assertThat(issued.status()).isEqualTo(1);
            assertThat(issued.err()).contains("device 99 is not registered; add it first with 'locomov device add --id 99'");
            assertThat(out.resolve("client.key")).doesNotExist();
        }
    }

    private LocomovProcess.Result run(String... args) throws Exception {
        String[] withDataDir = java.util.Arrays.copyOf(args, args.length + 2);
        withDataDir[args.length] = "--data-dir";
        withDataDir[args.length + 1] = dataDir.toString();
        return LocomovProcess.run(withDataDir);
    }

    /**
     * One packet of the device over mutual TLS, verifying the server against {@code serverCa}; the output once the
     * reply is in or the client ended.
     */
    private static String sClient(LocomovProcess server, Path serverCa, Path credentials) throws Exception {
        Path input = Files.writeString(Files.createTempFile("packet", ".json"),
                "{\"id\":" + DEVICE + ",\"voltage\":229.8,\"freq\":50.0}\n");
        Path output = Files.createTempFile("s_client", ".out");
        Process client = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + server.movPort(),
                "-CAfile", serverCa.toString(), "-verify_return_error",
                "-cert", credentials.resolve("back.crt").toString(), "-key", credentials.resolve("back.key").toString(),
                "-tls1_2", "-cipher", "AES256-SHA", "-ign_eof", "-nocommands")
                .redirectInput(input.toFile()).redirectOutput(output.toFile()).redirectErrorStream(true).start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                String text = Files.readString(output, StandardCharsets.ISO_8859_1);
                return text.contains("Thank you.\n") || text.contains("Error: ") || !client.isAlive();
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(output, StandardCharsets.ISO_8859_1)
                    .matches("(?s).*(Thank you\\.|Error: [^\\n]*)\\n.*") || !client.isAlive());
            return Files.readString(output, StandardCharsets.ISO_8859_1);
        } finally {
            client.destroy();
            client.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void openssl(Object... arguments) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        for (Object argument : arguments) {
            command.add(argument.toString());
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("%s: %s", command, text).isZero();
    }
}
