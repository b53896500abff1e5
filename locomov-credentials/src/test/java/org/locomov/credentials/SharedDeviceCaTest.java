package org.locomov.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locomov.core.RefusalKind;
import org.locomov.core.identity.Identity;
import org.locomov.store.Database;
import org.locomov.store.DeviceCredentialRepository;
import org.locomov.store.OperatorCaRepository;
import org.locomov.store.TlsMaterialRepository;
import org.locomov.store.testing.TestDatabase;
import org.locomov.tls.CertificateFileException;
import org.locomov.tls.DeviceCa;
import org.locomov.tls.DeviceCredentials;
import org.locomov.tls.KeyType;
import org.locomov.tls.MasterKey;
import org.locomov.tls.ServerCertificate;
import org.locomov.tls.testing.LogCapture;
import org.locomov.tls.testing.TestCertificates;

/**
 * Two nodes on one PostgreSQL (two {@link Database} pools, two data directories, one master key): one device CA
 * for both, so a certificate issued through one authenticates at the other over real TLS, and a revocation holds
 * at both; an older data directory's CA is imported, a differing one is reported and not used.
 */
class SharedDeviceCaTest {

    private static final long DEVICE = 42;

    @TempDir
    Path work;

    private Database nodeA;
    private Database nodeB;
    private MasterKey masterKey;
    private final List<StoreDeviceIdentity> identities = new ArrayList<>();

    @BeforeEach
    void open() throws IOException {
        nodeA = TestDatabase.fresh();
        nodeB = TestDatabase.open(nodeA.jdbcUrl());
        TestDatabase.addDevice(nodeA, DEVICE);
        masterKey = MasterKey.openOrCreate(work.resolve("master.key"), true);
    }

    @AfterEach
    void close() {
        identities.forEach(StoreDeviceIdentity::close);
        nodeB.close();
        nodeA.close();
    }

    private DeviceCa sharedCa(Database node, String dataDir) throws IOException {
        return SharedDeviceCa.open(new TlsMaterialRepository(node.dataSource()), masterKey, work.resolve(dataDir).resolve("tls"),
                "node " + dataDir, Instant.now());
    }

    private StoreDeviceIdentity identity(Database node, DeviceCa ca) {
        StoreDeviceIdentity identity = new StoreDeviceIdentity(ca.certificate(), List.of(),
                new DeviceCredentialRepository(node.dataSource()), new OperatorCaRepository(node.dataSource()), () -> masterKey);
        identity.reloadOperatorCas();
        identities.add(identity);
        return identity;
    }

    private DeviceCredentials issue(Database node, DeviceCa ca) {
        return new DeviceCredentialsIssuer(ca, masterKey, new DeviceCredentialRepository(node.dataSource()), Clock.systemUTC())
                .issue(DEVICE, KeyType.EC).orElseThrow().credentials();
    }

    @Test
    void aCertificateIssuedThroughOneNodeAuthenticatesAtTheOtherUntilRevoked() throws Exception {
        DeviceCa caA = sharedCa(nodeA, "a");
        DeviceCa caB = sharedCa(nodeB, "b");
        assertThat(caB.certificate()).isEqualTo(caA.certificate());
        assertThat(TestDatabase.count(nodeA, "SELECT count(*) FROM tls_material WHERE name = ? AND chain_pem LIKE "
                + "'-----BEGIN CERTIFICATE-----%' AND master_key_id = ?", SharedDeviceCa.NAME, masterKey.id())).isEqualTo(1);
        assertThat(work.resolve("a/tls/" + DeviceCa.KEY_FILE)).as("the key lives sealed in the database only").doesNotExist();
        StoreDeviceIdentity atA = identity(nodeA, caA);
        StoreDeviceIdentity atB = identity(nodeB, caB);

        DeviceCredentials issued = issue(nodeA, caA);

        Identity identified = new Identity.Identified(DEVICE, Identity.Credential.CERTIFICATE);
        assertThat(overTls(atB, issued)).isEqualTo(identified);
        assertThat(overTls(atA, issued)).isEqualTo(identified);

        new DeviceCredentialRepository(nodeB.dataSource()).revoke(DEVICE);
        for (StoreDeviceIdentity node : List.of(atA, atB)) {
            assertThat(overTls(node, issued)).isInstanceOfSatisfying(Identity.Refused.class,
                    refused -> assertThat(refused.refusal().kind()).isEqualTo(RefusalKind.REVOKED_DEVICE));
        }
    }

