package org.locomov.coap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A NAT between one device and the server, on loopback: datagrams from the device go out from the relay's own
 * "public" socket, replies come back. {@link #rebind} moves the public side to a new source port, as a NAT does
 * when its mapping expires; {@link #dropReplies} loses the next replies, so the device retransmits. It counts the
 * DTLS handshake records of epoch 0 (a new handshake) the device sends.
 *
 * <p>Two threads of its own, one per direction; the public socket is swapped under a volatile reference.
 */
final class UdpRelay implements AutoCloseable {

    private static final int HANDSHAKE = 22;

    private final DatagramSocket deviceSide;
    private final InetSocketAddress server;
    private volatile DatagramSocket publicSide;
    private volatile InetSocketAddress device;
    private volatile boolean closed;
    private final java.util.List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
    final AtomicInteger newHandshakeRecords = new AtomicInteger();
    final AtomicInteger repliesToDrop = new AtomicInteger();
    final AtomicInteger repliesDropped = new AtomicInteger();

    UdpRelay(InetSocketAddress server) {
        this(server, 0);
    }

    /** A relay whose public side is {@code publicPort} (0: any free one), as a NAT hands a freed port to another device. */
    UdpRelay(InetSocketAddress server, int publicPort) {
        this.server = server;
        try {
            deviceSide = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
            publicSide = new DatagramSocket(new InetSocketAddress("127.0.0.1", publicPort));
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
        threads.add(Thread.ofPlatform().daemon().name("relay-up").start(this::up));
        startDown(publicSide);
    }

    /** Where the device sends. */
    InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", deviceSide.getLocalPort());
    }

    /** The source port the server sees now. */
    int publicPort() {
        return publicSide.getLocalPort();
    }

    /** From now on the device's datagrams reach the server from a new source port. */
    void rebind() throws SocketException {
        DatagramSocket old = publicSide;
        DatagramSocket fresh = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        publicSide = fresh;
        startDown(fresh);
        old.close();
    }

    /** Loses the server's next {@code count} datagrams to the device. */
    void dropReplies(int count) {
        repliesToDrop.set(count);
    }

    private void up() {
        byte[] buffer = new byte[65_536];
        while (!closed) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                deviceSide.receive(packet);
                device = (InetSocketAddress) packet.getSocketAddress();
                if (packet.getLength() > 13 && (buffer[0] & 0xff) == HANDSHAKE && buffer[3] == 0 && buffer[4] == 0) {
                    newHandshakeRecords.incrementAndGet();
                }
                publicSide.send(new DatagramPacket(buffer, packet.getLength(), server));
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void startDown(DatagramSocket socket) {
        threads.add(Thread.ofPlatform().daemon().name("relay-down").start(() -> {
            byte[] buffer = new byte[65_536];
            while (!closed && !socket.isClosed()) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(packet);
                    if (repliesToDrop.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        repliesDropped.incrementAndGet();
                        continue;
                    }
                    deviceSide.send(new DatagramPacket(buffer, packet.getLength(), device));
                } catch (IOException e) {
                    return;
                }
            }
        }));
    }

    @Override
    public void close() {
        closed = true;
        deviceSide.close();
        publicSide.close();
        // A socket closed while a thread receives on it is released when that thread has left: wait for them, so
        // that the public port is free again when close returns.
        for (Thread thread : threads) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
