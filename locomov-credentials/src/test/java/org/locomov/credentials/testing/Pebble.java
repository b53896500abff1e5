package org.locomov.credentials.testing;

import org.locomov.tls.ClientTls;
import org.locomov.tls.DevelopmentCa;
import org.locomov.tls.PemFiles;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Let's Encrypt's Pebble ACME test server (Debian package {@code pebble}) on 127.0.0.1, for tests of every
 * module: its directory served over HTTPS with a certificate from a throw-away development CA
 * ({@link #directoryTrustFile()} is what {@code --acme-ca-trust} needs), validating HTTP-01 on
 * {@code httpPort} and TLS-ALPN-01 on {@code tlsPort} of 127.0.0.1, and resolving every name to 127.0.0.1
 * through {@code pebble-challtestsrv} as its DNS server. No artificial validation delays, no rejected nonces,
 * no reused authorizations, and one alternate root chain.
 *
 * <p>Tests that use it are skipped, saying why, where pebble is not installed. Used by one test thread.
 */
public final class Pebble implements AutoCloseable {

    private static final Path PEBBLE = Path.of("/usr/bin/pebble");
    private static final Path CHALLTESTSRV = Path.of("/usr/bin/pebble-challtestsrv");
    /** Even a test JVM killed without closing us leaves no pebble running for longer than this. */
    private static final String LIFETIME_SECONDS = "600";

    private final Path dir;
    private final DevelopmentCa directoryCa;
    private final int acmePort;
    private final int managementPort;
    private final List<Process> processes = new ArrayList<>();

    /** Skips the calling test unless pebble and pebble-challtestsrv are installed. */
    public static void assumeInstalled() {
        assumeTrue(Files.isExecutable(PEBBLE) && Files.isExecutable(CHALLTESTSRV),
                "skipped: Let's Encrypt's pebble is not installed (Debian package 'pebble', /usr/bin/pebble)");
    }

    /** Starts pebble and its DNS server; returns once the ACME directory answers. */
    public static Pebble start(int httpPort, int tlsPort) {
        assumeInstalled();
        try {
            return new Pebble(httpPort, tlsPort);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start pebble", e);
        }
    }

    private Pebble(int httpPort, int tlsPort) throws IOException {
        dir = Files.createTempDirectory("locomov-pebble");
        directoryCa = DevelopmentCa.openOrCreate(dir.resolve("ca"), List.of("localhost"), List.of("127.0.0.1"));
        Path certificate = dir.resolve("pebble.pem");
        Path key = dir.resolve("pebble.key");
        PemFiles.writeCertificates(certificate, directoryCa.ecServer().chain());
        PemFiles.writePrivateKey(key, directoryCa.ecServer().key());
        acmePort = freePort();
        managementPort = freePort();
        int dnsPort = freePort();
        Path config = dir.resolve("pebble-config.json");
        Files.writeString(config, """
                {"pebble": {"listenAddress": "127.0.0.1:%d", "managementListenAddress": "127.0.0.1:%d",
                  "certificate": "%s", "privateKey": "%s", "httpPort": %d, "tlsPort": %d,
                  "ocspResponderURL": "", "externalAccountBindingRequired": false}}
                """.formatted(acmePort, managementPort, certificate, key, httpPort, tlsPort));
        processes.add(launch(List.of(CHALLTESTSRV.toString(), "-dns01", "127.0.0.1:" + dnsPort, "-http01", "",
                "-https01", "", "-tlsalpn01", "", "-management", "127.0.0.1:" + freePort(),
                "-defaultIPv4", "127.0.0.1", "-defaultIPv6", ""), Map.of(), "challtestsrv.log"));
        processes.add(launch(List.of(PEBBLE.toString(), "-config", config.toString(), "-dnsserver", "127.0.0.1:" + dnsPort),
                Map.of("PEBBLE_VA_NOSLEEP", "1", "PEBBLE_WFE_NONCEREJECT", "0", "PEBBLE_AUTHZREUSE", "0",
                        "PEBBLE_ALTERNATE_ROOTS", "1"), "pebble.log"));
        await("pebble's ACME directory").atMost(Duration.ofSeconds(20)).ignoreExceptions()
                .until(() -> get(directoryUrl()).contains("newOrder"));
    }

    /** The ACME directory URL, for {@code --acme-directory}. */
    public URI directoryUrl() {
        return URI.create("https://127.0.0.1:" + acmePort + "/dir");
    }

    /** The CA file that makes pebble's own HTTPS trusted, for {@code --acme-ca-trust}. */
    public Path directoryTrustFile() {
        return directoryCa.caCertificateFile();
    }

    /** Root {@code index} (0 = the default chain's, 1 = the alternate's) that pebble issues under. */
    public X509Certificate root(int index) {
        try {
            String pem = get(URI.create("https://127.0.0.1:" + managementPort + "/roots/" + index));
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException("cannot fetch pebble's root " + index, e);
        }
    }

    /** A file holding root {@code index}, e.g. for {@code --tls-root-ca} or {@code openssl -CAfile}. */
    public Path rootFile(int index) {
        Path file = dir.resolve("root-" + index + ".pem");
        try {
            PemFiles.writeCertificates(file, List.of(root(index)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** What pebble logged so far, for assertion messages. */
    public String log() {
        try {
            return Files.readString(dir.resolve("pebble.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        for (Process process : processes) {
            process.destroy();
        }
        for (Process process : processes) {
            try {
                if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    private String get(URI uri) throws Exception {
        SSLContext trust = ClientTls.jdkContext(directoryCa.caCertificateFile());
        try (HttpClient client = HttpClient.newBuilder().sslContext(trust).connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException(uri + " answered " + response.statusCode());
            }
            return response.body();
        }
    }

    private Process launch(List<String> command, Map<String, String> environment, String logName) throws IOException {
        List<String> bounded = new ArrayList<>(List.of("timeout", LIFETIME_SECONDS));
        bounded.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(bounded).redirectErrorStream(true)
                .redirectOutput(dir.resolve(logName).toFile());
        builder.environment().putAll(environment);
        return builder.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
