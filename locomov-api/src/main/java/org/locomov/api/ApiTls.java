package org.locomov.api;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Objects;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.locomov.tls.CipherProfile;
import org.locomov.tls.ServerCertificate;
import org.locomov.tls.TlsAlpnAnswers;

/**
 * The API's TLS: Jetty's {@link SslContextFactory.Server} holding both server certificates in one
 * in-memory key store. Jetty offers the JDK key manager's choice per client hello, so RSA-only and EC
 * clients share the port; the {@code modern} profile (TLS 1.2/1.3, ECDHE + AEAD) is the only one
 * allowed here because no CC32xx device talks to the API.
 *
 * <p>With ACME's TLS-ALPN-01 on ({@link #answer}), handshakes that offer ALPN {@code acme-tls/1} for a name
 * with a pending challenge get the challenge certificate; every other handshake is as without it.
 *
 * <p>Thread-safety: {@link #replace} may be called from any thread; Jetty's reload swaps the context
 * under its own lock, and open connections keep the context they started with. {@link #answer} is called
 * before the server starts.
 */
final class ApiTls {

    static final CipherProfile PROFILE = CipherProfile.MODERN;
    /** Protects nothing (the key store never leaves memory); Jetty requires one. */
    private static final char[] IN_MEMORY_PASSWORD = "locomov-api".toCharArray();

    private final SslContextFactory.Server factory;
    /** Set before start, read by Jetty's threads when it builds key managers and engines. */
    private volatile TlsAlpnAnswers challenges;

    ApiTls(ServerCertificate rsa, ServerCertificate ecOrNull) {
        factory = new SslContextFactory.Server() {
            @Override
            protected KeyManager[] getKeyManagers(KeyStore keyStore) throws Exception {
                KeyManager[] managers = super.getKeyManagers(keyStore);
                TlsAlpnAnswers answering = challenges;
                for (int i = 0; answering != null && i < managers.length; i++) {
                    if (managers[i] instanceof X509ExtendedKeyManager manager) {
                        managers[i] = answering.wrap(manager);
                    }
                }
                return managers;
            }

            @Override
            public void customize(SSLEngine engine) {
                super.customize(engine);
                TlsAlpnAnswers answering = challenges;
                if (answering != null) {
                    answering.prepare(engine);
                }
            }
        };
        factory.setKeyStore(keyStore(rsa, ecOrNull));
        factory.setKeyStorePassword(new String(IN_MEMORY_PASSWORD));
        factory.setKeyManagerPassword(new String(IN_MEMORY_PASSWORD));
        factory.setIncludeProtocols(PROFILE.protocols().toArray(String[]::new));
        factory.setIncludeCipherSuites(PROFILE.cipherSuites().toArray(String[]::new));
        factory.setUseCipherSuitesOrder(true);
        factory.setRenegotiationAllowed(false);
        // Clients reach the API by IP address on a LAN as often as by name: no SNI is not an error.
        factory.setSniRequired(false);
    }

    SslContextFactory.Server factory() {
        return factory;
    }

    /** Answers ACME TLS-ALPN-01 challenges from now on; call before the server starts. */
    void answer(TlsAlpnAnswers tlsAlpnChallenges) {
        this.challenges = Objects.requireNonNull(tlsAlpnChallenges, "tlsAlpnChallenges");
    }

    /** Serves new certificates to new connections from now on, without a restart or dropped connections. */
    void replace(ServerCertificate rsa, ServerCertificate ecOrNull) throws Exception {
        KeyStore renewed = keyStore(rsa, ecOrNull);
        factory.reload(reloading -> reloading.setKeyStore(renewed));
    }

    private static KeyStore keyStore(ServerCertificate rsa, ServerCertificate ecOrNull) {
        Objects.requireNonNull(rsa, "rsa");
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            add(store, "rsa", rsa);
            if (ecOrNull != null) {
                add(store, "ec", ecOrNull);
            }
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("could not hold the API's certificates in a key store", e);
        }
    }

    private static void add(KeyStore store, String alias, ServerCertificate certificate) throws GeneralSecurityException {
        store.setKeyEntry(alias, certificate.key(), IN_MEMORY_PASSWORD, certificate.chain().toArray(Certificate[]::new));
    }
}
