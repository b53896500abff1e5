package org.locomov.core.listener;

/**
 * One thing that accepts connections from outside (the mov, confo, MQTT, CoAP and Particle device
 * listeners, the HTTPS API). The server keeps one list of them: the banner, {@code cert status},
 * {@code /health}, the port-collision check and the shutdown order all come from it.
 *
 * <p>Lifecycle: {@link #start} then {@link #close}, called by the server from one thread; {@link #port}
 * may be read from any thread once started.
 */
public interface Listener extends AutoCloseable {

    /** Its name in logs, metrics, the banner and {@code /health}: {@code mov}, {@code mqtt}, {@code api}. */
    String name();

    /** Where it listens, as configured (the port may be 0 until started). */
    Endpoint endpoint();

    /**
     * Binds and returns once it accepts connections.
     *
     * @throws IllegalStateException naming the address when it cannot bind
     */
    void start();

    /** The port it really bound (not a configured 0); only once started. */
    int port();

    /**
     * Stops accepting, lets work already accepted finish within the listener's drain time (nothing not
     * yet committed is acknowledged), then closes its connections. Idempotent.
     */
    @Override
    void close();

    /**
     * Where and how a listener listens.
     *
     * @param protocol      {@code tcp} or {@code udp}
     * @param bindAddress   the address it binds
     * @param port          the configured port, 0 for any free one
     * @param security      what protects it, for the banner: a cipher profile name ({@code cc32xx},
     *                      {@code modern}) or a description ({@code DTLS 1.2 PSK, X.509})
     * @param servesServerCertificate true when it serves the server certificates (so {@code cert status}
     *                      lists it); false for listeners with keys of their own (Particle's RSA key)
     */
    record Endpoint(String protocol, String bindAddress, int port, String security, boolean servesServerCertificate) {

        public Endpoint {
            if (!"tcp".equals(protocol) && !"udp".equals(protocol)) {
                throw new IllegalArgumentException("protocol must be tcp or udp, was " + protocol);
            }
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
            }
        }
    }
}
