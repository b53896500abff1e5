package org.locomov.mov;

import java.util.HashMap;
import java.util.Map;
import org.locomov.core.session.DeviceSession;
import org.locomov.core.session.DeviceSessions;
import org.locomov.core.session.DeviceSessions.SessionHandle;

/**
 * The device sessions one mov connection holds: from its first committed reading of a device until the
 * connection closes, that device is online (DESIGN.md §2, device plane). A mov connection takes no
 * commands, so its sessions only say "connected"; closing one (the device was revoked or deleted) closes
 * the connection.
 *
 * <p>Per connection, confined to its event loop: both methods must be called there, which is what makes
 * "online after close" impossible (a late {@link #online} finds the connection closed and does nothing).
 */
public final class ConnectionSessions {

    private final String listener;
    private final String peer;
    private final Runnable closeConnection;
    private final Map<Long, SessionHandle> open = new HashMap<>(2);
    private boolean closed;

    /** @param closeConnection closes the connection; called on any thread */
    ConnectionSessions(String listener, String peer, Runnable closeConnection) {
        this.listener = listener;
        this.peer = peer;
        this.closeConnection = closeConnection;
    }

    /** A reading of {@code deviceId} was committed on this connection: the device is online while it stays open. */
    void online(long deviceId, DeviceSessions sessions) {
        if (!closed && !open.containsKey(deviceId)) {
            open.put(deviceId, sessions.open(new MovSession(deviceId)));
        }
    }

    /** The connection closed: its devices are offline (unless another connection of theirs is open). */
    void closed() {
        closed = true;
        open.values().forEach(SessionHandle::close);
        open.clear();
    }

    /** One device on this connection, as the device plane sees it. */
    private final class MovSession implements DeviceSession {
        private final long deviceId;

        MovSession(long deviceId) {
            this.deviceId = deviceId;
        }

        @Override
        public long deviceId() {
            return deviceId;
        }

        @Override
        public String listener() {
            return listener;
        }

        @Override
        public String peer() {
            return peer;
        }

        @Override
        public void close(String reason) {
            closeConnection.run();
        }
    }
}
