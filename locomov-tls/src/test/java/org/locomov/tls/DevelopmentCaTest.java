package org.locomov.tls;

import org.locomov.tls.testing.OpensslClient;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DevelopmentCaTest {

    private static final List<String> NAMES = List.of("localhost", "meter-gateway");
    private static final List<String> ADDRESSES = List.of("127.0.0.1", "::1");

    @TempDir
    Path dir;

    @Test
    void firstCallCreatesTheCaAndBothServerCertificates() throws Exception {
        DevelopmentCa ca = DevelopmentCa.openOrCreate(dir, NAMES, ADDRESSES);

        X509Certificate root = ca.caCertificate();
        assertThat(ca.caCertificateFile()).isEqualTo(dir.resolve("ca.pem"));
        assertThat(root.getSubjectX500Principal().getName()).startsWith("CN=locomov development CA ");
        assertThat(root.getBasicConstraints()).isZero();                 // a CA, path length 0
        assertThat(((RSAPublicKey) root.getPublicKey()).getModulus().bitLength()).isEqualTo(2048);
        assertThat(root.getSigAlgName()).isEqualTo("SHA256withRSA");
        assertThat(Duration.between(root.getNotBefore().toInstant(), root.getNotAfter().toInstant()))
                .isGreaterThanOrEqualTo(DevelopmentCa.CA_VALIDITY);

        ServerCertificate rsa = ca.rsaServer();
        assertThat(rsa.keyType()).isEqualTo(KeyType.RSA);
        assertThat(((RSAPublicKey) rsa.leaf().getPublicKey()).getModulus().bitLength()).isEqualTo(2048);
        assertThat(rsa.chain()).containsExactly(rsa.leaf(), root);
        assertThat(rsa.leaf().getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(rsa.leaf().getSubjectAlternativeNames()).extracting(san -> (Object) String.valueOf(san.get(1)))
                .contains((Object) "localhost", "meter-gateway", "127.0.0.1", "0:0:0:0:0:0:0:1");

        ServerCertificate ec = ca.ecServer();
        assertThat(ec.keyType()).isEqualTo(KeyType.EC);
        assertThat(((ECPublicKey) ec.leaf().getPublicKey()).getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
        assertThat(ec.chain()).containsExactly(ec.leaf(), root);
        assertThat(Duration.between(ec.leaf().getNotBefore().toInstant(), ec.notAfter()))
                .isBetween(DevelopmentCa.SERVER_VALIDITY, DevelopmentCa.SERVER_VALIDITY.plusHours(2));

        for (String key : List.of("ca.key", "server-rsa.key", "server-ec.key")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(key))))
                    .as(key).isEqualTo("rw-------");
        }
        assertThat(PemFiles.readCertificates(dir.resolve("server-rsa.pem"))).containsExactly(rsa.leaf(), root);
    }

    @Test
    void opensslVerifiesBothServerCertificatesAgainstCaPem() throws Exception {
        OpensslClient.assumeInstalled();
        DevelopmentCa.openOrCreate(dir, NAMES, ADDRESSES);

        for (String leaf : List.of("server-rsa.pem", "server-ec.pem")) {
            OpensslClient.Result result = OpensslClient.run(List.of("openssl", "verify", "-CAfile",
                    dir.resolve("ca.pem").toString(), "-purpose", "sslserver", "-verify_hostname", "localhost",
                    dir.resolve(leaf).toString()), "");
            assertThat(result.output()).as(leaf).contains(": OK");
            assertThat(result.exitCode()).isZero();
        }
    }

    @Test
    void laterCallsReuseTheSameCaKeysAndCertificates() throws Exception {
        DevelopmentCa first = DevelopmentCa.openOrCreate(dir, NAMES, ADDRESSES);
        byte[] rsaFile = Files.readAllBytes(dir.resolve("server-rsa.pem"));

        DevelopmentCa second = DevelopmentCa.openOrCreate(dir, NAMES, ADDRESSES);

        assertThat(second.caCertificate()).isEqualTo(first.caCertificate());
        assertThat(second.rsaServer().leaf()).isEqualTo(first.rsaServer().leaf());
        assertThat(second.ecServer().leaf()).isEqualTo(first.ecServer().leaf());
        assertThat(second.rsaServer().key().getEncoded()).isEqualTo(first.rsaServer().key().getEncoded());
        assertThat(second.ecServer().key().getEncoded()).isEqualTo(first.ecServer().key().getEncoded());
        assertThat(Files.readAllBytes(dir.resolve("server-rsa.pem"))).isEqualTo(rsaFile);
    }

    @Test
    void aServerCertificateWithin30DaysOfExpiryIsReissuedByTheSameCaWithTheSameKey() throws Exception {
        DevelopmentCa first = DevelopmentCa.openOrCreate(dir, NAMES, ADDRESSES);
        Instant nearExpiry = first.rsaServer().notAfter().minus(Duration.ofDays(29));

        DevelopmentCa later = DevelopmentCa.openOrCreate(dir, NAMES, ADDRESSES, Clock.fixed(nearExpiry, ZoneOffset.UTC));

        assertThat(later.caCertificate()).isEqualTo(first.caCertificate());
        for (ServerCertificate[] pair : List.of(
                new ServerCertificate[] {first.rsaServer(), later.rsaServer()},
                new ServerCertificate[] {first.ecServer(), later.ecServer()})) {
            assertThat(pair[1].leaf()).isNotEqualTo(pair[0].leaf());
            assertThat(pair[1].notAfter()).isAfter(nearExpiry.plus(Duration.ofDays(396)));
            assertThat(pair[1].leaf().getPublicKey()).isEqualTo(pair[0].leaf().getPublicKey());
            pair[1].leaf().verify(first.caCertificate().getPublicKey());
        }
        assertThat(PemFiles.readCertificates(dir.resolve("server-ec.pem")).get(0)).isEqualTo(later.ecServer().leaf());
    }

    @Test
    void aCertificateStillValidLongerIsNotReissued() throws Exception {
        DevelopmentCa first = DevelopmentCa.openOrCreate(dir, NAMES, ADDRESSES);
        Instant stillFine = first.rsaServer().notAfter().minus(Duration.ofDays(31));

        DevelopmentCa later = DevelopmentCa.openOrCreate(dir, NAMES, ADDRESSES, Clock.fixed(stillFine, ZoneOffset.UTC));

        assertThat(later.rsaServer().leaf()).isEqualTo(first.rsaServer().leaf());
    }

    @Test
    void aNewlyRequestedNameGetsACertificateThatCarriesIt() throws Exception {
        DevelopmentCa first = DevelopmentCa.openOrCreate(dir, List.of("localhost"), List.of("127.0.0.1"));

        DevelopmentCa later = DevelopmentCa.openOrCreate(dir, List.of("localhost", "meter.lan"), List.of("127.0.0.1", "192.0.2.7"));

        assertThat(later.rsaServer().leaf().getSubjectAlternativeNames()).extracting(san -> (Object) String.valueOf(san.get(1)))
                .contains((Object) "localhost", "meter.lan", "127.0.0.1", "192.0.2.7");
        assertThat(later.rsaServer().leaf().getPublicKey()).isEqualTo(first.rsaServer().leaf().getPublicKey());
        assertThat(later.caCertificate()).isEqualTo(first.caCertificate());
    }

    @Test
    void aCaCertificateWithoutItsKeyIsRefusedNotReplaced() throws Exception {
        DevelopmentCa.openOrCreate(dir, NAMES, ADDRESSES);
        byte[] caFile = Files.readAllBytes(dir.resolve("ca.pem"));
        Files.delete(dir.resolve("ca.key"));

        assertThatThrownBy(() -> DevelopmentCa.openOrCreate(dir, NAMES, ADDRESSES))
                .isInstanceOf(CertificateFileException.class)
                .hasMessageContaining("ca.key").hasMessageContaining("is missing");
        assertThat(Files.readAllBytes(dir.resolve("ca.pem"))).isEqualTo(caFile);
    }

    @Test
    void anAddressThatIsNotAnIpLiteralIsRefused() {
        assertThatThrownBy(() -> DevelopmentCa.openOrCreate(dir, NAMES, List.of("localhost")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'localhost'");
        assertThat(dir).isEmptyDirectory();
    }
}
