package org.locomov.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locomov.tls.ClientTls;

/**
 * The promise under a planned stop: SIGTERM in the middle of a load loses no acknowledged reading,
 * and the process exits 0.
 */
class SigtermUnderLoadIT {

    private static final long DEVICE = 77;
    private static final int CLIENTS = 8;
    /** Acks to see before the signal, so that the stop surely lands in the middle of the load. */
    private static final long ACKS_BEFORE_SIGTERM = 300;

    @TempDir
    Path dataDir;

    @Test
    void sigtermUnderLoadLosesNoAcknowledgedReading() throws Exception {
        AtomicLong acks = new AtomicLong();
        List<Thread> clients = new ArrayList<>();
        int exitStatus;
        try (LocomovProcess server = LocomovProcess.serve(dataDir)) {
            LocomovProcess.Result added = LocomovProcess.run("device", "add", "--id", Long.toString(DEVICE),
                    "--data-dir", dataDir.toString());
            assertThat(added.status()).as(added.err()).isZero();
            SSLContext tls = ClientTls.jdkContext(server.caFile());
            for (int i = 0; i < CLIENTS; i++) {
                Thread client = Thread.ofPlatform().name("device-" + i)
                        .start(() -> sendUntilClosed(tls, server.movPort(), acks));
                clients.add(client);
            }

            await("acks before SIGTERM").atMost(Duration.ofSeconds(60)).until(() -> acks.get() >= ACKS_BEFORE_SIGTERM);
            server.terminate();
            exitStatus = server.awaitExit();
            for (Thread client : clients) {
                client.join(Duration.ofSeconds(30));
                assertThat(client.isAlive()).as(client.getName() + " still running").isFalse();
            }
            assertThat(exitStatus).as(server.output()).isZero();
        }

        long acknowledged = acks.get();
        try (LocomovProcess restarted = LocomovProcess.serve(dataDir)) {
            assertThat(Packets.count(restarted, DEVICE)).isGreaterThanOrEqualTo(acknowledged);
        }
        assertThat(acknowledged).isGreaterThanOrEqualTo(ACKS_BEFORE_SIGTERM);
    }

    /**
     * One device over a kept-open connection: a packet, wait for its reply, the next packet, until the
     * server closes the connection or answers anything but {@code Thank you.}. Counts every ack.
     */
    private static void sendUntilClosed(SSLContext tls, int port, AtomicLong acks) {
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("localhost", port)) {
            socket.setSoTimeout((int) Duration.ofSeconds(30).toMillis());
            OutputStream out = socket.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            for (long sequence = 0; ; sequence++) {
                String packet = "{\"id\":" + DEVICE + ",\"status\":true,\"voltage\":" + (200 + sequence % 50)
                        + ",\"freq\":50.0}\n";
                out.write(packet.getBytes(StandardCharsets.UTF_8));
                out.flush();
                if (!"Thank you.".equals(in.readLine())) {
                    return; // closed or refused while stopping: not acknowledged, so not counted
                }
                acks.incrementAndGet();
            }
        } catch (IOException e) {
            // Reset by the stopping server: whatever was not answered was not acknowledged.
        }
    }
}
