package org.locomov.credentials.acme;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * The key manager {@link TlsAlpnChallenges#wrap} returns: when the handshake negotiated ALPN
 * {@code acme-tls/1} (the JDK runs the ALPN selector before choosing the certificate, and exposes the result
 * through {@code getHandshakeApplicationProtocol()}), it answers with the pending challenge certificate for
 * the SNI name; otherwise the delegate chooses as usual.
 *
 * <p>Thread-safe: stateless apart from the delegate (thread-safe) and the challenges' concurrent map.
 */
final class TlsAlpnChallengeKeyManager extends X509ExtendedKeyManager {

    private static final Logger log = LoggerFactory.getLogger(TlsAlpnChallengeKeyManager.class);
    private static final String ALIAS_PREFIX = "acme-tls-alpn-01:";

    private final X509ExtendedKeyManager delegate;
    private final TlsAlpnChallenges challenges;

    TlsAlpnChallengeKeyManager(X509ExtendedKeyManager delegate, TlsAlpnChallenges challenges) {
        this.delegate = delegate;
        this.challenges = challenges;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        if (engine != null && TlsAlpnChallenges.ACME_TLS_1.equals(engine.getHandshakeApplicationProtocol())) {
            return challengeAlias(keyType, engine.getHandshakeSession());
        }
        return delegate.chooseEngineServerAlias(keyType, issuers, engine);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        if (socket instanceof SSLSocket ssl && TlsAlpnChallenges.ACME_TLS_1.equals(ssl.getHandshakeApplicationProtocol())) {
            return challengeAlias(keyType, ssl.getHandshakeSession());
        }
        return delegate.chooseServerAlias(keyType, issuers, socket);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        if (alias != null && alias.startsWith(ALIAS_PREFIX)) {
            TlsAlpnChallenges.Response response = challenges.responseFor(alias.substring(ALIAS_PREFIX.length()));
            return response == null ? null : new X509Certificate[] {response.certificate()};
        }
        return delegate.getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        if (alias != null && alias.startsWith(ALIAS_PREFIX)) {
            TlsAlpnChallenges.Response response = challenges.responseFor(alias.substring(ALIAS_PREFIX.length()));
            return response == null ? null : response.key();
        }
        return delegate.getPrivateKey(alias);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return delegate.getServerAliases(keyType, issuers);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return delegate.getClientAliases(keyType, issuers);
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return delegate.chooseClientAlias(keyTypes, issuers, socket);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return delegate.chooseEngineClientAlias(keyTypes, issuers, engine);
    }

    /** The challenge alias for the handshake's SNI name, when its key is of {@code keyType}; else null. */
    private String challengeAlias(String keyType, SSLSession handshake) {
        String domain = sniHostName(handshake);
        TlsAlpnChallenges.Response response = challenges.responseFor(domain);
        if (response == null) {
            log.debug("TLS-ALPN-01: validation handshake for {} without a pending challenge", domain);
            return null;
        }
        return response.key().getAlgorithm().equalsIgnoreCase(keyType) ? ALIAS_PREFIX + domain : null;
    }

    private static String sniHostName(SSLSession handshake) {
        if (handshake instanceof ExtendedSSLSession extended) {
            for (SNIServerName name : extended.getRequestedServerNames()) {
                if (name instanceof SNIHostName host) {
                    return host.getAsciiName();
                }
            }
        }
        return null;
    }
}