    @Test
    void nodesStartingTogetherAgreeOnOneCa() throws Exception {
        ExecutorService starts = Executors.newFixedThreadPool(4);
        try {
            List<Callable<DeviceCa>> nodes = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Database node = i % 2 == 0 ? nodeA : nodeB;
                String dataDir = "n" + i;
                nodes.add(() -> sharedCa(node, dataDir));
            }
            List<X509Certificate> certificates = new ArrayList<>();
            for (Future<DeviceCa> started : starts.invokeAll(nodes)) {
                certificates.add(started.get().certificate());
            }
            assertThat(certificates).containsOnly(certificates.getFirst());
        } finally {
            starts.shutdownNow();
        }
        assertThat(TestDatabase.count(nodeA, "SELECT count(*) FROM tls_material WHERE name = ?", SharedDeviceCa.NAME))
                .isEqualTo(1);
    }

    @Test
    void aDataDirectorysOwnCaIsImportedWhenTheDatabaseHasNoneAndItsCertificatesKeepWorking() throws Exception {
        DeviceCa fromBefore = DeviceCa.open(work.resolve("a/tls"), Instant.now());
        DeviceCredentials issuedBefore = issue(nodeA, fromBefore);

        DeviceCa shared;
        try (LogCapture log = new LogCapture(SharedDeviceCa.class)) {
            shared = sharedCa(nodeA, "a");
            assertThat(log.messages("INFO")).anyMatch(line -> line.startsWith("Imported the device CA"));
        }
        assertThat(shared.certificate()).isEqualTo(fromBefore.certificate());
        DeviceCa atB = sharedCa(nodeB, "b");
        assertThat(overTls(identity(nodeB, atB), issuedBefore))
                .isEqualTo(new Identity.Identified(DEVICE, Identity.Credential.CERTIFICATE));
    }

    @Test
    void aNodeWhoseOwnCaDiffersWarnsAndUsesTheDatabases() throws Exception {
        DeviceCa shared = sharedCa(nodeA, "a");
        DeviceCa ownOfB = DeviceCa.open(work.resolve("b/tls"), Instant.now());
        DeviceCredentials signedByOwn = issue(nodeB, ownOfB);

        DeviceCa usedByB;
        try (LogCapture log = new LogCapture(SharedDeviceCa.class)) {
            usedByB = sharedCa(nodeB, "b");
            assertThat(log.messages("WARN")).singleElement().asString()
                    .contains(work.resolve("b/tls/" + DeviceCa.CERTIFICATE_FILE).toString())
                    .contains("uses the database's")
                    .contains("locomov ca register --pem");
        }
        assertThat(usedByB.certificate()).isEqualTo(shared.certificate());
        StoreDeviceIdentity atB = identity(nodeB, usedByB);
        assertThatThrownBy(() -> overTls(atB, signedByOwn)).isInstanceOf(SSLException.class);
        assertThat(atB.byCertificate(List.of(signedByOwn.certificate())).join()).isInstanceOfSatisfying(
                Identity.Refused.class, refused -> assertThat(refused.refusal().kind()).isEqualTo(RefusalKind.CERTIFICATE_REFUSED));
    }

    @Test
    void aNodeWithAnotherMasterKeyIsToldWhichKeyItNeeds() throws Exception {
        sharedCa(nodeA, "a");
        MasterKey another = MasterKey.openOrCreate(work.resolve("another.key"), true);
        assertThatThrownBy(() -> SharedDeviceCa.open(new TlsMaterialRepository(nodeB.dataSource()), another,
                work.resolve("b/tls"), "node b", Instant.now()))
                .isInstanceOf(CertificateFileException.class)
                .hasMessageContaining(masterKey.id())
                .hasMessageContaining(another.id())
                .hasMessageContaining("--tls-master-key-file");
    }

    /**
     * A TLS handshake on loopback in which the device presents {@code credentials} to a server that trusts what
     * {@code node} trusts and asks for a certificate; then what {@code node} says the presented chain is.
     *
     * @throws SSLException when the server's TLS refuses the certificate
     */
    private static Identity overTls(StoreDeviceIdentity node, DeviceCredentials credentials) throws Exception {
        ServerCertificate server = TestCertificates.shared().rsaServer();
        SSLContext serverContext = context(server.key(), server.chain(), node.trustAnchors());
        SSLContext clientContext = context(credentials.key(), List.of(credentials.certificate()),
                List.of(TestCertificates.shared().caCertificate()));
        try (SSLServerSocket listening = (SSLServerSocket) serverContext.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listening.setNeedClientAuth(true);
            ExecutorService device = Executors.newSingleThreadExecutor();
            try {
                Future<?> connecting = device.submit(() -> {
                    try (SSLSocket socket = (SSLSocket) clientContext.getSocketFactory()
                            .createSocket(InetAddress.getLoopbackAddress(), listening.getLocalPort())) {
                        socket.startHandshake();
                        socket.getInputStream().read(); // until the server closes
                    }
                    return null;
                });
                try (SSLSocket accepted = (SSLSocket) listening.accept()) {
                    accepted.setSoTimeout(10_000);
                    accepted.startHandshake();
                    Certificate[] presented = accepted.getSession().getPeerCertificates();
                    return node.byCertificate(Arrays.stream(presented).map(X509Certificate.class::cast).toList()).join();
                } finally {
                    connecting.cancel(true);
                }
            } finally {
                device.shutdownNow();
            }
        }
    }

    private static SSLContext context(java.security.PrivateKey key, List<X509Certificate> chain, List<X509Certificate> trusted)
            throws Exception {
        char[] password = "test".toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("key", key, password, chain.toArray(X509Certificate[]::new));
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, password);
        KeyStore anchors = KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        for (int i = 0; i < trusted.size(); i++) {
            anchors.setCertificateEntry("anchor-" + i, trusted.get(i));
        }
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(anchors);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        return context;
    }
}
