package org.locomov.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locomov.store.Database;
import org.locomov.store.testing.TestDatabase;
import org.locomov.credentials.acme.AcmeCertificateSource;
import org.locomov.credentials.testing.Pebble;

/**
 * {@code serve} with ACME against the real Pebble CA: TLS-ALPN-01 answered by the real HTTPS API (Jetty), and two
 * locomov instances on one database where the second serves what the first ordered, without ordering itself.
 * Certificates are checked with the real openssl client and the real {@code cert check}.
 */
class AcmeServeTest {

    private static final Duration ORDER_WAIT = Duration.ofSeconds(60);
    private static final Pattern PEM = Pattern.compile("-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----", Pattern.DOTALL);

    private static int http01Port;
    private static int apiPort;
    private static Pebble pebble;
    private static Database database;
    private static Path masterKey;

    @BeforeAll
    static void startPebble(@TempDir Path dir) throws Exception {
        Pebble.assumeInstalled();
        http01Port = freePort();
        apiPort = freePort();
        pebble = Pebble.start(http01Port, apiPort);
        database = TestDatabase.fresh();
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        masterKey = Files.writeString(dir.resolve("master.key"), Base64.getEncoder().encodeToString(key));
    }

    @AfterAll
    static void stopPebble() {
        if (database != null) {
            database.close();
        }
        if (pebble != null) {
            pebble.close();
        }
    }

    @Test
    void tlsAlpn01IsAnsweredByTheHttpsApiWhichThenServesTheAcmeCertificate(@TempDir Path dataDir) throws Exception {
        String domain = "api.locomov.test";
        try (Locomov node = start(dataDir, domain, "--acme-challenge", "tls-alpn-01", "--api-port", "" + apiPort)) {
            Path root = pebble.rootFile(0);
            await().atMost(ORDER_WAIT).pollInterval(Duration.ofMillis(500))
                    .until(() -> servedLeaf(node.port("api"), domain, root, "-tls1_3") != null);

            X509Certificate apiLeaf = servedLeaf(node.port("api"), domain, root, "-tls1_3");
            X509Certificate movRsaLeaf = servedLeaf(node.port("mov"), domain, root, "-tls1_2", "-cipher", "AES256-SHA");
            assertThat(apiLeaf.getSubjectX500Principal().getName()).isEqualTo("CN=" + domain);
            assertThat(movRsaLeaf.getPublicKey().getAlgorithm()).isEqualTo("RSA");
            assertThat(movRsaLeaf.getIssuerX500Principal()).isEqualTo(apiLeaf.getIssuerX500Principal());
        }
    }

    @Test
    void twoNodesOnOneDatabaseServeTheCertificateOnlyOneOfThemOrdered(@TempDir Path first, @TempDir Path second)
            throws Exception {
        String domain = "nodes.locomov.test";
        Path root = pebble.rootFile(0);
        try (Locomov nodeA = start(first, domain, "--acme-http-port", "" + http01Port)) {
            await().atMost(ORDER_WAIT).pollInterval(Duration.ofMillis(500))
                    .until(() -> servedLeaf(nodeA.port("mov"), domain, root, "-tls1_2", "-cipher", "AES256-SHA") != null);
            try (Locomov nodeB = start(second, domain, "--acme-http-port", "0")) {
                X509Certificate fromA = servedLeaf(nodeA.port("mov"), domain, root, "-tls1_2", "-cipher", "AES256-SHA");
                X509Certificate fromB = servedLeaf(nodeB.port("mov"), domain, root, "-tls1_2", "-cipher", "AES256-SHA");
                X509Certificate ecFromB = servedLeaf(nodeB.port("api"), domain, root, "-tls1_3");

                assertThat(fromB).isEqualTo(fromA);
                assertThat(ecFromB).isNotNull();
                assertThat(obtained(nodeA)).isEqualTo(2.0);     // its RSA and its EC certificate
                assertThat(obtained(nodeB)).isZero();

                CommandLines.Outcome check = CommandLines.execute(Map.of(), "cert", "check", "--data-dir", second.toString(),
                        "--db-url", database.jdbcUrl(), "--db-user", database.user(), "--db-password", database.password(), "--acme-directory",
                        pebble.directoryUrl().toString(), "--domain", domain, "--tls-master-key-file", masterKey.toString(),
                        "--ca", root.toString());
                assertThat(check.status()).as(check.out() + check.err()).isZero();
                assertThat(check.out()).contains("certificates: ACME", "RSA chain (depth 2", "ACCEPTED");
            }
        }
    }

    private Locomov start(Path dataDir, String domain, String... more) {
        List<String> args = new ArrayList<>(List.of("--data-dir", dataDir.toString(), "--bind", "127.0.0.1",
                "--db-url", database.jdbcUrl(), "--db-user", database.user(), "--db-password", database.password(), "--mov-port", "0", "--confo-port", "0", "--mqtt-port", "0", "--coap-port", "0", "--particle-port", "0",
                "--acme-directory", pebble.directoryUrl().toString(), "--acme-ca-trust", pebble.directoryTrustFile().toString(),
                "--domain", domain, "--acme-email", "ops@locomov.test", "--tls-master-key-file", masterKey.toString()));
        if (!List.of(more).contains("--api-port")) {
            args.addAll(List.of("--api-port", "0"));
        }
        args.addAll(List.of(more));
        return Locomov.start(CommandLines.validSettings(CommandLines.serve(Map.of(), args.toArray(String[]::new))));
    }

    private static double obtained(Locomov node) {
        return node.meterRegistry().find(AcmeCertificateSource.OBTAINED).counters().stream()
                .mapToDouble(counter -> counter.count()).sum();
    }

    /** The leaf openssl receives when it verifies {@code domain} against {@code root}; null when it does not verify. */
    private static X509Certificate servedLeaf(int port, String domain, Path root, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-servername", domain, "-verify_hostname", domain, "-CAfile", root.toString(), "-showcerts",
                "-verify_return_error"));
        command.addAll(List.of(options));
        Path output = Files.createTempFile("openssl", ".out");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            process.getOutputStream().close();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("openssl did not finish: " + command);
            }
            String text = Files.readString(output);
            Matcher pem = PEM.matcher(text);
            if (process.exitValue() != 0 || !text.contains("Verify return code: 0 (ok)") || !pem.find()) {
                return null;
            }
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.group().getBytes(StandardCharsets.US_ASCII)));
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
