package org.locomov.bench;

/** How a simulated device uses its connection. */
public enum LoadMode {
    /**
     * The CC3220S pattern: a full TLS 1.2 handshake (no session resumption), one packet, wait for the
     * ack, close; then the next packet on a new connection.
     */
    CONNECT_PER_PACKET("connect-per-packet"),
    /** One connection per device, kept open; each packet is sent once the previous one is acknowledged. */
    PERSISTENT("persistent");

    private final String label;

    LoadMode(String label) {
        this.label = label;
    }

    /** The name used on the command line and in reports. */
    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }
}
