package org.locomov.credentials.acme;

import io.netty.channel.ChannelHandler;
import io.netty.handler.ssl.SslHandler;
import org.locomov.tls.CertificateListener;
import org.locomov.tls.CertificatePair;
import org.locomov.tls.ServerCertificate;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * TLS built as the HTTPS API builds it: the JDK provider, one key store holding the RSA and the EC certificate,
 * key managers wrapped by {@link TlsAlpnChallenges}, every engine prepared for {@code acme-tls/1}. Stands in for
 * the API in this module's TLS-ALPN-01 tests; takes new certificates like any listener.
 */
final class JdkAlpnTls implements Supplier<ChannelHandler>, CertificateListener {

    private static final char[] PASSWORD = "test".toCharArray();

    private final TlsAlpnChallenges challenges;
    private final AtomicReference<SSLContext> context = new AtomicReference<>();

    JdkAlpnTls(CertificatePair certificates, TlsAlpnChallenges challenges) throws Exception {
        this.challenges = challenges;
        certificatesChanged(certificates);
    }

    @Override
    public ChannelHandler get() {
        SSLEngine engine = context.get().createSSLEngine();
        engine.setUseClientMode(false);
        challenges.prepare(engine);
        return new SslHandler(engine);
    }

    @Override
    public void certificatesChanged(CertificatePair certificates) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        add(store, "rsa", certificates.rsa());
        if (certificates.ecOrNull() != null) {
            add(store, "ec", certificates.ecOrNull());
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance("PKIX");
        factory.init(store, PASSWORD);
        X509ExtendedKeyManager keyManager = challenges.wrap((X509ExtendedKeyManager) factory.getKeyManagers()[0]);
        SSLContext fresh = SSLContext.getInstance("TLS");
        fresh.init(new KeyManager[] {keyManager}, null, null);
        context.set(fresh);
    }

    private static void add(KeyStore store, String alias, ServerCertificate certificate) throws Exception {
        store.setKeyEntry(alias, certificate.key(), PASSWORD, certificate.chain().toArray(Certificate[]::new));
    }
}
