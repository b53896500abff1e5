package org.locomov.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.locomov.mov.MovSettings;
import org.locomov.tls.ClientTls;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code locomov send}: the test client. Connects to a mov listener as a device would, verifying the
 * server's chain against {@code --ca} and its name against {@code --host}, posts one compact JSON packet
 * and a newline (as the original server's Go client did), and prints the reply line.
 * Exits 0 on {@code Thank you.}, 1 on any other reply or failure.
 */
@Command(name = "send", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Send one reading to a mov listener, verifying its certificate, and print the reply.")
final class SendCommand implements Callable<Integer> {

    static final String THANK_YOU = "Thank you.";
    static final int NOT_THANKED = 1;
    /** Longest reply line read; the server's replies are one short line. */
    private static final int MAX_REPLY_BYTES = 1024;

    @Spec
    CommandSpec spec;

    @Option(names = "--host", paramLabel = "HOST", defaultValue = "localhost",
            description = "Server to connect to; must be a name in its certificate. Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "" + MovSettings.DEFAULT_PORT,
            description = "Port of the mov listener. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--ca", paramLabel = "PEM", required = true,
            description = "CA certificate to verify the server with (the file the serve banner prints).")
    Path caFile;

    @Option(names = "--id", paramLabel = "N", required = true, description = "The device id (pub_id).")
    long deviceId;

    @Option(names = "--voltage", paramLabel = "V", required = true, description = "Voltage reading.")
    double voltage;

    @Option(names = "--freq", paramLabel = "F", required = true, description = "Frequency reading.")
    double frequency;

    @Option(names = "--status", description = "Set the device's status (protected) flag. Default: not set.")
    boolean status;

    @Option(names = "--timestamp", paramLabel = "UNIX-SECONDS",
            description = "The device's time of the reading. Default: none (the server files it at receipt time).")
    Long timestamp;

    @Option(names = "--lat", paramLabel = "DEGREES", description = "Latitude. Default: none.")
    Double lat;

    @Option(names = "--lng", paramLabel = "DEGREES", description = "Longitude. Default: none.")
    Double lng;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s",
            description = "Longest wait to connect, and again for the reply. Default: ${DEFAULT-VALUE}.")
    Duration timeout;

    @Override
    public Integer call() {
        Logging.forTool();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (timeout.isZero() || timeout.isNegative()) {
            err.println("send: --timeout must be positive, was " + timeout);
            return Main.USAGE_ERROR;
        }
        String packet = new ReadingPacket(deviceId, timestamp, status, voltage, frequency, lat, lng).toCompactJson();
        try {
            String reply = exchange(ClientTls.jdkContext(caFile), packet);
            out.println(reply);
            return THANK_YOU.equals(reply) ? 0 : NOT_THANKED;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            err.println("send: " + host + ":" + port + ": " + e.getMessage());
            return NOT_THANKED;
        }
    }

    private String exchange(SSLContext context, String packet) throws IOException {
        int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress(host, port), timeoutMillis);
        plain.setSoTimeout(timeoutMillis);
        // Layering on a connected socket keeps the host name for SNI and for the name check below.
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true)) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            OutputStream output = socket.getOutputStream();
            output.write((packet + "\n").getBytes(StandardCharsets.UTF_8));
            output.flush();
            return readLine(socket.getInputStream());
        }
    }

    private static String readLine(InputStream input) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = input.read(); b != -1 && b != '\n' && line.size() < MAX_REPLY_BYTES; b = input.read()) {
            line.write(b);
        }
        if (line.size() == 0) {
            throw new IOException("the server closed the connection without a reply");
        }
        return line.toString(StandardCharsets.UTF_8);
    }
}
