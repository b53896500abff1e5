package org.locomov.server;

import io.netty.util.NetUtil;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.locomov.tls.DevelopmentCa;
import org.locomov.tls.KeyType;
import org.locomov.tls.PemFiles;
import org.locomov.tls.ServerCertificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server certificates listeners present, from the development CA or the operator's PEM files.
 *
 * @param rsa           RSA certificate, for CC32xx devices (which know nothing else)
 * @param ec            ECDSA certificate for modern clients; {@code null} with the operator's certificate
 * @param trustedCaFile the file devices must trust; {@code null} with the operator's certificate
 * @param description   one line for the banner
 */
record ServerCertificates(ServerCertificate rsa, ServerCertificate ec, Path trustedCaFile, String description) {

    private static final Logger log = LoggerFactory.getLogger(ServerCertificates.class);
    /** Always in the development certificates, so that local clients can verify the name they connect to. */
    private static final List<String> LOCAL_NAMES = List.of("localhost", "127.0.0.1", "::1");

    static ServerCertificates load(TlsSource source) {
        try {
            return switch (source) {
                case TlsSource.DevelopmentCa development -> fromDevelopmentCa(development);
                case TlsSource.PemFiles pem -> fromPemFiles(pem);
                // Until the ACME CA has issued, the development CA's certificates are served.
                case TlsSource.Acme acme -> fromDevelopmentCa(acme.fallback());
            };
        } catch (IOException e) {
            throw new LocomovStartException("cannot load the server certificates: " + e.getMessage(), e);
        }
    }

    private static ServerCertificates fromDevelopmentCa(TlsSource.DevelopmentCa source) throws IOException {
        Set<String> names = new LinkedHashSet<>(LOCAL_NAMES);
        hostName().ifPresent(names::add);
        names.addAll(source.extraNames());
        List<String> dnsNames = new ArrayList<>();
        List<String> ipAddresses = new ArrayList<>();
        for (String name : names) {
            (NetUtil.isValidIpV4Address(name) || NetUtil.isValidIpV6Address(name) ? ipAddresses : dnsNames).add(name);
        }
        DevelopmentCa ca = DevelopmentCa.openOrCreate(source.tlsDirectory(), dnsNames, ipAddresses);
        return new ServerCertificates(ca.rsaServer(), ca.ecServer(), ca.caCertificateFile().toAbsolutePath(),
                "development CA, RSA and ECDSA certificates for " + String.join(", ", names));
    }

    private static ServerCertificates fromPemFiles(TlsSource.PemFiles source) throws IOException {
        ServerCertificate certificate = PemFiles.loadServerCertificate(source.certificateChain(), source.privateKey());
        if (certificate.keyType() != KeyType.RSA) {
            // CC32xx devices speak only RSA key exchange; without an RSA certificate the mov port is useless.
            throw new LocomovStartException("--tls-cert " + source.certificateChain() + " holds an "
                    + certificate.keyType() + " key; the mov listener needs an RSA certificate for its devices", null);
        }
        return new ServerCertificates(certificate, null, null,
                certificate.describe() + " (" + source.certificateChain() + ")");
    }

    /** This machine's name, so that devices on the LAN can verify it; none when it cannot be found. */
    private static Optional<String> hostName() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            return NetUtil.isValidIpV4Address(name) || name.isBlank() ? Optional.empty()
                    : Optional.of(name);
        } catch (UnknownHostException e) {
            log.warn("Cannot find this host's name ({}); the development certificates will name only {} "
                    + "and the --tls-name values", e.getMessage(), LOCAL_NAMES);
            return Optional.empty();
        }
    }
}
