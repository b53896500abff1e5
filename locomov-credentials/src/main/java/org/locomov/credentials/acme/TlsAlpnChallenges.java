package org.locomov.credentials.acme;

import org.locomov.tls.TlsAlpnAnswers;

import org.shredzone.acme4j.Identifier;
import org.shredzone.acme4j.challenge.Challenge;
import org.shredzone.acme4j.challenge.TlsAlpn01Challenge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * TLS-ALPN-01 (RFC 8737) on a listener that uses the JDK's TLS provider, such as the HTTPS API: while a
 * challenge is pending, a handshake that offers ALPN {@code acme-tls/1} and names the domain (SNI) gets the
 * challenge certificate instead of the server's; every other handshake is untouched. The listener calls
 * {@link #prepare(SSLEngine)} on each new engine and builds its key managers through {@link #wrap}.
 *
 * <p>Thread-safety: challenges are added and withdrawn by the ordering thread and read by the listener's
 * handshake threads through a concurrent map.
 */
public final class TlsAlpnChallenges implements ChallengeResponder, TlsAlpnAnswers {

    private static final Logger log = LoggerFactory.getLogger(TlsAlpnChallenges.class);

    /** The ALPN protocol of TLS-ALPN-01 validation handshakes. */
    public static final String ACME_TLS_1 = TlsAlpn01Challenge.ACME_TLS_1_PROTOCOL;

    /** A challenge certificate and its key. */
    record Response(PrivateKey key, X509Certificate certificate) {
    }

    /** Domain (lower case) → the certificate that answers its pending challenge. */
    private final Map<String, Response> pending = new ConcurrentHashMap<>();

    @Override
    public X509ExtendedKeyManager wrap(X509ExtendedKeyManager delegate) {
        return new TlsAlpnChallengeKeyManager(delegate, this);
    }

    @Override
    public void prepare(SSLEngine engine) {
        engine.setHandshakeApplicationProtocolSelector((ignored, offered) -> select(offered));
    }

    @Override
    public void prepare(SSLSocket socket) {
        socket.setHandshakeApplicationProtocolSelector((ignored, offered) -> select(offered));
    }

    @Override
    public ChallengeType type() {
        return ChallengeType.TLS_ALPN_01;
    }

    @Override
    public Answer answer(String domain, Challenge challenge) {
        TlsAlpn01Challenge alpn = (TlsAlpn01Challenge) challenge;
        // RSA: acme4j signs challenge certificates with SHA256withRSA whatever the key.
        KeyPair keys = KeyPairs.rsa();
        X509Certificate certificate = alpn.createCertificate(keys, Identifier.dns(domain));
        String name = domain.toLowerCase(Locale.ROOT);
        pending.put(name, new Response(keys.getPrivate(), certificate));
        log.debug("TLS-ALPN-01: answering for {}", name);
        return () -> pending.remove(name);
    }

    /** The challenge response for {@code domain}, or {@code null} when none is pending. */
    Response responseFor(String domain) {
        return domain == null ? null : pending.get(domain.toLowerCase(Locale.ROOT));
    }

    /**
     * {@code acme-tls/1} when offered and a challenge is pending; otherwise the empty string, which tells the
     * JDK to send no ALPN answer at all (the behaviour of a listener without ALPN).
     */
    private String select(List<String> offered) {
        if (offered.contains(ACME_TLS_1)) {
            if (pending.isEmpty()) {
                log.debug("TLS-ALPN-01: a validation handshake arrived with no challenge pending");
                return null;   // RFC 8737 §3: refuse with no_application_protocol
            }
            return ACME_TLS_1;
        }
        return "";
    }
}
