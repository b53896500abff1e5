package org.locomov.tls;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Answers ACME TLS-ALPN-01 validation handshakes (RFC 8737) on a TLS listener that serves port 443: the
 * certificate source that orders certificates with that challenge hands this to the listener that must
 * answer (the HTTPS API). Every handshake that does not offer {@code acme-tls/1} is left as it was.
 */
public interface TlsAlpnAnswers {

    /** Key managers that serve challenge certificates to validation handshakes and delegate everything else. */
    X509ExtendedKeyManager wrap(X509ExtendedKeyManager delegate);

    /** Lets {@code engine} accept {@code acme-tls/1}; other ALPN offers are left unanswered. */
    void prepare(SSLEngine engine);

    /** As {@link #prepare(SSLEngine)}, for blocking server sockets. */
    void prepare(SSLSocket socket);
}
