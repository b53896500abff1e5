package org.locomov.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.locomov.tls.DevelopmentCa;
import org.locomov.tls.PemFiles;
import org.locomov.tls.ServerCertificate;

/**
 * The one RSA certificate every server in a run presents (locomov through {@code --tls-cert/--tls-key},
 * nginx through {@code ssl_certificate}), issued by locomov's own development CA, whose {@code ca.pem} the
 * simulated devices trust. The same key size and chain length on both sides keeps the handshake
 * comparison fair.
 *
 * @param caPem    the root the devices trust
 * @param chainPem leaf then CA, as the servers send it
 * @param keyPem   the leaf's RSA private key
 */
public record BenchCertificates(Path caPem, Path chainPem, Path keyPem) {

    /** Creates the CA under {@code dir/ca} and writes the RSA server chain and key next to it. */
    public static BenchCertificates create(Path dir) throws IOException {
        DevelopmentCa ca = DevelopmentCa.openOrCreate(dir.resolve("ca"), List.of("localhost"), List.of("127.0.0.1"));
        ServerCertificate rsa = ca.rsaServer();
        Path chain = dir.resolve("server-rsa-chain.pem");
        Path key = dir.resolve("server-rsa.key");
        PemFiles.writeCertificates(chain, rsa.chain());
        PemFiles.writePrivateKey(key, rsa.key());
        return new BenchCertificates(ca.caCertificateFile(), chain, key);
    }
}
