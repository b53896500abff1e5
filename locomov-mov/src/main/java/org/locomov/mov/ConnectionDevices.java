package org.locomov.mov;

import java.util.HashMap;
import java.util.Map;

import org.locomov.core.ConnectedDevices;

/**
 * The devices one connection has been identified as, so that each is reported online once while the
 * connection is open and offline when it closes. A {@link PacketProcessor} calls {@link #online} when it
 * accepted a packet of a device; the connection's {@link PacketHandler} calls {@link #closed}.
 *
 * <p>Per connection, confined to its event loop: both methods must be called there, which is what makes
 * "online after close" impossible (a late {@code online} finds the connection closed and does nothing).
 */
public final class ConnectionDevices {

    /** Each device reported online by this connection, with the registry to report it offline to. */
    private final Map<Long, ConnectedDevices> online = new HashMap<>(2);
    private boolean closed;

    /** Reports {@code deviceId} online in {@code connected} for as long as this connection stays open. */
    public void online(long deviceId, ConnectedDevices connected) {
        if (!closed && online.putIfAbsent(deviceId, connected) == null) {
            connected.opened(deviceId);
        }
    }

    /** The connection closed: its devices are offline (unless another connection of theirs is open). */
    void closed() {
        closed = true;
        online.forEach((deviceId, connected) -> connected.closed(deviceId));
        online.clear();
    }
}
