package org.locomov.mqtt;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.locomov.tls.DeviceCredentialFiles;
import org.locomov.tls.testing.TestCertificates;

/**
 * Debian's {@code mosquitto_pub} and {@code mosquitto_sub} as devices: verifying the server against the test CA,
 * logging in with a device's certificate files or its token.
 */
final class Mosquitto {

    static final String PUB = "/usr/bin/mosquitto_pub";
    static final String SUB = "/usr/bin/mosquitto_sub";

    /** A finished client: exit status and everything it printed. */
    record Result(int status, String output) {
    }

    /** How the client logs in. */
    record Login(List<String> arguments) {
        static Login certificate(Path credentials) {
            return new Login(List.of("--cert", credentials.resolve(DeviceCredentialFiles.CERTIFICATE_PEM).toString(),
                    "--key", credentials.resolve(DeviceCredentialFiles.KEY_PEM).toString()));
        }

        static Login token(long deviceId, String token) {
            return new Login(List.of("-u", Long.toString(deviceId), "-P", token));
        }
    }

    private Mosquitto() {
    }

    static void assumeInstalled() {
        assumeTrue(Files.isExecutable(Path.of(PUB)) && Files.isExecutable(Path.of(SUB)),
                "mosquitto_pub/mosquitto_sub are not installed (Debian package mosquitto-clients); skipping");
    }

    /** Common arguments: server, CA, protocol version ("mqttv311", "mqttv5"), TLS options, login. */
    static List<String> connection(int port, String version, Login login, List<String> tls) throws IOException {
        List<String> args = new ArrayList<>(List.of("-h", "localhost", "-p", Integer.toString(port),
                "--cafile", TestCertificates.shared().caCertificateFile().toString(), "-V", version));
        args.addAll(tls);
        args.addAll(login.arguments());
        return args;
    }

    static Result publish(List<String> connection, String topic, String message, int qos) throws Exception {
        List<String> command = new ArrayList<>(List.of(PUB));
        command.addAll(connection);
        command.addAll(List.of("-t", topic, "-m", message, "-q", Integer.toString(qos)));
        return run(command);
    }

    static Result run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish");
        }
        return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    /** Starts {@code mosquitto_sub}, ending after {@code messages} messages (it prints each on a line). */
    static Process subscribe(List<String> connection, String topic, int qos, int messages) throws IOException {
        List<String> command = new ArrayList<>(List.of(SUB));
        command.addAll(connection);
        command.addAll(List.of("-t", topic, "-q", Integer.toString(qos), "-C", Integer.toString(messages)));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }
}
