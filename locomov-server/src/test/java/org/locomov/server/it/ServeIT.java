package org.locomov.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve}, {@code device} and {@code send} as separate processes of the real jar, as an operator runs them. */
class ServeIT {

    @TempDir
    Path dataDir;

    private LocomovProcess.Result send(LocomovProcess server, long deviceId, double voltage, String... extra)
            throws Exception {
        String[] base = {"send", "--host", "localhost", "--port", Integer.toString(server.movPort()),
                "--ca", server.caFile().toString(), "--id", Long.toString(deviceId),
                "--voltage", Double.toString(voltage), "--freq", "50.02"};
        String[] args = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return LocomovProcess.run(args);
    }

    private LocomovProcess.Result deviceAdd(long deviceId) throws Exception {
        return LocomovProcess.run("device", "add", "--id", Long.toString(deviceId), "--name", "meter-" + deviceId,
                "--data-dir", dataDir.toString());
    }

    @Test
    void deviceAddedBesideTheServerSendsAndItsReadingIsStored() throws Exception {
        try (LocomovProcess server = LocomovProcess.serve(dataDir)) {
            LocomovProcess.Result added = deviceAdd(1);
            assertThat(added.status()).as(added.err()).isZero();
            assertThat(added.out()).contains("device 1 added");

            LocomovProcess.Result sent = send(server, 1, 229.8, "--timestamp", "1522368093", "--status");

            assertThat(sent.out().strip()).as(sent.err()).isEqualTo("Thank you.");
            assertThat(sent.status()).isZero();
            assertThat(Packets.find(server, 1, 229.8)).hasValueSatisfying(row -> {
                assertThat(row.createdAt()).isEqualTo(Instant.ofEpochSecond(1522368093));
                assertThat(row.frequency()).isEqualTo(50.02);
                assertThat(row.protectedStatus()).isTrue();
            });
        }
    }

    @Test
    void deviceListShowsTheRegisteredDevice() throws Exception {
        try (LocomovProcess server = LocomovProcess.serve(dataDir)) {
            deviceAdd(17);

            LocomovProcess.Result listed = LocomovProcess.run("device", "list", "--data-dir", dataDir.toString());

            assertThat(listed.status()).as(listed.err()).isZero();
            assertThat(listed.out()).containsPattern("(?m)^17\\s+meter-17\\s");
        }
    }

    @Test
    void unknownDeviceIsRefusedAndNothingIsStored() throws Exception {
        try (LocomovProcess server = LocomovProcess.serve(dataDir)) {
            LocomovProcess.Result sent = send(server, 999, 231.0);

            assertThat(sent.out()).startsWith("Error: unknown device");
            assertThat(sent.status()).isEqualTo(1);
            assertThat(Packets.count(server, 999)).isZero();
        }
    }

    @Test
    void restartKeepsDataAndTheSameCa() throws Exception {
        Path caFile;
        byte[] caBytes;
        try (LocomovProcess first = LocomovProcess.serve(dataDir)) {
            deviceAdd(5);
            assertThat(send(first, 5, 230.5).out().strip()).isEqualTo("Thank you.");
            caFile = first.caFile();
            caBytes = Files.readAllBytes(caFile);
            assertThat(first.stop()).isZero();
        }

        try (LocomovProcess second = LocomovProcess.serve(dataDir)) {
            assertThat(second.caFile()).isEqualTo(caFile);
            assertThat(Files.readAllBytes(second.caFile())).isEqualTo(caBytes);
            assertThat(Packets.find(second, 5, 230.5)).isPresent();
            // The device registered before the restart may still send, over the same CA.
            assertThat(send(second, 5, 230.6).out().strip()).isEqualTo("Thank you.");
            assertThat(Packets.count(second, 5)).isEqualTo(2);
        }
    }

    @Test
    void sendRefusesAServerItCannotVerify() throws Exception {
        try (LocomovProcess server = LocomovProcess.serve(dataDir)) {
            deviceAdd(3);
            // A CA that did not sign the server's certificate (made once with openssl req -x509).
            Path otherCa = Path.of(ServeIT.class.getResource("/other-ca.pem").toURI());

            LocomovProcess.Result sent = LocomovProcess.run("send", "--port", Integer.toString(server.movPort()),
                    "--ca", otherCa.toString(), "--id", "3", "--voltage", "1", "--freq", "1");

            assertThat(sent.status()).isEqualTo(1);
            assertThat(sent.err()).startsWith("send: ");
            assertThat(Packets.count(server, 3)).isZero();
        }
    }

    @Test
    void busyPortStopsStartUpWithAReasonAndLeavesNoDatabaseRunning() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            LocomovProcess.Result serve = LocomovProcess.run("serve", "--data-dir", dataDir.toString(),
                    "--bind", "127.0.0.1", "--mov-port", Integer.toString(taken.getLocalPort()), "--api-port", "0");

            assertThat(serve.status()).isEqualTo(1);
            assertThat(serve.out()).contains("locomov could not start").contains(Integer.toString(taken.getLocalPort()));
            // The embedded PostgreSQL started before the listener failed was stopped again.
            assertThat(dataDir.resolve("postgres/postmaster.pid")).doesNotExist();
        }
    }
}
