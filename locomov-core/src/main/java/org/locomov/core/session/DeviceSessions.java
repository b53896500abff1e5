package org.locomov.core.session;

/**
 * The device sessions of every node: which devices are connected, and where a command or update for one
 * must go. A transport {@link #open opens} a session once its connection has proved its device and closes
 * the returned handle when the connection ends.
 *
 * <p>A device is online while any node holds a session for it. Opening a session hands it the commands
 * and firmware jobs waiting for its device; an {@link DeviceSession#exclusive() exclusive} session closes
 * the device's earlier sessions on the same listener, on every node. A revoked or deleted device's
 * sessions are closed.
 *
 * <p>Thread-safe; no method blocks.
 */
public interface DeviceSessions {

    /** Registers {@code session}; close the handle when the connection ends. */
    SessionHandle open(DeviceSession session);

    /** True while any node holds a session for {@code deviceId}. */
    boolean isOnline(long deviceId);

    /** A session's registration. */
    interface SessionHandle extends AutoCloseable {

        /** What the session takes changed (it subscribed to commands): what waits for it is handed over. */
        void changed();

        /** The connection ended; idempotent. */
        @Override
        void close();
    }
}
