package org.locomov.coap;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.californium.scandium.dtls.ConnectionId;
import org.eclipse.californium.scandium.dtls.Handshaker;
import org.eclipse.californium.scandium.dtls.SessionAdapter;
import org.locomov.transport.ListenerEvents;
import org.locomov.transport.Peers;

/**
 * One log line and one count per failed DTLS handshake, with the peer and why: a wrong key (the Finished does
 * not verify), an unknown or revoked PSK identity, an untrusted or revoked certificate, a client that went away.
 * The PSK store knows the device plane's reason for a refused identity before Scandium fails the handshake with a
 * generic one, so it {@link #note notes} it here, by connection, and the line gives that reason instead.
 *
 * <p>Thread-safe: Scandium calls from its connection threads; notes are removed when read, and a note whose
 * handshake never reports (cannot happen: a refused PSK always fails it) would be the only thing left behind.
 */
final class HandshakeLog extends SessionAdapter {

    private final ListenerEvents events;
    private final Map<ConnectionId, String> reasons = new ConcurrentHashMap<>();

    HandshakeLog(ListenerEvents events) {
        this.events = events;
    }

    /** The handshake of connection {@code cid} is about to fail for {@code reason}. */
    void note(ConnectionId cid, String reason) {
        if (cid != null) {
            reasons.put(cid, reason);
        }
    }

    @Override
    public void handshakeFailed(Handshaker handshaker, Throwable error) {
        ConnectionId cid = handshaker.getConnection().getConnectionId();
        String noted = cid == null ? null : reasons.remove(cid);
        events.handshakeFailed(Peers.describe(handshaker.getPeerAddress()), "DTLS: "
                + (noted != null ? noted : String.valueOf(error.getMessage())));
    }
}
