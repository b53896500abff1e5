package org.locomov.tls;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The listeners of one {@link CertificateSource}, told about new certificates one after the other. One
 * listener refusing the new certificates does not keep them from the others; the refusal is logged with
 * the listener's name and reason, and that listener keeps serving what it had.
 *
 * <p>Thread-safe: listeners may be added from any thread while the source's thread notifies.
 */
public final class CertificateListeners {

    private static final Logger log = LoggerFactory.getLogger(CertificateListeners.class);

    private final Map<String, CertificateListener> listeners = new ConcurrentHashMap<>();

    public void add(String name, CertificateListener listener) {
        if (listeners.putIfAbsent(name, listener) != null) {
            throw new IllegalArgumentException("a certificate listener called " + name + " is already registered");
        }
    }

    /** Hands {@code certificates} to every listener; returns how many refused them. */
    public int announce(CertificatePair certificates) {
        int refused = 0;
        for (Map.Entry<String, CertificateListener> entry : listeners.entrySet()) {
            try {
                entry.getValue().certificatesChanged(certificates);
            } catch (Exception e) {
                refused++;
                log.error("{}: refused the new certificates, still serving the old ones: {}", entry.getKey(),
                        e.getMessage(), e);
            }
        }
        return refused;
    }
}
