package org.locomov.credentials.acme;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locomov.store.Database;
import org.locomov.store.TlsMaterialRepository;
import org.locomov.store.TlsRenewalRecord;
import org.locomov.store.testing.TestDatabase;
import org.locomov.tls.CertificateListener;
import org.locomov.tls.CertificateMetrics;
import org.locomov.tls.CertificatePair;
import org.locomov.tls.CipherProfile;
import org.locomov.tls.DeviceTrustCheck;
import org.locomov.tls.testing.EchoServer;
import org.locomov.tls.KeyType;
import org.locomov.tls.MasterKey;
import org.locomov.tls.ServedChain;
import org.locomov.transport.ServerTls;
import org.locomov.credentials.testing.Pebble;
import org.locomov.tls.testing.TestCertificates;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * ACME against the real Pebble test CA on 127.0.0.1, with certificates served over real TLS and checked by the
 * real openssl client; the shared table lives in a real embedded PostgreSQL.
 */
class AcmeCertificateSourceTest {

    private static final Duration ORDER_WAIT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(200);

    private static Http01Responder http01;
    private static TlsAlpnChallenges tlsAlpn01;
    private static JdkAlpnTls apiTls;
    private static EchoServer apiListener;
    private static Pebble pebble;
    private static CertificatePair fallback;

    private Database database;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeAll
    static void startPebble() throws Exception {
        Pebble.assumeInstalled();
        fallback = new CertificatePair(TestCertificates.shared().rsaServer(), TestCertificates.shared().ecServer());
        http01 = Http01Responder.start("127.0.0.1", 0);
        tlsAlpn01 = new TlsAlpnChallenges();
        apiTls = new JdkAlpnTls(fallback, tlsAlpn01);
        apiListener = new EchoServer(apiTls);
        pebble = Pebble.start(http01.port(), apiListener.port());
    }

    @AfterAll
    static void stopPebble() {
        for (AutoCloseable resource : new AutoCloseable[] {pebble, apiListener, http01}) {
            try {
                if (resource != null) {
                    resource.close();
                }
            } catch (Exception ignored) {
                // Best effort: the next resource must still be closed.
            }
        }
    }

