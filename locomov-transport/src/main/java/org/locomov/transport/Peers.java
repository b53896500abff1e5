package org.locomov.transport;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** How a peer's address is written in log lines: {@code address:port}. */
public final class Peers {

    private Peers() {
    }

    public static String describe(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress() + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }
}
