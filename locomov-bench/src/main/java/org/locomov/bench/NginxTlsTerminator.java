package org.locomov.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Debian's nginx as the reference for connect-per-packet: its {@code stream} module terminates TLS 1.2
 * with the same RSA certificate and the one suite a CC3220S offers, answers {@code Thank you.\n} and
 * closes. No session cache and no tickets, a worker per core, bound to 127.0.0.1.
 *
 * <p>The process runs under {@code timeout}, so it stops by itself even if this JVM is killed; {@link #close()}
 * stops it at once. Thread-safety: started and closed by one thread.
 */
public final class NginxTlsTerminator implements AutoCloseable {

    public static final Path NGINX = Path.of("/usr/sbin/nginx");
    public static final Path STREAM_MODULE = Path.of("/usr/lib/nginx/modules/ngx_stream_module.so");

    private static final Logger log = LoggerFactory.getLogger(NginxTlsTerminator.class);
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(15);
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

    private final Process process;
    private final int port;
    private final Path directory;

    private NginxTlsTerminator(Process process, int port, Path directory) {
        this.process = process;
        this.port = port;
        this.directory = directory;
    }

    /** Why nginx cannot be used here, or empty when it can. */
    public static Optional<String> unavailableReason() {
        if (!Files.isExecutable(NGINX)) {
            return Optional.of(NGINX + " is missing (apt-get install nginx)");
        }
        if (!Files.isReadable(STREAM_MODULE)) {
            return Optional.of(STREAM_MODULE + " is missing (apt-get install libnginx-mod-stream)");
        }
        return Optional.empty();
    }

    /**
     * Starts nginx answering {@code Thank you.\n} after each handshake and closing, with its files in
     * {@code directory}, and waits until it accepts connections.
     *
     * @param chainPem  the server certificate chain, leaf first
     * @param keyPem    its private key
     * @param lifetime  after this nginx stops by itself
     */
    public static NginxTlsTerminator startAnswering(Path directory, Path chainPem, Path keyPem, Duration lifetime)
            throws IOException, InterruptedException {
        return start(directory, chainPem, keyPem, lifetime, "return \"Thank you.\\n\";");
    }

    /**
     * Starts nginx terminating TLS and passing the plaintext on to {@code backendPort} on 127.0.0.1,
     * for servers that answer every packet of a kept-open connection (nginx's {@code return} closes).
     */
    public static NginxTlsTerminator startProxying(Path directory, Path chainPem, Path keyPem, Duration lifetime,
                                                   int backendPort) throws IOException, InterruptedException {
        return start(directory, chainPem, keyPem, lifetime, "proxy_pass 127.0.0.1:" + backendPort + ";");
    }

    private static NginxTlsTerminator start(Path directory, Path chainPem, Path keyPem, Duration lifetime,
                                            String answer) throws IOException, InterruptedException {
        unavailableReason().ifPresent(reason -> {
            throw new IllegalStateException(reason);
        });
        Files.createDirectories(directory);
        int port = freeLoopbackPort();
        Path config = directory.resolve("nginx.conf");
        Files.writeString(config, configuration(directory, port, chainPem, keyPem, answer));
        Path output = directory.resolve("nginx.log");
        Process process = new ProcessBuilder(List.of(
                "timeout", "-k", "5", Long.toString(Math.max(1, lifetime.toSeconds())),
                NGINX.toString(), "-p", directory.toString(), "-e", directory.resolve("error.log").toString(),
                "-c", config.toString()))
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        NginxTlsTerminator nginx = new NginxTlsTerminator(process, port, directory);
        try {
            nginx.awaitListening();
        } catch (IOException | InterruptedException | RuntimeException e) {
            nginx.close();
            throw e;
        }
        log.info("nginx terminating TLS on 127.0.0.1:{} (pid {}): {}", port, process.pid(), answer);
        return nginx;
    }

    static String configuration(Path directory, int port, Path chainPem, Path keyPem, String answer) {
        return """
                load_module %s;
                daemon off;
                master_process on;
                worker_processes auto;
                pid %s;
                error_log %s warn;
                events {
                    worker_connections 4096;
                }
                stream {
                    server {
                        listen 127.0.0.1:%d ssl;
                        ssl_certificate %s;
                        ssl_certificate_key %s;
                        ssl_protocols TLSv1.2;
                        ssl_ciphers AES256-SHA;
                        ssl_session_cache off;
                        ssl_session_tickets off;
                        %s
                    }
                }
                """.formatted(STREAM_MODULE, directory.resolve("nginx.pid"), directory.resolve("error.log"),
                port, chainPem.toAbsolutePath(), keyPem.toAbsolutePath(), answer);
    }

    public int port() {
        return port;
    }

    /** nginx's master, workers and the {@code timeout} wrapper, for CPU and memory accounting. */
    public ProcessTreeStats stats() {
        return ProcessTreeStats.of(process.toHandle());
    }

    private void awaitListening() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + STARTUP_WAIT.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IOException("nginx exited with status " + process.exitValue() + "; see "
                        + directory.resolve("nginx.log") + " and " + directory.resolve("error.log") + ":\n"
                        + readQuietly(directory.resolve("nginx.log")) + readQuietly(directory.resolve("error.log")));
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IOException("nginx did not listen on 127.0.0.1:" + port + " within " + STARTUP_WAIT);
                }
                // Polling a process we do not control: waitFor doubles as the pause between probes.
                process.waitFor(50, TimeUnit.MILLISECONDS);
            }
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        ChildProcesses.stop(process, STOP_WAIT);  // nginx's master stops its workers on SIGTERM
    }
}
