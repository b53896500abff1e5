package org.locomov.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * TLS clients that trust only one CA file (locomov's {@code ca.pem}, or the root a device holds) and
 * check the server's host name or IP address against its certificate: the {@code send} command, the
 * benchmark's device emulation and tests.
 *
 * <p>Netty client contexts check the host name only when the handler is made with the peer's host:
 * {@code context.newHandler(alloc, host, port)}.
 */
public final class ClientTls {

    private static final String HOSTNAME_CHECK = "HTTPS";

    private ClientTls() {
    }

    /** A Netty client context with the JDK's default protocols and suites, trusting only {@code caPem}. */
    public static SslContext forCa(Path caPem) throws IOException {
        return builder(caPem).build();
    }

    /**
     * A Netty client context restricted to {@code protocols} and {@code suites} (IANA names), to emulate a
     * device: e.g. {@code List.of("TLSv1.2")} and {@code List.of("TLS_RSA_WITH_AES_256_CBC_SHA")} for a CC3220S.
     */
    public static SslContext forCa(Path caPem, List<String> protocols, List<String> suites) throws IOException {
        SslProvider provider = OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
        if (provider == SslProvider.JDK && suites.stream().anyMatch(s -> s.startsWith("TLS_RSA_"))) {
            JdkLegacySuites.allowRsaKeyExchange("a TLS client emulating a CC32xx device");
        }
        return builder(caPem)
                .sslProvider(provider)
                .protocols(protocols)
                .ciphers(suites)
                .build();
    }

    /**
     * A JDK {@link SSLContext} trusting only {@code caPem}, for simple blocking clients. Its sockets and
     * engines check the server's name (the host passed to {@code createSocket}) against the certificate.
     */
    public static SSLContext jdkContext(Path caPem) throws IOException, GeneralSecurityException {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        List<X509Certificate> certificates = PemFiles.readCertificates(caPem);
        for (int i = 0; i < certificates.size(); i++) {
            trusted.setCertificateEntry("ca-" + i, certificates.get(i));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return new HostnameCheckingSslContext(context, HOSTNAME_CHECK);
    }

    private static SslContextBuilder builder(Path caPem) throws CertificateFileException {
        return SslContextBuilder.forClient()
                .trustManager(PemFiles.readCertificates(caPem).toArray(X509Certificate[]::new))
                .endpointIdentificationAlgorithm(HOSTNAME_CHECK);
    }
}
