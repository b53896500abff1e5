package org.locomov.tls;

import org.locomov.tls.testing.OpensslClient;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locomov.tls.testing.TestCertificates;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PemFilesTest {

    private static DevelopmentCa ca;

    @TempDir
    Path dir;

    @BeforeAll
    static void certificates() {
        ca = TestCertificates.shared();
    }

    @Test
    void loadsAChainAndItsKeyAsWritten() throws Exception {
        Path chain = dir.resolve("chain.pem");
        Path key = dir.resolve("key.pem");
        PemFiles.writeCertificates(chain, ca.ecServer().chain());
        PemFiles.writePrivateKey(key, ca.ecServer().key());

        ServerCertificate loaded = PemFiles.loadServerCertificate(chain, key);

        assertThat(loaded.chain()).isEqualTo(ca.ecServer().chain());
        assertThat(loaded.key().getEncoded()).isEqualTo(ca.ecServer().key().getEncoded());
        assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
    }

    @Test
    void refusesAKeyThatDoesNotMatchTheLeafNamingBothFiles() throws Exception {
        Path chain = dir.resolve("chain.pem");
        Path otherKey = dir.resolve("other.key");
        PemFiles.writeCertificates(chain, ca.rsaServer().chain());
        PemFiles.writePrivateKey(otherKey, CertificateIssuer.newKeyPair(KeyType.RSA).getPrivate());

        assertThatThrownBy(() -> PemFiles.loadServerCertificate(chain, otherKey))
                .isInstanceOf(CertificateFileException.class)
                .hasMessageContaining(otherKey.toString()).hasMessageContaining(chain.toString())
                .hasMessageContaining("does not belong");
    }

    @Test
    void refusesAKeyOfTheOtherType() throws Exception {
        Path chain = dir.resolve("chain.pem");
        Path ecKey = dir.resolve("ec.key");
        PemFiles.writeCertificates(chain, ca.rsaServer().chain());
        PemFiles.writePrivateKey(ecKey, ca.ecServer().key());

        assertThatThrownBy(() -> PemFiles.loadServerCertificate(chain, ecKey))
                .isInstanceOf(CertificateFileException.class).hasMessageContaining("the key is EC");
    }

    @Test
    void refusesAnEmptyChain() throws Exception {
        Path chain = Files.writeString(dir.resolve("empty.pem"), "");
        Path key = dir.resolve("key.pem");
        PemFiles.writePrivateKey(key, ca.rsaServer().key());

        assertThatThrownBy(() -> PemFiles.loadServerCertificate(chain, key))
                .isInstanceOf(CertificateFileException.class)
                .hasMessageContaining(chain.toString()).hasMessageContaining("no certificate");
    }

    @Test
    void refusesAChainOutOfOrder() throws Exception {
        Path chain = dir.resolve("reversed.pem");
        Path key = dir.resolve("key.pem");
        PemFiles.writeCertificates(chain, List.of(ca.caCertificate(), ca.rsaServer().leaf()));
        PemFiles.writePrivateKey(key, ca.rsaServer().key());

        assertThatThrownBy(() -> PemFiles.loadServerCertificate(chain, key))
                .isInstanceOf(CertificateFileException.class)
                .hasMessageContaining(chain.toString()).hasMessageContaining("out of order");
    }

    @Test
    void readsPkcs1AndSec1KeysAndPkcs8FromOpenssl() throws Exception {
        OpensslClient.assumeInstalled();
        Path pkcs1 = dir.resolve("rsa-pkcs1.key");
        Path sec1 = dir.resolve("ec-sec1.key");
        Path pkcs8 = dir.resolve("ec-pkcs8.key");
        Path certificate = dir.resolve("ec-cert.pem");
        openssl("genrsa", "-traditional", "-out", pkcs1.toString(), "2048");
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-out", sec1.toString());
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", pkcs8.toString(), "-out", certificate.toString(), "-subj", "/CN=meter.lan", "-days", "2");
        assertThat(Files.readString(pkcs1)).contains("BEGIN RSA PRIVATE KEY");
        assertThat(Files.readString(sec1)).contains("BEGIN EC PARAMETERS", "BEGIN EC PRIVATE KEY");

        PrivateKey rsa = PemFiles.readPrivateKey(pkcs1);
        PrivateKey ec = PemFiles.readPrivateKey(sec1);
        ServerCertificate fromOpenssl = PemFiles.loadServerCertificate(certificate, pkcs8);

        assertThat(rsa.getAlgorithm()).isEqualTo("RSA");
        assertThat(ec.getAlgorithm()).isEqualTo("EC");
        assertThat(fromOpenssl.keyType()).isEqualTo(KeyType.EC);
        assertThat(fromOpenssl.leaf().getSubjectX500Principal().getName()).isEqualTo("CN=meter.lan");
    }

    @Test
    void refusesAnEncryptedKey() throws Exception {
        OpensslClient.assumeInstalled();
        Path encrypted = dir.resolve("encrypted.key");
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-aes256",
                "-pass", "pass:secret", "-out", encrypted.toString());

        assertThatThrownBy(() -> PemFiles.readPrivateKey(encrypted))
                .isInstanceOf(CertificateFileException.class)
                .hasMessageContaining(encrypted.toString()).hasMessageContaining("encrypted");
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("nope.pem");

        assertThatThrownBy(() -> PemFiles.readCertificates(missing))
                .isInstanceOf(CertificateFileException.class).hasMessageContaining(missing + " does not exist");
    }

    private static void openssl(String... arguments) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        OpensslClient.Result result = OpensslClient.run(command, "");
        assertThat(result.exitCode()).as(result.output()).isZero();
    }
}
