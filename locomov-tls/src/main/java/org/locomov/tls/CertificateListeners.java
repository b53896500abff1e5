package org.locomov.tls;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The listeners of one {@link CertificateSource}, told about new certificates one after the other, and
 * the certificates the source serves now. One listener refusing the new certificates does not keep them
 * from the others; the refusal is logged with the listener's name and reason, and that listener keeps
 * serving what it had.
 *
 * <p>Thread-safe: listeners may be added and {@link #current()} read from any thread while the source's
 * thread announces.
 */
public final class CertificateListeners {

    private static final Logger log = LoggerFactory.getLogger(CertificateListeners.class);

    private final Map<String, CertificateListener> listeners = new ConcurrentHashMap<>();
    private final AtomicReference<CertificatePair> current;

    /** @param initial the certificates in force when the source is built */
    public CertificateListeners(CertificatePair initial) {
        this.current = new AtomicReference<>(Objects.requireNonNull(initial, "initial"));
    }

    /** The certificates to serve now: the initial ones or the last announced. */
    public CertificatePair current() {
        return current.get();
    }

    public void add(String name, CertificateListener listener) {
        if (listeners.putIfAbsent(name, listener) != null) {
            throw new IllegalArgumentException("a certificate listener called " + name + " is already registered");
        }
    }

    /**
     * Hands {@code certificates} to every listener, then makes them {@link #current()}: listeners first, so
     * that once {@code current()} shows the new certificates, every listener serves them.
     *
     * @return how many listeners refused them
     */
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
        current.set(certificates);
        return refused;
    }
}
