package org.locomov.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Debian's Mosquitto broker as the MQTT phase's yardstick: the same certificate, TLS 1.2 and the one suite the
 * CC3200 offers ({@code ECDHE-RSA-AES256-SHA}); anonymous clients; no persistence. It only routes (here to
 * nobody) and stores nothing, so its QoS 1 rate is what an MQTT server does without a database.
 */
final class MosquittoBroker implements AutoCloseable {

    static final Path MOSQUITTO = Path.of("/usr/sbin/mosquitto");

    private static final Logger log = LoggerFactory.getLogger(MosquittoBroker.class);
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(30);

    private final Process process;
    private final int port;

    private MosquittoBroker(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static boolean installed() {
        return Files.isExecutable(MOSQUITTO);
    }

    static MosquittoBroker start(Path directory, Path chainPem, Path keyPem, Duration lifetime)
            throws IOException, InterruptedException {
        Files.createDirectories(directory);
        int port = NginxTlsTerminator.freeLoopbackPort();
        Path config = directory.resolve("mosquitto.conf");
        Files.writeString(config, """
                per_listener_settings false
                allow_anonymous true
                persistence false
                log_dest stderr
                log_type error
                log_type warning
                user root
                max_inflight_messages 0
                listener %d 127.0.0.1
                certfile %s
                keyfile %s
                tls_version tlsv1.2
                ciphers ECDHE-RSA-AES256-SHA
                """.formatted(port, chainPem.toAbsolutePath(), keyPem.toAbsolutePath()));
        Process process = new ProcessBuilder(List.of("timeout", "-k", "5", Long.toString(Math.max(1, lifetime.toSeconds())),
                MOSQUITTO.toString(), "-c", config.toString()))
                .redirectErrorStream(true).redirectOutput(directory.resolve("mosquitto.log").toFile()).start();
        MosquittoBroker broker = new MosquittoBroker(process, port);
        long deadline = System.nanoTime() + STARTUP_WAIT.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IOException("mosquitto exited with status " + process.exitValue() + ": "
                        + Files.readString(directory.resolve("mosquitto.log")));
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
                break;
            } catch (IOException notYet) {
                if (System.nanoTime() - deadline > 0) {
                    broker.close();
                    throw new IOException("mosquitto did not listen on 127.0.0.1:" + port + " within " + STARTUP_WAIT);
                }
                process.waitFor(50, TimeUnit.MILLISECONDS);
            }
        }
        log.info("mosquitto on 127.0.0.1:{} (pid {})", port, process.pid());
        return broker;
    }

    int port() {
        return port;
    }

    ProcessTreeStats stats() {
        return ProcessTreeStats.of(process.toHandle());
    }

    @Override
    public void close() throws InterruptedException {
        ChildProcesses.stop(process, Duration.ofSeconds(10));
    }
}