    @BeforeEach
    void freshDatabase() {
        database = TestDatabase.fresh();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable resource : toClose.reversed()) {
            resource.close();
        }
        database.close();
    }

    @Test
    void http01GetsRsaAndEcCertificatesThatOneListenerServesPerClient(@TempDir Path dir) throws Exception {
        String domain = "http.locomov.test";
        AcmeCertificateSource source = source(settings(domain, ChallengeType.HTTP_01), http01, dir, "node-a",
                new SimpleMeterRegistry(), Clock.systemUTC());
        ServerTls tls = ServerTls.create(source.current().rsa(), source.current().ecOrNull(), CipherProfile.CC32XX,
                Duration.ofSeconds(10), "mov");
        source.addListener("mov", tls);
        EchoServer mov = closeLater(new EchoServer(tls::newHandler));

        source.start();
        awaitAcmeCertificates(source);

        Path root = pebble.rootFile(0);
        Openssl.Result rsa = Openssl.sClient(mov.port(), domain, root, "-tls1_2", "-cipher", "AES256-SHA");
        Openssl.Result ec = Openssl.sClient(mov.port(), domain, root, "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256");
        Openssl.Result tls13 = Openssl.sClient(mov.port(), domain, root, "-tls1_3");
        assertThat(rsa.output()).contains("Verify return code: 0 (ok)", "Cipher is AES256-SHA");
        assertThat(rsa.servedChain()).isEqualTo(source.current().rsa().chain()).hasSize(2);
        assertThat(rsa.servedChain().getFirst().getPublicKey().getAlgorithm()).isEqualTo("RSA");
        assertThat(ec.output()).contains("Verify return code: 0 (ok)");
        assertThat(ec.servedChain()).isEqualTo(source.current().ecOrNull().chain());
        assertThat(tls13.output()).contains("Verify return code: 0 (ok)", "TLSv1.3");
        assertThat(TestDatabase.count(database, "SELECT count(*) FROM tls_material")).isEqualTo(3);   // account, RSA, EC
    }

    @Test
    void tlsAlpn01IsAnsweredByTheApiStyleListenerWhichThenServesTheCertificates(@TempDir Path dir) throws Exception {
        String domain = "alpn.locomov.test";
        AcmeCertificateSource source = source(settings(domain, ChallengeType.TLS_ALPN_01), tlsAlpn01, dir, "node-a",
                new SimpleMeterRegistry(), Clock.systemUTC());
        source.addListener("api", apiTls);

        source.start();
        awaitAcmeCertificates(source);

        Openssl.Result ec = Openssl.sClient(apiListener.port(), domain, pebble.rootFile(0));
        Openssl.Result rsa = Openssl.sClient(apiListener.port(), domain, pebble.rootFile(0), "-tls1_2", "-sigalgs", "RSA+SHA256");
        assertThat(ec.output()).contains("Verify return code: 0 (ok)");
        assertThat(ec.servedChain()).isEqualTo(source.current().ecOrNull().chain());
        assertThat(rsa.servedChain()).isEqualTo(source.current().rsa().chain());
    }

    @Test
    void thePreferredChainLeadsToTheNamedRootAndIncludeRootAppendsIt(@TempDir Path dir) throws Exception {
        X509Certificate alternateRoot = pebble.root(1);
        String rootCn = alternateRoot.getSubjectX500Principal().getName().substring("CN=".length());
        AcmeSettings settings = builder("chain.locomov.test", ChallengeType.HTTP_01)
                .preferredChain(rootCn).includeRoot(true).rootCaFile(pebble.rootFile(1)).build();
        AcmeCertificateSource source = source(settings, http01, dir, "node-a", new SimpleMeterRegistry(), Clock.systemUTC());

        source.start();
        awaitAcmeCertificates(source);

        List<X509Certificate> chain = source.current().rsa().chain();
        assertThat(chain).hasSize(3).last().isEqualTo(alternateRoot);
        Instant now = Instant.now();
        assertThat(DeviceTrustCheck.check(new ServedChain(chain), alternateRoot, 8192, now).accepted()).isTrue();
        assertThat(DeviceTrustCheck.check(new ServedChain(chain), pebble.root(0), 8192, now).accepted()).isFalse();
    }

    @Test
    void aRenewalSwapsTheCertificateInARunningListenerWhileAnOpenConnectionKeepsWorking(@TempDir Path dir) throws Exception {
        String domain = "renew.locomov.test";
        TestClock clock = new TestClock();
        AcmeCertificateSource source = source(settings(domain, ChallengeType.HTTP_01), http01, dir, "node-a",
                new SimpleMeterRegistry(), clock);
        ServerTls tls = ServerTls.create(source.current().rsa(), source.current().ecOrNull(), CipherProfile.MODERN,
                Duration.ofSeconds(10), "renew");
        source.addListener("renew", tls);
        EchoServer listener = closeLater(new EchoServer(tls::newHandler));
        source.start();
        awaitAcmeCertificates(source);
        X509Certificate first = source.current().ecOrNull().leaf();

        try (SSLSocket before = connect(listener.port(), domain)) {
            assertThat(exchange(before, "one")).isEqualTo("echo: one");

            clock.moveAhead(Duration.ofDays(4 * 365));    // pebble issues for 5 years: past two thirds
            await().atMost(ORDER_WAIT).until(() -> !source.current().ecOrNull().leaf().equals(first));
            clock.moveAhead(Duration.ZERO);

            try (SSLSocket after = connect(listener.port(), domain)) {
                assertThat(after.getSession().getPeerCertificates()[0]).isNotEqualTo(first)
                        .isEqualTo(tls.ecCertificateOrNull().leaf());
            }
            assertThat(before.getSession().getPeerCertificates()[0]).isEqualTo(first);
            assertThat(exchange(before, "two")).isEqualTo("echo: two");
        }
    }

    @Test
    void twoNodesOnOneDatabaseOrderOnceAndBothServeTheResult(@TempDir Path dir) throws Exception {
        AcmeSettings settings = settings("two.locomov.test", ChallengeType.HTTP_01);
        MeterRegistry registryA = new SimpleMeterRegistry();
        MeterRegistry registryB = new SimpleMeterRegistry();
        AcmeCertificateSource nodeA = source(settings, http01, dir, "node-a", registryA, Clock.systemUTC());
        AcmeCertificateSource nodeB = source(settings, http01, dir, "node-b", registryB, Clock.systemUTC());

        nodeA.start();
        nodeB.start();
        awaitAcmeCertificates(nodeA);
        awaitAcmeCertificates(nodeB);

        await().atMost(ORDER_WAIT).untilAsserted(() -> {
            assertThat(nodeB.current().rsa().leaf()).isEqualTo(nodeA.current().rsa().leaf());
            assertThat(nodeB.current().ecOrNull().leaf()).isEqualTo(nodeA.current().ecOrNull().leaf());
        });
        for (String keyType : List.of("rsa", "ec")) {
            double orders = obtained(registryA, keyType) + obtained(registryB, keyType);
            assertThat(orders).as("%s certificates ordered by both nodes together", keyType).isEqualTo(1.0);
        }
    }

    @Test
    void aFailingCaIsRetriedWithBackoffCountedAndRecordedWhileTheFallbackIsServed(@TempDir Path dir) throws Exception {
        AcmeSettings settings = builder("fail.locomov.test", ChallengeType.HTTP_01)
                .caTrustFile(TestCertificates.shared().caCertificateFile())    // not what signed pebble's HTTPS
                .retryDelays(Duration.ofMillis(200), Duration.ofMillis(400)).build();
        MeterRegistry registry = new SimpleMeterRegistry();
        AcmeCertificateSource source = source(settings, http01, dir, "node-a", registry, Clock.systemUTC());

        source.start();

        await().atMost(ORDER_WAIT).until(() -> registry.counter(CertificateMetrics.RENEWAL_FAILURES).count() >= 4);
        TlsRenewalRecord record = new TlsMaterialRepository(database.dataSource())
                .renewal(SharedTlsMaterial.certificateName(settings.directory(), KeyType.RSA)).orElseThrow();
        assertThat(record.failuresInRow()).isGreaterThanOrEqualTo(2);
        assertThat(record.lastError()).contains("log in");
        assertThat(record.nextAttemptAt()).isAfter(record.lastAttemptAt());
        assertThat(source.current()).isEqualTo(fallback);
    }

    private AcmeCertificateSource source(AcmeSettings settings, ChallengeResponder responder, Path dir, String node,
                                         MeterRegistry registry, Clock clock) throws Exception {
        MasterKey key = MasterKey.openOrCreate(dir.resolve("master.key"), true);
        SharedTlsMaterial shared = new SharedTlsMaterial(new TlsMaterialRepository(database.dataSource()), key, node);
        return closeLater(new AcmeCertificateSource(settings, shared, responder, fallback, registry, clock));
    }

    private static AcmeSettings settings(String domain, ChallengeType challenge) {
        return builder(domain, challenge).build();
    }

    private static AcmeSettings.Builder builder(String domain, ChallengeType challenge) {
        return AcmeSettings.builder(pebble.directoryUrl(), List.of(domain))
                .email("ops@locomov.test").challenge(challenge).bindAddress("127.0.0.1").httpPort(0)
                .caTrustFile(pebble.directoryTrustFile()).pollInterval(POLL)
                .retryDelays(Duration.ofSeconds(1), Duration.ofSeconds(2)).orderTimeout(Duration.ofSeconds(30));
    }

    private static void awaitAcmeCertificates(AcmeCertificateSource source) {
        await().atMost(ORDER_WAIT).until(() -> source.current().rsa() != fallback.rsa()
                && source.current().ecOrNull() != null && source.current().ecOrNull() != fallback.ecOrNull());
    }

    private static double obtained(MeterRegistry registry, String keyType) {
        var counter = registry.find(AcmeCertificateSource.OBTAINED).tag("keytype", keyType).counter();
        return counter == null ? 0 : counter.count();
    }

    private <T extends AutoCloseable> T closeLater(T resource) {
        toClose.add(resource);
        return resource;
    }

    private static SSLSocket connect(int port, String domain) throws Exception {
        SSLContext trust = org.locomov.tls.ClientTls.jdkContext(pebble.rootFile(0));
        // Connected to 127.0.0.1 but layered as "domain", so SNI and the name check both use the domain.
        java.net.Socket plain = new java.net.Socket("127.0.0.1", port);
        SSLSocket socket = (SSLSocket) trust.getSocketFactory().createSocket(plain, domain, port, true);
        socket.setSoTimeout(20_000);
        socket.startHandshake();
        return socket;
    }

    private static String exchange(SSLSocket socket, String line) throws Exception {
        OutputStream out = socket.getOutputStream();
        out.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        StringBuilder reply = new StringBuilder();
        for (int c = socket.getInputStream().read(); c != -1 && c != '\n'; c = socket.getInputStream().read()) {
            reply.append((char) c);
        }
        return reply.toString();
    }
}
