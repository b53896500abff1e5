package org.locomov.mov;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.locomov.core.GroupedHandoff;

/**
 * The connection a packet arrived on, as a {@link PacketProcessor} sees it.
 *
 * @param listener  the listener's name ({@code mov}, {@code confo}), for logs and metrics
 * @param peerText  the client's address as {@code address:port}, for log lines
 * @param eventLoop the connection's event loop, for work that must resume there (never block on it)
 * @param sessions  the device sessions this connection holds; use it on {@code eventLoop} only
 */
public record PacketContext(String listener, String peerText, Executor eventLoop, ConnectionSessions sessions) {

    public PacketContext {
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(peerText, "peerText");
        Objects.requireNonNull(eventLoop, "eventLoop");
        Objects.requireNonNull(sessions, "sessions");
    }

    /**
     * Runs {@code task} on the connection's event loop. When the listener has stopped the task is
     * dropped: the connection is closed, so there is no one left to answer. Called while the batch writer
     * completes a commit, the task joins that commit's one task for this event loop ({@link GroupedHandoff}).
     */
    public void execute(Runnable task) {
        try {
            GroupedHandoff.execute(eventLoop, task);
        } catch (RejectedExecutionException stopped) {
            // Listener stopped; the channel is gone and the device retries on its next connection.
        }
    }
}
