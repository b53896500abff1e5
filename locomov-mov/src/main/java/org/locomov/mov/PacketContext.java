package org.locomov.mov;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The connection a packet arrived on, as a {@link PacketProcessor} sees it.
 *
 * @param listener  the listener's name ({@code mov}, {@code confo}), for logs and metrics
 * @param peer      the client's address
 * @param eventLoop the connection's event loop, for work that must resume there (never block on it)
 * @param devices   the devices identified on this connection; use it on {@code eventLoop} only
 */
public record PacketContext(String listener, SocketAddress peer, Executor eventLoop, ConnectionDevices devices) {

    public PacketContext {
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(eventLoop, "eventLoop");
        Objects.requireNonNull(devices, "devices");
    }

    /** The peer as {@code address:port}, for log lines. */
    public String peerText() {
        return describe(peer);
    }

    /**
     * Runs {@code task} on the connection's event loop. When the listener has stopped the task is
     * dropped: the connection is closed, so there is no one left to answer.
     */
    public void execute(Runnable task) {
        try {
            eventLoop.execute(task);
        } catch (RejectedExecutionException stopped) {
            // Listener stopped; the channel is gone and the device retries on its next connection.
        }
    }

    static String describe(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress() + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }
}
