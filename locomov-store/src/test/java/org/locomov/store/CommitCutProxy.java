package org.locomov.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on loopback in front of PostgreSQL that can cut a connection at its COMMIT: either right
 * after forwarding the COMMIT to the server ({@link Cut#AFTER_COMMIT}: the server commits, the client
 * never hears so), or instead of forwarding it ({@link Cut#INSTEAD_OF_COMMIT}: nothing commits). Each
 * armed cut happens once.
 *
 * <p>Threads: one accept thread and two copy threads per connection; the cut counters are atomic.
 */
final class CommitCutProxy implements AutoCloseable {

    enum Cut {
        AFTER_COMMIT, INSTEAD_OF_COMMIT
    }

    private final ServerSocket listener;
    private final int targetPort;
    private final AtomicInteger cutsAfter = new AtomicInteger();
    private final AtomicInteger cutsInstead = new AtomicInteger();
    private final AtomicInteger cutsMade = new AtomicInteger();
    private final List<Socket> sockets = new ArrayList<>(); // guarded by itself

    CommitCutProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("commit-cut-proxy").start(this::accept);
    }

    int port() {
        return listener.getLocalPort();
    }

    /** The next {@code count} COMMITs are cut as {@code cut} says. */
    void arm(Cut cut, int count) {
        (cut == Cut.AFTER_COMMIT ? cutsAfter : cutsInstead).addAndGet(count);
    }

    int cutsMade() {
        return cutsMade.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket();
                server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort));
                synchronized (sockets) {
                    sockets.add(client);
                    sockets.add(server);
                }
                Thread.ofPlatform().daemon().start(() -> toServer(client, server));
                Thread.ofPlatform().daemon().start(() -> copy(server, client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void toServer(Socket client, Socket server) {
        byte[] buffer = new byte[64 * 1024];
        String commitStatement = null; // PgJDBC prepares COMMIT once per connection as a named statement
        try (InputStream in = client.getInputStream(); OutputStream out = server.getOutputStream()) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                commitStatement = commitStatementName(buffer, n, commitStatement);
                if (isCommit(buffer, n, commitStatement)) {
                    if (take(cutsAfter)) {
                        out.write(buffer, 0, n);
                        out.flush();
                        server.shutdownOutput(); // the server reads the COMMIT, then end of stream
                        cutsMade.incrementAndGet();
                        client.close(); // the client never gets the answer
                        return;
                    }
                    if (take(cutsInstead)) {
                        cutsMade.incrementAndGet();
                        client.close();
                        server.close();
                        return;
                    }
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side closed
        } finally {
            closeQuietly(client);
        }
    }

    private static void copy(Socket from, Socket to) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side closed
        } finally {
            closeQuietly(to);
            closeQuietly(from);
        }
    }

    /**
     * The name under which this connection's driver prepared COMMIT, from a Parse message
     * ({@code 'P' len name\0 "COMMIT"\0 ...}) in the chunk, else {@code known}.
     */
    private static String commitStatementName(byte[] buffer, int length, String known) {
        String text = new String(buffer, 0, length, StandardCharsets.ISO_8859_1);
        int commit = text.indexOf("\0COMMIT\0");
        if (commit < 0) {
            return known;
        }
        int start = text.lastIndexOf("S_", commit);
        return start < 0 || start < commit - 12 ? known : text.substring(start, commit);
    }

    /** A COMMIT sent as text, or a Bind ({@code 'B' len portal\0 statement\0}) of the prepared COMMIT. */
    private static boolean isCommit(byte[] buffer, int length, String commitStatement) {
        String text = new String(buffer, 0, length, StandardCharsets.ISO_8859_1);
        if (text.contains("Q\0\0\0\u000bCOMMIT\0") || (text.contains("\0COMMIT\0") && text.contains("E\0"))) {
            return true;
        }
        if (commitStatement == null) {
            return false;
        }
        for (int i = text.indexOf('B'); i >= 0 && i + 6 < length; i = text.indexOf('B', i + 1)) {
            if (text.startsWith("\0" + commitStatement + "\0", i + 5)) {
                return true;
            }
        }
        return false;
    }

    private static boolean take(AtomicInteger counter) {
        return counter.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        synchronized (sockets) {
            sockets.forEach(CommitCutProxy::closeQuietly);
        }
    }
}
