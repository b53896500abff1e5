package org.locomov.transport.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A device on {@link TestTransport}: a socket, the lines it sent, and the lines it received (collected by a
 * reader thread into a list the test reads).
 */
public final class TestTransportClient implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final BlockingQueue<String> unread = new LinkedBlockingQueue<>();

    private TestTransportClient(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        Thread.ofVirtual().name("test-transport-client").start(() -> {
            try {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    received.add(line);
                    unread.add(line);
                }
            } catch (IOException e) {
                // closed
            }
        });
    }

    public static TestTransportClient connect(int port) {
        try {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            return new TestTransportClient(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends {@code line} and a newline. */
    public void send(String line) {
        try {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next received line starting with {@code prefix} (earlier other lines are skipped), waiting at most {@code timeout}. */
    public String next(String prefix, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (long left = timeout.toNanos(); left > 0; left = deadline - System.nanoTime()) {
                String line = unread.poll(left, TimeUnit.NANOSECONDS);
                if (line != null && line.startsWith(prefix)) {
                    return line;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new AssertionError("no line starting with '" + prefix + "' within " + timeout + "; received " + received);
    }

    /** Every line received so far. */
    public List<String> received() {
        return List.copyOf(received);
    }

    /** Says hello as {@code deviceId} and returns the answer line ({@code ok ID} or {@code refused ...}). */
    public String hello(long deviceId) {
        send("hello " + deviceId);
        return next("", Duration.ofSeconds(30));
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing to do
        }
    }
}
