package org.locomov.particle.testing;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.function.Function;

/**
 * A simulated Spark Core on a real TCP connection: {@link CoreDevice} (the protocol, byte-exact against the
 * recording) behind a socket, answering what the server sends from a reader thread of its own.
 *
 * <p>Thread-safe: the device and the socket's output are used under this object's lock, so a frame is
 * encrypted and written in chain order whichever thread sends it.
 */
public final class SimulatedCore implements AutoCloseable {

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final CoreDevice device;
    private final Thread reader;
    private volatile boolean closedByServer;
    private volatile Throwable failure;

    private SimulatedCore(Socket socket, CoreDevice device) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.device = device;
        this.reader = Thread.ofPlatform().daemon().name("simulated-core").unstarted(this::readFrames);
    }

    /** Connects, completes the handshake, sends Hello, and starts answering the server. */
    public static SimulatedCore connect(String host, int port, CoreDevice device) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), 5_000);
        socket.setSoTimeout(0);
        SimulatedCore core = new SimulatedCore(socket, device);
        try {
            core.handshake();
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
        core.reader.start();
        return core;
    }

    private void handshake() throws IOException {
        byte[] nonce = new byte[40];
        in.readFully(nonce);
        synchronized (this) {
            out.write(device.answerNonce(nonce));
            out.flush();
        }
        byte[] reply = new byte[384];
        in.readFully(reply);
        synchronized (this) {
            out.write(device.acceptReply(reply));
            out.flush();
        }
    }

    private void readFrames() {
        try {
            while (true) {
                int length = in.readUnsignedShort();
                byte[] frame = new byte[length];
                in.readFully(frame);
                synchronized (this) {
                    for (byte[] reply : device.onFrame(frame)) {
                        out.write(reply);
                    }
                    out.flush();
                }
            }
        } catch (EOFException | java.net.SocketException closed) {
            closedByServer = true;
        } catch (Throwable e) {
            failure = e;
            closedByServer = true;
        }
    }

    /** Publishes a public event. */
    public synchronized void publish(String name, String data) throws IOException {
        write(device.publish(name, data, true));
    }

    /** Publishes a public ({@code /e}) or private ({@code /E}) event. */
    public synchronized void publish(String name, String data, boolean isPublic) throws IOException {
        write(device.publish(name, data, isPublic));
    }

    public synchronized void requestTime() throws IOException {
        write(device.requestTime());
    }

    public synchronized void ping() throws IOException {
        write(device.ping());
    }

    public synchronized void subscribe(String prefix) throws IOException {
        write(device.subscribe(prefix));
    }

    /** Subscribes, with {@code myDevicesOnly} as Particle's MY_DEVICES scope. */
    public synchronized void subscribe(String prefix, boolean myDevicesOnly) throws IOException {
        write(device.subscribe(prefix, myDevicesOnly));
    }

    /** Raw bytes, for refusal tests (garbage, oversize frames). */
    public synchronized void writeRaw(byte[] bytes) throws IOException {
        write(bytes);
    }

    private void write(byte[] frame) throws IOException {
        out.write(frame);
        out.flush();
    }

    /** Reads the device's state under the lock. */
    public synchronized <T> T inspect(Function<CoreDevice, T> what) {
        return what.apply(device);
    }

    public List<String> calls() {
        return inspect(CoreDevice::calls);
    }

    /** True once the server closed the connection (or it failed). */
    public boolean closedByServer() {
        return closedByServer;
    }

    /** What broke the reader, if anything but the server closing. */
    public Throwable failure() {
        return failure;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
