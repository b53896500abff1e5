package org.locomov.mov;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.security.GeneralSecurityException;
import java.util.concurrent.CompletableFuture;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import org.locomov.tls.ClientTls;
import org.locomov.tls.testing.TestCertificates;

/**
 * A device's side of a mov connection in tests: a JDK TLS client that trusts only the test CA and
 * checks the server's name, sends packets and reads the reply lines.
 */
final class DeviceConnection implements AutoCloseable {

    /** Guards a test against a server that never answers; replies come far sooner. */
    static final int READ_TIMEOUT_MS = 30_000;

    private final Socket socket;
    private final InputStream in;

    private DeviceConnection(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(READ_TIMEOUT_MS);
        this.in = socket.getInputStream();
    }

    static DeviceConnection open(int port) {
        return open(port, null, null);
    }

    /** A TLS connection limited to {@code protocols} and {@code suites} (null: the JDK's defaults). */
    static DeviceConnection open(int port, String[] protocols, String[] suites) {
        try {
            SSLSocket socket = (SSLSocket) ClientTls.jdkContext(TestCertificates.shared().caCertificateFile())
                    .getSocketFactory().createSocket("127.0.0.1", port);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            if (protocols != null) {
                parameters.setProtocols(protocols);
            }
            if (suites != null) {
                parameters.setCipherSuites(suites);
            }
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return new DeviceConnection(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A plain TCP connection, for what a client that does not speak TLS gets. */
    static DeviceConnection plain(int port) {
        try {
            return new DeviceConnection(new Socket("127.0.0.1", port));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    DeviceConnection send(byte[] bytes) {
        try {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    DeviceConnection send(String text) {
        return send(text.getBytes(UTF_8));
    }

    /** The next reply line, with its newline; blocks until it arrives. Null at end of stream. */
    String readLine() {
        try {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != -1) {
                line.write(b);
                if (b == '\n') {
                    return line.toString(UTF_8);
                }
            }
            return line.size() == 0 ? null : line.toString(UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next reply line, read on another thread, for tests that check it has not come yet. */
    CompletableFuture<String> readLineLater() {
        return CompletableFuture.supplyAsync(this::readLine);
    }

    /** True when the server closed the connection: the next read ends the stream or is reset. */
    boolean isClosedByServer() {
        try {
            return in.read() == -1;
        } catch (SocketException | javax.net.ssl.SSLException closedWithoutNotify) {
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing a test socket: nothing to do about a failure.
        }
    }
}
