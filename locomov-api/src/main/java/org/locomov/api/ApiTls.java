package org.locomov.api;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Objects;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.locomov.tls.CipherProfile;
import org.locomov.tls.ServerCertificate;

/**
 * The API's TLS: Jetty's {@link SslContextFactory.Server} holding both server certificates in one
 * in-memory key store. Jetty offers the JDK key manager's choice per client hello, so RSA-only and EC
 * clients share the port; the {@code modern} profile (TLS 1.2/1.3, ECDHE + AEAD) is the only one
 * allowed here because no CC32xx device talks to the API.
 *
 * <p>Thread-safety: {@link #replace} may be called from any thread; Jetty's reload swaps the context
 * under its own lock, and open connections keep the context they started with.
 */
final class ApiTls {

    static final CipherProfile PROFILE = CipherProfile.MODERN;
    /** Protects nothing (the key store never leaves memory); Jetty requires one. */
    private static final char[] IN_MEMORY_PASSWORD = "locomov-api".toCharArray();

    private final SslContextFactory.Server factory;

    ApiTls(ServerCertificate rsa, ServerCertificate ecOrNull) {
        factory = new SslContextFactory.Server();
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
